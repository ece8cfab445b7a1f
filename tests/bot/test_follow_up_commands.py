"""``action``, ``you-said``, ``post you-said`` and ``brief`` through dispatch.

Real SQLite and PostgreSQL. Every refusal is checked for its words and for
leaving every table exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from builders import (
    NOW,
    SECRET,
    SmallOrg,
    answer_as,
    full_answers,
    small_org,
    write_waiting_batches,
)
from sqlmodel import SQLModel, col, func, select

from bot.commands import CommandName, CommandResult, dispatch, parse
from bot.commands.options import OptionsError, read_options
from bot.conversation.messages import Announcement, Notice, SummaryTable, Tone
from survey.campaigns import close_campaign
from survey.db import SessionFactory
from survey.delivery.job_runner import run_job
from survey.follow_up.briefings import POST_BRIEFING
from survey.models import Action, Campaign, Job, OutboxMessage, Person
from survey.models import Announcement as AnnouncementRow

CAMPAIGN = "Small check 2026"
ADD = (
    'action add theme=workload campaign="Small check 2026" question=Q1 '
    'said="Caseloads are too high" doing="Recruiting four more social workers" '
    'owner="Head of Service" due=2027-03-31'
)


@dataclass
class Council:
    org: SmallOrg
    staff: Person
    psw: Person


async def council(sessions: SessionFactory) -> Council:
    org = await small_org(sessions)
    async with sessions() as session, session.begin():
        psw = Person(
            organisation_id=org.organisation.id,
            name="Pat Principal",
            email="pat@example.org",
            team_id=org.team.id,
            role="principal_social_worker",
            employment_type="permanent",
            access="psw",
        )
        session.add(psw)
    return Council(org, org.people[0], psw)


async def run(
    sessions: SessionFactory,
    person: Person,
    typed: str,
    *,
    platforms: tuple[str, ...] = ("local",),
    now: datetime = NOW,
) -> CommandResult:
    return await dispatch(
        sessions,
        secret=SECRET,
        person=person,
        text=typed,
        now=now,
        platforms=platforms,
    )


def only_notice(result: CommandResult) -> Notice:
    (notice,) = result.messages
    assert isinstance(notice, Notice)
    return notice


async def counts(sessions: SessionFactory) -> dict[str, int]:
    async with sessions() as session:
        return {
            name: (await session.exec(select(func.count()).select_from(table))).one()
            for name, table in SQLModel.metadata.tables.items()
        }


async def outbox(sessions: SessionFactory) -> list[OutboxMessage]:
    async with sessions() as session:
        rows = await session.exec(
            select(OutboxMessage).order_by(col(OutboxMessage.recipient))
        )
        return list(rows.all())


async def close(sessions: SessionFactory, org: SmallOrg) -> None:
    async with sessions() as session, session.begin():
        campaign = await session.get(Campaign, org.campaign.id)
        assert campaign is not None
        await close_campaign(
            session, campaign=campaign, now=NOW + timedelta(hours=1), secret=SECRET
        )


async def answered(sessions: SessionFactory, c: Council, count: int) -> None:
    for person in c.org.people[:count]:
        await answer_as(sessions, person, c.org.campaign, full_answers())
    await write_waiting_batches(sessions)


# The grammar and the settings reader


@pytest.mark.parametrize(
    ("typed", "name", "args"),
    [
        ("you-said", CommandName.YOU_SAID, ()),
        ("You said", CommandName.YOU_SAID, ()),
        ("you said we did", CommandName.YOU_SAID, ()),
        ("/healthcheck you-said Small check 2026", CommandName.YOU_SAID, ("Small",)),
        ('post you-said "Small check 2026"', CommandName.POST_YOU_SAID, (CAMPAIGN,)),
        ("action list", CommandName.ACTION, ("list",)),
        ("actions", CommandName.ACTION, ()),
        ("brief title=x body=y", CommandName.BRIEF, ("title=x", "body=y")),
    ],
)
def test_the_grammar_knows_the_follow_up_commands(
    typed: str, name: CommandName, args: tuple[str, ...]
) -> None:
    command = parse(typed)

    assert command.name == name
    assert command.args[: len(args)] == args


def test_settings_keep_quoted_text_exactly() -> None:
    options = read_options(
        "brief title=\u201cPractice week\u201d body='It\u2019s on.\n\nBe there.' "
        "link=https://example.org/?a=1&b=2 feedback=YES",
        allowed=("title", "body", "link", "feedback"),
    )

    assert options.values == {
        "title": "Practice week",
        "body": "It's on.\n\nBe there.",
        "link": "https://example.org/?a=1&b=2",
        "feedback": "YES",
    }
    assert options.words == ("brief",)


def test_settings_take_aliases_and_empty_values() -> None:
    options = read_options(
        'action add DID="More staff" said=""',
        allowed=("said", "doing"),
        aliases={"did": "doing"},
    )

    assert options.values == {"doing": "More staff", "said": ""}
    assert options.has("said")
    assert not options.has("owner")


def test_a_value_without_quotes_runs_to_the_next_setting() -> None:
    options = read_options(
        "brief to=Child Protection title=Team update at=Monday 9am body=x",
        allowed=("to", "title", "at", "body"),
    )

    assert options.values == {
        "to": "Child Protection",
        "title": "Team update",
        "at": "Monday 9am",
        "body": "x",
    }


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        (
            'brief title="Team update" stray body=x',
            "'stray' after title= is not part of any setting.",
        ),
        (
            'brief title="Team update body=x',
            'The quote after title= is never closed; end the value with ".',
        ),
        ("brief colour=red", "'colour=' is not a setting here. Use: body=, title=."),
        ("brief title=a title=b", "'title=' is given twice; give it once."),
    ],
)
def test_settings_that_cannot_be_read_say_how_to_write_them(
    typed: str, problem: str
) -> None:
    with pytest.raises(OptionsError) as caught:
        read_options(typed, allowed=("title", "body"))

    assert str(caught.value).startswith(problem)


# Who may use them


@pytest.mark.parametrize(
    "typed",
    [ADD, "action list", "action update 1 status=done", "post you-said", "brief"],
)
async def test_staff_are_refused_politely_and_nothing_changes(
    sessions: SessionFactory, typed: str
) -> None:
    c = await council(sessions)
    before = await counts(sessions)

    notice = only_notice(await run(sessions, c.staff, typed))

    assert notice.tone == Tone.WARNING
    assert notice.text.startswith("Only the Principal Social Worker can use")
    assert "Please ask Pat Principal if you need it done. Nothing was changed." in (
        notice.text
    )
    assert await counts(sessions) == before


async def test_help_lists_the_follow_up_commands_as_available(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)

    psw_help = only_notice(await run(sessions, c.psw, "help")).text
    staff_help = only_notice(await run(sessions, c.staff, "help")).text

    available = psw_help
    assert "Coming later" not in psw_help
    for usage in (
        "- action add|update|list:",
        "- post you-said [survey]:",
        '- brief [to TEAM OR SERVICE] title="..." body="...":',
        "- you-said [survey]:",
    ):
        assert usage in available
    assert "- you-said [survey]: what is being done about what staff said" in (
        staff_help
    )
    assert "action" not in staff_help
    assert "brief" not in staff_help


# action add


async def test_action_add_logs_an_action_with_its_supporting_figure(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    await answered(sessions, c, 5)
    await close(sessions, c.org)

    notice = only_notice(await run(sessions, c.psw, ADD))

    assert notice.tone == Tone.SUCCESS
    async with sessions() as session:
        (action,) = (await session.exec(select(Action))).all()
    assert notice.text == (
        "Action 1 is logged under Workload and caseload "
        "for 'Small check 2026': planned, due 31 March 2027.\n"
        'Supporting figure: 100% favourable on Q1 "My workload is manageable." '
        "(2026)."
    )
    assert (action.you_said, action.we_did, action.owner) == (
        "Caseloads are too high",
        "Recruiting four more social workers",
        "Head of Service",
    )


async def test_action_add_says_when_the_figure_is_hidden(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    await answered(sessions, c, 3)
    await close(sessions, c.org)

    notice = only_notice(await run(sessions, c.psw, ADD))

    assert "Supporting figure: Q1: not shown (fewer than 5 responses)." in notice.text
    assert "%" not in notice.text


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        (
            'action add theme=workload said="x" owner="y"',
            "To log an action, add doing=. For example:\naction add theme=workload",
        ),
        (
            'action add said="x" doing="y" owner="z"',
            "Say which theme it is about (theme=workload) or the question it answers",
        ),
        (
            'action add theme=morale said="x" doing="y" owner="z"',
            "There is no theme 'morale'. Themes: Workload and caseload, Stress and",
        ),
        (
            'action add theme=workload campaign="Health check 1999" said="x" '
            'doing="y" owner="z"',
            "There is no survey 'Health check 1999'. Did you mean 'Small check 2026'?",
        ),
        (
            f'action add campaign="{CAMPAIGN}" question=WL01 said="x" doing="y" '
            'owner="z"',
            "No question in 'Small check 2026' matches 'WL01'. Type some of the words",
        ),
        (
            'action add theme=workload said="" doing="y" owner="z"',
            "What staff said is empty.",
        ),
        (
            f'action add theme=workload said="{"x" * 1001}" doing="y" owner="z"',
            "What staff said is 1,001 characters; the most is 1,000.",
        ),
        (
            'action add theme=workload said="x" doing="y" owner="z" due=2026-03-01',
            "The due date 1 March 2026 is in the past; choose a later date.",
        ),
        (
            'action add theme=workload said="x" doing="y" owner="z" due=31-03-27',
            "'31-03-27' is not a date; write it like 2027-03-31.",
        ),
        (
            'action add theme=workload said="x" doing="y" owner="z" status=finished',
            "'finished' is not a status; use planned, in progress, done or not doing.",
        ),
        (
            'action add theme=workload said="x" doing="y" owner="z" status="not doing"',
            "an action marked 'not doing' needs a reason",
        ),
        (
            'action add theme=workload said="Caseloads doing=y owner=z',
            "The quote after said= is never closed",
        ),
        (
            'action add theme=workload colour=red said="x" doing="y" owner="z"',
            "'colour=' is not a setting here.",
        ),
    ],
)
async def test_a_bad_action_add_explains_and_stores_nothing(
    sessions: SessionFactory, typed: str, problem: str
) -> None:
    c = await council(sessions)
    before = await counts(sessions)

    notice = only_notice(await run(sessions, c.psw, typed))

    assert problem in notice.text
    assert notice.tone in (Tone.WARNING, Tone.ERROR)
    assert await counts(sessions) == before


async def test_a_bare_action_shows_examples(sessions: SessionFactory) -> None:
    c = await council(sessions)

    for typed in ("action", "action remove 1"):
        notice = only_notice(await run(sessions, c.psw, typed))
        assert notice.text.startswith("Use one of:")
        assert "action update 3 status=done" in notice.text


# action update and list


async def test_action_update_changes_status_and_fields(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    await run(sessions, c.psw, ADD)
    async with sessions() as session:
        (action,) = (await session.exec(select(Action))).all()

    done = only_notice(await run(sessions, c.psw, "action update 1 status=done"))
    not_doing = only_notice(
        await run(
            sessions,
            c.psw,
            f'action update {action.id.hex[:8]} status="not doing" '
            'reason="The budget was cut" owner="Director"',
        )
    )

    assert done.text == "Action 1 is updated: done."
    assert not_doing.text == ("Action 1 is updated: not doing: The budget was cut.")
    async with sessions() as session:
        stored = await session.get(Action, action.id)
    assert stored is not None
    assert (stored.status, stored.owner) == ("not doing", "Director")


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("action update status=done", "Which action? For example:"),
        ("action update 1", "Nothing to change."),
        ("action update 9 status=done", "There is no action '9'. Use its number"),
        ('action update 1 status="not doing"', "needs a reason"),
        ("action update 1 status=closed", "'closed' is not a status"),
        ("action update 1 due=tomorrow", "'tomorrow' is not a date"),
    ],
)
async def test_a_bad_action_update_explains_and_changes_nothing(
    sessions: SessionFactory, typed: str, problem: str
) -> None:
    c = await council(sessions)
    await run(sessions, c.psw, ADD)
    before = await counts(sessions)
    async with sessions() as session:
        (action,) = (await session.exec(select(Action))).all()

    notice = only_notice(await run(sessions, c.psw, typed))

    assert problem in notice.text
    assert await counts(sessions) == before
    async with sessions() as session:
        stored = await session.get(Action, action.id)
    assert stored is not None
    assert stored.model_dump() == action.model_dump()


async def test_action_list_shows_every_action_with_one_number(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    await answered(sessions, c, 5)
    await run(
        sessions,
        c.psw,
        'action add theme="stress and wellbeing" said="Too stressed" '
        'doing="Wellbeing hour" owner="HR" status="in progress"',
    )
    await run(sessions, c.psw, ADD)

    everything = await run(sessions, c.psw, "action list")
    for_survey = await run(sessions, c.psw, "action list small check 2026")

    (table,) = everything.messages
    assert isinstance(table, SummaryTable)
    assert table.title == "Actions"
    assert table.columns[:3] == ("#", "Theme", "You said")
    assert [row[0] for row in table.rows] == ["1", "2"]
    assert table.rows[0][1:6] == (
        "Stress and wellbeing",
        "Too stressed",
        "Wellbeing hour",
        "HR",
        "in progress",
    )
    assert table.rows[1][6] == (
        "Q1: not shown (results are shown once the survey has closed)"
    )
    (filtered,) = for_survey.messages
    assert isinstance(filtered, SummaryTable)
    assert filtered.title == "Actions for Small check 2026"
    assert [row[0] for row in filtered.rows] == ["2"]


async def test_action_list_when_empty_or_for_an_unknown_survey(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)

    empty = only_notice(await run(sessions, c.psw, "action list"))
    unknown = only_notice(await run(sessions, c.psw, "action list Nope"))

    assert empty.text == "No actions have been logged yet."
    assert unknown.text.startswith("There is no survey 'Nope'.")


# you-said (anyone)


async def test_anyone_can_read_what_is_being_done(sessions: SessionFactory) -> None:
    c = await council(sessions)
    await answered(sessions, c, 5)
    await close(sessions, c.org)
    await run(sessions, c.psw, ADD)

    result = await run(sessions, c.staff, "you-said small check 2026")

    (post,) = result.messages
    assert isinstance(post, Announcement)
    assert post.title == "You said, we did: Small check 2026"
    assert post.body == (
        "Thank you to everyone who took part in 'Small check 2026'. Here is what "
        "you told us and what is being done about it.\n\n"
        "Workload and caseload\n"
        "You said: Caseloads are too high\n"
        "We did: Recruiting four more social workers (Head of Service; planned, "
        "due 31 March 2027)\n"
        'The figure: 100% favourable on Q1 "My workload is manageable." (2026).'
    )


async def test_you_said_before_anything_is_logged(sessions: SessionFactory) -> None:
    c = await council(sessions)

    notice = only_notice(await run(sessions, c.staff, "you said"))

    assert notice.text == "Nothing has been logged yet. Updates will appear here."


# post you-said


async def test_post_you_said_posts_the_digest_and_notes_only_to_those_who_finished(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    await answered(sessions, c, 2)
    await run(sessions, c.psw, ADD)
    await close(sessions, c.org)

    notice = only_notice(await run(sessions, c.psw, "post you-said"))

    assert notice.tone == Tone.SUCCESS
    assert notice.text == (
        "Posted 'You said, we did: Small check 2026' (1 action) to the workforce "
        "channel and a note to the 2 people who took part."
    )
    messages = await outbox(sessions)
    assert sorted(m.recipient for m in messages) == sorted(
        ["channel:workforce", *(f"person:{p.id}" for p in c.org.people[:2])]
    )
    channel = next(m for m in messages if m.recipient == "channel:workforce")
    assert channel.payload["title"] == "You said, we did: Small check 2026"
    assert "You said: Caseloads are too high" in channel.payload["body"]
    for note in (m for m in messages if m.recipient != "channel:workforce"):
        assert note.payload["text"].startswith(
            "Thank you for taking part in 'Small check 2026'."
        )
        assert "Caseloads" not in note.payload["text"]


async def test_posting_the_same_digest_twice_never_double_posts(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    await answered(sessions, c, 2)
    await run(sessions, c.psw, ADD)
    await close(sessions, c.org)
    await run(sessions, c.psw, f'post you-said "{CAMPAIGN}"')
    before = await counts(sessions)

    again = only_notice(await run(sessions, c.psw, "post you-said"))

    assert again.text == (
        "This update was already posted on 2 March 2026; nothing was posted twice."
    )
    assert await counts(sessions) == before

    await run(sessions, c.psw, "action update 1 status=done")
    changed = only_notice(await run(sessions, c.psw, "post you-said"))
    assert changed.text.startswith("Posted 'You said, we did: Small check 2026'")
    assert len(await outbox(sessions)) == 2 * 3


async def test_a_long_digest_is_cut_to_one_post_and_says_how_many_more(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    long = "x" * 900
    for number in range(5):
        await run(
            sessions,
            c.psw,
            f'action add campaign="{CAMPAIGN}" question=Q1 said="{number} {long}" '
            'doing="More staff" owner="Head of Service"',
        )
    await close(sessions, c.org)

    await run(sessions, c.psw, "post you-said")

    (channel,) = await outbox(sessions)
    body = channel.payload["body"]
    assert len(body) <= 3000
    assert body.endswith("...and 3 more. Send 'you-said' to read them all.")


@pytest.mark.parametrize(
    ("setup", "typed", "problem"),
    [
        ("", "post you-said", "No action is linked to a survey yet."),
        (
            'action add theme=workload said="x" doing="y" owner="z"',
            "post you-said",
            "No action is linked to a survey yet.",
        ),
        (
            "",
            "post you-said small check 2026",
            "There are no actions for 'Small check 2026' yet",
        ),
        ("", "post you-said Nope", "There is no survey 'Nope'."),
    ],
)
async def test_post_you_said_with_nothing_to_post_explains_and_sends_nothing(
    sessions: SessionFactory, setup: str, typed: str, problem: str
) -> None:
    c = await council(sessions)
    if setup:
        await run(sessions, c.psw, setup)
    await close(sessions, c.org)
    before = await counts(sessions)

    notice = only_notice(await run(sessions, c.psw, typed))

    assert problem in notice.text
    assert await counts(sessions) == before


async def test_post_you_said_for_a_survey_still_open_is_refused_with_the_reason(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    await run(sessions, c.psw, ADD)
    before = await counts(sessions)

    notice = only_notice(await run(sessions, c.psw, f'post you-said "{CAMPAIGN}"'))

    assert notice.tone == Tone.ERROR
    assert notice.text.startswith(
        "'Small check 2026' is still open: 'you said, we did' can only be posted "
        "once a survey has closed and its results are in"
    )
    assert "Thank you" not in notice.text
    assert await counts(sessions) == before
    assert await outbox(sessions) == []


# brief


async def test_brief_posts_now_keeping_line_breaks_and_text_as_written(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    body = "<!channel> @here <b>Practice week</b> & more.\n\nSessions daily."

    notice = only_notice(
        await run(
            sessions,
            c.psw,
            f'brief title="Practice week <b>" body="{body}" '
            "link=https://example.org/week",
        )
    )

    assert notice.text == "Posted 'Practice week <b>' to the workforce channel."
    (message,) = await outbox(sessions)
    assert message.recipient == "channel:workforce"
    assert message.payload["body"] == body
    assert message.payload["title"] == "Practice week <b>"
    async with sessions() as session:
        (stored,) = (await session.exec(select(AnnouncementRow))).all()
    assert stored.body == body
    render_html = pytest.importorskip("bot.web.render_html")
    renderer = render_html.HtmlRenderer(render_html.template_environment())
    html = str(
        renderer.render(
            [Announcement(title=stored.title, body=stored.body, link=stored.link)]
        )
    )
    assert "&lt;!channel&gt;" in html
    assert "&lt;b&gt;Practice week&lt;/b&gt;" in html
    assert "<b>" not in html


async def test_brief_to_a_team_with_feedback(sessions: SessionFactory) -> None:
    c = await council(sessions)

    notice = only_notice(
        await run(
            sessions,
            c.psw,
            'brief title="Team day" body="Thanks all" to="team:team a" feedback=yes',
        )
    )

    assert notice.text == (
        "Sent 'Team day' to everyone in Team A (7 people).\n"
        "The feedback survey 'Feedback: Team day' is open until Monday 16 March; "
        'answers are anonymous. People answer it with: start "Feedback: Team day"'
    )
    assert len(await outbox(sessions)) == 7


async def test_brief_at_a_time_schedules_one_job_that_posts_once(
    sessions: SessionFactory,
) -> None:
    c = await council(sessions)
    typed = (
        'brief title="Practice week" body="Starts today" at=2026-12-01T09:30 '
        "feedback=yes"
    )

    first = only_notice(await run(sessions, c.psw, typed))
    before = await counts(sessions)
    again = only_notice(await run(sessions, c.psw, typed))

    assert first.text == (
        "'Practice week' will be posted to the workforce channel at 09:30 on "
        "Tuesday 1 December 2026.\n"
        "Its feedback survey 'Feedback: Practice week' opens then, for two weeks."
    )
    assert again.text == (
        "'Practice week' is already scheduled for 09:30 on Tuesday 1 December "
        "2026; nothing new was stored."
    )
    assert await counts(sessions) == before
    async with sessions() as session:
        (job,) = (
            await session.exec(select(Job).where(Job.kind == POST_BRIEFING))
        ).all()
    assert await outbox(sessions) == []

    for _ in range(2):
        async with sessions() as session, session.begin():
            await run_job(session, job=job, now=job.run_at, platforms=("local",))

    (message,) = await outbox(sessions)
    assert message.payload["title"] == "Practice week"
    assert message.payload["feedback_campaign"] == "Feedback: Practice week"


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ('brief body="No title"', "A briefing needs a title and a body."),
        ('brief title="No body"', "A briefing needs a title and a body."),
        ('brief title="Empty" body=""', "The body is empty"),
        (
            f'brief title="{"t" * 151}" body="x"',
            "The title is 151 characters; chat platforms show at most 150.",
        ),
        (
            f'brief title="Long" body="{"b" * 3001}"',
            "The body is 3,001 characters; chat platforms show at most 3,000.",
        ),
        (
            'brief title="Late" body="x" at=2026-03-01T09:00',
            "09:00 on 1 March 2026 has already passed; choose a later time.",
        ),
        (
            'brief title="When" body="x" at=2026-12-01',
            "The time to post '2026-12-01' needs a time too, like \"Monday 9am\"",
        ),
        (
            'brief title="When" body="x" at=tomorrow',
            "I can't read the time to post 'tomorrow'; write it like \"Monday 9am\"",
        ),
        (
            'brief title="Who" body="x" to="team:Team Z"',
            "There is no team 'Team Z'. Did you mean 'Team A'? To post to the whole "
            "workforce channel, leave to= out.",
        ),
        (
            'brief to Team Z title="Who" body="x"',
            "I don't know 'Team Z': it is not a team or service. Did you mean "
            "'Team A'?",
        ),
        (
            'brief please title="Who" body="x"',
            "I couldn't read 'please'. Start with 'to' and a team or service",
        ),
        (
            'brief to Team A title="Who" body="x" to=channel',
            "Say who the briefing is for once",
        ),
        (
            'brief title="Who" body="x" to=service:Housing',
            "There is no service 'Housing'. Services: Adults.",
        ),
        (
            'brief title="Who" body="x" to=everyone-please',
            "I don't know 'everyone-please': it is not a team or service.",
        ),
        (
            'brief title="Link" body="x" link=www.example.org',
            "'www.example.org' is not a web link; it must start with https:// or "
            "http://.",
        ),
        (
            'brief title="Link" body="x" link=javascript:alert(1)',
            "is not a web link",
        ),
        ('brief title="Practice week body=x', "The quote after title= is never closed"),
        (
            'brief title="Feedback" body="x" feedback=maybe',
            "feedback= takes yes or no, not 'maybe'.",
        ),
    ],
)
async def test_a_bad_brief_explains_and_stores_nothing(
    sessions: SessionFactory, typed: str, problem: str
) -> None:
    c = await council(sessions)
    before = await counts(sessions)

    notice = only_notice(await run(sessions, c.psw, typed))

    assert problem in notice.text
    assert notice.tone in (Tone.WARNING, Tone.ERROR)
    assert await counts(sessions) == before
