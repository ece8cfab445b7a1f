"""A long summary in Teams arrives whole, over several cards within the size limit."""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any

from conftest import PULSE, seed_council
from teamschat import SECRET_KEY, Teams, walk, words

from bot.teams.cards import CARD_BUDGET
from survey.answering import DraftState, save_draft, submit
from survey.db import create_engine, session_factory
from survey.demo import generate_answers
from survey.models import Campaign, Person, Template
from survey.questions.catalogue import definition_of


async def _everyone_answers(url: str) -> None:
    """Every invited person answers the pulse (written straight to the database)."""
    from datetime import UTC, datetime

    from sqlmodel import select

    engine = create_engine(url)
    sessions = session_factory(engine)
    rng = random.Random(7)
    try:
        async with sessions() as session:
            campaign = (
                await session.exec(select(Campaign).where(Campaign.name == PULSE))
            ).one()
            template = await session.get(Template, campaign.template_id)
            assert template is not None
            definition = definition_of(template)
            people = (await session.exec(select(Person))).all()
        for person in people:
            answers: Any = generate_answers(definition, rng, mood=0.0)
            async with sessions() as session, session.begin():
                await save_draft(
                    session,
                    secret=SECRET_KEY.encode(),
                    person=person,
                    campaign=campaign,
                    state=DraftState(answers=answers),
                    now=datetime.now(UTC),
                )
                await submit(
                    session,
                    secret=SECRET_KEY.encode(),
                    person=person,
                    campaign=campaign,
                    now=datetime.now(UTC),
                )
    finally:
        await engine.dispose()


def test_a_summary_longer_than_one_card_is_split_losing_nothing(
    sqlite_url: str, teams: Teams
) -> None:
    council = seed_council(sqlite_url, size=12)
    asyncio.run(_everyone_answers(sqlite_url))
    psw = council.psw[1]
    [closed] = teams.say(psw, f'campaign close "{PULSE}"')
    assert "closed" in words(closed).lower()
    # The PSW asks for both teams and the service, twice over.
    asked = "summary " + '"Team A" "Team B" Children\'s ' * 2
    cards = teams.say(psw, asked.strip())
    assert len(cards) >= 2
    for card in cards:
        assert len(json.dumps(card, ensure_ascii=False).encode()) <= CARD_BUDGET
    shown = " ".join(words(card) for card in cards)
    for label in ("Team A", "Team B", "Children's"):
        assert shown.count(f"Summary for {label}: {PULSE}") == 2
    assert "…" not in shown
    tables = [
        node for card in cards for node in walk(card) if node.get("type") == "Table"
    ]
    assert tables
