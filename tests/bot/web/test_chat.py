"""The chat page end to end through real form posts: answering, pausing, mistakes."""

from __future__ import annotations

import html
import re
import uuid
from datetime import timedelta

import pytest
from sqlmodel import col, select, update
from webchat import Chat, Database, TestClient

from bot.app import create_app
from bot.settings import Settings
from bot.web.identity import COOKIE
from survey.anonymity import draft_key
from survey.models import (
    Answer,
    Campaign,
    Comment,
    Draft,
    Participation,
    Person,
    Response,
    SealedResponse,
)

SECRET = b"web-channel-test-secret-0123456789"
PULSE_ANSWERS = {
    "WL02": "manageable",
    "WB01": "agree",
    "WB02": "disagree",
    "SV01": "monthly",
    "LD05": "agree",
    "RT01": "likely",
}


def social_worker(db: Database, index: int = 0) -> Person:
    return db.people(role="social_worker", access="staff")[index]


def draft_of(db: Database, person: Person, campaign: Campaign) -> Draft | None:
    key = draft_key(SECRET, person_id=person.id, campaign_id=campaign.id)
    with db.session() as session:
        return session.get(Draft, key)


def responses(db: Database, campaign: Campaign) -> list[Response]:
    with db.session() as session:
        return list(
            session.exec(select(Response).where(Response.campaign_id == campaign.id))
        )


def started_pulse(chat: Chat, db: Database, person: Person) -> Campaign:
    pulse = db.campaign("Pulse check")
    chat.pick(person)
    chat.start(pulse)
    assert chat.progress == "Question 1 of 7"
    return pulse


def test_without_a_cookie_the_picker_offers_four_personas_and_the_roster(
    chat: Chat, db: Database
) -> None:
    page = chat.get("/")

    assert chat.status == 200
    assert "<h1>Who is using the chat?</h1>" in page
    assert page.count("<h1") == 1
    kinds = re.findall(r'<h3 id="persona-\d">([^<]+)</h3>', page)
    assert kinds == [
        "A social worker",
        "Wider workforce",
        "A manager",
        "The Principal Social Worker",
    ]
    names = re.findall(r'<p class="persona-name">([^<]+)</p>', page)
    by_name = {person.name: person for person in db.people()}
    roles = [by_name[html.unescape(name)] for name in names]
    assert roles[0].role == "social_worker"
    assert roles[0].access == "staff"
    assert roles[1].role in {
        "social_work_assistant",
        "family_support_worker",
        "early_help_practitioner",
        "personal_adviser",
        "support_worker",
        "reablement_worker",
        "occupational_therapy_assistant",
        "community_care_officer",
    }
    assert roles[2].access == "manager"
    assert roles[3].role == "principal_social_worker"
    options = re.findall(r"<option value=", page)
    assert len(options) == len(db.people(active=True))
    assert '<optgroup label="Child Protection (Children&#39;s)">' in page


def test_the_same_four_personas_are_offered_every_time(
    chat: Chat, settings: Settings
) -> None:
    first = re.findall(r'<p class="persona-name">([^<]+)</p>', chat.get("/"))
    with TestClient(create_app(settings)) as other:
        again = re.findall(r'<p class="persona-name">([^<]+)</p>', other.get("/").text)
    assert first == again
    assert len(first) == 4


def test_a_forged_or_altered_cookie_shows_the_picker(
    client: TestClient, db: Database
) -> None:
    person = social_worker(db)
    client.post("/persona", data={"person_id": str(person.id)})
    genuine = client.cookies[COOKIE]
    someone_else = social_worker(db, 1).id.hex
    altered = someone_else + genuine[len(someone_else) :]

    for value in ("nonsense", altered, genuine + "x", "a.b.c.d", ""):
        client.cookies.clear()
        client.cookies.set(COOKIE, value)
        page = client.get("/")
        assert page.status_code == 200
        assert "Who is using the chat?" in page.text


def test_picking_someone_not_on_the_roster_is_refused_clearly(chat: Chat) -> None:
    chat.pick(uuid.uuid4())
    assert chat.status == 400
    assert "That person is not on the roster" in chat.html


