"""Two councils in one database: no command of one reads or writes the other's data.

Ashford and Brookvale share team, service and campaign names and a person's email
(see ``tests/two_councils.py``). Everything a PSW, a manager and a staff member at
Ashford can run is run, on SQLite and PostgreSQL; every reply is searched for
Brookvale's names and figures, and every row the commands changed must be
Ashford's, with no Brookvale id in it.
"""

from __future__ import annotations

import re

import pytest
from builders import NOW, SECRET
from council_copies import councils_in
from row_snapshots import Change, Snapshot, changes, ids_of, owner_of, snapshot
from two_councils import B_MARK, HEALTH_CHECK, PULSE, TEAM_CHECK, TwoCouncils

from bot.commands import CommandResult, dispatch
from bot.conversation.messages import Notice, SummaryTable, Tone
from survey.db import SessionFactory
from survey.models import Person

AT = "at=2026-03-03T10:00"


@pytest.fixture
def councils(database_url: str) -> TwoCouncils:
    """The two councils, copied in before the test's engine first connects."""
    return councils_in(database_url)


async def run(sessions: SessionFactory, person: Person, typed: str) -> CommandResult:
    return await dispatch(sessions, secret=SECRET, person=person, text=typed, now=NOW)


def shown(result: CommandResult) -> str:
    """Everything the reply carries, as text."""
    return repr(result.messages)


def problems(result: CommandResult) -> list[str]:
    return [
        message.text
        for message in result.messages
        if isinstance(message, Notice) and message.tone in (Tone.WARNING, Tone.ERROR)
    ]


def unechoed(reply: str, typed: str) -> str:
    """The reply without the words the person typed (a refusal may repeat them)."""
    for word in set(re.findall(r"\w+", typed)):
        reply = re.sub(rf"(?i)\b{re.escape(word)}\b", "", reply)
    return reply


def tables(result: CommandResult) -> list[SummaryTable]:
    return [m for m in result.messages if isinstance(m, SummaryTable)]


def assert_only_ashford_changed(
    changed: list[Change], councils: TwoCouncils, state: Snapshot
) -> None:
    b_ids = ids_of(councils.b, state)
    for change in changed:
        owner = owner_of(change, state, councils)
        assert owner == "a", f"{change.table} {change.key} is not Ashford's: {change}"
        text = change.text()
        leaked = [i for i in b_ids if i in text or i.replace("-", "") in text]
        assert leaked == [], f"{change.table} row names Brookvale's {leaked}"


async def test_ashford_s_psw_manager_and_staff_read_and_write_only_ashford(
    database_url: str, councils: TwoCouncils, sessions: SessionFactory
) -> None:
    a = councils.a
    before = snapshot(database_url)
    asked: list[tuple[Person, str]] = [
        (a.psw, "summary"),
        (a.psw, 'summary "Team North"'),
        (a.psw, "summary Adults"),
        (a.psw, "themes"),
        (a.psw, 'themes "Team North"'),
        (a.psw, f'participation "{HEALTH_CHECK}"'),
        (a.psw, "participation Team North"),
        (a.psw, "trends small-health"),
        (a.psw, "target Q1 80 small-health"),
        (a.psw, "who-has-access"),
        (a.psw, "you-said"),
        (
            a.psw,
            f'action add theme=workload campaign="{HEALTH_CHECK}" question=Q1 '
            'said="Ashford asked for time" doing="Ashford protected time" '
            'owner="Ashford PSW"',
        ),
        (a.psw, "action list"),
        (a.psw, 'action update 1 status="in progress"'),
        (a.psw, f'you-said "{HEALTH_CHECK}"'),
        (a.psw, f'post you-said "{HEALTH_CHECK}"'),
        (a.psw, 'brief title="Ashford news" body="Ashford body" to="team:Team North"'),
        (a.psw, f'remind team:"Team North" "{PULSE}" {AT}'),
        (a.psw, f"campaign schedule {PULSE} closes=2026-03-20T17:00 remind=3"),
        (
            a.psw,
            'pulse schedule every=4 audience="team:Team North" '
            'name="Ashford pulse" template=small-check',
        ),
        (a.manager, "summary"),
        (a.manager, "themes"),
        (a.manager, "participation"),
        (a.shared, "status"),
        (a.shared, f"start {PULSE}"),
        (a.shared, f"mute {PULSE}"),
        (a.shared, f"unmute {PULSE}"),
        (a.shared, "you-said"),
        (a.shared, "privacy"),
        (a.psw, f"campaign open {TEAM_CHECK}"),
        (a.psw, f"close {PULSE}"),
    ]
    replies = {}
    for person, typed in asked:
        result = await run(sessions, person, typed)
        assert problems(result) == [], (typed, problems(result))
        assert B_MARK not in shown(result).casefold(), (typed, shown(result))
        # Brookvale: 24 invited and 23 answered; 37 hours over contract.
        assert not re.search(r"\b(23|24|37)\b", shown(result)), (typed, shown(result))
        replies[(person.id, typed)] = result

    # The replies are Ashford's own: every figure 100% favourable, 14 of 14.
    summary = replies[(a.psw.id, "summary")]
    assert "Ashford Council" in shown(summary)
    assert ("Ashford Council", "14 of 14", "100%") in tables(summary)[0].rows
    favourable = [row[1] for t in tables(summary)[2:4] for row in t.rows]
    assert len(favourable) >= 3
    assert set(favourable) == {"100%"}
    trends = tables(replies[(a.psw.id, "trends small-health")])[0]
    assert len(trends.columns) == 2, "one round of Ashford's; Brookvale had two"
    assert "since 2025" not in shown(summary), "Brookvale's 2025 is not Ashford's"
    listed = tables(replies[(a.psw.id, "action list")])[0]
    assert [row[0] for row in listed.rows] == ["1"]
    assert "Team North" in shown(replies[(a.manager.id, "summary")])
    # Ashford's Team North has 7 people; Brookvale's, of the same name, 9.
    opened = shown(replies[(a.psw.id, f"campaign open {TEAM_CHECK}")])
    assert re.search(r"\b7 people\b", opened), opened

    after = snapshot(database_url)
    changed = changes(before, after)
    assert {change.table for change in changed} >= {
        "action",
        "announcement",
        "campaign",
        "draft",
        "job",
        "outbox",
        "participation",
        "pulse_schedule",
        "target",
    }
    assert_only_ashford_changed(changed, councils, after)
    # Messages went to Ashford's people only, although Team North and the
    # shared email exist at Brookvale too.
    ashford_people = {str(person.id) for person in a.people}
    for change in changed:
        if change.table == "outbox" and change.after is not None:
            recipient = str(change.after["recipient"])
            if recipient.startswith("person:"):
                assert recipient.removeprefix("person:") in ashford_people


