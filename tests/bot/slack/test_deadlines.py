"""Slack's three-second deadlines hold while the database writer is busy.

Another connection holds SQLite's write lock (``BEGIN IMMEDIATE``) for longer
than Slack waits. Opening the answer modal still calls ``views.open`` at once
(its ``trigger_id`` lives about three seconds), and a modal submission is still
acknowledged at once, with the answer's error when it has one; the answer is
written once the writer is free.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from conftest import Org
from fakes.slack_api import FakeSlack
from slackapp import SlackWorkspace
from test_answering import begin, draft_of, ids_of, last_view

from bot.slack import ids
from survey.db import sync_url

HELD = 5.0
"""Seconds the writer is kept busy: longer than any Slack deadline."""
DEADLINE = 3.0


@contextmanager
def writer_busy(url: str) -> Iterator[None]:
    """Hold the database's write lock from another connection for :data:`HELD` s."""
    path = sync_url(url).database
    assert path
    holding = threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(path, timeout=30, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        holding.set()
        time.sleep(HELD)
        connection.execute("ROLLBACK")
        connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(10)
    try:
        yield
    finally:
        thread.join()


async def test_the_modal_opens_and_answers_are_acked_while_the_writer_is_busy(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    person = org.small.people[0]
    user = person.slack_id or ""
    message = begin(slack, user)
    slack.click(user, message, ids.ANSWER, value="agree")
    message = slack.last_dm(user)
    assert ids_of(message) == "HOURS"

    with writer_busy(org.url):
        tapped = time.monotonic()
        response = slack.click(user, message, ids.OPEN_MODAL, wait=False)
        acked = time.monotonic() - tapped
        assert response.status_code == 200
        assert acked < DEADLINE
        fake_slack.wait_for("views.open")
        [opened] = fake_slack.calls_to("views.open")
        assert opened.at - tapped < DEADLINE
        slack.settle(timeout=30)
    view = last_view(fake_slack)
    assert view["blocks"][-1]["element"]["type"] == "number_input"
    assert fake_slack.count("views.update") == 1

    with writer_busy(org.url):
        started = time.monotonic()
        refused = slack.submit_view(user, view, "99", wait=False)
        assert time.monotonic() - started < DEADLINE
        assert refused.json()["errors"] == {
            ids.ANSWER_BLOCK: "Please give a whole number from 0 to 40."
        }
        started = time.monotonic()
        taken = slack.submit_view(user, view, "4", wait=False)
        assert time.monotonic() - started < DEADLINE
        assert taken.status_code == 200
        assert taken.text == ""
        slack.settle(timeout=30)
    assert ids_of(slack.last_dm(user)) == "BULLIED"
    assert (await draft_of(org, person))["answers"]["HOURS"] == 4
