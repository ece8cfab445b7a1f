"""Forged, replayed and unsigned Slack requests are refused and logged."""

from __future__ import annotations

import logging
import time
from urllib.parse import urlencode

import pytest
from conftest import Org
from fakes.slack_api import FakeSlack
from slackapp import SlackWorkspace, signed_headers, slash_command
from sqlmodel import func, select

from bot.slack.verify import signature_problem
from survey.db import SessionFactory
from survey.models import Draft, Participation, ParticipationStatus

SECURITY = "healthcheck.security"


async def anything_started(sessions: SessionFactory) -> bool:
    async with sessions() as session:
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
    ("headers", "reason"),
    [
        pytest.param(
            lambda body: signed_headers(body, secret="not-the-secret"),
            "forged",
            id="forged",
        ),
        pytest.param(
            # Slack really signed it, seven minutes ago: someone sends it again.
            lambda body: signed_headers(body, timestamp=int(time.time()) - 7 * 60),
            "replayed",
            id="replayed",
        ),
        pytest.param(lambda body: {}, "unsigned", id="unsigned"),
        pytest.param(
            lambda body: {
                **signed_headers(body),
                "X-Slack-Request-Timestamp": "yesterday",
            },
            "malformed",
            id="malformed",
        ),
    ],
)
async def test_a_refused_slack_request_is_logged_without_its_body(
    slack: SlackWorkspace,
    fake_slack: FakeSlack,
    org: Org,
    caplog: pytest.LogCaptureFixture,
    headers: object,
    reason: str,
) -> None:
    user = org.small.people[0].slack_id
    assert user
    body = urlencode(
        slash_command(
            user,
            "start secret-words-typed",
            channel="C0GENERAL",
            response_url=fake_slack.response_url(),
        )
    )
    with caplog.at_level(logging.INFO):
        response = slack.post(
            body,
            content_type="application/x-www-form-urlencoded",
            headers=headers(body),  # type: ignore[operator]
        )
    assert response.status_code == 401
    assert response.json() == {"error": "invalid request"}
    assert fake_slack.calls == []
    assert not await anything_started(org.sessions)
    [record] = [r for r in caplog.records if r.name == SECURITY]
    assert record.levelno == logging.WARNING
    assert record.refusal == "slack-signature"  # type: ignore[attr-defined]
    assert record.facts["reason"] == reason  # type: ignore[attr-defined]
    assert record.facts["client"] == "testclient"  # type: ignore[attr-defined]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "secret-words-typed" not in logged
    assert user not in logged


def test_a_request_signed_now_is_accepted_by_the_check() -> None:
    body = "token=x&text=start"
    headers = {k.lower(): v for k, v in signed_headers(body, secret="s").items()}
    assert signature_problem("s", body.encode(), headers) is None
    assert signature_problem(None, body.encode(), headers) == "unsigned"
    assert signature_problem("s", b"\xff\xfe", headers) == "malformed"
    later = time.time() + 5 * 60 + 2
    assert signature_problem("s", body.encode(), headers, now=later) == "replayed"
