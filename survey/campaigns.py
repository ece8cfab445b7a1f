"""Campaign lifecycle: create from a template for an audience, open, close."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.errors import CampaignClosedError, CampaignStateError, NotFoundError
from survey.matching import did_you_mean, match_name
from survey.models import (
    Campaign,
    CampaignStatus,
    Participation,
    Person,
    Service,
    Team,
    Template,
)
from survey.questions.catalogue import latest_template
from survey.response_pool import drain_pool
from survey.roster.roles import Workforce, get_role, normalise_code, workforce_of
from survey.sent_answers import seal_sent_answers

# The size of campaign.name in survey.models.campaigns.
MAX_NAME_LENGTH = 120


class Audience(BaseModel):
    """Who a campaign is for. Empty lists mean "everyone" for that attribute.

    A person is in the audience when they are active, in one of ``services`` or
    ``teams`` (if either is given), and their role and workforce match.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    services: list[str] = Field(default_factory=list)
    teams: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    workforce: list[str] = Field(default_factory=list)
    imported: dict[str, Any] | None = Field(
        default=None, description="for an imported historic round: its provenance"
    )

    def describe(self) -> str:
        """The audience in words, e.g. "Adults; social_work"."""
        if self.imported:
            source = self.imported.get("source") or "another tool's export"
            return f"imported from {source}"
        groups = self.model_dump(exclude={"imported"}).values()
        parts = [", ".join(group) for group in groups if group]
        return "; ".join(parts) or "the whole organisation"


async def create_campaign(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    template_key: str,
    name: str,
    year: int,
    audience: Audience,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
) -> Campaign:
    """Create a draft campaign of the newest version of a template.

    Roles and workforces may be typed as people say them ("Senior social worker",
    "SSW", "Social work"); they are stored as codes.

    Raises:
        NotFoundError: unknown template, service, team, role or workforce.
        CampaignStateError: a blank, too long or duplicate name, or a close
            before the open.
    """
    name = name.strip()
    if not name:
        raise CampaignStateError("A survey needs a name.")
    if len(name) > MAX_NAME_LENGTH:
        raise CampaignStateError(
            f"A survey name can be at most {MAX_NAME_LENGTH} characters."
        )
    if await _find_by_name(session, organisation_id=organisation_id, name=name):
        raise CampaignStateError(f"There is already a survey called '{name}'.")
    if opens_at and closes_at and closes_at <= opens_at:
        raise CampaignStateError("The closing time must be after the opening time.")
    template = await latest_template(session, key=template_key)
    await _check_audience_names(
        session, organisation_id=organisation_id, audience=audience
    )
    audience = _in_code_form(audience)
    campaign = Campaign(
        organisation_id=organisation_id,
        template_id=template.id,
        name=name,
        year=year,
        audience=audience.model_dump(),
        opens_at=opens_at,
        closes_at=closes_at,
    )
    session.add(campaign)
    await session.flush()
    return campaign


async def open_campaign(
    session: AsyncSession, *, campaign: Campaign, now: datetime
) -> int:
    """Open a draft campaign and invite its audience; returns how many were invited.

    Raises:
        CampaignStateError: if it is already open or has closed.
    """
    if campaign.status == CampaignStatus.OPEN:
        raise CampaignStateError(f"'{campaign.name}' is already open.")
    if campaign.status == CampaignStatus.CLOSED:
        raise CampaignStateError(
            f"'{campaign.name}' has closed and cannot be reopened; create a new one."
        )
    if campaign.closes_at is not None and campaign.closes_at <= now:
        raise CampaignStateError(f"'{campaign.name}' is set to close in the past.")
    people = await audience_people(
        session,
        organisation_id=campaign.organisation_id,
        audience=Audience.model_validate(campaign.audience),
    )
    if not people:
        raise CampaignStateError(
            f"Nobody active on the roster is in the audience of '{campaign.name}'."
        )
    for person in people:
        await invite(session, campaign=campaign, person=person)
    campaign.status = CampaignStatus.OPEN
    campaign.opens_at = campaign.opens_at if campaign.opens_at else now
    session.add(campaign)
    await session.flush()
    return len(people)


async def invite(
    session: AsyncSession, *, campaign: Campaign, person: Person
) -> Participation:
    """Add ``person`` to the campaign's audience, their attributes frozen as now.

    Their service, team, role, workforce and employment type are copied onto the
    participation row: response rates are counted by these, so a later roster
    change (a move to another team) cannot shift anyone between groups and
    reveal, by a changed rate, who did not take part.
    """
    team = await session.get(Team, person.team_id)
    if team is None:
        raise NotFoundError(f"{person.name} is in a team that no longer exists.")
    participation = Participation(
        campaign_id=campaign.id,
        person_id=person.id,
        service_id=team.service_id,
        team_id=team.id,
        role=person.role,
        workforce=workforce_of(person.role),
        employment_type=person.employment_type,
    )
    session.add(participation)
    return participation


async def close_campaign(
    session: AsyncSession, *, campaign: Campaign, now: datetime, secret: bytes
) -> None:
    """Close an open campaign; from now on it accepts no answers.

    Sent answers still editable are sealed, and every response waiting in the
    sealed pool is written now, in the same transaction, however few: results
    are complete from the close.

    Raises:
        CampaignStateError: if it is not open.
    """
    if campaign.status != CampaignStatus.OPEN:
        raise CampaignStateError(
            f"'{campaign.name}' is {campaign.status}, so it cannot be closed."
        )
    campaign.status = CampaignStatus.CLOSED
    campaign.closes_at = now
    session.add(campaign)
    await session.flush()
    # Sent answers still in their grace period are final now: into the pool first.
    await seal_sent_answers(
        session, secret=secret, campaign=campaign, now=now, closing=True
    )
    await drain_pool(session, secret=secret, campaign=campaign, closing=True)


