"""``healthcheck campaign schedule`` and ``healthcheck pulse schedule``.

Times are the organisation's local time unless they carry an offset. Mistakes
raise SurveyError, which ``healthcheck`` prints as one line with exit code 1.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated, TypeVar

import typer
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.command_line import in_organisation
from bot.commands import schedule_text as text
from survey.campaigns import Audience, find_campaign
from survey.models import CampaignStatus, Organisation
from survey.schedule.plans import parse_reminder_days, schedule_campaign
from survey.schedule.pulses import DEFAULT_TEMPLATE, create_pulse_schedule
from survey.schedule.working_hours import local_words, parse_local_time

T = TypeVar("T")

schedule_app = typer.Typer(help="Plan a campaign's opening, closing and reminders.")
pulse_app = typer.Typer(help="Recurring pulse checks.", no_args_is_help=True)

OrgOption = Annotated[
    str | None, typer.Option("--org", help="Organisation slug (default from settings).")
]


@pulse_app.callback()
def pulse_group() -> None:
    """Recurring pulse checks."""
    # A callback keeps `schedule` a subcommand while it is the only one.


def _with_organisation(
    org: str | None, work: Callable[[AsyncSession, Organisation], Awaitable[T]]
) -> T:
    """Run ``work`` in one transaction on a database at the newest migration."""
    return in_organisation(org, work)


@schedule_app.command("schedule")
def campaign_schedule(
    name: Annotated[
        str, typer.Argument(help="The campaign, e.g. 'Health check 2026'.")
    ],
    closes: Annotated[
        str, typer.Option(help="Closing time, e.g. 2026-12-21T17:00 (local time).")
    ],
    opens: Annotated[
        str | None,
        typer.Option(help="Opening time, e.g. 2026-12-01T09:00 (not for open ones)."),
    ] = None,
    remind: Annotated[
        str,
        typer.Option(help="Reminder days: 3 = day 3, -1 = the day before closing."),
    ] = "",
    org: OrgOption = None,
) -> None:
    """Plan when a campaign opens, closes and reminds; replaces any earlier plan."""
    days = parse_reminder_days(remind)
    now = datetime.now(UTC)

    async def work(session: AsyncSession, organisation: Organisation) -> str:
        zone = organisation.timezone
        opens_at = (
            parse_local_time(opens, timezone=zone, what="opening time")
            if opens
            else None
        )
        closes_at = parse_local_time(closes, timezone=zone, what="closing time")
        campaign = await find_campaign(
            session, organisation_id=organisation.id, name=name
        )
        was_open = campaign.status == CampaignStatus.OPEN
        reminders = await schedule_campaign(
            session,
            campaign=campaign,
            opens_at=opens_at,
            closes_at=closes_at,
            reminder_days=days,
            now=now,
        )
        assert campaign.opens_at is not None
        return text.campaign_scheduled(
            campaign.name,
            opens=local_words(campaign.opens_at, timezone=zone),
            closes=local_words(closes_at, timezone=zone),
            reminders=[local_words(r.at, timezone=zone) for r in reminders],
            already_open=was_open,
        )

    typer.echo(_with_organisation(org, work))


@pulse_app.command("schedule")
def pulse_schedule(
    every: Annotated[int, typer.Option(help="Weeks between pulses.")],
    questions: Annotated[
        int | None, typer.Option(help="Questions per pulse (they rotate).")
    ] = None,
    cooldown: Annotated[
        int, typer.Option(help="Leave out people in a health check this many days.")
    ] = 14,
    open_days: Annotated[
        int, typer.Option("--open", help="Days each pulse stays open.")
    ] = 7,
    template: Annotated[str, typer.Option(help="A pulse template.")] = DEFAULT_TEMPLATE,
    name: Annotated[str | None, typer.Option(help="What to call it.")] = None,
    start: Annotated[
        str | None, typer.Option(help="First pulse, e.g. 2026-12-01T09:00.")
    ] = None,
    service: Annotated[
        list[str] | None, typer.Option(help="Limit to a service.")
    ] = None,
    team: Annotated[list[str] | None, typer.Option(help="Limit to a team.")] = None,
    role: Annotated[list[str] | None, typer.Option(help="Limit to a role.")] = None,
    workforce: Annotated[
        list[str] | None, typer.Option(help="social_work or wider_workforce.")
    ] = None,
    org: OrgOption = None,
) -> None:
    """Start a recurring pulse check with rotating questions and a cool-down."""
    audience = Audience(
        services=service or [],
        teams=team or [],
        roles=role or [],
        workforce=workforce or [],
    )
    now = datetime.now(UTC)

    async def work(session: AsyncSession, organisation: Organisation) -> str:
        zone = organisation.timezone
        first = (
            parse_local_time(start, timezone=zone, what="first pulse")
            if start
            else None
        )
        schedule = await create_pulse_schedule(
            session,
            organisation_id=organisation.id,
            audience=audience,
            every_weeks=every,
            questions_per_pulse=questions,
            cooldown_days=cooldown,
            open_days=open_days,
            template_key=template,
            name=name,
            first_run_at=first,
            now=now,
        )
        return text.pulse_scheduled(
            schedule.name,
            every_weeks=schedule.every_weeks,
            first=local_words(schedule.next_run_at, timezone=zone),
            audience=Audience.model_validate(schedule.audience).describe(),
            questions=schedule.questions_per_pulse,
            open_days=schedule.open_days,
            cooldown_days=schedule.cooldown_days,
        )

    typer.echo(_with_organisation(org, work))
