"""``brief``: the PSW posts a briefing now or later, optionally asking for feedback.

``brief [to NAME] title="..." body="..." [link=https://...] [feedback=yes]
[at=Monday 9am] [to=channel|NAME|team:NAME|service:NAME]``. Times are the
organisation's local time, in words or ISO form; a team or service is named
without quotes, whole or in part. Everything is checked before anything is stored.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.commands import follow_up_text as text
from bot.commands.naming import read_names
from bot.commands.options import OptionsError, read_options
from bot.conversation.messages import Message, Notice, Tone
from survey.db import SessionFactory
from survey.errors import NotFoundError
from survey.follow_up.announcements import WORKFORCE, Reach
from survey.follow_up.briefings import create_briefing
from survey.models import Organisation
from survey.schedule.working_hours import parse_local_time

BRIEF_OPTIONS = ("title", "body", "link", "feedback", "at", "to")
_YES = {"yes", "y", "true", "on"}
_NO = {"no", "n", "false", "off"}
_CHANNEL = ("", "channel", "workforce", "everyone")


async def brief_messages(
    sessions: SessionFactory,
    *,
    organisation: Organisation,
    typed: str,
    words: tuple[str, ...] = (),
    now: datetime,
    platforms: tuple[str, ...],
) -> tuple[Message, ...]:
    """Post or schedule a briefing and say what happened.

    ``words`` are those typed before the first setting: ``to Child Protection``
    says who it is for, as ``to=`` does.
    """
    options = read_options(typed, allowed=BRIEF_OPTIONS)
    if not options.has("title") or not options.has("body"):
        return (Notice(text.brief_needs(), Tone.WARNING),)
    feedback = _yes_or_no(options.get("feedback"))
    zone = ZoneInfo(organisation.timezone)
    at = _local_time(options.get("at"), organisation, now)
    plain = list(words)
    if plain and plain[0].casefold() == "to":
        plain = plain[1:]
    elif plain:
        raise OptionsError(text.brief_stray_words(" ".join(plain)))
    if plain and options.has("to"):
        raise OptionsError(text.brief_two_reaches())
    async with sessions() as session:
        reach = await _reach(session, organisation, options.get("to"), plain)
    async with sessions() as session, session.begin():
        briefing = await create_briefing(
            session,
            organisation_id=organisation.id,
            title=options.get("title") or "",
            body=options.get("body") or "",
            link=options.get("link"),
            reach=reach,
            feedback=feedback,
            at=at,
            now=now,
            platforms=platforms,
        )
        feedback_campaign = briefing.feedback_campaign
    title = briefing.announcement.title
    if briefing.repeat:
        scheduled = briefing.scheduled_for
        return (
            Notice(
                text.briefing_repeat(
                    title, scheduled.astimezone(zone) if scheduled else None
                )
            ),
        )
    where = briefing.reach.describe()
    if briefing.scheduled_for is not None:
        lines = [
            text.briefing_scheduled(
                title, where, briefing.scheduled_for.astimezone(zone)
            )
        ]
        if feedback_campaign is not None:
            lines.append(text.feedback_later(feedback_campaign.name))
    else:
        people = None if briefing.reach.is_channel else briefing.messages
        lines = [text.briefing_posted(title, where, people)]
        if feedback_campaign is not None:
            closes = feedback_campaign.closes_at
            lines.append(
                text.feedback_opened(
                    feedback_campaign.name, closes.astimezone(zone) if closes else None
                )
            )
    return (Notice("\n".join(lines), Tone.SUCCESS),)


def _yes_or_no(typed: str | None) -> bool:
    if typed is None:
        return False
    cleaned = typed.strip().casefold()
    if cleaned in _YES:
        return True
    if cleaned in _NO:
        return False
    raise OptionsError(text.not_yes_or_no(typed))


def _local_time(
    typed: str | None, organisation: Organisation, now: datetime
) -> datetime | None:
    """A typed time ("Monday 9am", "tomorrow 14:30", ISO), on the council's clock."""
    if typed is None or not typed.strip():
        return None
    return parse_local_time(
        typed, timezone=organisation.timezone, what="time to post", now=now
    )


async def _reach(
    session: AsyncSession,
    organisation: Organisation,
    typed: str | None,
    words: list[str],
) -> Reach:
    """Who a briefing is for: the channel, or a team or service named in words."""
    if not words:
        if typed is None or typed.strip().casefold() in _CHANNEL:
            return WORKFORCE
        words = typed.split()
    try:
        named = await read_names(
            session, organisation_id=organisation.id, words=words, groups_only=True
        )
    except NotFoundError as error:
        raise OptionsError(text.not_a_reach(str(error))) from None
    assert named.group is not None  # words were given, and only groups are read
    return Reach(named.group.kind.value, named.group.name)
