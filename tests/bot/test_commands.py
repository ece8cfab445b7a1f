"""The command grammar (pure) and dispatch against real SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from builders import NOW, SECRET, SmallOrg, small_org
from sqlmodel import SQLModel, func, select

from bot.commands import (
    CommandName,
    CommandResult,
    dispatch,
    parse,
)
from bot.commands import text as command_text
from bot.commands.access import REQUIRED_ACCESS
from bot.commands.privacy import privacy_facts
from bot.conversation.flow import Answer, Event, Submit
from bot.conversation.messages import Menu, Notice, Prompt, SummaryTable, Tone
from bot.conversation.service import handle_event
from survey.answering import load_draft
from survey.campaigns import Audience, create_campaign, open_campaign
from survey.db import SessionFactory
from survey.models import (
    Campaign,
    CampaignStatus,
    Draft,
    ManagerOf,
    Organisation,
    Participation,
    Person,
    Team,
)
from survey.questions.bank import load_all
from survey.questions.catalogue import sync_templates

# The grammar


@pytest.mark.parametrize(
    ("typed", "name", "args"),
    [
        ("help", CommandName.HELP, ()),
        ("", CommandName.HELP, ()),
        ("   ", CommandName.HELP, ()),
        ("/healthcheck", CommandName.HELP, ()),
        ("/healthcheck help", CommandName.HELP, ()),
        ("healthcheck help", CommandName.HELP, ()),
        ("HealthCheck HELP", CommandName.HELP, ()),
        ("help?", CommandName.HELP, ()),
        ("?", CommandName.HELP, ()),
        ("  STATUS  ", CommandName.STATUS, ()),
        ("/healthcheck   status", CommandName.STATUS, ()),
        ("@bot status", CommandName.STATUS, ()),
        ("<@U0123ABCD> status", CommandName.STATUS, ()),
        ("<@U0123ABCD|Health Check> status", CommandName.STATUS, ()),
        ("<at>Health Check</at> status", CommandName.STATUS, ()),
        ("<at>Health Check</at>: /healthcheck status", CommandName.STATUS, ()),
        ("start", CommandName.START, ()),
        ("Start Pulse", CommandName.START, ("Pulse",)),
        ("start\tpulse\n", CommandName.START, ("pulse",)),
        ("resume health  check", CommandName.RESUME, ("health", "check")),
        ("privacy", CommandName.PRIVACY, ()),
        (
            'campaign close "Pulse check November 2026"',
            CommandName.CAMPAIGN_CLOSE,
            ("Pulse check November 2026",),
        ),
        (
            "campaign close \u201cPulse check November 2026\u201d",
            CommandName.CAMPAIGN_CLOSE,
            ("Pulse check November 2026",),
        ),
        (
            "/healthcheck CAMPAIGN   Open  'Health check 2027'",
            CommandName.CAMPAIGN_OPEN,
            ("Health check 2027",),
        ),
        (
            "campaign close Children's pulse",
            CommandName.CAMPAIGN_CLOSE,
            ("Children's", "pulse"),
        ),
        ('campaign close "Pulse check', CommandName.CAMPAIGN_CLOSE, ("Pulse", "check")),
        ('campaign close ""', CommandName.CAMPAIGN_CLOSE, ()),
        ("close Pulse", CommandName.CAMPAIGN_CLOSE, ("Pulse",)),
        ("campaign", CommandName.CAMPAIGN, ()),
        ("campaign delete x", CommandName.CAMPAIGN, ("delete", "x")),
        ("who-has-access", CommandName.WHO_HAS_ACCESS, ()),
        ("Who has access", CommandName.WHO_HAS_ACCESS, ()),
        ("post you-said", CommandName.POST_YOU_SAID, ()),
        ("post you said", CommandName.POST_YOU_SAID, ()),
        ("summary Team A", CommandName.SUMMARY, ("Team", "A")),
        ("launch Pulse", CommandName.CAMPAIGN_OPEN, ("Pulse",)),
        ("export 2026", CommandName.UNKNOWN, ("2026",)),
        ("xyz", CommandName.UNKNOWN, ()),
        ("delete everything now", CommandName.UNKNOWN, ("everything", "now")),
        ("post", CommandName.UNKNOWN, ()),
    ],
)
def test_the_grammar_reads_commands_the_same_on_every_platform(
    typed: str, name: CommandName, args: tuple[str, ...]
) -> None:
    command = parse(typed)

    assert command.name == name
    assert command.args == args


def test_the_command_text_keeps_what_was_typed_without_the_prefix() -> None:
    command = parse("<@U0123ABCD>   Delete   EVERYTHING ")

    assert command.text == "Delete EVERYTHING"
    assert parse('close "Pulse check  2026"').argument == "Pulse check  2026"
    assert parse("close Pulse  check 2026").argument == "Pulse check 2026"


@pytest.mark.parametrize(
    "name", [name for name in CommandName if name.value != "unknown"]
)
def test_every_command_is_reachable_and_has_a_required_access(
    name: CommandName,
) -> None:
    assert parse(name.value).name == name
    assert parse(f"/healthcheck {name.value.upper()}").name == name
    assert name in REQUIRED_ACCESS


def test_every_command_help_describes_is_one_the_bot_carries_out() -> None:
    # No command is listed as planned: each one in the help has a handler.
    assert set(command_text.USAGE) <= set(REQUIRED_ACCESS)
    assert CommandName.UNKNOWN not in command_text.USAGE


# Dispatch on a real database


@dataclass
class Council:
    """The small organisation plus a PSW and a manager of two teams."""

    org: SmallOrg
    staff: Person
    manager: Person
    psw: Person
    team_b: Team


async def council(sessions: SessionFactory) -> Council:
    org = await small_org(sessions)
    async with sessions() as session, session.begin():
        team_b = Team(
            organisation_id=org.organisation.id,
            service_id=org.team.service_id,
            name="Team B",
        )
        session.add(team_b)
        await session.flush()
        manager = Person(
            organisation_id=org.organisation.id,
            name="Morgan Manager",
            email="morgan@example.org",
            team_id=org.team.id,
            role="team_manager",
            employment_type="permanent",
            access="manager",
        )
        psw = Person(
            organisation_id=org.organisation.id,
            name="Pat Principal",
            email="pat@example.org",
            team_id=org.team.id,
            role="principal_social_worker",
            employment_type="permanent",
            access="psw",
        )
        session.add_all([manager, psw])
        await session.flush()
        session.add_all(
            [
                ManagerOf(person_id=manager.id, team_id=org.team.id),
                ManagerOf(person_id=manager.id, team_id=team_b.id),
            ]
        )
    return Council(org, org.people[0], manager, psw, team_b)


async def add_campaign(
    sessions: SessionFactory,
    org: SmallOrg,
    *,
    name: str,
    template_key: str = "small-check",
    opened: bool = True,
) -> Campaign:
    async with sessions() as session, session.begin():
        if template_key != "small-check":
            await sync_templates(
                session,
                templates=[t for t in load_all() if t.key == template_key],
            )
        campaign = await create_campaign(
            session,
            organisation_id=org.organisation.id,
            template_key=template_key,
            name=name,
            year=2026,
            audience=Audience(),
        )
        if opened:
            await open_campaign(session, campaign=campaign, now=NOW)
    return campaign


async def run(
    sessions: SessionFactory, person: Person | None, typed: str, *, now: datetime = NOW
) -> CommandResult:
    return await dispatch(sessions, secret=SECRET, person=person, text=typed, now=now)


def words(result: CommandResult) -> str:
    """Everything the person would read, as one string."""
    parts: list[str] = []
    for message in result.messages:
        if isinstance(message, Notice):
            parts += [message.title or "", message.text]
        elif isinstance(message, Menu):
            parts += [message.title]
            parts += [
                f"{item.label} {item.command} {item.detail}" for item in message.items
            ]
        elif isinstance(message, SummaryTable):
            parts += [message.title, *message.columns, message.note or ""]
            parts += [" ".join(row) for row in message.rows]
        elif isinstance(message, Prompt):
            parts += [message.text]
    return "\n".join(parts)


async def table_counts(sessions: SessionFactory) -> dict[str, int]:
    async with sessions() as session:
        return {
            name: (await session.exec(select(func.count()).select_from(table))).one()
            for name, table in SQLModel.metadata.tables.items()
        }


async def campaign_status(sessions: SessionFactory, campaign: Campaign) -> str:
    async with sessions() as session:
        stored = await session.get(Campaign, campaign.id)
        assert stored is not None
        return stored.status


async def answer(
    sessions: SessionFactory, c: Council, person: Person, *events: Event
) -> None:
    for event in events:
        await handle_event(
            sessions,
            secret=SECRET,
            person=person,
            campaign=c.org.campaign,
            event=event,
            now=NOW,
        )


# help and unknown commands


async def test_help_for_staff_lists_only_what_they_can_do(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)

    result = await run(sessions, c.staff, "/healthcheck help")

    (notice,) = result.messages
    assert isinstance(notice, Notice)
    assert notice.title == "What you can ask me"
    for usage in ("status", "start [survey]", "resume [survey]", "privacy"):
        assert f"- {usage}:" in notice.text
    for hidden in ("campaign", "who-has-access", "summary", "export", "Coming later"):
        assert hidden not in notice.text
    assert result.campaign_id is None


async def test_help_for_a_manager_lists_their_summaries(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)

    help_text = words(await run(sessions, c.manager, "help"))

    for usage in ("summary", "participation", "themes"):
        assert f"- {usage}" in help_text
    assert "Coming later: summary" not in help_text
    assert "campaign close" not in help_text
    assert "who-has-access" not in help_text


async def test_help_for_the_psw_lists_campaign_commands(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)

    help_text = words(await run(sessions, c.psw, "help"))

    assert "- survey open NAME:" in help_text
    assert "- survey close NAME:" in help_text
    assert "- who-has-access:" in help_text
    assert "Coming later" not in help_text
    assert "not available yet" not in help_text


async def test_an_unknown_command_gets_help_not_an_error(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    before = await table_counts(sessions)

    result = await run(sessions, c.staff, "@bot xyz please")

    problem, help_notice = result.messages
    assert isinstance(problem, Notice)
    assert problem.text.startswith("I didn't recognise 'xyz please'.")
    assert problem.tone != Tone.ERROR
    assert help_notice == (await run(sessions, c.staff, "help")).messages[0]
    assert await table_counts(sessions) == before


async def test_launch_opens_a_survey_like_campaign_open(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    draft = await add_campaign(sessions, c.org, name="Small check 2027", opened=False)
    before = await table_counts(sessions)

    refused = await run(sessions, c.staff, 'launch "small check 2027"')
    assert "is not available yet" not in words(refused)
    assert await table_counts(sessions) == before
    assert await campaign_status(sessions, draft) != CampaignStatus.OPEN

    result = await run(sessions, c.psw, 'launch "small check 2027"')
    (notice,) = result.messages
    assert isinstance(notice, Notice)
    assert notice.text == "'Small check 2027' is open. 8 people were invited."
    assert await campaign_status(sessions, draft) == CampaignStatus.OPEN


async def test_export_in_chat_is_not_promised(sessions: SessionFactory) -> None:
    c = await council(sessions)

    result = await run(sessions, c.psw, "export 2026")

    assert "I didn't recognise 'export 2026'." in words(result)
    assert "not available yet" not in words(result)


# status


async def test_status_shows_my_progress_as_i_answer(sessions: SessionFactory) -> None:
    c = await council(sessions)

    fresh = await run(sessions, c.staff, "status")

    assert "Small check 2026: not started" in words(fresh)
    menu = fresh.messages[-1]
    assert isinstance(menu, Menu)
    assert [item.command for item in menu.items] == ['start "Small check 2026"']

    await run(sessions, c.staff, "start")
    await answer(sessions, c, c.staff, Answer("Q1", "Agree"), Answer("HOURS", "4"))
    assert "Small check 2026: 2 of 5 answered" in words(
        await run(sessions, c.staff, "status")
    )

    await answer(sessions, c, c.staff, Answer("BULLIED", "Yes"))
    assert "3 of 6 answered" in words(await run(sessions, c.staff, "status"))

    await answer(
        sessions,
        c,
        c.staff,
        Answer("WHO", "Public"),
        Answer("NPS", "9"),
        Answer("TX1", "Secret words"),
        Submit(),
    )
    sent = await run(sessions, c.staff, "status")
    assert "Small check 2026: sent, thank you" in words(sent)
    assert not any(isinstance(message, Menu) for message in sent.messages)
    # Someone else's status shows only their own progress, and nobody's answers.
    other = words(await run(sessions, c.org.people[1], "status"))
    assert "Small check 2026: not started" in other
    for said in ("Agree", "Public", "Secret words"):
        assert said not in words(sent)
        assert said not in other


async def test_status_says_so_when_nothing_is_open(sessions: SessionFactory) -> None:
    c = await council(sessions)

    # The PSW joined after the campaign opened, so it was not sent to them.
    result = await run(sessions, c.psw, "status")

    assert words(result).strip() == command_text.no_open_surveys()


async def test_status_shows_the_closing_date(sessions: SessionFactory) -> None:
    c = await council(sessions)
    async with sessions() as session, session.begin():
        campaign = await session.get(Campaign, c.org.campaign.id)
        assert campaign is not None
        campaign.closes_at = NOW + timedelta(days=11)
        session.add(campaign)

    result = await run(sessions, c.staff, "status")

    assert "Small check 2026: not started (closes Friday 13 March)" in words(result)


# start and resume


async def test_start_with_one_open_survey_starts_it(sessions: SessionFactory) -> None:
    c = await council(sessions)

    result = await run(sessions, c.staff, "start")

    prompt = result.messages[-1]
    assert isinstance(prompt, Prompt)
    assert (prompt.question_id, prompt.progress.label) == ("Q1", "1 of 5")
    assert result.campaign_id == c.org.campaign.id
    async with sessions() as session:
        draft = await load_draft(
            session, secret=SECRET, person=c.staff, campaign=c.org.campaign
        )
    assert draft.current == "Q1"


async def test_start_with_several_open_surveys_offers_a_menu(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    pulse = await add_campaign(
        sessions, c.org, name="Pulse check November 2026", template_key="pulse-check"
    )
    before = await table_counts(sessions)

    result = await run(sessions, c.staff, "start")

    (menu,) = result.messages
    assert isinstance(menu, Menu)
    assert result.campaign_id is None
    assert [(item.label, item.command, item.detail) for item in menu.items] == [
        ("Small check 2026", 'start "Small check 2026"', "not started"),
        (
            "Pulse check November 2026",
            'start "Pulse check November 2026"',
            "not started",
        ),
    ]
    assert await table_counts(sessions) == before  # a menu starts nothing
    chosen = await run(sessions, c.staff, menu.items[1].command)
    assert chosen.campaign_id == pulse.id
    prompt = chosen.messages[-1]
    assert isinstance(prompt, Prompt)
    assert (prompt.question_id, prompt.progress.label) == ("WL02", "1 of 7")


@pytest.mark.parametrize(
    "typed", ["start pulse", "START Pulse check", "resume pulse-c"]
)
async def test_start_finds_a_survey_by_name_or_template(
    sessions: SessionFactory, typed: str
) -> None:
    c = await council(sessions)
    pulse = await add_campaign(
        sessions, c.org, name="Pulse check November 2026", template_key="pulse-check"
    )

    result = await run(sessions, c.staff, typed)

    assert result.campaign_id == pulse.id


async def test_start_naming_no_survey_says_so_and_offers_mine(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    before = await table_counts(sessions)

    result = await run(sessions, c.staff, "start fishing")

    notice, menu = result.messages
    assert isinstance(notice, Notice)
    assert notice.text == "None of your open surveys matches 'fishing'."
    assert isinstance(menu, Menu)
    assert [item.label for item in menu.items] == ["Small check 2026"]
    assert result.campaign_id is None
    assert await table_counts(sessions) == before


async def test_resume_carries_on_where_i_left_off(sessions: SessionFactory) -> None:
    c = await council(sessions)
    await run(sessions, c.staff, "start")
    await answer(sessions, c, c.staff, Answer("Q1", "Agree"))

    result = await run(sessions, c.staff, "resume")

    welcome, prompt = result.messages
    assert isinstance(welcome, Notice)
    assert welcome.text.startswith("Welcome back")
    assert isinstance(prompt, Prompt)
    assert prompt.question_id == "HOURS"
    assert result.campaign_id == c.org.campaign.id


async def test_start_after_sending_says_so(sessions: SessionFactory) -> None:
    c = await council(sessions)
    await run(sessions, c.staff, "start")
    await answer(
        sessions,
        c,
        c.staff,
        Answer("Q1", "Agree"),
        Answer("HOURS", "4"),
        Answer("BULLIED", "No"),
        Answer("NPS", "9"),
        Answer("TX1", "Fine"),
        Submit(),
    )

    bare = await run(sessions, c.staff, "start")
    named = await run(sessions, c.staff, "start small")

    assert words(bare).strip() == command_text.all_sent()
    assert "already sent your answers" in words(named)
    assert bare.campaign_id is None
    assert named.campaign_id is None


# privacy


async def test_privacy_states_the_organisations_real_settings(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)

    five = words(await run(sessions, c.staff, "privacy"))
    async with sessions() as session, session.begin():
        organisation = await session.get(Organisation, c.org.organisation.id)
        assert organisation is not None
        organisation.min_group_size = 7
        session.add(organisation)
    seven = words(await run(sessions, c.staff, "privacy"))

    assert "Your privacy in Test Council" in five
    assert "fewer than 5 responses" in five
    assert "groups of 5 or more" in five
    assert "fewer than 7 responses" in seven
    assert "groups of 7 or more" in seven
    assert "a shuffled batch of at least 7" in seven
    assert "quoted for groups of 14 or more" in seven
    assert "a theme at least 7 people wrote about" in seven
    assert "5" not in seven
    for promise in (
        "stored apart from the record of who took part",
        "the date you sent it: not the time",
        "one-way code",
        "deleted the moment you send",
        "sealed (encrypted)",
        "names, email addresses, phone numbers and case references taken out",
        "counts and rates",
        "never as names",
        "as the roster had them when you were invited",
        "only moves in steps of 7, so nobody can tell who has just finished",
        "keeping only counts",
    ):
        assert promise in seven


def test_the_privacy_promise_lists_exactly_what_a_response_carries() -> None:
    facts = privacy_facts(None)

    # A new column on Response changes this list, and so the promise: review both.
    assert facts.kept_with_answers == (
        "service",
        "team",
        "job role",
        "workforce (registered social work or the wider workforce)",
        "type of employment (such as permanent or agency)",
    )
    assert facts.date_only is True
    assert facts.floor == 3


# campaign open / close (PSW only)


async def test_the_psw_opens_a_campaign_by_name(sessions: SessionFactory) -> None:
    c = await council(sessions)
    draft = await add_campaign(sessions, c.org, name="Small check 2027", opened=False)

    result = await run(sessions, c.psw, 'campaign open "small check 2027"')

    (notice,) = result.messages
    assert isinstance(notice, Notice)
    assert notice.tone == Tone.SUCCESS
    assert notice.text == "'Small check 2027' is open. 8 people were invited."
    assert await campaign_status(sessions, draft) == CampaignStatus.OPEN
    async with sessions() as session:
        invited = (
            await session.exec(
                select(func.count()).where(Participation.campaign_id == draft.id)
            )
        ).one()
    assert invited == 8


async def test_the_psw_closes_a_campaign_by_its_quoted_name(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    pulse = await add_campaign(
        sessions, c.org, name="Pulse check November 2026", template_key="pulse-check"
    )

    result = await run(
        sessions, c.psw, '/healthcheck campaign close "Pulse check November 2026"'
    )

    assert (
        words(result).strip()
        == "'Pulse check November 2026' is closed and takes no more answers."
    )
    assert await campaign_status(sessions, pulse) == CampaignStatus.CLOSED
    assert await campaign_status(sessions, c.org.campaign) == CampaignStatus.OPEN
    later = await run(sessions, c.staff, "start", now=NOW + timedelta(hours=1))
    assert later.campaign_id == c.org.campaign.id  # only the other survey is left


async def test_closing_an_unknown_campaign_names_the_real_ones(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    before = await table_counts(sessions)

    result = await run(sessions, c.psw, "campaign close Nonsense")

    (notice,) = result.messages
    assert isinstance(notice, Notice)
    assert notice.tone == Tone.ERROR
    assert "There is no survey 'Nonsense'" in notice.text
    assert "'Small check 2026'" in notice.text
    assert await table_counts(sessions) == before


async def test_closing_twice_explains_and_changes_nothing(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    await run(sessions, c.psw, "close Small check 2026")

    again = await run(sessions, c.psw, "close Small check 2026")

    assert "cannot be closed" in words(again)


async def test_campaign_commands_need_a_name_or_subcommand(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)

    assert "Which survey?" in words(await run(sessions, c.psw, "campaign close"))
    assert "Which survey?" in words(await run(sessions, c.psw, "survey open"))
    assert "survey open NAME" in words(await run(sessions, c.psw, "campaign"))


@pytest.mark.parametrize(
    "typed",
    [
        'campaign close "Small check 2026"',
        "close Small check 2026",
        "campaign open Small check 2026",
        "campaign",
        "who-has-access",
    ],
)
@pytest.mark.parametrize("who", ["staff", "manager"])
async def test_psw_commands_are_politely_refused_to_others(
    sessions: SessionFactory, typed: str, who: str
) -> None:
    c = await council(sessions)
    person = c.staff if who == "staff" else c.manager
    before = await table_counts(sessions)

    result = await run(sessions, person, typed)

    (notice,) = result.messages
    assert isinstance(notice, Notice)
    assert notice.text.startswith("Only the Principal Social Worker can use")
    assert "Please ask Pat Principal" in notice.text
    assert "Nothing was changed." in notice.text
    assert notice.tone == Tone.WARNING
    assert await table_counts(sessions) == before
    assert await campaign_status(sessions, c.org.campaign) == CampaignStatus.OPEN


async def test_a_refusal_without_a_psw_on_the_roster_says_so(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)

    result = await run(sessions, org.people[0], "campaign close Small check 2026")

    assert "Nobody on your roster has that access yet." in words(result)
    assert await campaign_status(sessions, org.campaign) == CampaignStatus.OPEN


async def test_a_psw_demoted_on_the_roster_is_refused(sessions: SessionFactory) -> None:
    c = await council(sessions)
    async with sessions() as session, session.begin():
        psw = await session.get(Person, c.psw.id)
        assert psw is not None
        psw.access = "staff"
        psw.role = "social_worker"
        session.add(psw)

    # The adapter still holds the old row; the roster now decides.
    result = await run(sessions, c.psw, "close Small check 2026")

    assert "Only the Principal Social Worker" in words(result)
    assert await campaign_status(sessions, c.org.campaign) == CampaignStatus.OPEN


# who-has-access


async def test_who_has_access_lists_the_psw_and_each_managers_teams(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    await run(sessions, c.staff, "start")
    await answer(sessions, c, c.staff, Answer("Q1", "Strongly disagree"))

    result = await run(sessions, c.psw, "Who has access")

    (table,) = result.messages
    assert isinstance(table, SummaryTable)
    assert table.title == "Who can see what in Test Council"
    assert table.columns == ("Name", "Access", "Can ask for")
    assert table.rows == (
        (
            "Pat Principal",
            "Principal social worker (admin)",
            "Summaries for every team and service; opens and closes surveys",
        ),
        ("Morgan Manager", "Manager", "Summaries for Team A, Team B"),
    )
    assert table.note is not None
    assert "groups of 5 or more" in table.note
    assert "Person 0" not in words(result)
    assert "Strongly disagree" not in words(result)


# Someone not on the roster


@pytest.mark.parametrize(
    "typed",
    [
        "help",
        "status",
        "start",
        "resume pulse",
        "close Small check 2026",
        "xyz",
        "summary",
    ],
)
async def test_someone_not_on_the_roster_is_told_who_to_ask_and_nothing_is_stored(
    sessions: SessionFactory, typed: str
) -> None:
    c = await council(sessions)
    before = await table_counts(sessions)

    result = await run(sessions, None, typed)

    (notice,) = result.messages
    assert isinstance(notice, Notice)
    assert (
        "ask your Principal Social Worker to add you to the Health Check roster"
        in notice.text
    )
    assert result.campaign_id is None
    assert await table_counts(sessions) == before
    assert await campaign_status(sessions, c.org.campaign) == CampaignStatus.OPEN


async def test_someone_not_on_the_roster_can_still_read_the_privacy_promise(
    sessions: SessionFactory,
) -> None:
    await council(sessions)
    before = await table_counts(sessions)

    result = await run(sessions, None, "privacy")

    promise, roster = result.messages
    assert isinstance(promise, Notice)
    assert "never fewer than 3" in promise.text
    assert "add you to the Health Check roster" in words(result)
    assert isinstance(roster, Notice)
    assert await table_counts(sessions) == before


async def test_someone_who_has_left_is_treated_as_not_on_the_roster(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    async with sessions() as session, session.begin():
        leaver = await session.get(Person, c.staff.id)
        assert leaver is not None
        leaver.active = False
        session.add(leaver)
    before = await table_counts(sessions)

    result = await run(sessions, c.staff, "start")

    assert "add you to the Health Check roster" in words(result)
    assert result.campaign_id is None
    assert await table_counts(sessions) == before
    async with sessions() as session:
        assert (await session.exec(select(func.count()).select_from(Draft))).one() == 0


# typed survey controls: back, skip, pause, resume


async def test_typed_back_skip_and_pause_drive_the_survey_in_progress(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    await run(sessions, c.staff, "start")
    await answer(sessions, c, c.staff, Answer("Q1", "Agree"))

    back = await run(sessions, c.staff, "back")
    prompt = back.messages[-1]
    assert isinstance(prompt, Prompt)
    assert (prompt.question_id, prompt.current) == ("Q1", "agree")
    assert back.campaign_id == c.org.campaign.id

    await answer(sessions, c, c.staff, Answer("Q1", "Agree"))
    paused = await run(sessions, c.staff, "pause")
    (notice,) = paused.messages
    assert isinstance(notice, Notice)
    assert "Come back any time with 'resume'" in notice.text
    assert paused.campaign_id is None

    resumed = await run(sessions, c.staff, "resume")
    prompt = resumed.messages[-1]
    assert isinstance(prompt, Prompt)
    assert prompt.question_id == "HOURS"


async def test_typed_skip_skips_an_optional_question_and_refuses_a_required_one(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    await run(sessions, c.staff, "start")

    skipped = await run(sessions, c.staff, "skip")
    prompt = skipped.messages[-1]
    assert isinstance(prompt, Prompt)
    assert prompt.question_id == "HOURS"
    async with sessions() as session:
        draft = await load_draft(
            session, secret=SECRET, person=c.staff, campaign=c.org.campaign
        )
    assert draft.answers == {"Q1": None}

    refused = await run(sessions, c.staff, "skip")
    prompt = refused.messages[-1]
    assert isinstance(prompt, Prompt)
    assert prompt.question_id == "HOURS"
    assert prompt.problem == (
        "This question needs an answer before you move on. "
        "The hours figure is what the council reports."
    )
    async with sessions() as session:
        kept = await load_draft(
            session, secret=SECRET, person=c.staff, campaign=c.org.campaign
        )
    assert (kept.answers, kept.current) == ({"Q1": None}, "HOURS")


async def test_typed_controls_with_no_survey_in_progress_say_so(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    before = await table_counts(sessions)

    for typed in ("back", "skip", "pause"):
        result = await run(sessions, c.staff, typed)
        (notice,) = result.messages
        assert isinstance(notice, Notice)
        assert notice.text.startswith("You are not in the middle of a survey")
        assert "didn't recognise" not in words(result)
    assert await table_counts(sessions) == before


async def test_resume_picks_the_survey_in_progress_over_one_not_begun(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    await add_campaign(
        sessions, c.org, name="Pulse check November 2026", template_key="pulse-check"
    )
    await run(sessions, c.staff, "start small")
    await answer(sessions, c, c.staff, Answer("Q1", "Agree"))
    await run(sessions, c.staff, "pause")

    result = await run(sessions, c.staff, "resume")

    assert result.campaign_id == c.org.campaign.id
    prompt = result.messages[-1]
    assert isinstance(prompt, Prompt)
    assert prompt.question_id == "HOURS"


async def test_typed_controls_ask_which_survey_when_two_are_begun(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    await add_campaign(
        sessions, c.org, name="Pulse check November 2026", template_key="pulse-check"
    )
    await run(sessions, c.staff, "start small")
    await run(sessions, c.staff, "start pulse")

    result = await run(sessions, c.staff, "pause")

    (menu,) = result.messages
    assert isinstance(menu, Menu)
    assert [item.command for item in menu.items] == [
        'pause "Small check 2026"',
        'pause "Pulse check November 2026"',
    ]
    chosen = await run(sessions, c.staff, menu.items[1].command)
    (notice,) = chosen.messages
    assert isinstance(notice, Notice)
    assert "Pulse check November 2026" in notice.text
