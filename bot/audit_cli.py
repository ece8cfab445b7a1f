"""``healthcheck audit list``: who viewed or exported which results, and when."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.command_line import in_organisation
from survey.audit import list_events
from survey.errors import SurveyError
from survey.models import AuditEvent, Organisation

audit_app = typer.Typer(
    help="The audit log of results viewed and exported.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

COLUMNS = ("When", "Who", "Where", "What", "Which results")
WIDEST = 60


class AuditOptionError(SurveyError):
    """An option of ``audit list`` that cannot be read."""


def parse_since(value: str) -> datetime:
    """The start of the day ``YYYY-MM-DD`` (UTC until the organisation is known)."""
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise AuditOptionError(
            f"--since must be a date like 2026-03-01, not '{value}'."
        ) from None
    return datetime.combine(day, time(), tzinfo=UTC)


def audit_table(events: Sequence[AuditEvent], *, timezone: str = "UTC") -> str:
    """The events as an aligned plain-text table, newest first.

    Times are on the organisation's clock (``timezone``), as the heading says.
    """
    if not events:
        return "No results have been viewed or exported in that time."
    zone = ZoneInfo(timezone)
    columns = (f"When ({timezone})", *COLUMNS[1:])
    rows: list[tuple[str, ...]] = [
        tuple(
            _fit(cell)
            for cell in (
                f"{event.at.astimezone(zone):%Y-%m-%d %H:%M}",
                event.actor,
                event.channel,
                event.action,
                event.subject,
            )
        )
        for event in events
    ]
    widths = [max(len(row[n]) for row in [columns, *rows]) for n in range(len(columns))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [columns, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fit(cell: str) -> str:
    """One line, at most ``WIDEST`` characters (control characters shown as ?)."""
    flat = "".join(ch if ch.isprintable() else "?" for ch in cell)
    return flat if len(flat) <= WIDEST else flat[: WIDEST - 1] + "…"


@audit_app.command("list")
def audit_list(
    org: Annotated[
        str | None,
        typer.Option("--org", help="Organisation slug (default from settings)."),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only from this day, YYYY-MM-DD.")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", help="At most this many, newest first.")
    ] = 50,
) -> None:
    """List who viewed or exported which results, newest first."""
    start = parse_since(since) if since is not None else None
    if limit < 1:
        raise AuditOptionError(f"--limit must be 1 or more, not {limit}.")

    async def listed(
        session: AsyncSession, organisation: Organisation
    ) -> tuple[Sequence[AuditEvent], str]:
        # --since is a day on the organisation's own clock.
        local = (
            start.replace(tzinfo=ZoneInfo(organisation.timezone))
            if start is not None
            else None
        )
        events = await list_events(
            session, organisation_id=organisation.id, since=local, limit=limit
        )
        return events, organisation.timezone

    events, timezone = in_organisation(org, listed, writes=False)
    typer.echo(audit_table(events, timezone=timezone))
