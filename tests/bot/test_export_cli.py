"""``healthcheck export org`` by the real CLI: a zip and one log entry, or one error."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from export_builders import CAMPAIGN, Council, council_database
from sqlalchemy import create_engine, pool
from sqlmodel import Session, select

from bot import cli
from survey.db import sqlite_connect_hook, sync_url
from survey.models import AuditEvent


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def council_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Council]]:
    with council_database(request, tmp_path_factory.mktemp("council")) as built:
        yield built


@pytest.fixture
def database(
    council_url: tuple[str, Council], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> str:
    url = council_url[0]
    monkeypatch.chdir(tmp_path)  # no developer .env file is read
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HEALTHCHECK_ORGANISATION", "teams-org")
    return url


def _events(url: str) -> list[AuditEvent]:
    engine = create_engine(sync_url(url), poolclass=pool.NullPool)
    if url.startswith("sqlite"):
        sqlite_connect_hook(engine)
    try:
        with Session(engine) as session:
            return list(session.exec(select(AuditEvent)).all())
    finally:
        engine.dispose()


def test_the_export_is_written_and_logged_once(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _events(database)
    out = tmp_path / "teams.zip"
    assert cli.main(["export", "org", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"Wrote {out} for Teams Council: organisation 1,")
    assert "people 22" in printed
    with zipfile.ZipFile(out) as archive:
        assert "manifest.json" in archive.namelist()
        assert CAMPAIGN in archive.read("campaigns.json").decode()
    new = [e for e in _events(database) if e.id not in {b.id for b in before}]
    assert len(new) == 1
    event = new[0]
    assert event.action == "org.exported"
    assert event.channel == "cli"
    assert event.actor.startswith("command line (")
    assert event.subject == f"Teams Council · all records · {out}"
    assert event.actor_person_id is None


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--org", "nope"], "Error: There is no organisation 'nope'."),
        (["--out", "missing/x.zip"], "Error: missing/x.zip: there is no folder"),
        (["--out", "x.txt"], "Error: x.txt: the export is a zip file"),
    ],
)
def test_a_mistake_is_one_error_line_and_writes_nothing(
    database: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    expected: str,
) -> None:
    before = len(_events(database))
    argv = ["export", "org", "--out", "fine.zip", *args]
    assert cli.main(argv) == 1
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 1
    assert errors[0].startswith(expected)
    assert list(tmp_path.iterdir()) == []
    assert len(_events(database)) == before
