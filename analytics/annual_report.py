"""One campaign's annual report as ``healthcheck report`` writes it, from a session.

The command line and the PSW's workspace both build it here, so a download from
the browser holds exactly what the command writes: the report's figures (which
passed the disclosure gate), its actions and its comparison figures.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel.ext.asyncio.session import AsyncSession

from survey.models import Campaign

if TYPE_CHECKING:  # pandas loads only when a report is built
    from analytics.report import Report


async def annual_report(
    session: AsyncSession, *, campaign: Campaign, compare: Path | None = None
) -> Report:
    """Build ``campaign``'s report with its actions and comparison figures.

    Args:
        session: Any session (only reads).
        campaign: The campaign reported on.
        compare: A CSV of a council's own comparison figures, if any.
    """
    from analytics.benchmarks import comparison_figures
    from analytics.report import build_report
    from analytics.report_actions import report_actions
    from survey.questions.catalogue import template_definition

    actions = await report_actions(session, campaign=campaign)
    definition = await template_definition(session, template_id=campaign.template_id)
    figures = comparison_figures(definition, council_file=compare)
    return await build_report(
        session, campaign=campaign, actions=actions, benchmarks=figures
    )
