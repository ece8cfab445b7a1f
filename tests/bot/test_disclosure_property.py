"""The attacker against everything the product publishes, on generated councils.

Rosters are generated (tiny teams, single-person roles, roles spread over
services, leavers, joiners and movers between two yearly rounds, people who do
not answer); every output is built from the loaded rounds exactly as its command
or page builds it: the report (which the CSV, HTML, XLSX, DOCX files and
``export org`` write out), every dashboard filter combination, ``summary`` for
every team, ``participation`` and each year's figures with their change from the
year before. :mod:`attacker` then solves the published sums exactly.
"""

from __future__ import annotations

import uuid

import numpy as np
import pandas as pd
from attacker import Cell, attack
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.data import Names, Round
from analytics.participation import Scope, participation_rows
from analytics.report import (
    assemble_report,
    audience_of,
    role_groups,
    service_groups,
    team_groups,
)
from analytics.results import ResultsEngine
from analytics.suppression import Policy
from bot.web.dashboard import _group
from survey.models import Campaign, CampaignStatus, Organisation
from survey.questions.bank import parse_template
from survey.roster.roles import role_label, workforce_of

K = 5
ROLES = [
    "social_worker",
    "senior_social_worker",
    "occupational_therapist",
    "team_manager",
]
TEAMS = {"t1": "s1", "t2": "s1", "t3": "s2", "t4": "s2", "t5": "s3"}
TEMPLATE = parse_template(
    {
        "key": "prop",
        "version": 1,
        "title": "Property check",
        "kind": "pulse",
        "audience": "everyone",
        "questions": [
            {
                "id": "Q1",
                "text": "My workload is manageable.",
                "scale": "agree5",
                "standard": 3,
                "theme": "workload",
            }
        ],
    },
    source="test",
)
NAMES = Names(
    services={s: f"Service {s}" for s in set(TEAMS.values())},
    teams={t: f"Team {t}" for t in TEAMS},
    team_service=dict(TEAMS),
)
ORGANISATION = Organisation(slug="prop", name="Prop Council", min_group_size=K)

person = st.tuples(
    st.sampled_from(sorted(TEAMS)),
    st.sampled_from(ROLES),
    st.booleans(),  # answered this year
)
roster = st.lists(person, min_size=4, max_size=40)


def _round(people: list[tuple[str, str, bool]], year: int) -> tuple[Round, list[str]]:
    """A closed round: everyone invited, the ``True`` ones answered."""
    ids = [f"p{year}-{n}" for n in range(len(people))]
    invited = pd.DataFrame(
        {
            "service_id": [TEAMS[t] for t, _, _ in people],
            "team_id": [t for t, _, _ in people],
            "role": [r for _, r, _ in people],
            "employment_type": "permanent",
            "status": ["completed" if a else "invited" for _, _, a in people],
        }
    )
    for name in ("service_id", "team_id"):
        invited[name] = invited[name].astype("string")
    invited["workforce"] = invited["role"].map(workforce_of).astype("string")
    invited["completed"] = invited["status"] == "completed"
    answered = invited[invited["completed"]].reset_index(drop=True)
    responses = answered[
        ["service_id", "team_id", "role", "workforce", "employment_type"]
    ].copy()
    response_ids = [i for i, (_, _, a) in zip(ids, people, strict=True) if a]
    responses.insert(0, "response_id", pd.Series(response_ids, dtype="string"))
    options = ["agree", "disagree", "strongly_agree"]
    answers = pd.DataFrame(
        {
            "response_id": pd.Categorical(
                response_ids, categories=pd.Index(response_ids)
            ),
            "question_key": pd.Categorical(["Q1"] * len(response_ids)),
            "option": pd.Categorical(
                [options[n % 3] for n in range(len(response_ids))]
            ),
            "number": np.full(len(response_ids), np.nan),
            "choices": np.full(len(response_ids), None, dtype=object),
        }
    )
    campaign = Campaign(
        organisation_id=uuid.uuid4(),
        template_id=uuid.uuid4(),
        name=f"Check {year}",
        year=year,
        status=CampaignStatus.CLOSED,
    )
    return Round(campaign, TEMPLATE, responses, answers, invited), ids


def _members(
    people: list[tuple[str, str, bool]], ids: list[str], where: dict[str, str]
) -> tuple[frozenset[str], frozenset[str]]:
    """Who a group sums over: (invited, respondents)."""
    invited = []
    for pid, (team, role, _) in zip(ids, people, strict=True):
        values = {
            "service_id": TEAMS[team],
            "team_id": team,
            "role": role,
            "workforce": workforce_of(role),
        }
        if all(values[a] == v for a, v in where.items()):
            invited.append(pid)
    answered = {pid for pid, (_, _, a) in zip(ids, people, strict=True) if a}
    return frozenset(invited), frozenset(p for p in invited if p in answered)


