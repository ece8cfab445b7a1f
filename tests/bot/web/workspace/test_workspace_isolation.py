"""Ashford's workspace lists nothing of Brookvale's and opens none of it.

Both councils share one database with colliding names (``tests/two_councils.py``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from builders import SECRET
from council_copies import councils_in
from two_councils import B_MARK, HEALTH_CHECK, TwoCouncils
from webchat import TestClient

from bot.app import create_app
from bot.settings import load_settings


@pytest.fixture
def councils(database_url: str) -> TwoCouncils:
    return councils_in(database_url)


@pytest.fixture
def ashford_psw(database_url: str, councils: TwoCouncils) -> Iterator[TestClient]:
    """Ashford's PSW, signed in to Ashford's deployment."""
    settings = load_settings(
        database_url=database_url,
        secret_key=SECRET.decode(),
        seed_demo=False,
        organisation="ashford",
    )
    with TestClient(create_app(settings)) as client:
        client.post("/persona", data={"person_id": str(councils.a.psw.id)})
        yield client


def test_the_workspace_lists_and_opens_only_ashford_s_surveys(
    ashford_psw: TestClient, councils: TwoCouncils
) -> None:
    listed = ashford_psw.get("/workspace/surveys")
    assert listed.status_code == 200
    assert str(councils.a.campaigns[HEALTH_CHECK].id) in listed.text
    for campaign in councils.b.campaigns.values():
        assert str(campaign.id) not in listed.text
    assert B_MARK not in listed.text.casefold()
    theirs = councils.b.campaigns[HEALTH_CHECK].id
    for path in ("", "/results", "/close", "/report.csv"):
        response = ashford_psw.get(f"/workspace/surveys/{theirs}{path}")
        assert response.status_code == 404, path
    for action in ("open", "close", "schedule"):
        response = ashford_psw.post(
            f"/workspace/surveys/{theirs}/{action}",
            data={"confirm": "yes", "closes_text": "tomorrow 9am"},
        )
        assert response.status_code == 404, action
