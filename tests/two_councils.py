"""Two councils in one database (a regional round) whose names deliberately collide.

Both have the services Adults and Children's, the teams Team North and Team South,
a campaign "Health check 2026" (closed, answered), "Pulse 2026" (open) and a draft
for Team North, and
someone with the same email address and the same Slack id. What differs is what
their staff answered, so each council's figures are recognisable: everyone at
Ashford is favourable (100%), everyone at Brookvale unfavourable (0%), and every
name at Brookvale (people, its extra team and campaigns, its comments) contains
"Brook". Brookvale alone has an earlier round (2025), an action and a team and
campaign Ashford does not have.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from builders import NOW, SECRET, SMALL_TEMPLATE

from survey.answering import DraftState, save_draft, submit
from survey.campaigns import Audience, close_campaign, create_campaign, open_campaign
from survey.db import SessionFactory
from survey.follow_up.actions import add_action
from survey.models import (
    Campaign,
    ManagerOf,
    Organisation,
    Person,
    Service,
    Team,
)
from survey.questions.bank import parse_template
from survey.questions.catalogue import sync_templates

SHARED_EMAIL = "shared.person@example.org"
SHARED_SLACK_ID = "U0SHARED01"
HEALTH_CHECK = "Health check 2026"
HEALTH_TEMPLATE = {
    **SMALL_TEMPLATE,
    "key": "small-health",
    "kind": "health_check",
    "title": "Small health check",
}
PULSE = "Pulse 2026"
TEAM_CHECK = "Team North check 2026"
"""A draft pulse for the audience "Team North", a team both councils have."""
B_MARK = "brook"
"""In every name and comment of Brookvale's, in any case; in none of Ashford's."""

A_ANSWERS: dict[str, object] = {
    "Q1": "agree",
    "HOURS": 4,
    "BULLIED": "no",
    "NPS": 10,
    "TX1": "Ashford workload feels manageable and supervision is regular.",
}
B_ANSWERS: dict[str, object] = {
    "Q1": "strongly_disagree",
    "HOURS": 37,
    "BULLIED": "yes",
    "WHO": ["manager"],
    "NPS": 2,
    "TX1": "Brookvale caseloads are crushing and the workload is impossible.",
}


@dataclass
class Council:
    """One council of the two, with the people tests act as."""

    organisation: Organisation
    psw: Person
    manager: Person
    shared: Person
    people: list[Person]
    teams: dict[str, Team]
    services: dict[str, Service]
    campaigns: dict[str, Campaign]
    slack_ids: dict[uuid.UUID, str] = field(default_factory=dict)

    @property
    def id(self) -> uuid.UUID:
        """The organisation's id."""
        return self.organisation.id


@dataclass
class TwoCouncils:
    """Ashford (``a``) and Brookvale (``b``)."""

    a: Council
    b: Council


async def two_councils(sessions: SessionFactory) -> TwoCouncils:
    """Build Ashford and Brookvale in one database (see the module docstring)."""
    definitions = [
        parse_template(template, source="test")
        for template in (SMALL_TEMPLATE, HEALTH_TEMPLATE)
    ]
    async with sessions() as session, session.begin():
        await sync_templates(session, templates=definitions)
    b = await _council(
        sessions,
        slug="brookvale",
        name="Brookvale Council",
        person="Bryony Brook",
        teams={"Team North": 9, "Team South": 9, "Team Brook": 6},
        answers=B_ANSWERS,
        skip=1,
        slack_prefix="UB",
        extra_campaigns=("Health check 2025", "Brook pulse 2026"),
    )
    a = await _council(
        sessions,
        slug="ashford",
        name="Ashford Council",
        person="Alder Ash",
        teams={"Team North": 7, "Team South": 7},
        answers=A_ANSWERS,
        skip=0,
        slack_prefix="UA",
        extra_campaigns=(),
    )
    async with sessions() as session, session.begin():
        await add_action(
            session,
            organisation_id=b.id,
            campaign=HEALTH_CHECK,
            theme="workload",
            you_said="Brookvale caseloads are too high",
            we_did="Brook rota review with two more posts",
            owner="Brook head of service",
            today=NOW.date(),
        )
    return TwoCouncils(a=a, b=b)


