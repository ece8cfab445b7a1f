"""The worker reads each stored comment with the comment model once; reports use it.

Through the real submit path (answers saved and sent), the real worker, and the
"themes" chat command a PSW types. Without the model extra (onnxruntime made
unimportable) the job finishes and the themes come from the rules.
"""

from __future__ import annotations

import sys
from datetime import timedelta

import pytest
from builders import NOW, SECRET, answer_as, full_answers, org_with_teams
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, delete, select, update

from analytics.comment_jobs import analyse_stored_comments, queue_unread_campaigns
from analytics.comments import encoder as encoder_module
from analytics.comments import model as model_module
from analytics.comments.model import load_sentiment_model
from bot.commands import dispatch
from bot.conversation.messages import SummaryTable
from bot.runtime import Runtime
from bot.settings import load_settings
from bot.worker import Worker
from survey.campaigns import close_campaign
from survey.comment_queue import ANALYSE_COMMENTS, queue_comment_analysis
from survey.db import SessionFactory
from survey.delivery.queue import DONE
from survey.models import Campaign, Comment, Job, Person

COMPLAINT = "Caseloads are far too high and I work late most nights."
needs_model = pytest.mark.skipif(
    load_sentiment_model() is None, reason="the model extra is not installed"
)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now


async def _setup(sessions: SessionFactory) -> tuple[Campaign, Person]:
    organisation, campaign, people, teams = await org_with_teams(
        sessions, teams={"Alpha": ("Adults", 6)}
    )
    for person in people["Alpha"]:
        answers = full_answers()
        answers["TX1"] = COMPLAINT
        await answer_as(sessions, person, campaign, answers)
    async with sessions() as session, session.begin():
        psw = Person(
            organisation_id=organisation.id,
            name="Pat Principal",
            email="pat@example.org",
            team_id=teams["Alpha"].id,
            role="principal_social_worker",
            employment_type="permanent",
            access="psw",
        )
        session.add(psw)
        stored = await session.get(Campaign, campaign.id)
        assert stored is not None
        await close_campaign(
            session, campaign=stored, now=NOW + timedelta(days=1), secret=SECRET
        )
    return campaign, psw


def _worker(database_url: str, engine: AsyncEngine, sessions: SessionFactory):  # type: ignore[no-untyped-def]
    settings = load_settings(
        database_url=database_url,
        secret_key="comment-model-secret-0123456789",
        seed_demo=False,
    )
    return Worker(Runtime(settings, engine, sessions), {}, clock=Clock())


async def _settle(worker: Worker) -> None:
    for _ in range(20):
        if not await worker.work_once():
            return
    raise AssertionError("the worker never ran out of work")


async def _comments(sessions: SessionFactory) -> list[Comment]:
    async with sessions() as session:
        return list(
            (await session.exec(select(Comment).order_by(col(Comment.id)))).all()
        )


async def _themes_row(sessions: SessionFactory, psw: Person) -> tuple[str, ...]:
    result = await dispatch(
        sessions, secret=SECRET, person=psw, text="themes", now=NOW + timedelta(days=2)
    )
    tables = [m for m in result.messages if isinstance(m, SummaryTable)]
    rows = [row for table in tables for row in table.rows]
    # Theme, comments, positive, neutral, negative (quotes follow in a PSW's table).
    return next(row[:5] for row in rows if row[0] == "Workload and caseload")


@needs_model
async def test_the_worker_reads_each_stored_comment_once(
    database_url: str, engine: AsyncEngine, sessions: SessionFactory
) -> None:
    campaign, _ = await _setup(sessions)
    async with sessions() as session:
        queued = (
            await session.exec(select(Job).where(Job.kind == ANALYSE_COMMENTS))
        ).all()
    assert queued  # submitting comments queued the model's job
    assert all(set(job.payload) == {"campaign_id"} for job in queued)

    await _settle(_worker(database_url, engine, sessions))

    comments = await _comments(sessions)
    model = load_sentiment_model()
    assert model is not None
    assert len(comments) == 6
    assert {c.analysed_by for c in comments} == {model.name}
    assert {c.sentiment for c in comments} == {"negative"}
    first = [(c.sentiment, c.sentiment_confidence) for c in comments]

    # Another job for the same campaign finds nothing left to read.
    async with sessions() as session, session.begin():
        assert await analyse_stored_comments(session, campaign_id=campaign.id) == (
            0,
            False,
        )
        await queue_comment_analysis(
            session, campaign_id=campaign.id, organisation_id=None, now=NOW
        )
    await _settle(_worker(database_url, engine, sessions))
    assert [
        (c.sentiment, c.sentiment_confidence) for c in await _comments(sessions)
    ] == first
    async with sessions() as session:
        jobs = (
            await session.exec(select(Job).where(Job.kind == ANALYSE_COMMENTS))
        ).all()
    assert {job.status for job in jobs} == {DONE}


async def test_themes_use_the_stored_reading_and_the_rules_for_unread_comments(
    sessions: SessionFactory,
) -> None:
    _, psw = await _setup(sessions)
    # Not read by the model yet: the rules read the complaint as negative.
    assert await _themes_row(sessions, psw) == (
        "Workload and caseload",
        "6",
        "0",
        "0",
        "6",
    )

    async with sessions() as session, session.begin():
        await session.exec(
            update(Comment).values(sentiment="positive", analysed_by="a stored reading")
        )

    # The report takes the stored reading instead of reading the text again.
    assert await _themes_row(sessions, psw) == (
        "Workload and caseload",
        "6",
        "6",
        "0",
        "0",
    )


async def test_without_the_model_extra_the_job_finishes_and_the_rules_read(
    database_url: str,
    engine: AsyncEngine,
    sessions: SessionFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As on a machine without `pip install .[model]`: the package cannot be imported.
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    encoder_module.load_encoder.cache_clear()
    model_module.load_sentiment_model.cache_clear()
    try:
        _, psw = await _setup(sessions)
        await _settle(_worker(database_url, engine, sessions))

        async with sessions() as session:
            jobs = (
                await session.exec(select(Job).where(Job.kind == ANALYSE_COMMENTS))
            ).all()
        assert jobs
        assert {job.status for job in jobs} == {DONE}
        assert {c.analysed_by for c in await _comments(sessions)} == {None}
        assert await _themes_row(sessions, psw) == (
            "Workload and caseload",
            "6",
            "0",
            "0",
            "6",
        )
    finally:
        encoder_module.load_encoder.cache_clear()
        model_module.load_sentiment_model.cache_clear()


@needs_model
async def test_a_starting_worker_queues_comments_stored_before_the_model(
    database_url: str, engine: AsyncEngine, sessions: SessionFactory
) -> None:
    await _setup(sessions)
    # As for comments stored before revision 0014 or before the extra was installed:
    # no job is waiting for them.
    async with sessions() as session, session.begin():
        await session.exec(delete(Job).where(col(Job.kind) == ANALYSE_COMMENTS))
    await _settle(_worker(database_url, engine, sessions))
    assert {c.analysed_by for c in await _comments(sessions)} == {None}

    async with sessions() as session, session.begin():
        assert await queue_unread_campaigns(session, now=NOW) == 1
    await _settle(_worker(database_url, engine, sessions))

    assert {c.sentiment for c in await _comments(sessions)} == {"negative"}
    async with sessions() as session, session.begin():
        assert await queue_unread_campaigns(session, now=NOW) == 0
