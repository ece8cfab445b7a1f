"""The whole loop in Slack, against the fake Web API, on SQLite and PostgreSQL.

Install through OAuth, import the roster, link people to Slack by email, launch
a pulse to 50 social workers, have every one of them answer through Block Kit
(buttons, a modal, pauses, a double click, the App Home tab), then a manager asks
for the summary and the PSW logs an action and posts "you said, we did". The
database and every recorded Slack call are checked at the end.
"""

from __future__ import annotations

import csv
import json
import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import slack_settings, working_clock
from fakes.slack_api import BOT_TOKEN, CLIENT_ID, CLIENT_SECRET, TEAM_ID, FakeSlack
from slackapp import SlackWorkspace, slack_workspace
from sqlmodel import col, func, select
from test_oauth import install, install_link

from bot.runtime import Runtime
from bot.settings import Settings
from bot.slack import ids
from bot.slack.clients import TokenSource, installation_store, web_client
from bot.slack.delivery import EVENT_TYPE, SlackDelivery
from bot.slack.linking import link_roster
from bot.slack.throttle import SlackLimits
from bot.worker import Worker
from survey.campaigns import Audience, create_campaign
from survey.db import SessionFactory, create_engine, session_factory
from survey.models import (
    Action,
    Campaign,
    Draft,
    OutboxMessage,
    Participation,
    Person,
    Response,
)
from survey.organisations import create_organisation, find_organisation
from survey.questions.bank import load_all
from survey.questions.catalogue import sync_templates
from survey.roster.importing import import_roster
from survey.schedule.plans import schedule_campaign

pytestmark = pytest.mark.filterwarnings(
    "ignore:BasicAuth is deprecated:DeprecationWarning"
)

STAFF = 50
WORKFORCE = "C0WORKFORCE"
PULSE = "Pulse March 2026"
MANAGER = "U0MANAGER1"
PSW = "U0PSWUSER1"
UNLIMITED = SlackLimits(per_method={}, per_channel_seconds=0.0)


def staff_id(n: int) -> str:
    return f"U0STAFF{n:03d}"


def write_roster(path: Path, fake: FakeSlack) -> None:
    """52 people; half the staff without a Slack id (to be matched by email)."""
    rows = [
        [
            "Mo Manager",
            "mo.manager@westmere.example",
            MANAGER,
            "Duty East",
            "Children's",
            "team_manager",
            "permanent",
            "Duty East",
            "manager",
        ],
        [
            "Pat Psw",
            "pat.psw@westmere.example",
            PSW,
            "Quality",
            "Children's",
            "principal_social_worker",
            "permanent",
            "",
            "psw",
        ],
    ]
    for n in range(STAFF):
        email = f"worker{n:03d}@westmere.example"
        team = "Duty East" if n % 2 == 0 else "Duty West"
        known = staff_id(n) if n % 2 == 0 else ""
        rows.append(
            [
                f"Worker {n:03d}",
                email,
                known,
                team,
                "Children's",
                "social_worker",
                "permanent",
                "",
                "",
            ]
        )
    for row in rows:
        fake.add_user(row[2] or staff_id(int(row[1][6:9])), email=row[1], name=row[0])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "name",
                "email",
                "slack_id",
                "team",
                "service",
                "role",
                "employment_type",
                "manager_of",
                "access",
            ]
        )
        writer.writerows(rows)


async def setup_organisation(sessions: SessionFactory) -> None:
    async with sessions() as session, session.begin():
        await create_organisation(session, slug="westmere", name="Westmere Council")
        await sync_templates(session, templates=load_all())


async def drain(worker: Worker) -> None:
    for _ in range(200):
        if not await worker.work_once():
            return
    raise AssertionError("the outbox did not drain")


def screen_of(message: object) -> str:
    for block in message.blocks:  # type: ignore[attr-defined]
        screen = ids.screen_of(block.get("block_id"))
        if screen is not None:
            return screen.question_id
    return ""


