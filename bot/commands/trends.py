"""``trends [pulse or template]``: how pulse results move from round to round.

For the PSW. Every figure comes through the results engine one round at a time,
so a round with too few responses shows nothing.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from analytics.trends import PulseTrends, TrendCell, pulse_rounds, pulse_trends
from bot.commands import schedule_text as text
from bot.commands.access import Standing
from bot.commands.insights import UNKNOWN_CHANNEL, record_view
from bot.conversation.messages import Message, Notice, SummaryTable
from survey.db import SessionFactory
from survey.models import Campaign, Organisation, PulseSchedule
from survey.questions.catalogue import latest_template
from survey.schedule.pulses import DEFAULT_TEMPLATE


async def trends_messages(
    sessions: SessionFactory,
    *,
    organisation: Organisation,
    args: tuple[str, ...],
    standing: Standing | None = None,
    channel: str = UNKNOWN_CHANNEL,
) -> tuple[Message, ...]:
    """The trends table for a recurring pulse (by name) or a template (by key).

    With ``standing`` (who asked) the view is written to the audit log.
    """
    asked = " ".join(args).strip() or DEFAULT_TEMPLATE
    async with sessions() as session, session.begin():
        title, campaigns = await _rounds(session, organisation, asked)
        if not campaigns:
            return (Notice(text.no_rounds_yet(title)),)
        trends = await pulse_trends(session, title=title, campaigns=campaigns)
        if standing is not None:
            await record_view(
                session,
                standing=standing,
                channel=channel,
                action="trends.viewed",
                subject=f"{title} · {len(campaigns)} rounds · whole organisation",
            )
    return (trends_table(trends),)


async def _rounds(
    session: AsyncSession, organisation: Organisation, asked: str
) -> tuple[str, list[Campaign]]:
    schedule = (
        await session.exec(
            select(PulseSchedule).where(
                PulseSchedule.organisation_id == organisation.id,
                func.lower(PulseSchedule.name) == asked.casefold(),
            )
        )
    ).first()
    if schedule is not None:
        campaigns = await pulse_rounds(
            session, organisation_id=organisation.id, schedule_id=schedule.id
        )
        return schedule.name, campaigns
    template = await latest_template(session, key=asked)
    campaigns = await pulse_rounds(
        session, organisation_id=organisation.id, template_key=template.key
    )
    return template.title, campaigns


def trends_table(trends: PulseTrends) -> SummaryTable:
    """The trends as one table: responses, questions, then standard scores."""
    heads = tuple(
        f"{label.opened_on.day} {label.opened_on:%b}"
        if label.opened_on
        else label.campaign
        for label in trends.rounds
    )
    rows = [
        (
            text.RESPONSES_ROW,
            *(
                str(label.respondents) if label.respondents is not None else "-"
                for label in trends.rounds
            ),
        )
    ]
    rows += [
        (f"{row.key} {row.label}", *(_cell(cell, "%") for cell in row.cells))
        for row in trends.questions
    ]
    rows += [
        (
            text.standard_row(row.key, row.label),
            *(_cell(cell, "") for cell in row.cells),
        )
        for row in trends.standards
    ]
    return SummaryTable(
        title=text.trends_title(trends.title),
        columns=(text.TRENDS_FIRST_COLUMN, *heads),
        rows=tuple(rows),
        note=text.trends_note(trends.min_group_size),
    )


def _cell(cell: TrendCell, unit: str) -> str:
    return "-" if cell.value is None else f"{cell.value:.0f}{unit}"