def require_open(campaign: Campaign, *, now: datetime) -> None:
    """Raise CampaignClosedError unless the campaign takes answers right now."""
    past_close = campaign.closes_at is not None and campaign.closes_at <= now
    if campaign.status == CampaignStatus.CLOSED or (
        campaign.status == CampaignStatus.OPEN and past_close
    ):
        raise CampaignClosedError(
            f"'{campaign.name}' has closed, so it is no longer taking answers. "
            "Thank you for your interest; results will be shared soon."
        )
    if campaign.status != CampaignStatus.OPEN:
        raise CampaignClosedError(f"'{campaign.name}' has not opened yet.")


async def list_campaigns(
    session: AsyncSession, *, organisation_id: uuid.UUID
) -> list[tuple[Campaign, Template]]:
    """Every campaign of an organisation with its template, newest first."""
    rows = await session.exec(
        select(Campaign, Template)
        .join(Template, col(Template.id) == col(Campaign.template_id))
        .where(Campaign.organisation_id == organisation_id)
        .order_by(col(Campaign.created_at).desc(), col(Campaign.name))
    )
    return list(rows.all())


async def find_campaign(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    name: str,
    partial: bool = False,
) -> Campaign:
    """A survey by its name (any case).

    Args:
        session: The database session.
        organisation_id: Whose surveys to look in.
        name: The name typed.
        partial: Also accept one survey whose name starts with or contains
            ``name`` (chat commands; the command line wants the full name).

    Raises:
        NotFoundError: naming the closest survey, or the few that fit.
    """
    campaign = await _find_by_name(session, organisation_id=organisation_id, name=name)
    if campaign is not None:
        return campaign
    rows = await session.exec(
        select(Campaign).where(Campaign.organisation_id == organisation_id)
    )
    by_name = {known.name: known for known in rows.all()}
    match = match_name(name, sorted(by_name))
    if match.found is not None and (partial or match.exact):
        return by_name[match.found]
    if not by_name:
        raise NotFoundError(f"There is no survey '{name}'; there are no surveys yet.")
    if match.found is not None:
        raise NotFoundError(
            f"There is no survey '{name}'. Did you mean '{match.found}'? "
            "Give its full name."
        )
    hint = did_you_mean(match) or (
        " Surveys: " + ", ".join(f"'{known}'" for known in sorted(by_name)) + "."
    )
    raise NotFoundError(f"There is no survey '{name}'.{hint}")


async def open_campaigns(
    session: AsyncSession, *, organisation_id: uuid.UUID
) -> list[Campaign]:
    """The organisation's open campaigns, oldest first."""
    rows = await session.exec(
        select(Campaign)
        .where(
            Campaign.organisation_id == organisation_id,
            Campaign.status == CampaignStatus.OPEN,
        )
        .order_by(col(Campaign.created_at), col(Campaign.name))
    )
    return list(rows.all())


async def audience_people(
    session: AsyncSession, *, organisation_id: uuid.UUID, audience: Audience
) -> list[Person]:
    """The active people on the roster who are in ``audience``."""
    query = (
        select(Person, Team, Service)
        .join(Team, col(Team.id) == col(Person.team_id))
        .join(Service, col(Service.id) == col(Team.service_id))
        .where(Person.organisation_id == organisation_id, col(Person.active))
    )
    rows = (await session.exec(query)).all()
    chosen = []
    for person, team, service in rows:
        if (audience.services or audience.teams) and not (
            service.name in audience.services or team.name in audience.teams
        ):
            continue
        if audience.roles and person.role not in audience.roles:
            continue
        if audience.workforce and workforce_of(person.role) not in audience.workforce:
            continue
        chosen.append(person)
    return chosen


async def _find_by_name(
    session: AsyncSession, *, organisation_id: uuid.UUID, name: str
) -> Campaign | None:
    return (
        await session.exec(
            select(Campaign).where(
                Campaign.organisation_id == organisation_id,
                func.lower(Campaign.name) == name.strip().lower(),
            )
        )
    ).first()


async def _check_audience_names(
    session: AsyncSession, *, organisation_id: uuid.UUID, audience: Audience
) -> None:
    for model, wanted, label in (
        (Service, audience.services, "service"),
        (Team, audience.teams, "team"),
    ):
        if not wanted:
            continue
        names = set(
            (
                await session.exec(
                    select(model.name).where(model.organisation_id == organisation_id)
                )
            ).all()
        )
        for name in wanted:
            if name not in names:
                raise NotFoundError(
                    f"There is no {label} '{name}'. "
                    f"{label.capitalize()}s: {', '.join(sorted(names)) or 'none'}."
                )


def _in_code_form(audience: Audience) -> Audience:
    """The audience with roles and workforces as stored codes; unknown ones refused.

    Without this a mistyped role would be accepted and the campaign would only
    fail later, when opening it finds nobody in the audience.
    """
    workforce = []
    for typed in audience.workforce:
        try:
            workforce.append(Workforce(normalise_code(typed)).value)
        except ValueError:
            raise NotFoundError(
                f"'{typed}' is not a workforce; use {' or '.join(Workforce)}."
            ) from None
    roles = [get_role(typed).code for typed in audience.roles]
    return audience.model_copy(update={"roles": roles, "workforce": workforce})