def answer_survey(
    slack: SlackWorkspace, fake: FakeSlack, user: str, rng: random.Random
) -> int:
    """Answer whatever the survey message shows until it is sent; returns taps."""
    taps = 0
    for _ in range(40):
        message = slack.last_dm(user)
        where = screen_of(message)
        if where == "":
            assert "Thank you" in json.dumps(message.blocks)
            return taps
        taps += 1
        if where == "__review__":
            slack.click(user, message, ids.SUBMIT)
            continue
        answer = next(
            b for b in message.blocks if b.get("block_id", "").endswith("|answer")
        )
        first = answer["elements"][0]
        if first["action_id"] == ids.OPEN_MODAL:
            slack.click(user, message, ids.OPEN_MODAL)
            view = list(fake.views.values())[-1]
            said = rng.choice([None, "More staff on duty <!channel>", "Less paperwork"])
            slack.submit_view(user, view, said)
        elif first["action_id"] == ids.CHOOSE:
            value = rng.choice(first["options"])["value"]
            slack.click(user, message, ids.CHOOSE, value=value)
        else:
            value = rng.choice(answer["elements"])["value"]
            slack.click(user, message, ids.ANSWER, value=value)
    raise AssertionError(f"{user} never finished")


@pytest.fixture
def settings(database_url: str, fake_slack: FakeSlack) -> Settings:
    return slack_settings(
        database_url,
        fake_slack,
        organisation="westmere",
        slack_bot_token=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        slack_workforce_channel=WORKFORCE,
    )