def test_a_persona_completes_the_pulse_and_exactly_one_response_is_stored(
    chat: Chat, db: Database
) -> None:
    person = social_worker(db)
    pulse = started_pulse(chat, db, person)
    assert responses(db, pulse) == []

    for position, (question, value) in enumerate(PULSE_ANSWERS.items(), start=1):
        assert chat.question == question
        assert chat.progress == f"Question {position} of 7"
        chat.answer(value)
        assert chat.status == 200
    assert chat.question == "TX01"
    # A short survey: Send on the last question, no separate review step.
    assert ">Send my answers</button>" in chat.html
    chat.answer("Fewer duplicated forms, please.")

    assert chat.status == 200
    assert "Check your answers to" not in chat.html
    assert "Thank you" in chat.html
    assert "have been sent anonymously" in chat.html
    assert "Edit my answers" in chat.html
    # Sent, and still editable for the grace period: it waits as the draft,
    # neither a response nor in the pool yet, and a replayed Send adds nothing.
    assert responses(db, pulse) == []
    assert "Sent. Thank you." in chat.get("/")
    chat.post(chat.form(chat.history[-3]), action="answer", answer="Again")
    assert chat.status == 200
    assert any("nothing was changed" in notice for notice in chat.notices())
    with db.session() as session:
        waiting = session.exec(
            select(SealedResponse).where(SealedResponse.campaign_id == pulse.id)
        ).all()
    assert waiting == []
    draft = draft_of(db, person, pulse)
    assert draft is not None
    assert draft.sent_at is not None
    assert draft.answers["TX01"] == "Fewer duplicated forms, please."
    # The PSW's close writes it.
    chat.pick(db.people(access="psw")[0])
    chat.command(f'campaign close "{pulse.name}"')
    assert f"&#39;{pulse.name}&#39; is closed and takes no more answers." in chat.html
    stored = responses(db, pulse)
    assert len(stored) == 1
    with db.session() as session:
        answers = {
            row.question_key: row.option
            for row in session.exec(
                select(Answer).where(Answer.response_id == stored[0].id)
            )
        }
        comments = list(
            session.exec(select(Comment).where(Comment.response_id == stored[0].id))
        )
        status = session.exec(
            select(Participation.status).where(
                Participation.campaign_id == pulse.id,
                Participation.person_id == person.id,
            )
        ).one()
        drafts = session.exec(
            select(Draft).where(col(Draft.campaign_id) == pulse.id)
        ).all()
    assert answers == PULSE_ANSWERS
    assert [(c.question_key, c.text) for c in comments] == [
        ("TX01", "Fewer duplicated forms, please.")
    ]
    assert status == "completed"
    assert drafts == []
    assert stored[0].role == "social_worker"


def test_sent_answers_are_changed_from_the_thank_you_page_and_counted_once(
    chat: Chat, db: Database
) -> None:
    person = social_worker(db)
    pulse = started_pulse(chat, db, person)
    for value in PULSE_ANSWERS.values():
        chat.answer(value)
    chat.post(chat.form(), action="skip")
    assert "Edit my answers" in chat.html
    edit = re.search(r'href="(/survey/[^"]+)">Edit my answers</a>', chat.html)
    assert edit is not None

    chat.get(edit.group(1))
    assert chat.question == "WL02"
    assert re.search(r'value="manageable" aria-pressed="true"', chat.html)
    chat.answer("not_manageable")
    # One change, then on to the next question, already answered.
    assert chat.question == "WB01"
    assert re.search(r'value="agree" aria-pressed="true"', chat.html)
    for _ in range(5):
        chat.answer(chat.pressed())
    assert chat.question == "TX01"
    chat.answer("Less travel.")
    assert any("changed answers" in notice for notice in chat.notices())
    assert "Edit my answers" in chat.html

    with db.session() as session:
        waiting = session.exec(
            select(SealedResponse).where(SealedResponse.campaign_id == pulse.id)
        ).all()
    assert waiting == []
    chat.pick(db.people(access="psw")[0])
    chat.command(f'campaign close "{pulse.name}"')
    stored = responses(db, pulse)
    assert len(stored) == 1
    with db.session() as session:
        answers = {
            row.question_key: row.option
            for row in session.exec(
                select(Answer).where(Answer.response_id == stored[0].id)
            )
        }
        comments = session.exec(
            select(Comment.text).where(Comment.response_id == stored[0].id)
        ).all()
    assert answers == {**PULSE_ANSWERS, "WL02": "not_manageable"}
    assert comments == ["Less travel."]
    assert draft_of(db, person, pulse) is None


