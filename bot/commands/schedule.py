"""Planning commands: campaign schedule, remind, pulse schedule, mute and unmute.

``remind`` plans a survey hour; ``mute`` and ``unmute`` are anyone's own reminders.

Times are the organisation's local time unless an offset is typed. Everything is
checked before anything is stored, and a refusal says what to change.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.commands import schedule_text as text
from bot.commands.naming import read_names, setting_free
from bot.commands.options import read_options
from bot.commands.progress import match_surveys, open_surveys
from bot.conversation.messages import Message, Notice, Tone
from survey.campaigns import Audience, find_campaign, open_campaigns
from survey.db import SessionFactory
from survey.errors import ScheduleError
from survey.models import Campaign, CampaignStatus, Organisation, Person
from survey.schedule.nudges import schedule_nudge
from survey.schedule.plans import parse_reminder_days, schedule_campaign
from survey.schedule.pulses import DEFAULT_TEMPLATE, create_pulse_schedule
from survey.schedule.reminders import set_muted
from survey.schedule.working_hours import local_words, parse_local_time

SCHEDULE_OPTIONS = ("opens", "closes", "remind")
PULSE_OPTIONS = (
    "every",
    "audience",
    "questions",
    "cooldown",
    "open",
    "template",
    "name",
    "start",
)
_AUDIENCE_KINDS = {
    "service": "services",
    "team": "teams",
    "role": "roles",
    "workforce": "workforce",
}
_EVERYONE = {"everyone", "all", "whole organisation", "organisation"}
# "every=4 weeks" as the brief words it; the unit word is optional.
_EVERY_UNIT = re.compile(r"(?i)\bevery=(\d+)\s*(?:weeks?|wks?|w)\b")


def _notice(words: str, tone: Tone = Tone.INFO) -> tuple[Message, ...]:
    return (Notice(words, tone),)


async def campaign_schedule_messages(
    sessions: SessionFactory,
    *,
    organisation: Organisation,
    args: tuple[str, ...],
    typed: str,
    now: datetime,
) -> tuple[Message, ...]:
    """``campaign schedule NAME opens=... closes=... remind=3,7,-1``."""
    options = read_options(typed, allowed=SCHEDULE_OPTIONS)
    name = " ".join(setting_free(args))
    closes = options.get("closes")
    if not name or not closes:
        return _notice(text.schedule_usage(), Tone.WARNING)
    zone = organisation.timezone
    opens = options.get("opens")
    opens_at = (
        parse_local_time(opens, timezone=zone, what="opening time", now=now)
        if opens
        else None
    )
    closes_at = parse_local_time(closes, timezone=zone, what="closing time", now=now)
    days = parse_reminder_days(options.get("remind") or "")
    async with sessions() as session, session.begin():
        campaign = await find_campaign(
            session, organisation_id=organisation.id, name=name, partial=True
        )
        reminders = await schedule_campaign(
            session,
            campaign=campaign,
            opens_at=opens_at,
            closes_at=closes_at,
            reminder_days=days,
            now=now,
        )
        assert campaign.opens_at is not None
        assert campaign.closes_at is not None
        words = text.campaign_scheduled(
            campaign.name,
            opens=local_words(campaign.opens_at, timezone=zone),
            closes=local_words(campaign.closes_at, timezone=zone),
            reminders=[local_words(r.at, timezone=zone) for r in reminders],
            already_open=campaign.status == CampaignStatus.OPEN,
        )
    return _notice(words, Tone.SUCCESS)


async def remind_messages(
    sessions: SessionFactory,
    *,
    organisation: Organisation,
    args: tuple[str, ...],
    typed: str,
    now: datetime,
) -> tuple[Message, ...]:
    """``remind team:NAME|service:NAME [campaign] at=...``: plan a survey hour."""
    options = read_options(typed, allowed=("at",))
    at = options.get("at")
    words = setting_free(args)
    if not at or not words:
        return _notice(text.remind_usage(), Tone.WARNING)
    zone = organisation.timezone
    when = parse_local_time(at, timezone=zone, what="time", now=now)
    async with sessions() as session, session.begin():
        named = await read_names(session, organisation_id=organisation.id, words=words)
        if named.group is None:
            return _notice(text.remind_needs_group(), Tone.WARNING)
        campaign = named.campaign or await _the_open_campaign(session, organisation)
        created = await schedule_nudge(
            session, campaign=campaign, group=named.group, at=when, now=now
        )
    words_at = local_words(when, timezone=zone)
    if not created:
        return _notice(text.nudge_already(named.group.name, campaign.name, words_at))
    return _notice(
        text.nudge_planned(named.group.name, campaign.name, words_at), Tone.SUCCESS
    )


async def _the_open_campaign(
    session: AsyncSession, organisation: Organisation
) -> Campaign:
    open_now = await open_campaigns(session, organisation_id=organisation.id)
    if len(open_now) == 1:
        return open_now[0]
    raise ScheduleError(text.which_campaign([campaign.name for campaign in open_now]))


async def mute_messages(
    sessions: SessionFactory,
    *,
    secret: bytes,
    person: Person,
    query: str,
    now: datetime,
    muted: bool,
) -> tuple[Message, ...]:
    """``mute [survey]`` / ``unmute [survey]``: the person's own reminders only."""
    async with sessions() as session, session.begin():
        surveys = [
            survey
            for survey in await open_surveys(
                session, secret=secret, person=person, now=now
            )
            if not survey.sent
        ]
        chosen = match_surveys(surveys, query) if query else surveys
        if not chosen:
            return _notice(text.nothing_to_mute(query, muted), Tone.WARNING)
        for survey in chosen:
            await set_muted(
                session, person=person, campaign=survey.campaign, muted=muted
            )
    names = [survey.campaign.name for survey in chosen]
    return _notice(text.muted(names) if muted else text.unmuted(names), Tone.SUCCESS)


