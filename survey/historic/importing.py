"""Importing an earlier round from the old survey tool, so year-on-year works at once.

Councils ran the health check as a web survey for years. An export of one of
those rounds (CSV or XLSX, a row per respondent and a column per question) is
read by :mod:`survey.historic.file`, checked in full by
:mod:`survey.historic.check`, and only then stored here as a closed campaign
whose responses look like any other: a random id, the date only, and the roster
attributes the row gave. Nothing from the old tool that could identify a person
is stored; its respondent ids are used only to find duplicates.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.campaigns import Audience, create_campaign, find_campaign
from survey.comment_queue import queue_comment_analysis
from survey.errors import CampaignStateError, HistoricImportError, NotFoundError
from survey.historic.check import CheckedResponses, HistoricResponse, check_responses
from survey.historic.columns import ATTRIBUTE_COLUMNS
from survey.historic.dates import date_format as date_format_of
from survey.historic.file import (
    MAX_FILE_BYTES,
    ResponseTable,
    read_mapping,
    read_table,
)
from survey.historic.invited import invited_ids, read_invited
from survey.historic.replacing import imported_record, remove_answers
from survey.models import (
    Answer,
    Campaign,
    CampaignStatus,
    Comment,
    Organisation,
    Response,
    Service,
    Team,
    Template,
)
from survey.models.columns import utcnow
from survey.questions.bank import TemplateDefinition
from survey.questions.catalogue import definition_of, latest_template
from survey.questions.definitions import Scale

__all__ = [
    "ATTRIBUTE_COLUMNS",
    "IMPORTED",
    "CheckedResponses",
    "HistoricResponse",
    "ImportReport",
    "check_responses",
    "import_responses",
    "read_mapping",
    "read_table",
]

IMPORTED = "imported"
"""The key under ``campaign.audience`` recording where an imported round came from."""
CAMPAIGN_NAME_LIMIT = 120


@dataclass
class ImportReport:
    """What an import stored, or that the same file had been imported before."""

    campaign: str
    year: int
    responses: int
    answers: int = 0
    comments: int = 0
    invited: int | None = None
    dropped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    already_imported: bool = False
    replaced: int | None = None

    def summary(self) -> str:
        """Describe the import in a few lines for the command line."""
        if self.already_imported:
            return (
                f"'{self.campaign}' was already imported from this file "
                f"({_plural(self.responses, 'response')}); nothing was changed."
            )
        lines = []
        if self.replaced is not None:
            lines.append(
                f"Removed the {_plural(self.replaced, 'response')} imported before "
                f"as '{self.campaign}'."
            )
        lines += [
            f"Imported {_plural(self.responses, 'response')} as '{self.campaign}' "
            f"({self.year}, closed): {_plural(self.answers, 'answer')} and "
            f"{_plural(self.comments, 'comment')}."
        ]
        if self.invited:
            rate = 100 * self.responses / self.invited
            lines.append(f"{self.invited:,} were invited: a {rate:.0f}% response rate.")
        if self.dropped:
            listed = ", ".join(f"{key} ({n})" for key, n in self.dropped.items())
            lines.append(
                f"Left out {_plural(sum(self.dropped.values()), 'answer')} to "
                f"questions that did not apply, given the other answers: {listed}."
            )
        lines += [f"Note: {warning}." for warning in self.warnings]
        return "\n".join(lines)


async def import_responses(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    path: Path,
    template_key: str,
    campaign_name: str,
    year: int,
    mapping_path: Path | None = None,
    invited: int | None = None,
    date_format: str | None = None,
    replace: bool = False,
    invited_path: Path | None = None,
) -> ImportReport:
    """Store an earlier round's export as a closed campaign, or explain why not.

    The whole file is checked before anything is written, and everything is
    written in the caller's transaction. The campaign records a sha256 of the
    file's cells, the number of responses and ``invited`` under
    ``audience["imported"]``; importing the same cells under the same name again
    changes nothing and says so.

    Responses get random ids and are written in a random order, so neither the
    ids nor the order rows were stored in follow the file. A ``respondent_id``
    column is used only to find duplicates and is never stored; nor is any
    column mapped to ``ignore``, nor the time of day of a submission.

    Args:
        session: The session whose transaction the import joins.
        organisation_id: The organisation whose round this was.
        path: The export: CSV (UTF-8) or XLSX.
        template_key: The template the round used; its newest version is used.
        campaign_name: The name of the campaign to create.
        year: The round's reporting year; missing dates become 31 March of it.
        mapping_path: A mapping of the export's own headings to question ids.
        invited: How many people were invited, for the response rate.
        date_format: How slashed dates are written (``DD/MM/YYYY`` or
            ``MM/DD/YYYY``); None works it out from the date column.
        replace: Replace the answers of an earlier import under the same name
            (only an imported round; its actions stay linked to it).
        invited_path: A CSV of invitation counts per team or service.

    Returns:
        What was stored.

    Raises:
        HistoricImportError: listing every problem in the file; nothing written.
        CampaignStateError: the name is taken by a campaign not from this file.
        NotFoundError: no such organisation or template.

    """
    name = campaign_name.strip()
    if not name or len(name) > CAMPAIGN_NAME_LIMIT:
        raise CampaignStateError(
            f"A campaign needs a name of 1 to {CAMPAIGN_NAME_LIMIT} characters."
        )
    order = date_format_of(date_format) if date_format else None
    table = await asyncio.to_thread(_read_export, path)
    counts = None
    if invited_path is not None:
        counts_data = await asyncio.to_thread(_read_bytes, invited_path)
        counts = read_invited(counts_data, name=invited_path.name)
        invited = invited or counts.total()
    mapping = None
    if mapping_path is not None:
        mapping_data = await asyncio.to_thread(_read_bytes, mapping_path)
        mapping = read_mapping(mapping_data, name=mapping_path.name)
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFoundError(f"there is no organisation with id {organisation_id}")
    template = await latest_template(session, key=template_key)
    fingerprint = table.fingerprint()
    existing = await _same_name(session, organisation_id, name)
    if existing is not None and not replace:
        return await _already_imported(session, existing, fingerprint, template, year)
    if existing is not None:
        imported_record(existing)  # refuses a round that was run here
    definition = definition_of(template)
    teams = await _teams(session, organisation_id)
    services = await _services(session, organisation_id)
    invited_by = invited_ids(counts, teams, services) if counts else {}
    zone = ZoneInfo(organisation.timezone)
    checked = await asyncio.to_thread(
        check_responses,
        table,
        definition=definition,
        year=year,
        today=datetime.now(zone).date(),
        teams={team: service for team, (_, service, _) in teams.items()},
        services=list(services),
        mapping=mapping,
        invited=invited,
        date_order=order,
    )
    warnings = [*checked.warnings]
    warnings += await _same_year(session, organisation_id, template_key, year, name)
    replaced = None
    if existing is not None:
        replaced = await remove_answers(session, campaign=existing)
        campaign = existing
        campaign.template_id = template.id
        campaign.year = year
        campaign.audience = {}
    else:
        campaign = await create_campaign(
            session,
            organisation_id=organisation_id,
            template_key=template_key,
            name=name,
            year=year,
            audience=Audience(),
        )
    days = [response.submitted_on for response in checked.responses]
    campaign.status = CampaignStatus.CLOSED
    campaign.opens_at = _midnight(min(days), zone)
    campaign.closes_at = _midnight(max(days) + timedelta(days=1), zone)
    campaign.audience = {
        **campaign.audience,
        IMPORTED: {
            "sha256": fingerprint,
            "rows": len(checked.responses),
            "invited": invited,
            **invited_by,
            "source": path.name,
            "imported_on": utcnow().date().isoformat(),
        },
    }
    session.add(campaign)
    report = ImportReport(
        campaign=name,
        year=year,
        responses=len(checked.responses),
        invited=invited,
        dropped=checked.dropped,
        warnings=warnings,
        replaced=replaced,
    )
    await _write(
        session, campaign, definition, checked.responses, teams, services, report
    )
    return report


def _read_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            size = f"{MAX_FILE_BYTES // 1_000_000} MB"
            raise HistoricImportError([f"{path.name} is larger than {size}"])
        return path.read_bytes()
    except FileNotFoundError:
        raise HistoricImportError([f"{path}: no such file"]) from None
    except IsADirectoryError:
        raise HistoricImportError([f"{path}: is a folder, not a file"]) from None
    except OSError as error:
        raise HistoricImportError(
            [f"{path}: cannot be read ({error.strerror})"]
        ) from None


def _read_export(path: Path) -> ResponseTable:
    return read_table(_read_bytes(path))


async def _same_name(
    session: AsyncSession, organisation_id: uuid.UUID, name: str
) -> Campaign | None:
    try:
        return await find_campaign(session, organisation_id=organisation_id, name=name)
    except NotFoundError:
        return None


async def _already_imported(
    session: AsyncSession,
    campaign: Campaign,
    fingerprint: str,
    template: Template,
    year: int,
) -> ImportReport:
    """Say the import was done before, or refuse to touch another campaign."""
    record = campaign.audience.get(IMPORTED)
    stored = await session.get(Template, campaign.template_id)
    same_round = stored is not None and stored.key == template.key
    if not isinstance(record, dict):
        raise CampaignStateError(
            f"There is already a campaign called '{campaign.name}', and it was not "
            "imported; nothing was imported. Choose another campaign name."
        )
    if record.get("sha256") != fingerprint:
        raise CampaignStateError(
            f"'{campaign.name}' was imported from a different file "
            f"({record.get('source')}, {record.get('rows')} responses); an imported "
            "round is never added to or replaced, so nothing was imported. Choose "
            "another campaign name."
        )
    if not same_round or campaign.year != year:
        raise CampaignStateError(
            f"'{campaign.name}' was imported from this file as the "
            f"{campaign.year} round of {stored.key if stored else 'another template'}"
            "; nothing was imported."
        )
    return ImportReport(
        campaign=campaign.name,
        year=campaign.year,
        responses=int(record.get("rows", 0)),
        invited=record.get("invited"),
        already_imported=True,
    )


async def _teams(
    session: AsyncSession, organisation_id: uuid.UUID
) -> dict[str, tuple[uuid.UUID, str, uuid.UUID]]:
    """Team name -> (team id, service name, service id)."""
    rows = await session.exec(
        select(Team, Service)
        .join(Service, col(Service.id) == col(Team.service_id))
        .where(Team.organisation_id == organisation_id)
    )
    return {team.name: (team.id, service.name, service.id) for team, service in rows}


async def _services(
    session: AsyncSession, organisation_id: uuid.UUID
) -> dict[str, uuid.UUID]:
    rows = await session.exec(
        select(Service).where(Service.organisation_id == organisation_id)
    )
    return {service.name: service.id for service in rows}


async def _same_year(
    session: AsyncSession,
    organisation_id: uuid.UUID,
    template_key: str,
    year: int,
    name: str,
) -> list[str]:
    names = (
        await session.exec(
            select(Campaign.name)
            .join(Template, col(Template.id) == col(Campaign.template_id))
            .where(
                Campaign.organisation_id == organisation_id,
                Campaign.year == year,
                Template.key == template_key,
                Campaign.name != name,
            )
        )
    ).all()
    return [
        f"'{name}' is also a {year} round of {template_key}; year-on-year figures "
        "compare with the one created last"
        for name in names
    ]


async def _write(
    session: AsyncSession,
    campaign: Campaign,
    definition: TemplateDefinition,
    responses: list[HistoricResponse],
    teams: dict[str, tuple[uuid.UUID, str, uuid.UUID]],
    services: dict[str, uuid.UUID],
    report: ImportReport,
) -> None:
    """Store the responses in random order, then their answers and comments."""
    scales = {question.id: question.scale for question in definition.questions}
    rows: list[tuple[Response, HistoricResponse]] = []
    for checked in random.SystemRandom().sample(responses, len(responses)):
        team = teams[checked.team] if checked.team else None
        rows.append(
            (
                Response(
                    campaign_id=campaign.id,
                    submitted_on=checked.submitted_on,
                    team_id=team[0] if team else None,
                    service_id=services.get(checked.service or ""),
                    role=checked.role,
                    workforce=checked.workforce,
                    employment_type=checked.employment_type,
                ),
                checked,
            )
        )
    session.add_all([response for response, _ in rows])
    await session.flush()
    stored: list[Answer | Comment] = []
    for response, checked in rows:
        for key, value in checked.answers.items():
            if scales[key] == Scale.TEXT and isinstance(value, str):
                special = definition.question(key).special_options()
                if value not in {option.value for option in special}:
                    stored.append(
                        Comment(response_id=response.id, question_key=key, text=value)
                    )
                    report.comments += 1
                    continue
            stored.append(_answer_row(response.id, key, value))
            report.answers += 1
    session.add_all(stored)
    await session.flush()
    if report.comments:
        await queue_comment_analysis(
            session,
            campaign_id=campaign.id,
            organisation_id=campaign.organisation_id,
            now=utcnow(),
        )


def _answer_row(response_id: uuid.UUID, key: str, value: object) -> Answer:
    if isinstance(value, list):
        return Answer(response_id=response_id, question_key=key, choices=value)
    if isinstance(value, int):
        return Answer(response_id=response_id, question_key=key, number=value)
    return Answer(response_id=response_id, question_key=key, option=str(value))


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