async def _council(
    sessions: SessionFactory,
    *,
    slug: str,
    name: str,
    person: str,
    teams: dict[str, int],
    answers: dict[str, object],
    skip: int,
    slack_prefix: str,
    extra_campaigns: tuple[str, ...],
) -> Council:
    async with sessions() as session, session.begin():
        organisation = Organisation(slug=slug, name=name)
        session.add(organisation)
        await session.flush()
        services = {
            service: Service(organisation_id=organisation.id, name=service)
            for service in ("Adults", "Children's")
        }
        session.add_all(services.values())
        await session.flush()
        made_teams = {
            team: Team(
                organisation_id=organisation.id,
                service_id=services["Children's" if "South" in team else "Adults"].id,
                name=team,
            )
            for team in teams
        }
        session.add_all(made_teams.values())
        await session.flush()
        people: list[Person] = []
        for team, size in teams.items():
            for _ in range(size):
                index = len(people)
                people.append(
                    Person(
                        organisation_id=organisation.id,
                        name=f"{person} {index:02d}",
                        email=f"{slug}{index:02d}@example.org",
                        slack_id=f"{slack_prefix}{index:08d}",
                        team_id=made_teams[team].id,
                        role="social_worker",
                        employment_type="permanent",
                    )
                )
        # In Team North: the manager, then the person whose email (and Slack id,
        # as an Enterprise Grid member of both workspaces) both councils hold.
        people[0].access = "manager"
        people[1].email = SHARED_EMAIL
        people[1].slack_id = SHARED_SLACK_ID
        psw = next(p for p in people if p.team_id == made_teams["Team South"].id)
        psw.access = "psw"
        session.add_all(people)
        await session.flush()
        session.add(
            ManagerOf(person_id=people[0].id, team_id=made_teams["Team North"].id)
        )
        campaigns: dict[str, Campaign] = {}
        for campaign_name in (*extra_campaigns, HEALTH_CHECK, PULSE):
            year = 2025 if campaign_name.endswith("2025") else 2026
            campaigns[campaign_name] = await create_campaign(
                session,
                organisation_id=organisation.id,
                template_key=_template_of(campaign_name),
                name=campaign_name,
                year=year,
                audience=Audience(),
            )
            await open_campaign(session, campaign=campaigns[campaign_name], now=NOW)
        campaigns[TEAM_CHECK] = await create_campaign(
            session,
            organisation_id=organisation.id,
            template_key=str(SMALL_TEMPLATE["key"]),
            name=TEAM_CHECK,
            year=2026,
            audience=Audience(teams=["Team North"]),
        )
    for campaign_name in (*extra_campaigns, HEALTH_CHECK):
        if _template_of(campaign_name) == SMALL_TEMPLATE["key"]:
            continue
        async with sessions() as session, session.begin():
            campaign = campaigns[campaign_name]
            for answering in people[skip:]:
                state = DraftState(answers=answers)  # type: ignore[arg-type]
                await save_draft(
                    session,
                    secret=SECRET,
                    person=answering,
                    campaign=campaign,
                    state=state,
                    now=NOW,
                )
                await submit(
                    session,
                    secret=SECRET,
                    person=answering,
                    campaign=campaign,
                    now=NOW,
                )
            await close_campaign(session, campaign=campaign, now=NOW, secret=SECRET)
    return Council(
        organisation=organisation,
        psw=psw,
        manager=people[0],
        shared=people[1],
        people=people,
        teams=made_teams,
        services=services,
        campaigns=campaigns,
    )


def _template_of(campaign: str) -> str:
    """Pulses use the small pulse template, health checks the health check one."""
    if "pulse" in campaign.casefold():
        return str(SMALL_TEMPLATE["key"])
    return str(HEALTH_TEMPLATE["key"])
