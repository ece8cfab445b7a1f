"""Hostile local-channel forms and query strings: never a 5xx.

Random values are posted to every form the local channel has (``/persona``,
``/start``, ``/answer``, ``/command``), sent as personal link tokens and
dashboard filters, and set as the session cookie, by a signed-in social worker
and by the PSW on the seeded demo database.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from webchat import Chat, Database, TestClient

from bot.web.identity import COOKIE

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
HOSTILE = [
    "",
    "<!channel>",
    "@here",
    "<script>alert(1)</script>",
    '=HYPERLINK("https://evil.example")',
    "{{DATE(2020-01-01T00:00:00Z)}}",
    "\x00",
    "../../etc/passwd",
    "00000000-0000-0000-0000-000000000000",
    "x" * 5000,
    "-1",
    "1e309",
    "NaN",
]
values = st.text(max_size=60) | st.sampled_from(HOSTILE)
ACTIONS = ["answer", "back", "skip", "pause", "submit", "edit", "review", ""]


def _ok(response: object) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    assert status < 500, response.text  # type: ignore[attr-defined]


@pytest.fixture
def worker(chat: Chat, db: Database) -> Chat:
    chat.pick(db.people(role="social_worker", access="staff")[0])
    return chat


@FUZZ
@given(data=st.data())
def test_answer_forms_with_any_fields(
    worker: Chat, db: Database, data: st.DataObject
) -> None:
    pulse = db.campaign("Pulse check")
    worker.start(pulse)
    fields: dict[str, object] = {}
    if data.draw(st.booleans()):
        fields = dict(worker.form())
    for name in data.draw(
        st.lists(
            st.sampled_from(
                [
                    "campaign_id",
                    "question_id",
                    "form_token",
                    "action",
                    "answer",
                    "multiple",
                    "edit",
                ]
            ),
            max_size=5,
        )
    ):
        fields[name] = data.draw(
            st.sampled_from([*ACTIONS, str(pulse.id)]) | values
            if name in ("action", "campaign_id")
            else st.lists(values, max_size=3) | values
        )
    _ok(worker.client.post("/answer", data=fields))  # type: ignore[arg-type]


@FUZZ
@given(st.sampled_from(["/persona", "/start", "/command", "/sign-out"]), st.data())
@example("/command", None)
def test_other_forms_with_any_fields(
    worker: Chat, path: str, data: st.DataObject | None
) -> None:
    if data is None:
        fields: dict[str, object] = {"text": "summary <!channel> \x00"}
    else:
        fields = data.draw(
            st.dictionaries(
                st.sampled_from(["person_id", "campaign_id", "text", "survey"])
                | st.text(max_size=8),
                values,
                max_size=4,
            )
        )
    _ok(worker.client.post(path, data=fields))  # type: ignore[arg-type]


cookies = st.text(
    st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters=';,\\"'),
    max_size=80,
)


@FUZZ
@given(values, cookies)
def test_links_pages_and_cookies_with_any_values(
    client: TestClient, token: str, cookie: str
) -> None:
    _ok(client.get(f"/s/{quote(token, safe='')}", follow_redirects=False))
    client.cookies.set(COOKIE, cookie)
    _ok(client.get(f"/?survey={quote(cookie, safe='')}"))
    _ok(client.post("/command", data={"text": "status"}))
    client.cookies.clear()


@settings(
    # The dashboard draws charts (about a second a page), so few examples.
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.dictionaries(
        st.sampled_from(["campaign", "service", "team", "role"]) | st.text(max_size=6),
        values | st.lists(values, max_size=2),
        max_size=4,
    )
)
def test_the_dashboard_with_any_filters(
    chat: Chat, db: Database, params: dict[str, str | list[str]]
) -> None:
    chat.pick(db.people(access="psw")[0])
    _ok(chat.client.get("/dashboard", params=params))
    _ok(chat.client.get("/surveys", params=params))
    _ok(chat.client.get("/messages", params=params))


@pytest.mark.parametrize("role", ["0", "<script>"])
def test_the_dashboard_with_a_role_that_does_not_exist(
    chat: Chat, db: Database, role: str
) -> None:
    chat.pick(db.people(access="psw")[0])
    response = chat.client.get("/dashboard", params={"role": role})
    assert response.status_code == 400
    assert "is not a known role" in response.text
