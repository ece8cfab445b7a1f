"""``trends [pulse or template]``: how pulse results move from round to round.

For the PSW. Every figure comes through the results engine one round at a time,
so a round with too few responses shows nothing.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from analytics.trends import pulse_rounds, pulse_trends
from bot.commands import schedule_text as text
from bot.commands.access import Standing
from bot.commands.insights import UNKNOWN_CHANNEL, record_view
from bot.commands.insights_summary import trends_table
from bot.conversation.messages import Message, Notice
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