async def pulse_schedule_messages(
    sessions: SessionFactory,
    *,
    organisation: Organisation,
    typed: str,
    now: datetime,
) -> tuple[Message, ...]:
    """``pulse schedule every=4 weeks audience=... questions=4 cooldown=14``."""
    options = read_options(_EVERY_UNIT.sub(r"every=\1", typed), allowed=PULSE_OPTIONS)
    every = options.get("every")
    if not every:
        return _notice(text.pulse_usage(), Tone.WARNING)
    zone = organisation.timezone
    start = options.get("start")
    questions = options.get("questions")
    audience = parse_audience(options.get("audience") or "everyone")
    async with sessions() as session, session.begin():
        schedule = await create_pulse_schedule(
            session,
            organisation_id=organisation.id,
            audience=audience,
            every_weeks=_whole(every, "every"),
            questions_per_pulse=_whole(questions, "questions") if questions else None,
            cooldown_days=_whole(options.get("cooldown") or "14", "cooldown"),
            open_days=_whole(options.get("open") or "7", "open"),
            template_key=options.get("template") or DEFAULT_TEMPLATE,
            name=options.get("name"),
            first_run_at=(
                parse_local_time(start, timezone=zone, what="first pulse", now=now)
                if start
                else None
            ),
            now=now,
        )
        words = text.pulse_scheduled(
            schedule.name,
            every_weeks=schedule.every_weeks,
            first=local_words(schedule.next_run_at, timezone=zone),
            audience=Audience.model_validate(schedule.audience).describe(),
            questions=schedule.questions_per_pulse,
            open_days=schedule.open_days,
            cooldown_days=schedule.cooldown_days,
        )
    return _notice(words, Tone.SUCCESS)


def parse_audience(typed: str) -> Audience:
    """Read ``service:Adults,team:Team A,role:social worker`` (or ``everyone``).

    Raises:
        ScheduleError: a part that is not ``kind:name``.
    """
    if typed.strip().casefold() in _EVERYONE:
        return Audience()
    chosen: dict[str, list[str]] = {field: [] for field in _AUDIENCE_KINDS.values()}
    for part in typed.split(","):
        kind, _, name = part.strip().partition(":")
        field = _AUDIENCE_KINDS.get(kind.strip().casefold())
        if field is None or not name.strip():
            raise ScheduleError(text.audience_usage(part.strip()))
        chosen[field].append(name.strip())
    return Audience.model_validate(chosen)


def _whole(typed: str, setting: str) -> int:
    try:
        return int(typed.strip())
    except ValueError:
        raise ScheduleError(text.whole_number(setting, typed)) from None
