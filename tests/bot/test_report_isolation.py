"""``healthcheck report`` and ``healthcheck export org`` for one council of a region.

Ashford's report in every format, and Ashford's export, hold none of Brookvale's
names, ids or figures, although both councils share one database and their
team, service and campaign names (``tests/two_councils.py``).
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import pytest
from council_copies import councils_in
from docx import Document
from openpyxl import load_workbook
from row_snapshots import changes, owner_of, snapshot
from two_councils import B_MARK, HEALTH_CHECK, TwoCouncils

from analytics.writers import FORMATS
from bot import cli


@pytest.fixture
def councils(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> TwoCouncils:
    monkeypatch.chdir(tmp_path)  # no developer .env file is read
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("HEALTHCHECK_ORGANISATION", raising=False)
    return councils_in(database_url)


def readable(path: Path) -> str:
    """The words and figures a reader of the file sees."""
    if path.suffix == ".csv":
        with path.open(newline="", encoding="utf-8") as file:
            return "\n".join(" | ".join(row) for row in csv.reader(file))
    if path.suffix == ".xlsx":
        book = load_workbook(path, read_only=True)
        return "\n".join(
            " | ".join(str(cell) for cell in row if cell is not None)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    if path.suffix == ".docx":
        document = Document(str(path))
        cells = [
            cell.text
            for table in document.tables
            for row in table.rows
            for cell in row.cells
        ]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8") for name in archive.namelist()
            )
    html = path.read_text(encoding="utf-8")
    html = re.sub(r'src="data:[^"]*"', "", html)
    return re.sub(r"<[^>]+>", " ", html)


def brookvale_in(text: str, councils: TwoCouncils) -> list[str]:
    """Brookvale's names, ids and figures found in ``text``."""
    b = councils.b
    ids = [b.id, *(p.id for p in b.people), *(t.id for t in b.teams.values())]
    ids += [c.id for c in b.campaigns.values()]
    found = [str(i) for i in ids if str(i) in text or i.hex in text]
    if B_MARK in text.casefold():
        found.append(B_MARK)
    # Brookvale alone had a 2025 round, and 23 of its 24 answered.
    found += re.findall(r"\b(?:2025|23 of 24)\b", text)
    found += re.findall(r'"(?:invited|responded)": (?:23|24)\b', text)
    return found


def test_ashford_s_report_and_export_hold_nothing_of_brookvale(
    database_url: str, councils: TwoCouncils, tmp_path: Path
) -> None:
    before = snapshot(database_url)
    written = []
    # The writers turn one Report into each format; the engine only changes what
    # goes into it, so PostgreSQL writes one format and SQLite all of them.
    formats = FORMATS if database_url.startswith("sqlite") else ("csv",)
    for fmt in formats:
        out = tmp_path / f"ashford.{fmt}"
        argv = ["report", HEALTH_CHECK, "--format", fmt, "--out", str(out)]
        assert cli.main([*argv, "--org", "ashford"]) == 0
        written.append(out)
    export = tmp_path / "ashford.zip"
    assert cli.main(["export", "org", "--out", str(export), "--org", "ashford"]) == 0
    written.append(export)
    for path in written:
        text = readable(path)
        assert "Ashford" in text, path
        assert brookvale_in(text, councils) == [], path
    assert '"invited": 14' in readable(export)

    # Whatever they wrote (an audit entry, say) is Ashford's.
    after = snapshot(database_url)
    owners = {owner_of(change, after, councils) for change in changes(before, after)}
    assert owners <= {"a"}

    # The same search finds Brookvale in Brookvale's report.
    theirs = tmp_path / "brookvale.csv"
    argv = ["report", HEALTH_CHECK, "--format", "csv", "--out", str(theirs)]
    assert cli.main([*argv, "--org", "brookvale"]) == 0
    assert B_MARK in brookvale_in(readable(theirs), councils)
    assert "2025" in brookvale_in(readable(theirs), councils)


def test_ashford_s_retention_purge_removes_only_ashford_s_comments(
    database_url: str, councils: TwoCouncils
) -> None:
    before = snapshot(database_url)
    purge = ["retention", "purge", "--org", "ashford", "--months", "1"]
    assert cli.main([*purge, "--dry-run"]) == 0
    assert changes(before, snapshot(database_url)) == []
    assert cli.main(purge) == 0
    after = snapshot(database_url)
    purged = changes(before, after)
    removed = [c.table for c in purged if c.after is None]
    assert removed.count("comment") == 14, "Ashford's 14 comments"
    assert {owner_of(change, before, councils) for change in purged} == {"a"}
