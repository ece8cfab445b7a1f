"""Every request to /slack/events is checked: bad or stale signatures get 401."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest
from conftest import Org
from fakes.slack_api import FakeSlack
from slackapp import SlackWorkspace, signed_headers, slash_command
from sqlmodel import func, select

from survey.models import Draft, Participation, ParticipationStatus


def start_command(fake: FakeSlack, user: str) -> str:
    return urlencode(
        slash_command(
            user, "start", channel="C0GENERAL", response_url=fake.response_url()
        )
    )


async def answered_anything(org: Org) -> bool:
    async with org.sessions() as session:
        drafts = (await session.exec(select(func.count()).select_from(Draft))).one()
        started = (
            await session.exec(
                select(func.count())
                .select_from(Participation)
                .where(Participation.status != ParticipationStatus.INVITED)
            )
        ).one()
    return bool(drafts or started)


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(
            lambda body: signed_headers(body, secret="not-the-secret"),
            id="wrong secret",
        ),
        pytest.param(
            lambda body: signed_headers(body, timestamp=int(time.time()) - 6 * 60),
            id="stale",
        ),
        pytest.param(
            lambda body: signed_headers(body, timestamp=int(time.time()) + 6 * 60),
            id="future",
        ),
        pytest.param(
            lambda body: {
                **signed_headers(body),
                "X-Slack-Signature": "v0=" + "0" * 64,
            },
            id="tampered",
        ),
        pytest.param(lambda body: {}, id="unsigned"),
    ],
)
async def test_a_bad_or_stale_signature_gets_401_and_changes_nothing(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org, headers: object
) -> None:
    user = org.small.people[0].slack_id
    assert user
    body = start_command(fake_slack, user)
    response = slack.post(
        body,
        content_type="application/x-www-form-urlencoded",
        headers=headers(body),  # type: ignore[operator]
    )
    assert response.status_code == 401
    assert fake_slack.calls == []
    assert fake_slack.responses == []
    assert not await answered_anything(org)


async def test_a_body_changed_after_signing_is_refused(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    user = org.small.people[0].slack_id
    assert user
    body = start_command(fake_slack, user)
    forged = body.replace("text=start", "text=campaign+close+Small+check+2026")
    response = slack.post(
        forged,
        content_type="application/x-www-form-urlencoded",
        headers=signed_headers(body),
    )
    assert response.status_code == 401
    assert fake_slack.calls == []


async def test_a_correctly_signed_request_is_served(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    user = org.small.people[0].slack_id
    assert user
    response = slack.post(
        start_command(fake_slack, user),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert await answered_anything(org)


def test_url_verification_is_answered_with_the_challenge(slack: SlackWorkspace) -> None:
    body = json.dumps(
        {
            "token": "x",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    )
    response = slack.post(body, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {
        "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    }
