"""The organisation export: complete records, the report's figures, nothing secret."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from builders import NOW, SECRET
from export_builders import (
    BOT_TOKEN,
    CAMPAIGN,
    GAMMA_HOURS,
    GAMMA_Q1_FAVOURABLE,
    LINK_HASH,
    PHONE,
    Council,
    council,
)
from sqlalchemy import func
from sqlmodel import col, select

from analytics.org_export import (
    SCHEMA_VERSION,
    ExportPathError,
    OrgExport,
    collect_export,
    write_export,
)
from analytics.report import build_report
from survey.db import SessionFactory
from survey.models import (
    Action,
    Announcement,
    Answer,
    Comment,
    Organisation,
    Person,
    Response,
    Service,
    Target,
    Team,
    TemplateQuestion,
)


async def _export(sessions: SessionFactory, built: Council, path: Path) -> Path:
    async with sessions() as session:
        export = await collect_export(session, organisation=built.organisation, now=NOW)
    return write_export(export, path)


def _read(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        return {
            name.removesuffix(".json"): json.loads(archive.read(name))
            for name in archive.namelist()
        }


def _raw(path: Path) -> str:
    """Every file of the zip, decompressed, as one text to search."""
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(name).decode() for name in archive.namelist())


async def _count(sessions: SessionFactory, model: Any, *where: Any) -> int:
    async with sessions() as session:
        query = select(func.count()).select_from(model)
        for condition in where:
            query = query.where(condition)
        return (await session.exec(query)).one()


async def test_the_export_is_complete_suppressed_and_keeps_secrets(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    """One council per engine (building one is the slow part), four checks."""
    built = await council(sessions)
    path = await _export(sessions, built, tmp_path / "council.zip")
    files = _read(path)
    await _counts_match_the_database(sessions, built, files)
    await _results_are_the_reports_figures(sessions, built, files)
    await _the_hidden_teams_figures_appear_nowhere(sessions, files)
    await _no_secret_response_or_raw_comment_leaves(sessions, built, _raw(path))


async def _counts_match_the_database(
    sessions: SessionFactory, built: Council, files: dict[str, Any]
) -> None:
    org = built.organisation.id
    files = dict(files)
    manifest = files.pop("manifest")
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert manifest["organisation"] == {"slug": "teams-org", "name": "Teams Council"}
    assert "Deliberately absent" in manifest["readme"]
    assert manifest["counts"] == {f"{name}.json": len(v) for name, v in files.items()}
    assert len(files["people"]) == 22
    for name, model, where in (
        ("people", Person, Person.organisation_id == org),
        ("teams", Team, Team.organisation_id == org),
        ("services", Service, Service.organisation_id == org),
        ("actions", Action, Action.organisation_id == org),
        ("announcements", Announcement, Announcement.organisation_id == org),
        ("targets", Target, Target.organisation_id == org),
        (
            "questions",
            TemplateQuestion,
            TemplateQuestion.template_id == built.campaign.template_id,
        ),
    ):
        assert len(files[name]) == await _count(sessions, model, where), name
    assert [c["name"] for c in files["campaigns"]] == [CAMPAIGN]
    mona = next(p for p in files["people"] if p["name"] == "Mona Manager")
    assert (mona["manages"], mona["team"], mona["service"]) == (
        ["Alpha"],
        "Alpha",
        "Adults",
    )
    rates = {row["group"]: row for row in files["participation"]}
    assert (
        rates["Whole organisation"]["invited"],
        rates["Whole organisation"]["responded"],
    ) == (20, 20)


async def _results_are_the_reports_figures(
    sessions: SessionFactory, built: Council, files: dict[str, Any]
) -> None:
    async with sessions() as session:
        report = await build_report(session, campaign=built.campaign)
    shown = {
        q.question_id: round(q.favourable, 1) if q.favourable is not None else None
        for q in report.overall.questions
        if q.favourable is not None or q.hidden is not None
    }
    exported = {
        row["question_id"]: row["value"]
        for row in files["results"]
        if row["group"] == "Whole organisation" and row["measure"] == "% favourable"
    }
    assert exported == shown
    assert exported["Q1"] == 90.0  # 17 of Alpha and Beta, 1 of Gamma's 3
    assert exported["WHO"] is None, "too few answered who bullied them"
    assert [t["label"] for t in files["comment_themes"]] == [
        t.label for t in report.themes
    ]
    assert files["comment_themes"], "the report shows comment themes"


async def _the_hidden_teams_figures_appear_nowhere(
    sessions: SessionFactory, files: dict[str, Any]
) -> None:
    async with sessions() as session:
        gamma = (await session.exec(select(Team).where(Team.name == "Gamma"))).one()
        rows = (
            await session.exec(
                select(Answer.option)
                .join(Response, col(Response.id) == col(Answer.response_id))
                .where(Response.team_id == gamma.id, Answer.question_key == "Q1")
            )
        ).all()
    favourable = sum(option in ("agree", "strongly_agree") for option in rows)
    assert round(100 * favourable / len(rows), 1) == GAMMA_Q1_FAVOURABLE
    gamma_rows = [r for r in files["results"] if "Gamma" in r["group"]]
    assert gamma_rows, "Gamma is listed, as hidden"
    assert all(r["value"] is None and r["hidden_reason"] for r in gamma_rows)
    values = [(r["question_id"], r["measure"], r["value"]) for r in files["results"]]
    assert not [v for v in values if v[2] == GAMMA_Q1_FAVOURABLE]
    assert ("HOURS", "mean", float(GAMMA_HOURS)) not in values
    gamma_rates = [r for r in files["participation"] if "Gamma" in r["group"]]
    assert gamma_rates
    assert all(r["invited"] is None and r["rate"] is None for r in gamma_rates)


async def _no_secret_response_or_raw_comment_leaves(
    sessions: SessionFactory, built: Council, text: str
) -> None:
    async with sessions() as session:
        response_ids = (await session.exec(select(Response.id))).all()
        comments = (await session.exec(select(Comment.text))).all()
    assert built.draft_key not in text
    for secret in (BOT_TOKEN, LINK_HASH, SECRET.decode(), PHONE, "xoxb-"):
        assert secret not in text
    assert not [rid for rid in response_ids if str(rid) in text]
    assert any(PHONE in comment for comment in comments), "the phone was written"
    assert "Caseloads are far too high, ring Alpha person 1" not in text


@pytest.mark.parametrize(
    ("where", "problem"),
    [
        ("missing/council.zip", "there is no folder"),
        ("file.txt/council.zip", "there is no folder"),
        ("folder.zip", "is a folder"),
        ("council.json", "the export is a zip file"),
    ],
)
def test_an_unwritable_path_is_refused_and_leaves_nothing(
    tmp_path: Path, where: str, problem: str
) -> None:
    (tmp_path / "file.txt").write_text("not a folder")
    (tmp_path / "folder.zip").mkdir()
    export = OrgExport(
        Organisation(slug="x", name="X Council"), NOW, {"people": [{"name": "A"}]}
    )
    before = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(ExportPathError) as caught:
        write_export(export, tmp_path / where)
    message = str(caught.value)
    assert problem in message
    assert "\n" not in message
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