def test_after_the_grace_period_sent_answers_cannot_be_changed(
    chat: Chat, db: Database
) -> None:
    person = social_worker(db)
    pulse = started_pulse(chat, db, person)
    for value in PULSE_ANSWERS.values():
        chat.answer(value)
    chat.answer("Sent.")
    address = f"/survey/{pulse.id}/q/WL02"
    chat.get(address)
    editing = chat.form()
    sent = draft_of(db, person, pulse)
    assert sent is not None
    assert sent.sent_at is not None
    with db.session() as session:
        session.exec(
            update(Draft)
            .where(col(Draft.key) == sent.key)
            .values(sent_at=sent.sent_at - timedelta(minutes=16))
        )
        session.commit()

    chat.post(editing, answer="not_manageable")
    assert any("already sent your answers" in n for n in chat.notices())
    chat.get(address)
    assert "Edit my answers" not in chat.html
    assert any("already sent your answers" in n for n in chat.notices())
    draft = draft_of(db, person, pulse)
    assert draft is not None
    assert draft.answers["WL02"] == "manageable"


def test_an_invalid_answer_is_asked_again_with_the_message(
    chat: Chat, db: Database
) -> None:
    person = social_worker(db)
    pulse = started_pulse(chat, db, person)

    chat.answer(None)

    assert chat.status == 422
    assert chat.problems() == [
        "There is a problem: Please pick one of the options shown."
    ]
    assert chat.progress == "Question 1 of 7"
    assert chat.question == "WL02"
    problem_id = re.search(r'class="problem" role="alert" id="([^"]+)"', chat.html)
    assert problem_id is not None
    assert re.search(
        rf'<fieldset[^>]*aria-describedby="[^"]*{problem_id.group(1)}', chat.html
    )
    assert "<title>Error: " in chat.html
    chat.answer("not one of the options")
    assert chat.problems() == [
        "There is a problem: Please pick one of the options shown."
    ]
    draft = draft_of(db, person, pulse)
    assert draft is not None
    assert draft.answers == {}
    chat.answer("manageable")
    assert chat.progress == "Question 2 of 7"


def test_pause_then_resume_from_a_new_client_with_the_same_cookie(
    chat: Chat, db: Database, settings: Settings
) -> None:
    person = social_worker(db)
    pulse = started_pulse(chat, db, person)
    chat.answer("manageable")
    chat.answer("agree")
    chat.post(chat.form(), action="pause")

    assert "are saved" in " ".join(chat.notices())
    assert "2 of 7 answered" in chat.html
    assert ">Resume<" in chat.html
    cookie = chat.client.cookies[COOKIE]

    with TestClient(create_app(settings)) as fresh:
        fresh.cookies.set(COOKIE, cookie)
        later = Chat(fresh)
        page = later.get("/")
        assert f"Signed in as <strong>{html.escape(person.name)}</strong>" in page
        assert "2 of 7 answered" in page
        later.start(pulse)
        assert any("Welcome back" in notice for notice in later.notices())
        assert later.progress == "Question 3 of 7"
        assert later.question == "WB02"
        later.answer("agree")
        assert later.progress == "Question 4 of 7"
    draft = draft_of(db, person, pulse)
    assert draft is not None
    assert draft.answers == {"WL02": "manageable", "WB01": "agree", "WB02": "agree"}


