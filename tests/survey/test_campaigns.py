"""Campaign lifecycle against real SQLite and PostgreSQL: create, open, close, find."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from builders import NOW, SECRET, SMALL_TEMPLATE, full_answers
from sqlmodel import col, func, select

from survey.answering import DraftState, save_draft, submit
from survey.campaigns import (
    Audience,
    close_campaign,
    create_campaign,
    find_campaign,
    list_campaigns,
    open_campaign,
    open_campaigns,
)
from survey.db import SessionFactory
from survey.errors import CampaignClosedError, CampaignStateError, NotFoundError
from survey.models import (
    Campaign,
    CampaignStatus,
    Participation,
    ParticipationStatus,
    Person,
    Response,
    Service,
    Team,
)
from survey.models import Organisation as OrganisationRow
from survey.questions.bank import parse_template
from survey.questions.catalogue import sync_templates

# Who works where: (name, team, role, active).
ROSTER = (
    ("Amira", "Hospital Discharge", "social_worker", True),
    ("Bola", "Hospital Discharge", "support_worker", True),
    ("Cath", "Hospital Discharge", "team_manager", True),
    ("Dev", "Front Door", "social_worker", True),
    ("Erin", "Front Door", "senior_social_worker", True),
    ("Finn", "Front Door", "advanced_practitioner", False),
    ("Gwen", "Family Support", "family_support_worker", True),
)
TEAMS = {
    "Hospital Discharge": "Adults",
    "Front Door": "Children's",
    "Family Support": "Children's",
}
PULSE = {**SMALL_TEMPLATE, "key": "quick-pulse", "title": "Quick pulse"}


@dataclass
class Council:
    organisation_id: uuid.UUID
    people: dict[str, Person]


@pytest.fixture
async def council(sessions: SessionFactory) -> Council:
    """Two services, three teams, seven people (one has left), two templates."""
    async with sessions() as session, session.begin():
        organisation = OrganisationRow(slug="test-org", name="Test Council")
        session.add(organisation)
        await session.flush()
        services = {
            name: Service(organisation_id=organisation.id, name=name)
            for name in sorted(set(TEAMS.values()))
        }
        session.add_all(services.values())
        await session.flush()
        teams = {
            name: Team(
                organisation_id=organisation.id,
                service_id=services[service].id,
                name=name,
            )
            for name, service in TEAMS.items()
        }
        session.add_all(teams.values())
        await session.flush()
        people = {
            name: Person(
                organisation_id=organisation.id,
                name=name,
                email=f"{name.lower()}@example.org",
                team_id=teams[team].id,
                role=role,
                employment_type="permanent",
                active=active,
            )
            for name, team, role, active in ROSTER
        }
        session.add_all(people.values())
        await session.flush()
        await sync_templates(
            session,
            templates=[
                parse_template(SMALL_TEMPLATE, source="test"),
                parse_template(PULSE, source="test"),
            ],
        )
    return Council(organisation.id, people)


async def create(
    sessions: SessionFactory,
    council: Council,
    name: str = "Health check 2026",
    audience: Audience | None = None,
    **extra: Any,
) -> Campaign:
    async with sessions() as session, session.begin():
        return await create_campaign(
            session,
            organisation_id=council.organisation_id,
            template_key=extra.pop("template_key", "small-check"),
            name=name,
            year=2026,
            audience=audience or Audience(),
            **extra,
        )


async def refused_create(
    sessions: SessionFactory, council: Council, error: type[Exception], **kwargs: Any
) -> str:
    """Create a campaign that is refused, inside a transaction that then commits.

    So anything written before the refusal would be stored and seen.
    """
    async with sessions() as session, session.begin():
        with pytest.raises(error) as refused:
            await create_campaign(
                session,
                organisation_id=council.organisation_id,
                year=2026,
                **{"template_key": "small-check", "audience": Audience(), **kwargs},
            )
    return str(refused.value)


async def open_now(sessions: SessionFactory, campaign: Campaign) -> int:
    async with sessions() as session, session.begin():
        stored = await session.get(Campaign, campaign.id)
        assert stored is not None
        return await open_campaign(session, campaign=stored, now=NOW)


async def close_now(sessions: SessionFactory, campaign: Campaign) -> None:
    async with sessions() as session, session.begin():
        stored = await session.get(Campaign, campaign.id)
        assert stored is not None
        await close_campaign(
            session, campaign=stored, now=NOW + timedelta(days=1), secret=SECRET
        )


async def reload(sessions: SessionFactory, campaign: Campaign) -> Campaign:
    async with sessions() as session:
        stored = await session.get(Campaign, campaign.id)
    assert stored is not None
    return stored


async def campaign_names(sessions: SessionFactory) -> list[str]:
    async with sessions() as session:
        return sorted((await session.exec(select(Campaign.name))).all())


async def invited(sessions: SessionFactory, campaign: Campaign) -> set[str]:
    async with sessions() as session:
        rows = await session.exec(
            select(Person.name, Participation.status)
            .join(Participation, col(Participation.person_id) == col(Person.id))
            .where(Participation.campaign_id == campaign.id)
        )
        pairs = rows.all()
    assert {status for _, status in pairs} <= {ParticipationStatus.INVITED}
    return {name for name, _ in pairs}


# Creating


async def test_create_makes_a_draft_of_the_template_for_its_audience(
    sessions: SessionFactory, council: Council
) -> None:
    closes = NOW + timedelta(days=28)
    campaign = await create(
        sessions,
        council,
        "  Health check 2026 ",
        Audience(services=["Adults"], workforce=["social_work"]),
        closes_at=closes,
    )
    stored = await reload(sessions, campaign)
    assert stored.name == "Health check 2026"
    assert stored.status == CampaignStatus.DRAFT
    assert stored.closes_at == closes
    assert Audience.model_validate(stored.audience).describe() == "Adults; social_work"
    assert await invited(sessions, campaign) == set(), "nobody is invited until open"
    async with sessions() as session:
        listed = await list_campaigns(session, organisation_id=council.organisation_id)
    assert [(c.name, t.key, t.version) for c, t in listed] == [
        ("Health check 2026", "small-check", 1)
    ]


async def test_a_duplicate_name_is_refused_in_any_case(
    sessions: SessionFactory, council: Council
) -> None:
    await create(sessions, council, "Health check 2026")
    message = await refused_create(
        sessions, council, CampaignStateError, name="HEALTH CHECK 2026 "
    )
    assert message == "There is already a survey called 'HEALTH CHECK 2026'."
    assert await campaign_names(sessions) == ["Health check 2026"]


async def test_a_blank_name_is_refused(
    sessions: SessionFactory, council: Council
) -> None:
    message = await refused_create(sessions, council, CampaignStateError, name="   ")
    assert message == "A survey needs a name."
    assert await campaign_names(sessions) == []


async def test_a_name_too_long_to_store_is_refused(
    sessions: SessionFactory, council: Council
) -> None:
    message = await refused_create(
        sessions, council, CampaignStateError, name="Health check " + "x" * 108
    )
    assert message == "A survey name can be at most 120 characters."
    longest = "Health check " + "x" * 107
    await create(sessions, council, longest)
    assert await campaign_names(sessions) == [longest]


async def test_closing_before_opening_is_refused(
    sessions: SessionFactory, council: Council
) -> None:
    for closes_at in (NOW - timedelta(days=1), NOW):
        message = await refused_create(
            sessions,
            council,
            CampaignStateError,
            name="Backwards",
            opens_at=NOW,
            closes_at=closes_at,
        )
        assert message == "The closing time must be after the opening time."
    assert await campaign_names(sessions) == []


async def test_an_unknown_template_is_refused_naming_the_known_ones(
    sessions: SessionFactory, council: Council
) -> None:
    message = await refused_create(
        sessions, council, NotFoundError, name="Pulse", template_key="pulse-chek"
    )
    assert message == (
        "There is no template 'pulse-chek'. Templates: quick-pulse, small-check."
    )
    assert await campaign_names(sessions) == []


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        (
            Audience(services=["Adult"]),
            "There is no service 'Adult'. Services: Adults, Children's.",
        ),
        (
            Audience(teams=["Front Door", "Back Door"]),
            "There is no team 'Back Door'. "
            "Teams: Family Support, Front Door, Hospital Discharge.",
        ),
    ],
    ids=["service", "team"],
)
async def test_an_unknown_service_or_team_is_refused(
    sessions: SessionFactory, council: Council, audience: Audience, expected: str
) -> None:
    message = await refused_create(
        sessions, council, NotFoundError, name="Narrow", audience=audience
    )
    assert message == expected
    assert await campaign_names(sessions) == []


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        (
            Audience(roles=["social wroker"]),
            "'social wroker' is not a known role; use one of: asye_social_worker,",
        ),
        (
            Audience(workforce=["social-care"]),
            "'social-care' is not a workforce; use social_work or wider_workforce.",
        ),
    ],
    ids=["role", "workforce"],
)
async def test_an_unknown_role_or_workforce_is_refused(
    sessions: SessionFactory, council: Council, audience: Audience, expected: str
) -> None:
    message = await refused_create(
        sessions, council, NotFoundError, name="Narrow", audience=audience
    )
    assert message.startswith(expected)
    assert await campaign_names(sessions) == []


async def test_roles_and_workforces_may_be_typed_as_people_say_them(
    sessions: SessionFactory, council: Council
) -> None:
    campaign = await create(
        sessions,
        council,
        audience=Audience(roles=["Social Worker", "SSW"], workforce=["Social work"]),
    )
    assert await open_now(sessions, campaign) == 3
    assert await invited(sessions, campaign) == {"Amira", "Dev", "Erin"}


# Opening


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        (Audience(), {"Amira", "Bola", "Cath", "Dev", "Erin", "Gwen"}),
        (Audience(workforce=["social_work"]), {"Amira", "Cath", "Dev", "Erin"}),
        (Audience(workforce=["wider_workforce"]), {"Bola", "Gwen"}),
        (Audience(services=["Children's"]), {"Dev", "Erin", "Gwen"}),
        (Audience(teams=["Hospital Discharge"]), {"Amira", "Bola", "Cath"}),
        (
            Audience(services=["Adults"], teams=["Front Door"]),
            {"Amira", "Bola", "Cath", "Dev", "Erin"},
        ),
        (Audience(roles=["social_worker"]), {"Amira", "Dev"}),
        (
            Audience(services=["Children's"], workforce=["social_work"]),
            {"Dev", "Erin"},
        ),
    ],
    ids=[
        "everyone",
        "social-work",
        "wider-workforce",
        "service",
        "team",
        "service-or-team",
        "role",
        "service-and-workforce",
    ],
)
async def test_opening_invites_exactly_the_active_audience(
    sessions: SessionFactory,
    council: Council,
    audience: Audience,
    expected: set[str],
) -> None:
    campaign = await create(sessions, council, audience=audience)
    assert await open_now(sessions, campaign) == len(expected)
    assert await invited(sessions, campaign) == expected
    stored = await reload(sessions, campaign)
    assert stored.status == CampaignStatus.OPEN
    assert stored.opens_at == NOW
    async with sessions() as session:
        now_open = await open_campaigns(
            session, organisation_id=council.organisation_id
        )
    assert [c.name for c in now_open] == ["Health check 2026"]


async def test_opening_twice_is_refused_and_invites_nobody_again(
    sessions: SessionFactory, council: Council
) -> None:
    campaign = await create(sessions, council)
    await open_now(sessions, campaign)
    with pytest.raises(
        CampaignStateError, match=r"^'Health check 2026' is already open\.$"
    ):
        await open_now(sessions, campaign)
    async with sessions() as session:
        count = (
            await session.exec(select(func.count()).select_from(Participation))
        ).one()
    assert count == 6


async def test_a_closed_campaign_cannot_be_reopened(
    sessions: SessionFactory, council: Council
) -> None:
    campaign = await create(sessions, council)
    await open_now(sessions, campaign)
    await close_now(sessions, campaign)
    with pytest.raises(CampaignStateError) as refused:
        await open_now(sessions, campaign)
    assert str(refused.value) == (
        "'Health check 2026' has closed and cannot be reopened; create a new one."
    )
    assert (await reload(sessions, campaign)).status == CampaignStatus.CLOSED


async def test_an_audience_with_nobody_in_it_is_refused(
    sessions: SessionFactory, council: Council
) -> None:
    # Finn, the only advanced practitioner, has left.
    campaign = await create(
        sessions, council, audience=Audience(roles=["advanced_practitioner"])
    )
    with pytest.raises(CampaignStateError) as refused:
        await open_now(sessions, campaign)
    assert str(refused.value) == (
        "Nobody active on the roster is in the audience of 'Health check 2026'."
    )
    assert (await reload(sessions, campaign)).status == CampaignStatus.DRAFT
    assert await invited(sessions, campaign) == set()


async def test_a_campaign_set_to_close_in_the_past_cannot_open(
    sessions: SessionFactory, council: Council
) -> None:
    campaign = await create(sessions, council, closes_at=NOW - timedelta(hours=1))
    with pytest.raises(
        CampaignStateError, match=r"^'Health check 2026' is set to close in the past\.$"
    ):
        await open_now(sessions, campaign)
    assert (await reload(sessions, campaign)).status == CampaignStatus.DRAFT


# Closing


async def answer(
    sessions: SessionFactory, person: Person, campaign: Campaign, *, now: Any = NOW
) -> None:
    async with sessions() as session, session.begin():
        await save_draft(
            session,
            secret=SECRET,
            person=person,
            campaign=await reload(sessions, campaign),
            state=DraftState(answers=full_answers()),
            now=now,
        )


async def send(
    sessions: SessionFactory, person: Person, campaign: Campaign, *, now: Any = NOW
) -> None:
    async with sessions() as session, session.begin():
        await submit(
            session,
            secret=SECRET,
            person=person,
            campaign=await reload(sessions, campaign),
            now=now,
        )


async def test_a_closed_campaign_takes_no_more_answers(
    sessions: SessionFactory, council: Council
) -> None:
    campaign = await create(sessions, council)
    await open_now(sessions, campaign)
    amira, dev = council.people["Amira"], council.people["Dev"]
    await answer(sessions, amira, campaign)
    await answer(sessions, dev, campaign)
    await send(sessions, dev, campaign)
    await close_now(sessions, campaign)
    later = NOW + timedelta(days=2)
    closed = (
        r"^'Health check 2026' has closed, so it is no longer taking answers\. "
        r"Thank you for your interest; results will be shared soon\.$"
    )
    with pytest.raises(CampaignClosedError, match=closed):
        await answer(sessions, amira, campaign, now=later)
    with pytest.raises(CampaignClosedError, match=closed):
        await send(sessions, amira, campaign, now=later)
    async with sessions() as session:
        responses = (
            await session.exec(select(func.count()).select_from(Response))
        ).one()
    assert responses == 1, "only the answers sent before closing count"


async def test_an_open_campaign_past_its_closing_time_takes_no_answers(
    sessions: SessionFactory, council: Council
) -> None:
    campaign = await create(sessions, council, closes_at=NOW + timedelta(days=1))
    await open_now(sessions, campaign)
    await answer(sessions, council.people["Amira"], campaign)
    with pytest.raises(CampaignClosedError, match="has closed"):
        await send(
            sessions,
            council.people["Amira"],
            campaign,
            now=NOW + timedelta(days=1, seconds=1),
        )


async def test_a_draft_campaign_takes_no_answers_yet(
    sessions: SessionFactory, council: Council
) -> None:
    campaign = await create(sessions, council)
    with pytest.raises(
        CampaignClosedError, match=r"^'Health check 2026' has not opened yet\.$"
    ):
        await answer(sessions, council.people["Amira"], campaign)


async def test_only_an_open_campaign_can_be_closed(
    sessions: SessionFactory, council: Council
) -> None:
    campaign = await create(sessions, council)
    with pytest.raises(CampaignStateError) as refused:
        await close_now(sessions, campaign)
    assert str(refused.value) == (
        "'Health check 2026' is draft, so it cannot be closed."
    )
    assert (await reload(sessions, campaign)).status == CampaignStatus.DRAFT
    await open_now(sessions, campaign)
    await close_now(sessions, campaign)
    with pytest.raises(CampaignStateError) as again:
        await close_now(sessions, campaign)
    assert str(again.value) == "'Health check 2026' is closed, so it cannot be closed."
    stored = await reload(sessions, campaign)
    assert stored.closes_at == NOW + timedelta(days=1)
    async with sessions() as session:
        assert (
            await open_campaigns(session, organisation_id=council.organisation_id) == []
        )


# Finding and listing


async def test_find_by_name_ignores_case_and_spacing(
    sessions: SessionFactory, council: Council
) -> None:
    campaign = await create(sessions, council, "Health check 2026")
    async with sessions() as session:
        for typed in ("health check 2026", "HEALTH CHECK 2026", " Health check 2026 "):
            found = await find_campaign(
                session, organisation_id=council.organisation_id, name=typed
            )
            assert found.id == campaign.id


async def test_an_unknown_campaign_is_refused_naming_the_known_ones(
    sessions: SessionFactory, council: Council
) -> None:
    async with sessions() as session:
        with pytest.raises(NotFoundError) as none_yet:
            await find_campaign(
                session, organisation_id=council.organisation_id, name="Pulse"
            )
    assert str(none_yet.value) == (
        "There is no survey 'Pulse'; there are no surveys yet."
    )
    await create(sessions, council, "Pulse March")
    await create(sessions, council, "Health check 2026")
    async with sessions() as session:
        with pytest.raises(NotFoundError) as refused:
            await find_campaign(
                session, organisation_id=council.organisation_id, name="Pulse"
            )
    # The command line wants the whole name, but says which one was meant.
    assert str(refused.value) == (
        "There is no survey 'Pulse'. Did you mean 'Pulse March'? Give its full name."
    )
    async with sessions() as session:
        with pytest.raises(NotFoundError) as far_off:
            await find_campaign(
                session, organisation_id=council.organisation_id, name="Xylophone"
            )
        partial = await find_campaign(
            session, organisation_id=council.organisation_id, name="pulse", partial=True
        )
    assert str(far_off.value) == (
        "There is no survey 'Xylophone'. Surveys: 'Health check 2026', 'Pulse March'."
    )
    assert partial.name == "Pulse March"


async def test_campaigns_belong_to_their_organisation(
    sessions: SessionFactory, council: Council
) -> None:
    await create(sessions, council, "Health check 2026")
    async with sessions() as session, session.begin():
        other = OrganisationRow(slug="other", name="Other Council")
        session.add(other)
    async with sessions() as session:
        assert await list_campaigns(session, organisation_id=other.id) == []
        with pytest.raises(NotFoundError, match="there are no surveys yet"):
            await find_campaign(
                session, organisation_id=other.id, name="Health check 2026"
            )


async def test_list_shows_newest_first_with_the_template(
    sessions: SessionFactory, council: Council
) -> None:
    await create(sessions, council, "First")
    await create(sessions, council, "Second", template_key="quick-pulse")
    async with sessions() as session:
        listed = await list_campaigns(session, organisation_id=council.organisation_id)
    assert [(c.name, t.key) for c, t in listed] == [
        ("Second", "quick-pulse"),
        ("First", "small-check"),
    ]
