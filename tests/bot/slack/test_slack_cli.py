"""``healthcheck slack ...``: link-roster and import-audience against the fake
Slack; workforce-channel (database only) on both engines."""

from __future__ import annotations

import asyncio
import os

import pytest
from builders import SECRET
from conftest import Org
from fakes.slack_api import BOT_TOKEN, FakeSlack
from row_snapshots import changes, snapshot
from slackapp import SIGNING_SECRET
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli import main
from bot.slack.cli import slack_app
from survey.db import create_engine, session_factory
from survey.models import Participation, Person
from survey.organisations import create_organisation


@pytest.fixture
def environment(
    org: Org, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    from builders import SECRET

    for name, value in {
        "DATABASE_URL": org.url,
        "HEALTHCHECK_SECRET_KEY": SECRET.decode(),
        "HEALTHCHECK_ORGANISATION": "test-org",
        "HEALTHCHECK_SLACK_ENABLED": "true",
        "HEALTHCHECK_SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "HEALTHCHECK_SLACK_BOT_TOKEN": BOT_TOKEN,
        "HEALTHCHECK_SLACK_API_URL": fake_slack.api_url,
    }.items():
        monkeypatch.setenv(name, value)


async def test_link_roster_and_import_audience_from_the_command_line(
    environment: None, org: Org, fake_slack: FakeSlack
) -> None:
    async with org.sessions() as session, session.begin():
        for person in org.small.people[:2]:
            stored = await session.get(Person, person.id)
            assert stored is not None
            stored.slack_id = None
            session.add(stored)
        participation = (await session.exec(select(Participation))).first()
        assert participation is not None
        await session.delete(participation)
    runner = CliRunner()
    linked = await _invoke(runner, ["link-roster"])
    assert "Linked 2 people to Slack by email; 4 were linked already" in linked
    fake_slack.usergroups["S0ALL"] = [p.slack_id or "" for p in org.small.people]
    imported = await _invoke(runner, ["import-audience", "Small check 2026", "S0ALL"])
    assert (
        "S0ALL: 6 members; 1 invited, 5 already invited, 0 not on the roster."
        in imported
    )


async def _invoke(runner: CliRunner, arguments: list[str]) -> str:
    import asyncio

    # The command runs its own event loop, so it runs in a thread of its own.
    result = await asyncio.to_thread(runner.invoke, slack_app, arguments)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def two_organisations(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Ashford (the deployment's default) and Brookvale; Brookvale has C0BROOK1."""

    async def create() -> None:
        engine = create_engine(database_url)
        try:
            async with session_factory(engine)() as session, session.begin():
                await create_organisation(session, slug="ashford", name="Ashford")
                brookvale = await create_organisation(
                    session, slug="brookvale", name="Brookvale"
                )
                brookvale.slack_workforce_channel = "C0BROOK1"
        finally:
            await engine.dispose()

    asyncio.run(create())
    for name in list(os.environ):
        if name.startswith("HEALTHCHECK_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("HEALTHCHECK_MODE", "development")  # as `make run`
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("HEALTHCHECK_SECRET_KEY", SECRET.decode())
    monkeypatch.setenv("HEALTHCHECK_ORGANISATION", "ashford")
    return database_url


def channels(url: str) -> dict[str, str | None]:
    """Each organisation's own workforce channel, by slug."""
    rows = snapshot(url)["organisation"].values()
    return {row["slug"]: row["slack_workforce_channel"] for row in rows}


def healthcheck(
    capsys: pytest.CaptureFixture[str], *arguments: str
) -> tuple[int, str, str]:
    """``healthcheck slack workforce-channel ARGUMENTS`` in this process."""
    capsys.readouterr()
    code = main(["slack", "workforce-channel", *arguments])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_each_organisation_s_workforce_channel_is_set_and_cleared(
    two_organisations: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = two_organisations
    code, out, err = healthcheck(capsys, " C0ASHFORD1 ")
    assert (code, err) == (0, "")
    assert "Ashford (ashford): you-said digests and briefings are now posted in " in out
    assert "channel C0ASHFORD1." in out
    assert channels(url) == {"ashford": "C0ASHFORD1", "brookvale": "C0BROOK1"}

    code, out, err = healthcheck(capsys, "G0PRIVATE2", "--org", "brookvale")
    assert (code, err) == (0, "")
    assert "Brookvale (brookvale)" in out
    assert channels(url) == {"ashford": "C0ASHFORD1", "brookvale": "G0PRIVATE2"}

    code, out, err = healthcheck(capsys, "--clear", "--org", "brookvale")
    assert (code, err) == (0, "")
    assert "held (not posted) until one is set" in out
    assert channels(url) == {"ashford": "C0ASHFORD1", "brookvale": None}

    monkeypatch.setenv("HEALTHCHECK_SLACK_WORKFORCE_CHANNEL", "C0DEFAULT")
    code, out, err = healthcheck(capsys, "--clear")
    assert (code, err) == (0, "")
    assert "HEALTHCHECK_SLACK_WORKFORCE_CHANNEL (C0DEFAULT)" in out
    assert channels(url) == {"ashford": None, "brookvale": None}


BAD = "is not a Slack channel id: one starts with C or G followed by capital"


WRONG = [
    (["general"], f"Error: 'general' {BAD}"),
    (["#general"], f"Error: '#general' {BAD}"),
    (["c0brook9", "--org", "brookvale"], f"Error: 'c0brook9' {BAD}"),
    (["D0DIRECT1"], f"Error: 'D0DIRECT1' {BAD}"),
    (["C0" + "X" * 39], f"Error: 'C0{'X' * 39}' {BAD}"),
    (["C0NEW1", "--clear"], "Error: Give a channel id or --clear, not both."),
    ([], "Error: Give the channel's id (C... or G...), or --clear to unset it."),
    (["C0NEW1", "--org", "nowhere"], "Error: There is no organisation 'nowhere'."),
    (["--clear", "--org", "nowhere"], "Error: There is no organisation 'nowhere'."),
]


def test_a_wrong_channel_or_organisation_is_one_error_and_changes_nothing(
    two_organisations: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(two_organisations)
    for arguments, message in WRONG:
        code, out, err = healthcheck(capsys, *arguments)
        assert (code, out) == (1, ""), arguments
        assert len(err.splitlines()) == 1, err
        assert err.startswith(message), err
    assert changes(before, snapshot(two_organisations)) == []
    assert channels(two_organisations)["brookvale"] == "C0BROOK1"


def links(url: str) -> dict[str, str]:
    """Which organisation (by slug) each linked workspace belongs to."""
    tables = snapshot(url)
    slugs = {row["id"]: row["slug"] for row in tables["organisation"].values()}
    return {
        row["team_id"]: slugs[row["organisation_id"]]
        for row in tables["slack_workspace"].values()
    }


def link(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    """``healthcheck slack link-workspace ARGUMENTS`` in this process."""
    capsys.readouterr()
    code = main(["slack", "link-workspace", *arguments])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_a_workspace_is_linked_to_its_council_and_moved_only_when_asked(
    two_organisations: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = two_organisations
    code, out, err = link(capsys, "T0BROOK", "--org", "brookvale")
    assert (code, err) == (0, "")
    assert out.startswith("Workspace T0BROOK now belongs to Brookvale (brookvale)")
    assert links(url) == {"T0BROOK": "brookvale"}

    code, out, err = link(capsys, " T0BROOK ", "--org", "brookvale")
    assert (code, err) == (0, "")
    assert "already belongs to Brookvale (brookvale); nothing changed." in out

    # Another council's workspace is not taken without --move.
    before = snapshot(url)
    code, out, err = link(capsys, "T0BROOK")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "Error: Workspace T0BROOK belongs to Brookvale (brookvale). Add --move to "
        "give it to Ashford (ashford) instead; Brookvale's people there would then "
        "reach Ashford's data."
    ]
    assert changes(before, snapshot(url)) == []

    code, out, err = link(capsys, "T0BROOK", "--move")
    assert (code, err) == (0, "")
    assert "now belongs to Ashford (ashford)" in out
    assert links(url) == {"T0BROOK": "ashford"}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["general"], "Error: 'general' is not a Slack workspace id"),
        (["t0lower"], "Error: 't0lower' is not a Slack workspace id"),
        (["C0CHANNEL"], "Error: 'C0CHANNEL' is not a Slack workspace id"),
        (["T0NEW", "--org", "nowhere"], "Error: There is no organisation 'nowhere'."),
    ],
)
def test_a_wrong_workspace_or_organisation_is_one_error_and_changes_nothing(
    two_organisations: str,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    message: str,
) -> None:
    before = snapshot(two_organisations)
    code, out, err = link(capsys, *arguments)
    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1, err
    assert err.startswith(message), err
    assert changes(before, snapshot(two_organisations)) == []
