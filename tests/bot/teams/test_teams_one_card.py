"""A short pulse answered as one Adaptive Card: every question and a single Send.

Through the real Microsoft 365 Agents SDK app, Teams faked only at HTTP: the
card's ``Action.Execute`` carries every input, as Teams merges them into the
action's data.
"""

from __future__ import annotations

from typing import Any

from conftest import PULSE, Council
from sqlmodel import col, func, select
from teamschat import Database, Teams, action, execute, inputs, words

from survey.models import Answer, Comment, Response, SealedResponse

CHOSEN = {
    "WL02": "manageable",
    "WB01": "disagree",
    "SV01": "monthly",
    "LD05": "agree",
    "RT01": "likely",
}


def send_all(
    teams: Teams, member: Any, card: dict[str, Any], given: dict[str, Any]
) -> dict[str, Any]:
    button = action(card, "send_all")
    response = teams.post(execute(teams.service_url, member, button, given))
    assert response.status_code == 200, response.text
    reply: dict[str, Any] = response.json()["value"]
    return reply


def count(db: Database, model: type[Any]) -> int:
    with db.session() as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def test_the_pulse_is_answered_in_one_card_with_one_send(
    teams: Teams, council: Council, db: Database
) -> None:
    _, member = council.staff[0]
    [first] = teams.say(member, "start")
    form = teams.tap(member, action(first, "all"))

    boxes = inputs(form)
    assert [box["id"] for box in boxes] == [
        "answer_WL02",
        "answer_WB01",
        "answer_WB02",
        "answer_SV01",
        "answer_LD05",
        "answer_RT01",
        "answer_TX01",
    ]
    assert [box["type"] for box in boxes][-1] == "Input.Text"
    assert all(box["label"] for box in boxes)
    assert action(form, "send_all")["associatedInputs"] == "auto"

    # A value that is not an option: the card comes back with the problem and
    # what fitted kept; nothing is sent.
    again = send_all(teams, member, form, {"answer_WL02": "sometimes"})
    assert "needs another look" in words(again)
    assert count(db, SealedResponse) == 0

    # WB02 left untouched (Teams leaves it out) is skipped; one Send sends.
    given = {f"answer_{key}": value for key, value in CHOSEN.items()}
    thanks = send_all(teams, member, again, {**given, "answer_TX01": "More time"})
    assert "Thank you" in words(thanks)
    assert count(db, SealedResponse) == 1

    [closed] = teams.say(council.psw[1], f'campaign close "{PULSE}"')
    assert "is closed" in words(closed)
    with db.session() as session:
        [response] = session.exec(select(Response)).all()
        answers = {
            row.question_key: row.option
            for row in session.exec(
                select(Answer).where(col(Answer.response_id) == response.id)
            )
        }
        comments = session.exec(select(Comment.text)).all()
    assert answers == CHOSEN
    assert comments == ["More time"]