def test_a_double_click_or_replayed_post_records_one_answer(
    chat: Chat, db: Database
) -> None:
    person = social_worker(db)
    pulse = started_pulse(chat, db, person)
    form = chat.form()

    chat.post(form, action="answer", answer="manageable")
    chat.post(form, action="answer", answer="not_manageable")
    chat.post(form, action="answer", answer="just_about")

    assert chat.status == 200
    assert chat.progress == "Question 2 of 7"
    assert any("nothing was changed" in notice for notice in chat.notices())
    draft = draft_of(db, person, pulse)
    assert draft is not None
    assert draft.answers == {"WL02": "manageable"}
    assert draft.current == "WB01"


def test_a_post_redirects_so_a_refresh_does_not_answer_again(
    client: TestClient, db: Database
) -> None:
    chat = Chat(client)
    started_pulse(chat, db, social_worker(db))
    response = client.post(
        "/answer",
        data={**chat.form(), "action": "answer", "answer": "manageable"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert (
        response.headers["location"] == f"/survey/{chat.form()['campaign_id']}/q/WB01"
    )


def test_a_stale_page_answering_an_earlier_question_changes_nothing(
    chat: Chat, db: Database
) -> None:
    person = social_worker(db)
    pulse = started_pulse(chat, db, person)
    first_page = chat.form()
    chat.answer("manageable")
    chat.answer("agree")
    assert chat.question == "WB02"

    chat.post(first_page, action="answer", answer="not_manageable")
    assert chat.question == "WB02"
    chat.post(first_page, action="back")
    assert chat.question == "WB02"

    draft = draft_of(db, person, pulse)
    assert draft is not None
    assert draft.answers == {"WL02": "manageable", "WB01": "agree"}
    assert draft.current == "WB02"


def test_back_then_change_carries_on_at_the_next_question_not_further(
    chat: Chat, db: Database
) -> None:
    person = social_worker(db)
    pulse = started_pulse(chat, db, person)
    for value in list(PULSE_ANSWERS.values())[:3]:
        chat.answer(value)
    assert chat.question == "SV01"
    for _ in range(3):
        chat.post(chat.form(), action="back")
    assert chat.question == "WL02"
    assert re.search(r'value="manageable" aria-pressed="true"', chat.html)

    chat.answer("just_about")

    assert chat.question == "WB01"
    assert chat.progress == "Question 2 of 7"
    draft = draft_of(db, person, pulse)
    assert draft is not None
    assert draft.answers["WL02"] == "just_about"
    assert draft.answers["WB02"] == "disagree"


def test_each_question_has_its_own_address_for_back_forward_and_reload(
    client: TestClient, db: Database
) -> None:
    chat = Chat(client)
    pulse = started_pulse(chat, db, social_worker(db))
    chat.answer("manageable")
    chat.answer("agree")
    base = f"/survey/{pulse.id}/q"

    # The browser's Back: the earlier question at its own address, answer shown.
    chat.get(f"{base}/WB01")
    assert chat.status == 200
    assert chat.question == "WB01"
    assert chat.progress == "Question 2 of 7"
    assert re.search(r'value="agree" aria-pressed="true"', chat.html)
    # Forward, and a reload: the page again, nothing answered twice.
    for _ in range(2):
        chat.get(f"{base}/WB02")
        assert chat.question == "WB02"
    draft = draft_of(db, social_worker(db), pulse)
    assert draft is not None
    assert draft.answers == {"WL02": "manageable", "WB01": "agree"}
    # A question further on, or not a question: back to where the person is.
    for later in ("SV01", "TX01", "NOPE"):
        response = client.get(f"{base}/{later}", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == f"/?survey={pulse.id}"
    chat.get(f"{base}/TX01")
    assert chat.question == "WB02"


def test_answering_after_the_campaign_closed_shows_the_closed_notice(
    chat: Chat, db: Database
) -> None:
    person = social_worker(db)
    pulse = started_pulse(chat, db, person)
    chat.answer("manageable")
    with db.session() as session:
        stored = session.get(Campaign, pulse.id)
        assert stored is not None
        stored.status = "closed"
        session.add(stored)
        session.commit()

    chat.answer("agree")

    assert chat.status == 200
    assert any(
        "has closed, so it is no longer taking answers" in notice
        for notice in chat.notices()
    )
    assert pulse.name not in re.sub(r"<main.*?<aside", "", chat.html, flags=re.S)
    draft = draft_of(db, person, pulse)
    assert draft is not None
    assert draft.answers == {"WL02": "manageable"}
    chat.get(f"/?survey={pulse.id}")
    assert any("has closed" in notice for notice in chat.notices())
    assert '<form method="post" action="/answer"' not in chat.html


def test_switching_persona_mid_survey_never_mixes_answers(
    chat: Chat, db: Database
) -> None:
    alice, bob = social_worker(db, 0), social_worker(db, 1)
    pulse = started_pulse(chat, db, alice)
    chat.answer("manageable")
    alices_page = chat.form()
    assert alices_page["question_id"] == "WB01"

    chat.pick(bob)
    chat.start(pulse)
    assert chat.question == "WL02"
    chat.post(alices_page, action="answer", answer="strongly_agree")

    assert chat.status == 200
    assert f"Signed in as <strong>{html.escape(bob.name)}</strong>" in chat.html
    assert any("out of date" in notice for notice in chat.notices())
    assert chat.question == "WL02"
    bobs = draft_of(db, bob, pulse)
    alices = draft_of(db, alice, pulse)
    assert bobs is not None
    assert alices is not None
    assert bobs.answers == {}
    assert alices.answers == {"WL02": "manageable"}
    # Bob's own page still works, and Alice carries on where she was.
    chat.answer("not_manageable")
    chat.pick(alice)
    chat.start(pulse)
    assert chat.question == "WB01"


def test_a_stale_page_from_another_persona_before_they_started(
    chat: Chat, db: Database
) -> None:
    alice, bob = social_worker(db, 0), social_worker(db, 1)
    pulse = started_pulse(chat, db, alice)
    alices_page = chat.form()
    chat.pick(bob)

    chat.post(alices_page, action="answer", answer="manageable")

    assert any("out of date" in notice for notice in chat.notices())
    assert draft_of(db, bob, pulse) is None
    alices = draft_of(db, alice, pulse)
    assert alices is not None
    assert alices.answers == {}


def test_html_in_free_text_is_inert_on_every_page_it_appears(
    chat: Chat, db: Database
) -> None:
    person = social_worker(db)
    started_pulse(chat, db, person)
    for value in PULSE_ANSWERS.values():
        chat.answer(value)
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'

    chat.answer(attack + "x" * 1000)
    overlong = chat.html
    chat.answer(attack)
    assert "Edit my answers" in chat.html
    chat.get(f"/survey/{chat.form(overlong)['campaign_id']}/q/TX01")
    refilled = chat.html

    for page in (refilled, overlong):
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &#34;quotes&#34;" in refilled


def test_overlong_text_is_refused_with_the_limit_and_kept_in_the_box(
    chat: Chat, db: Database
) -> None:
    person = social_worker(db)
    pulse = started_pulse(chat, db, person)
    for value in PULSE_ANSWERS.values():
        chat.answer(value)
    assert 'maxlength="1000"' in chat.html
    assert "You can write up to 1000 characters" in chat.html

    chat.answer("é" * 1001)

    assert chat.status == 422
    assert chat.problems() == [
        "There is a problem: Please keep your answer to 1000 characters (it is 1001)."
    ]
    assert "é" * 1001 in chat.html
    draft = draft_of(db, person, pulse)
    assert draft is not None
    assert "TX01" not in draft.answers


def test_control_characters_get_the_flows_clear_message(
    chat: Chat, db: Database
) -> None:
    person = social_worker(db)
    pulse = started_pulse(chat, db, person)
    for value in PULSE_ANSWERS.values():
        chat.answer(value)

    chat.answer("\x00\x07\x1b")
    assert chat.problems() == [
        "There is a problem: Please type an answer, or skip this question."
    ]
    chat.answer("More\x00 staff\x07")
    assert "Edit my answers" in chat.html
    draft = draft_of(db, person, pulse)
    assert draft is not None
    assert draft.answers["TX01"] == "More staff"


def test_posts_without_a_person_go_to_the_picker(client: TestClient) -> None:
    for path in ("/answer", "/start", "/command"):
        response = client.post(path, data={}, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/"


def test_a_survey_id_that_is_not_a_survey_is_handled(chat: Chat, db: Database) -> None:
    chat.pick(social_worker(db))
    chat.get("/?survey=not-a-uuid")
    assert chat.status == 200
    chat.get("/?survey=00000000-0000-4000-8000-000000000000")
    assert any("could not be found" in notice for notice in chat.notices())
    chat._keep(chat.client.post("/start", data={"campaign_id": str(uuid.uuid4())}))
    assert any("could not be found" in notice for notice in chat.notices())


def test_production_mode_offers_no_picker(demo_url: str) -> None:
    from bot.settings import load_settings

    production = load_settings(
        database_url=demo_url, secret_key="x" * 40, mode="production"
    )
    with TestClient(create_app(production)) as client:
        page = client.get("/")
        assert "personal link" in page.text
        assert "persona-name" not in page.text
        refused = client.post("/persona", data={"person_id": "x"})
        assert refused.status_code == 403


@pytest.mark.parametrize("path", ["/", "/people"])
def test_every_page_has_one_h1_landmarks_and_british_english(
    chat: Chat, db: Database, path: str
) -> None:
    chat.pick(social_worker(db))
    for page in (chat.get(path), chat.get(f"/?survey={db.campaign('Pulse check').id}")):
        assert '<html lang="en-GB">' in page
        assert page.count("<h1") == 1
        assert "<main" in page
        assert "<header" in page
        assert "<footer" in page


def test_the_command_box_shows_what_was_typed_and_the_reply(
    chat: Chat, db: Database
) -> None:
    chat.pick(social_worker(db))
    chat.command("status")
    assert "<kbd>status</kbd>" in chat.html
    assert "Pulse check" in " ".join(chat.notices()) + chat.html

    pulse = db.campaign("Pulse check")
    chat.command("start pulse")
    assert chat.progress == "Question 1 of 7"
    assert f'name="survey" value="{pulse.id}"' in chat.html
    chat._keep(
        chat.client.post("/command", data={"text": "<b>help</b>", "survey": pulse.id})
    )
    assert "&lt;b&gt;help&lt;/b&gt;" in chat.html
    assert "<b>help</b>" not in chat.html
    assert chat.progress == "Question 1 of 7"


def test_signing_out_forgets_the_person(chat: Chat, db: Database) -> None:
    chat.pick(social_worker(db))
    response = chat.client.get("/")
    assert response.headers["cache-control"] == "no-store"
    chat._keep(chat.client.post("/sign-out"))
    assert "Who is using the chat?" in chat.html
    assert COOKIE not in chat.client.cookies


def test_the_intro_states_the_count_the_person_will_get(
    chat: Chat, db: Database
) -> None:
    pulse = db.campaign("Pulse check")
    chat.pick(social_worker(db))

    chat.get(f"/?survey={pulse.id}")

    assert "7 questions, about 2 minutes." in chat.html
    chat.start(pulse)
    assert chat.progress == "Question 1 of 7"


def test_typed_skip_back_pause_and_resume_in_the_chat_box(
    chat: Chat, db: Database
) -> None:
    person = social_worker(db)
    pulse = started_pulse(chat, db, person)

    chat.command("skip")
    assert chat.progress == "Question 2 of 7"
    chat.command("back")
    assert chat.progress == "Question 1 of 7"
    chat.command("pause")
    assert any("Come back any time with" in n for n in chat.notices())
    assert "didn't recognise" not in chat.html
    chat.command("resume")

    assert chat.progress == "Question 1 of 7"
    draft = draft_of(db, person, pulse)
    assert draft is not None
    assert draft.answers == {"WL02": None}