async def test_install_launch_answer_summarise_and_close_the_loop(
    settings: Settings, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    runtime = Runtime.build(settings)
    delivery = SlackDelivery.from_settings(settings, limits=UNLIMITED)
    worker = Worker(runtime, {"slack": delivery}, clock=working_clock())
    rng = random.Random(6)
    try:
        await setup_organisation(sessions)
        roster = tmp_path / "roster.csv"
        write_roster(roster, fake_slack)
        with slack_workspace(settings, fake_slack) as slack:
            # 1. Install into the workspace through OAuth.
            install(slack, fake_slack, installer=PSW, link=install_link("westmere"))

            # 2. Import the roster, then link the rest by email.
            async with sessions() as session, session.begin():
                organisation = await find_organisation(session, slug="westmere")
                report = await import_roster(
                    session,
                    organisation_id=organisation.id,
                    path=roster,
                    create_teams=True,
                )
            assert report.added == STAFF + 2
            store = installation_store(settings, engine)
            token = await TokenSource(settings, store).for_team(TEAM_ID)
            assert token == BOT_TOKEN
            linked = await link_roster(
                sessions,
                web_client(settings, token=token),
                organisation_id=organisation.id,
            )
            assert (linked.linked, linked.already, linked.not_in_slack) == (
                STAFF // 2,
                STAFF // 2 + 2,
                [],
            )

            # 3. Launch the pulse to the 50 social workers.
            now = datetime.now(UTC)
            async with sessions() as session, session.begin():
                campaign = await create_campaign(
                    session,
                    organisation_id=organisation.id,
                    template_key="pulse-check",
                    name=PULSE,
                    year=now.year,
                    audience=Audience(roles=["social_worker"]),
                )
                await schedule_campaign(
                    session,
                    campaign=campaign,
                    opens_at=now,
                    closes_at=now + timedelta(days=7),
                    reminder_days=[],
                    now=now,
                )
            await drain(worker)
            invitations = fake_slack.calls_to("chat.postMessage")
            assert len(invitations) == STAFF
            assert fake_slack.count("conversations.open") == STAFF

            # 4. Everyone answers through Block Kit, in their own way.
            taps = 0
            for n in range(STAFF):
                user = staff_id(n)
                invitation = slack.last_dm(user)
                if n % 10 == 3:  # from the App Home tab
                    slack.open_home(user)
                    slack.click_home(user, ids.START, campaign.id.hex)
                else:
                    slack.click(user, invitation, ids.START, value=campaign.id.hex)
                if n % 10 == 5:  # a double click on the first question
                    first = slack.last_dm(user)
                    slack.click(user, first, ids.ANSWER, value="manageable")
                    slack.click(user, first, ids.ANSWER, value="not_manageable")
                if n % 10 == 7:  # pause, then carry on by messaging the bot
                    slack.click(user, slack.last_dm(user), ids.PAUSE)
                    slack.dm(user, "resume")
                taps += answer_survey(slack, fake_slack, user, rng)

            # 5. A manager asks for the summary, only they see it.
            slack.command(MANAGER, "summary", channel="C0MANAGERS")
            summary = fake_slack.wait_for_responses(1)[-1]
            assert summary["response_type"] == "ephemeral"
            shown = json.dumps(summary)
            assert "Duty East" in shown
            assert "25" in shown

            # 6. The PSW closes the survey (an open one is refused "you said, we
            # did"), logs an action and posts "you said, we did".
            before = len(fake_slack.responses)
            slack.command(PSW, f'campaign close "{PULSE}"', channel="C0PSW")
            fake_slack.wait_for_responses(before + 1)
            before = len(fake_slack.responses)
            slack.command(
                PSW,
                f'action add theme=workload campaign="{PULSE}" said="Duty is '
                'stretched <!here>" doing="Two more duty workers from April" '
                'owner="Head of Service" due=2027-03-31',
                channel="C0PSW",
            )
            slack.command(PSW, f'post you-said "{PULSE}"', channel="C0PSW")
            replies = fake_slack.wait_for_responses(before + 2)[before:]
            assert all(reply["response_type"] == "ephemeral" for reply in replies)
            await drain(worker)
            slack.open_home(staff_id(0))
            home = json.dumps(fake_slack.home[staff_id(0)], ensure_ascii=False)
        # 7. What was stored.
        async with sessions() as session:
            responses = (
                await session.exec(
                    select(func.count())
                    .select_from(Response)
                    .where(Response.campaign_id == campaign.id)
                )
            ).one()
            drafts = (await session.exec(select(func.count()).select_from(Draft))).one()
            completed = (
                await session.exec(
                    select(func.count())
                    .select_from(Participation)
                    .where(
                        Participation.campaign_id == campaign.id,
                        Participation.status == "completed",
                    )
                )
            ).one()
            outbox = (await session.exec(select(OutboxMessage))).all()
            actions = (await session.exec(select(Action))).all()
            channels = (
                await session.exec(
                    select(Person.slack_dm_channel).where(
                        col(Person.role) == "social_worker"
                    )
                )
            ).all()
            stored_campaign = await session.get(Campaign, campaign.id)
        assert (responses, drafts, completed) == (STAFF, 0, STAFF)
        assert stored_campaign is not None
        assert stored_campaign.status == "closed"
        assert Counter(message.status for message in outbox) == Counter(
            {"done": len(outbox)}
        )
        assert Counter(message.platform for message in outbox) == Counter(
            {"slack": len(outbox)}
        )
        assert len(actions) == 1
        assert all(channel and channel.startswith("D") for channel in channels)

        # 8. What Slack saw.
        posts = fake_slack.calls_to("chat.postMessage")
        channel_posts = [
            c for c in posts if not str(c.params["channel"]).startswith("D")
        ]
        assert [c.params["channel"] for c in channel_posts] == [WORKFORCE]
        digest = json.dumps(channel_posts[0].params["blocks"], ensure_ascii=False)
        assert "&lt;!here&gt;" in digest
        assert "<!here>" not in digest
        keys = Counter(
            message.metadata["event_payload"]["key"]
            for messages in fake_slack.messages.values()
            for message in messages
            if message.metadata and message.metadata["event_type"] == EVENT_TYPE
        )
        assert len(keys) == len(outbox)
        assert set(keys.values()) == {1}
        notes = [k for k in keys if k.startswith("you_said_note")]
        assert len(notes) == STAFF
        assert fake_slack.count("conversations.open") == STAFF, "DMs opened once each"
        assert all(r["response_type"] == "ephemeral" for r in fake_slack.responses)
        assert {
            call.token for call in fake_slack.calls if call.method != "oauth.v2.access"
        } == {BOT_TOKEN}
        assert fake_slack.count("views.open") >= STAFF, "the comment modal, once each"
        assert taps >= STAFF * 7, "seven questions and the review each"
        assert "Duty is stretched" in home
        assert not fake_slack.unknown
        assert not fake_slack.invalid
    finally:
        await delivery.close()
        await runtime.close()
        await engine.dispose()
