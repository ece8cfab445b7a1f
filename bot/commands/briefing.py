"""``brief``: the PSW posts a briefing now or later, optionally asking for feedback.

``brief title="..." body="..." [link=https://...] [feedback=yes]
[at=2026-12-01T09:30] [to=channel|team:NAME|service:NAME]``. Times are the
organisation's local time. Everything is checked before anything is stored.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.commands import follow_up_text as text
from bot.commands.options import OptionsError, read_options
from bot.conversation.messages import Message, Notice, Tone
from survey.db import SessionFactory
from survey.follow_up.announcements import WORKFORCE, Reach
from survey.follow_up.briefings import create_briefing
from survey.models import Organisation

BRIEF_OPTIONS = ("title", "body", "link", "feedback", "at", "to")
_YES = {"yes", "y", "true", "on"}
_NO = {"no", "n", "false", "off"}
_REACHES = ("team", "service")


async def brief_messages(
    sessions: SessionFactory,
    *,
    organisation: Organisation,
    typed: str,
    now: datetime,
    platforms: tuple[str, ...],
) -> tuple[Message, ...]:
    """Post or schedule a briefing and say what happened."""
    options = read_options(typed, allowed=BRIEF_OPTIONS)
    if not options.has("title") or not options.has("body"):
        return (Notice(text.brief_needs(), Tone.WARNING),)
    feedback = _yes_or_no(options.get("feedback"))
    zone = ZoneInfo(organisation.timezone)
    at = _local_time(options.get("at"), zone)
    reach = _reach(options.get("to"))
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


def _local_time(typed: str | None, zone: ZoneInfo) -> datetime | None:
    """A typed time, read in the organisation's time zone unless it names one."""
    if typed is None or not typed.strip():
        return None
    cleaned = typed.strip()
    if "T" not in cleaned.upper() and " " not in cleaned:
        raise OptionsError(text.not_a_time(typed))
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise OptionsError(text.not_a_time(typed)) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment


def _reach(typed: str | None) -> Reach:
    if typed is None or typed.strip().casefold() in ("", "channel", "workforce"):
        return WORKFORCE
    kind, _, name = typed.partition(":")
    kind = kind.strip().casefold()
    if kind not in _REACHES or not name.strip():
        raise OptionsError(text.not_a_reach(typed))
    return Reach(kind, name.strip())
