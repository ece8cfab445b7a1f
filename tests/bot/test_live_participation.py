"""While a survey is open, participation moves in steps no single submission makes.

Team A (7) and Team B (6) are invited; Team A's people submit one at a time,
and after each submission the PSW asks ``participation`` in the chat and opens
the dashboard. The finished counts (and the rates worked out from them) stay
put until five more have finished; the exact count appears at close.
"""

from __future__ import annotations

import asyncio
import re
import warnings
from collections.abc import Awaitable, Callable
from typing import TypeVar

from builders import SECRET, answer_as, full_answers
from plan_builders import MONDAY, PlanOrg, draft, plan_org

from bot.commands import dispatch
from bot.conversation.messages import SummaryTable
from bot.settings import load_settings
from survey.campaigns import close_campaign, open_campaign
from survey.db import SessionFactory, create_engine, session_factory
from survey.models import Campaign, Person

with warnings.catch_warnings():
    # Starlette asks for httpx2 instead of httpx; the lock has httpx.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette")
    from fastapi.testclient import TestClient

from bot.app import create_app  # noqa: E402  (after the TestClient import)

T = TypeVar("T")


def _with_sessions(url: str, work: Callable[[SessionFactory], Awaitable[T]]) -> T:
    async def run() -> T:
        engine = create_engine(url, pool_size=2)
        try:
            return await work(session_factory(engine))
        finally:
            await engine.dispose()

    return asyncio.run(run())


async def _open(sessions: SessionFactory) -> tuple[PlanOrg, Person, Campaign]:
    org = await plan_org(
        sessions, teams={"Team A": ("Adults", 7), "Team B": ("Adults", 6)}
    )
    psw = org.people["Team B"][0]
    async with sessions() as session, session.begin():
        stored = await session.get(Person, psw.id)
        assert stored is not None
        stored.access = "psw"
    campaign = await draft(sessions, org)
    async with sessions() as session, session.begin():
        stored_campaign = await session.get(Campaign, campaign.id)
        assert stored_campaign is not None
        await open_campaign(session, campaign=stored_campaign, now=MONDAY)
    return org, psw, stored_campaign


async def _chat(sessions: SessionFactory, psw: Person) -> dict[str, tuple[str, ...]]:
    result = await dispatch(
        sessions, secret=SECRET, person=psw, text="participation", now=MONDAY
    )
    (table,) = result.messages
    assert isinstance(table, SummaryTable)
    return {row[1]: row[2:] for row in table.rows}


def _dashboard_rate(client: TestClient) -> str:
    page = client.get("/dashboard")
    assert page.status_code == 200
    found = re.search(r'<p id="rate">Response rate: ([^<]*)</p>', page.text)
    assert found, page.text
    return found.group(1)


def test_a_single_submission_never_shows_in_the_chat_or_the_dashboard(
    database_url: str,
) -> None:
    url = database_url
    org, psw, campaign = _with_sessions(url, _open)
    settings = load_settings(
        database_url=url,
        secret_key=SECRET.decode(),
        seed_demo=False,
        organisation="plan-org",
    )
    chat: list[tuple[str, ...]] = []
    team: list[tuple[str, ...]] = []
    dashboard: list[str] = []
    with TestClient(create_app(settings)) as client:
        client.post("/persona", data={"person_id": str(psw.id)})
        for submitted in range(8):
            if submitted:
                person = org.people["Team A"][submitted - 1]
                _with_sessions(
                    url,
                    lambda s, p=person: answer_as(s, p, campaign, full_answers()),
                )
            rows = _with_sessions(url, lambda s: _chat(s, psw))
            chat.append(rows["Plan Council"])
            team.append(rows["Adults: Team A"])
            dashboard.append(_dashboard_rate(client))

        # 0 to 7 submitted: the counts move once, at the fifth.
        assert chat == [("13", "0", "0%")] * 5 + [("13", "5", "38%")] * 3
        assert team == [("7", "0", "0%")] * 5 + [("7", "5", "71%")] * 3
        assert dashboard == ["0 of 13 (0%)."] * 5 + ["5 of 13 (38%)."] * 3

        async def close(sessions: SessionFactory) -> None:
            async with sessions() as session, session.begin():
                stored = await session.get(Campaign, campaign.id)
                assert stored is not None
                await close_campaign(
                    session, campaign=stored, now=MONDAY, secret=SECRET
                )

        _with_sessions(url, close)
        rows = _with_sessions(url, lambda s: _chat(s, psw))
        assert rows["Plan Council"] == ("13", "7", "54%")
        assert rows["Adults: Team A"] == ("7", "7", "100%")
        assert _dashboard_rate(client) == "7 of 13 (54%)."