async def test_naming_brookvale_s_team_or_campaign_at_ashford_finds_nothing(
    database_url: str, councils: TwoCouncils, sessions: SessionFactory
) -> None:
    a, b = councils.a, councils.b
    # The searches can fail: the same questions at Brookvale show its data.
    summary = await run(sessions, b.psw, "summary")
    assert ("Brookvale Council", "23 of 24", "96%") in tables(summary)[0].rows
    assert "Change since Health check 2025" in shown(summary)
    # The PSW's themes: a team of 9 is under twice the minimum, so it has no quotes.
    for person, typed in ((b.psw, "themes"), (b.psw, "action list")):
        assert B_MARK in shown(await run(sessions, person, typed)).casefold()
    assert "Brook pulse 2026" in shown(await run(sessions, b.shared, "status"))

    action_id = next(
        key
        for key, row in snapshot(database_url)["action"].items()
        if row["organisation_id"] == str(b.id)
    )
    before = snapshot(database_url)
    brook_pulse = "Brook pulse 2026"
    asked: list[tuple[Person, str]] = [
        (a.psw, 'summary "Team Brook"'),
        (a.psw, 'themes "Team Brook"'),
        (a.psw, f'summary "{brook_pulse}"'),
        (a.psw, "participation Team Brook"),
        (a.psw, f'participation "{brook_pulse}"'),
        (a.psw, f'remind team:"Team Brook" {AT}'),
        (a.psw, f"campaign schedule {brook_pulse} closes=2026-03-20T17:00"),
        (a.psw, f"close {brook_pulse}"),
        (a.psw, f"campaign open {brook_pulse}"),
        (
            a.psw,
            f'action add theme=workload campaign="{brook_pulse}" said=x doing=y '
            "owner=z",
        ),
        (a.psw, f"action update {action_id.replace('-', '')[:8]} status=done"),
        (a.psw, f"action list {brook_pulse}"),
        (a.psw, f"you-said {brook_pulse}"),
        (a.psw, f"post you-said {brook_pulse}"),
        (a.psw, 'brief title=t body=b to="team:Team Brook"'),
        (a.psw, 'brief title=t body=b to="service:Brook services"'),
        (a.manager, 'summary "Team Brook"'),
        (a.manager, "participation Team Brook"),
        (a.shared, f"start {brook_pulse}"),
        (a.shared, f"mute {brook_pulse}"),
    ]
    for person, typed in asked:
        result = await run(sessions, person, typed)
        assert problems(result), f"{typed!r} was answered: {shown(result)}"
        assert B_MARK not in unechoed(shown(result), typed).casefold(), (
            typed,
            shown(result),
        )
    assert changes(before, snapshot(database_url)) == []
