"""Everything an organisation holds, as records fit to leave the system.

The council's own data (roster, templates, campaigns, actions, announcements,
targets, the audit log) is exported as stored. Results leave only as the annual
report shows them: every figure comes from :func:`analytics.report.build_report`,
so a suppressed cell is absent here too, and comments appear only as the
report's redacted quotes. Response rows, drafts, keys and tokens never leave.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from analytics.org_records import (
    Record,
    action_records,
    announcement_records,
    campaign_records,
    pulse_schedule_records,
    roster_records,
    target_records,
    template_records,
    when,
)
from analytics.report import Report, build_report
from analytics.writers.csv import COLUMNS, records
from survey.audit import list_events
from survey.errors import SurveyError
from survey.models import Campaign, CampaignStatus, Organisation

SCHEMA_VERSION = 1

ABSENT = (
    "Individual responses and answers: results are exported only as the annual "
    "report shows them, so no group smaller than the minimum group size (or "
    "hidden so it cannot be worked out by subtraction) has any figure here.",
    "Comments as written: only the report's redacted quotes, for groups large "
    "enough to show, are included.",
    "Who took part: participation is given as counts and rates per group, never "
    "as names.",
    "Answers in progress (drafts), the key that protects them, personal sign-in "
    "links, and Slack or Teams tokens and account ids: they are secrets or "
    "links to a chat platform, not the council's records.",
)


@dataclass(frozen=True)
class OrgExport:
    """The records of one organisation, one list per file.

    Attributes:
        organisation: Whose records these are.
        generated_at: When they were read.
        files: File stem (``people``) to its records, in a stable order.
    """

    organisation: Organisation
    generated_at: datetime
    files: dict[str, list[Record]]

    def manifest(self) -> Record:
        """What the export holds: schema, organisation, counts and what is absent."""
        return {
            "schema_version": SCHEMA_VERSION,
            "organisation": {
                "slug": self.organisation.slug,
                "name": self.organisation.name,
            },
            "generated_at": self.generated_at.isoformat(),
            "min_group_size": self.organisation.min_group_size,
            "counts": {f"{name}.json": len(rows) for name, rows in self.files.items()},
            "readme": (
                "One JSON file per kind of record, each a list of objects. Results "
                "are the annual report's figures, already through suppression; a "
                "hidden figure has value null and a hidden_reason. Deliberately "
                "absent: " + " ".join(ABSENT)
            ),
        }


async def collect_export(
    session: AsyncSession, *, organisation: Organisation, now: datetime
) -> OrgExport:
    """Read every record of ``organisation`` that may leave, results suppressed.

    Args:
        session: A session; nothing is written.
        organisation: Whose records to read.
        now: The time to stamp on the export.
    """
    org_id = organisation.id
    campaigns = list(
        await session.exec(
            select(Campaign)
            .where(Campaign.organisation_id == org_id)
            .order_by(col(Campaign.year), col(Campaign.name))
        )
    )
    names = {c.id: c.name for c in campaigns}
    files = await roster_records(session, organisation=organisation)
    templates, questions = await template_records(session, campaigns=campaigns)
    files["templates"] = templates
    files["questions"] = questions
    files["pulse_schedules"] = await pulse_schedule_records(
        session, organisation_id=org_id
    )
    files["campaigns"] = await campaign_records(session, campaigns=campaigns)
    files.update(await _results(session, campaigns))
    files["actions"] = await action_records(
        session, organisation_id=org_id, campaigns=names
    )
    files["announcements"] = await announcement_records(
        session, organisation_id=org_id, campaigns=names
    )
    files["targets"] = await target_records(session, organisation_id=org_id)
    events = await list_events(session, organisation_id=org_id, limit=None)
    files["audit_log"] = [
        {
            "at": when(event.at),
            "actor": event.actor,
            "channel": event.channel,
            "action": event.action,
            "subject": event.subject,
        }
        for event in events
    ]
    return OrgExport(organisation, now, files)


async def _results(
    session: AsyncSession, campaigns: Sequence[Campaign]
) -> dict[str, list[Record]]:
    """Each campaign's report: figures, participation and comment themes."""
    results: list[Record] = []
    participation: list[Record] = []
    themes: list[Record] = []
    for campaign in campaigns:
        if campaign.status == CampaignStatus.DRAFT:
            continue
        report = await build_report(session, campaign=campaign)
        results += _figures(report)
        participation += [
            {
                "campaign": campaign.name,
                "group": rate.label,
                "invited": rate.invited if rate.rate is not None else None,
                "responded": rate.responded if rate.rate is not None else None,
                "rate": rate.rate,
                "hidden_reason": rate.hidden if rate.rate is None else None,
            }
            for rate in report.response_rates
        ]
        themes += [
            {
                "campaign": campaign.name,
                "theme": theme.theme,
                "label": theme.label,
                "comments": theme.comments,
                "positive": theme.positive,
                "neutral": theme.neutral,
                "negative": theme.negative,
                "quotes_redacted": list(theme.quotes),
            }
            for theme in report.themes
        ]
    return {
        "results": results,
        "participation": participation,
        "comment_themes": themes,
    }


def _figures(report: Report) -> Iterator[Record]:
    """The report's figures (as its CSV has them) other than rates and themes."""
    for row in records(report):
        record = dict(zip(COLUMNS, row, strict=True))
        key = str(record["question_id"])
        if key.startswith(("RESPONSE_RATE", "THEME:")):
            continue
        hidden = record.pop("hidden_reason") or None
        yield {
            "campaign": report.campaign,
            **record,
            "value": None if hidden else record["value"],
            "change": None if record["change"] == "" else record["change"],
            "hidden_reason": hidden,
        }


class ExportPathError(SurveyError):
    """The export cannot be written where it was asked to go."""


def check_destination(path: Path) -> None:
    """Refuse a path the export could not be written to, before any work.

    Raises:
        ExportPathError: The folder is missing or not writable, the path is a
            folder, or it does not end in ``.zip``.
    """
    if path.suffix.lower() != ".zip":
        raise ExportPathError(f"{path}: the export is a zip file; name it *.zip.")
    if path.is_dir():
        raise ExportPathError(f"{path} is a folder; give a file name ending .zip.")
    folder = path.parent
    if not folder.is_dir():
        raise ExportPathError(f"{path}: there is no folder {folder}.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportPathError(f"{path}: the folder {folder} is not writable.")


def write_export(export: OrgExport, path: Path) -> Path:
    """Write ``manifest.json`` and one JSON file per record kind into a zip.

    The zip is written beside ``path`` under a temporary name and moved into
    place only when complete, so a failure leaves no partial file.

    Raises:
        ExportPathError: The file could not be written.
    """
    check_destination(path)
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=".export-", suffix=".zip", dir=path.parent
        )
    except OSError as error:
        raise ExportPathError(f"{path}: cannot write ({error.strerror}).") from None
    try:
        with (
            os.fdopen(handle, "wb") as raw,
            zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            archive.writestr("manifest.json", _json(export.manifest()))
            for name, rows in export.files.items():
                archive.writestr(f"{name}.json", _json(rows))
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise ExportPathError(f"{path}: cannot write ({error.strerror}).") from None
    return path


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