def _published(
    current: Round,
    people: list[tuple[str, str, bool]],
    ids: list[str],
    previous: Round | None,
    before: list[tuple[str, str, bool]],
    before_ids: list[str],
) -> list[Cell]:
    year = current.campaign.year
    policy = Policy(K)
    engine = ResultsEngine(current, policy=policy, previous=previous)
    cells: list[Cell] = []

    def add(source: str, where: dict[str, str], results: object) -> None:
        invited, answered = _members(people, ids, where)
        rate = getattr(results, "response_rate", results)
        if rate is not None and getattr(rate, "responded", None) is not None:
            cells.append(Cell(f"participation {year}", source, invited))
        if getattr(results, "respondents", None) is not None:
            cells.append(Cell(f"participation {year}", source, invited))
        questions = getattr(results, "questions", ())
        if any(q.hidden is None for q in questions):
            cells.append(Cell(f"answers {year}", source, answered))
        if previous is not None and any(q.change is not None for q in questions):
            _, earlier = _members(before, before_ids, where)
            cells.append(Cell(f"answers {year - 1}", f"change in {source}", earlier))

    report = assemble_report(ORGANISATION, NAMES, current, previous=previous)
    groups = [
        ({}, report.overall),
        *(
            (dict(g.where), r)
            for g, r in zip(service_groups(NAMES), report.by_service, strict=True)
        ),
    ]
    involved = set(audience_of(current)["team_id"])
    teams = [g for g in team_groups(NAMES) if g.value("team_id") in involved]
    groups += [(dict(g.where), r) for g, r in zip(teams, report.by_team, strict=True)]
    groups += [
        (dict(g.where), r)
        for g, r in zip(role_groups(current), report.by_role, strict=True)
    ]
    for where, results in groups:
        add(f"report {where}", where, results)
    rate_groups = [
        {},
        *(dict(g.where) for g in service_groups(NAMES)),
        *(dict(g.where) for g in teams),
    ]
    for where, rate in zip(rate_groups, report.response_rates, strict=True):
        add(f"report rate {where}", where, rate)
    roles = sorted(audience_of(current)["role"].dropna().unique())
    filters = [
        {},
        *({"service": s} for s in NAMES.services),
        *({"team": t} for t in NAMES.teams),
    ]
    for chosen in filters:
        for role in ["", *roles]:
            group = _group(
                NAMES,
                service=chosen.get("service", ""),
                team=chosen.get("team", ""),
                role=role,
            )
            add(f"dashboard {chosen} {role}", dict(group.where), engine.group(group))
    for row in participation_rows(ORGANISATION, NAMES, current, Scope()):
        where = _where_of(row.rate.label)
        add(f"participation {row.rate.label}", where, row.rate)
    return cells


def _where_of(label: str) -> dict[str, str]:
    """The group a participation row's label names, as a reader knows it."""
    for group in [*service_groups(NAMES), *team_groups(NAMES)]:
        if group.label == label:
            return dict(group.where)
    roles = {role_label(role): role for role in ROLES}
    if label in roles:
        return {"role": roles[label]}
    assert label == ORGANISATION.name, label
    return {}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    last_year=roster,
    stay=st.lists(st.booleans(), min_size=40, max_size=40),
    moves=st.lists(st.sampled_from(sorted(TEAMS)), min_size=40, max_size=40),
    joiners=st.lists(person, max_size=8),
)
def test_nobody_is_singled_out_by_anything_published(
    last_year: list[tuple[str, str, bool]],
    stay: list[bool],
    moves: list[str],
    joiners: list[tuple[str, str, bool]],
) -> None:
    # Leavers go, some stayers move team, joiners arrive; answering is redrawn.
    this_year = [
        (
            moves[n] if n % 4 == 0 else team,
            role,
            not answered if n % 3 == 0 else answered,
        )
        for n, (team, role, answered) in enumerate(last_year)
        if stay[n]
    ] + joiners
    if not this_year:
        return
    previous, before_ids = _round(last_year, 2025)
    current, ids = _round(this_year, 2026)
    cells = _published(previous, last_year, before_ids, None, [], [])
    cells += _published(current, this_year, ids, previous, last_year, before_ids)
    findings = attack(cells, K)
    assert not findings, "\n".join(map(str, findings))
