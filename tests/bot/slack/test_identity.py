"""Matching the roster to Slack, and a user group or channel as an audience."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import Org, slack_settings
from fakes.slack_api import BOT_TOKEN, FakeSlack
from sqlmodel import col, select

from bot.slack.audience import import_audience
from bot.slack.clients import web_client
from bot.slack.linking import link_roster
from survey.errors import CampaignClosedError
from survey.models import OutboxMessage, Participation, Person


async def unlink(org: Org, people: list[Person]) -> None:
    async with org.sessions() as session, session.begin():
        for person in people:
            stored = await session.get(Person, person.id)
            assert stored is not None
            stored.slack_id = None
            session.add(stored)


async def test_the_roster_is_linked_to_slack_by_email(
    org: Org, fake_slack: FakeSlack
) -> None:
    client = web_client(slack_settings(org.url, fake_slack), token=BOT_TOKEN)
    await unlink(org, org.small.people[:4])
    gone = org.small.people[3]
    assert gone.slack_id
    del fake_slack.users[gone.slack_id]
    fake_slack.fail_next("users.lookupByEmail", retry_after=1)
    report = await link_roster(
        org.sessions, client, organisation_id=org.small.organisation.id
    )
    assert (report.linked, report.already, report.not_in_slack) == (3, 2, [gone.email])
    async with org.sessions() as session:
        people = {
            p.email: p.slack_id for p in (await session.exec(select(Person))).all()
        }
    for person in org.small.people[:3]:
        assert people[person.email] == person.slack_id
    assert people[gone.email] is None
    assert "Linked 3 people" in report.summary()


async def test_a_user_group_becomes_an_audience_once(
    org: Org, fake_slack: FakeSlack
) -> None:
    client = web_client(slack_settings(org.url, fake_slack), token=BOT_TOKEN)
    async with org.sessions() as session, session.begin():
        participations = (await session.exec(select(Participation))).all()
        for participation in participations[:3]:
            await session.delete(participation)
    members = [p.slack_id or "" for p in org.small.people] + ["U0OUTSIDER"]
    fake_slack.add_user("U0OUTSIDER", email="someone@else.example")
    fake_slack.usergroups["S0DUTYTEAM"] = members
    campaign_id = org.small.campaign.id
    first = await import_audience(
        org.sessions,
        client,
        campaign_id=campaign_id,
        source="S0DUTYTEAM",
        now=org.small.campaign.opens_at,
    )  # type: ignore[arg-type]
    assert (first.members, first.invited, first.already, first.not_on_roster) == (
        7,
        3,
        3,
        1,
    )
    again = await import_audience(
        org.sessions,
        client,
        campaign_id=campaign_id,
        source="S0DUTYTEAM",
        now=org.small.campaign.opens_at,
    )  # type: ignore[arg-type]
    assert (again.invited, again.already) == (0, 6)
    async with org.sessions() as session:
        outbox = (await session.exec(select(OutboxMessage))).all()
        count = len((await session.exec(select(Participation))).all())
    assert count == 6
    assert Counter(m.platform for m in outbox) == Counter({"slack": 3})
    assert "S0DUTYTEAM: 7 members" in first.summary("S0DUTYTEAM")


async def test_a_channel_is_read_page_by_page(org: Org, fake_slack: FakeSlack) -> None:
    client = web_client(slack_settings(org.url, fake_slack), token=BOT_TOKEN)
    fake_slack.channel_members["C0ADULTS"] = [
        p.slack_id or "" for p in org.small.people
    ]
    from bot.slack import audience

    audience_page = audience.PAGE
    audience.PAGE = 4
    try:
        report = await import_audience(
            org.sessions,
            client,
            campaign_id=org.small.campaign.id,
            source="C0ADULTS",
            now=org.small.campaign.opens_at,
        )  # type: ignore[arg-type]
    finally:
        audience.PAGE = audience_page
    assert (report.members, report.already) == (6, 6)
    assert fake_slack.count("conversations.members") == 2


async def test_a_closed_campaign_takes_no_audience(
    org: Org, fake_slack: FakeSlack
) -> None:
    from builders import NOW, SECRET

    from survey.campaigns import close_campaign
    from survey.models import Campaign

    async with org.sessions() as session, session.begin():
        campaign = await session.get(Campaign, org.small.campaign.id)
        assert campaign is not None
        await close_campaign(session, campaign=campaign, now=NOW, secret=SECRET)
    client = web_client(slack_settings(org.url, fake_slack), token=BOT_TOKEN)
    fake_slack.usergroups["S0X"] = [org.small.people[0].slack_id or ""]
    with pytest.raises(CampaignClosedError):
        await import_audience(
            org.sessions,
            client,
            campaign_id=org.small.campaign.id,
            source="S0X",
            now=NOW,
        )
    async with org.sessions() as session:
        assert (
            await session.exec(
                select(OutboxMessage).where(col(OutboxMessage.platform) == "slack")
            )
        ).all() == []


def test_the_team_of_an_interaction_is_the_installed_workspace_as_bolt_reads_it() -> (
    None
):
    """A person from another organisation's workspace (Slack Connect) taps a button:
    ``user.team_id`` is their workspace, ``team.id`` the one the app serves."""
    from bot.slack.replies import user_and_team

    tap = {
        "type": "block_actions",
        "user": {"id": "U0EXTERNAL", "team_id": "T0ELSEWHERE"},
        "team": {"id": "T0HEALTH1", "domain": "westmere"},
    }
    assert user_and_team(tap) == ("U0EXTERNAL", "T0HEALTH1")
    modal = {
        **tap,
        "type": "view_submission",
        "view": {"app_installed_team_id": "T0INSTALLED", "team_id": "T0HEALTH1"},
    }
    assert user_and_team(modal) == ("U0EXTERNAL", "T0INSTALLED")
    command = {"user_id": "U0ONE", "team_id": "T0HEALTH1"}
    assert user_and_team(command) == ("U0ONE", "T0HEALTH1")
