"""The worked two-year example, run end to end as its commands.sh says.

Every ``healthcheck`` line of ``examples/two-years/commands.sh`` runs, in order,
through the real command line; the printed figures and the report's changes are
checked against the proportions ``examples/two-years/generate.py`` wrote.
"""

from __future__ import annotations

import csv
import importlib.util
import math
import os
import shlex
from pathlib import Path
from types import ModuleType

import pytest
from docx import Document
from typer.testing import CliRunner

from bot import cli

EXAMPLE = Path(__file__).parents[2] / "examples" / "two-years"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate", EXAMPLE / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATE = _generator()


def _share(stem: str, heading: str) -> tuple[int, int]:
    spec = GENERATE.ROUNDS[stem]
    return spec["answers"][heading][2], spec["respondents"]


def _percent(stem: str, heading: str) -> float:
    k, n = _share(stem, heading)
    return 100 * k / n


@pytest.fixture
def ran(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """Run commands.sh's healthcheck lines in a fresh folder; their outputs by line."""
    for name in list(os.environ):
        if name.startswith("HEALTHCHECK_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "examples").symlink_to(EXAMPLE.parent, target_is_directory=True)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'westmere.db'}")
    monkeypatch.setenv("HEALTHCHECK_ORGANISATION", "westmere")
    monkeypatch.setenv("HEALTHCHECK_MODE", "development")  # as `make run`
    outputs = {}
    lines = (EXAMPLE / "commands.sh").read_text("utf-8").splitlines()
    for line in lines:
        if not line.startswith("healthcheck "):
            continue
        result = CliRunner().invoke(cli.app, shlex.split(line)[1:])
        assert result.exit_code == 0, f"{line}\n{result.output}{result.exception!r}"
        outputs[line] = result.output
    return outputs


def _printed(ran: dict[str, str], campaign: str) -> str:
    return next(
        out for line, out in ran.items() if f'"{campaign}"' in line and "import" in line
    )


def _csv(path: Path) -> dict[tuple[str, str, str], dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {
            (row["group"], row["question_id"], row["measure"]): row
            for row in csv.DictReader(handle)
        }


def test_the_exports_are_what_generate_py_writes(tmp_path: Path) -> None:
    for stem in GENERATE.ROUNDS:
        shipped = (EXAMPLE / f"{stem}.csv").read_text("utf-8")
        with (tmp_path / "x.csv").open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(GENERATE.rows(stem))
        assert (tmp_path / "x.csv").read_text("utf-8") == shipped, stem


def test_the_example_runs_and_its_figures_match_the_proportions(
    ran: dict[str, str], tmp_path: Path
) -> None:
    for stem, campaign in (
        ("sw-2026", "SW 2026"),
        ("workforce-2025", "Workforce 2025"),
    ):
        n = GENERATE.ROUNDS[stem]["respondents"]
        assert _printed(ran, campaign).startswith(
            f"Imported {n} responses as '{campaign}'"
        )
    invited = sum(int(row[1]) for row in csv.reader(
        (EXAMPLE / "sw-invited-2026.csv").read_text().splitlines()[1:]))  # fmt: skip
    rate = round(100 * 44 / invited)
    assert f"{invited} were invited: a {rate}% response rate." in _printed(
        ran, "SW 2026"
    )
    listed = next(out for line, out in ran.items() if line.endswith("campaign list"))
    assert "imported from sw-2025.csv" in listed

    sw = _csv(tmp_path / "sw-2026.csv")
    whole = "Whole organisation"
    workload = sw[(whole, "WL01", "% favourable")]
    now, before = (
        _percent("sw-2026", GENERATE.WORKLOAD),
        _percent("sw-2025", GENERATE.WORKLOAD),
    )
    assert float(workload["value"]) == round(now, 1)
    assert float(workload["change"]) == round(now - before, 1)
    stress = sw[(whole, "WB01", "% favourable")]  # disagreeing is favourable
    assert float(stress["value"]) == round(_percent("sw-2026", GENERATE.STRESS), 1)
    safe = sw[(whole, "WB04", "% favourable")]  # the yes/no question: "Yes" -> agree
    assert float(safe["value"]) == round(_percent("sw-2026", GENERATE.SAFE), 1)
    aware = sw[(whole, "LC01", "% aware of the improvement plan")]  # Westmere's own
    now, before = (
        _percent("sw-2026", GENERATE.AWARE),
        _percent("sw-2025", GENERATE.AWARE),
    )
    assert float(aware["value"]) == round(now, 1)
    assert float(aware["change"]) == round(now - before, 1)
    front_door = sw[("Children's: Front Door", "RESPONSE_RATE", "response rate %")]
    assert float(front_door["value"]) == round(
        100 * 15 / 21, 1
    )  # rows 1, 4, 7 ... of 44
    assert sw[(whole, "WL01", "target %")]["value"] == "70.0"

    workforce = _csv(tmp_path / "workforce-2026.csv")
    supervision = workforce[(whole, "SV05", "% favourable")]
    now = _percent("workforce-2026", GENERATE.SUPERVISION)
    before = _percent("workforce-2025", GENERATE.SUPERVISION)
    assert float(supervision["change"]) == round(now - before, 1)
    assert (whole, "LC01", "% aware of the improvement plan") not in workforce

    paper = Document(str(tmp_path / "westmere-health-checks-2026.docx"))
    shared = {
        row.cells[0].text: [c.text for c in row.cells] for row in paper.tables[0].rows
    }
    line = shared[GENERATE.WORKLOAD]
    # Reports round halves up (62.5% shows as 63%), as a reader expects.
    assert line[1] == f"{math.floor(_percent('sw-2026', GENERATE.WORKLOAD) + 0.5)}%"
    assert (
        line[3] == f"{math.floor(_percent('workforce-2026', GENERATE.WORKLOAD) + 0.5)}%"
    )
    words = "\n".join(p.text for p in paper.paragraphs)
    assert "imported from that tool's export (sw-2026.csv)" in words
    assert "chat tools" not in words
    cells = "\n".join(c.text for t in paper.tables for r in t.rows for c in r.cells)
    assert "Caseload cap of 18 in the assessment teams" in cells
    assert "70.5% aware of the improvement plan" in cells
