"""What a newcomer sees in the demo council, and commands typed the way people type.

Through the local channel's command box on the seeded demo, as the persona
picker's manager (Imran Clarke) and the Principal Social Worker.
"""

from __future__ import annotations

import html
import re

from webchat import Chat, Database

from survey.demo import FEATURED_MANAGER
from survey.models import Person


def seen(chat: Chat) -> str:
    """The page's text as a person reads it (tags dropped, entities decoded)."""
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", chat.html).split()))


def psw(db: Database) -> Person:
    (person,) = db.people(access="psw")
    return person


def featured(db: Database) -> Person:
    (person,) = db.people(name=FEATURED_MANAGER)
    return person


def test_the_picker_offers_the_featured_manager(chat: Chat, db: Database) -> None:
    page = " ".join(chat.get("/").split())

    assert FEATURED_MANAGER in page


def test_the_featured_manager_sees_real_figures_for_their_team(
    chat: Chat, db: Database
) -> None:
    chat.pick(featured(db))
    chat.command("summary")
    page = seen(chat)

    assert "These are Adult Mental Health's own figures." in page
    found = re.search(r"Adult Mental Health (\d+) of (\d+) \d+%", page)
    assert found is not None
    assert int(found.group(1)) >= 10
    standards = page.split("LGA standards")[1].split("Needs attention")[0]
    for band in ("low", "moderate", "high"):
        assert re.search(rf"\d+ {band}", standards), band
    assert re.search(r"up \d+ points \(\d+ in Social work health check", standards)


def test_the_council_moved_both_ways_since_the_year_before(
    chat: Chat, db: Database
) -> None:
    chat.pick(psw(db))
    chat.command("summary")
    standards = seen(chat).split("LGA standards")[1].split("Needs attention")[0]

    assert re.search(r"3\. Safe workloads and case allocation \d+ low down", standards)
    assert re.search(r"5\. Supervision \d+ high up", standards)
    assert re.search(r"4\. Wellbeing \d+ moderate up", standards)


def test_teams_really_differ(chat: Chat, db: Database) -> None:
    chat.pick(psw(db))

    def workload(team: str) -> int:
        chat.command(f"summary {team}")
        row = re.search(r"3\. Safe workloads and case allocation (\d+)", seen(chat))
        assert row is not None, team
        return int(row.group(1))

    assert workload("Family Support") >= workload("Child Protection") + 15


def test_the_pulse_series_shows_a_trend(chat: Chat, db: Database) -> None:
    chat.pick(psw(db))
    chat.command("trends")
    page = seen(chat)

    row = re.search(
        r"How manageable is your workload at the moment\? (\d+)% (\d+)% (\d+)%", page
    )
    assert row is not None
    first, _, last = (int(value) for value in row.groups())
    assert last >= first + 10, "workload eases as the new posts are filled"


def test_last_years_themes_have_actions_with_figures(chat: Chat, db: Database) -> None:
    chat.pick(psw(db))
    chat.command("action list")
    page = seen(chat)

    for theme in ("Workload and caseload", "IT and systems", "Supervision"):
        assert theme in page
    assert re.search(r"\d+% favourable on WL01", page)
    assert "Id" not in page.split("Actions")[1].split("You said")[0], "one number"


def test_names_need_no_quotes_and_may_be_partial(chat: Chat, db: Database) -> None:
    chat.pick(psw(db))

    chat.command("summary Child Protection")
    whole = seen(chat)
    chat.command("summary child prot")
    partial = seen(chat)
    chat.command("summary CHILD PROTECTION social work health check 2024")
    with_survey = seen(chat)

    for page in (whole, partial):
        assert "Summary for Child Protection" in page
        assert "There is no team" not in page
    assert "Summary for Child Protection: Social work health check 2024" in with_survey


def test_an_unclear_name_lists_the_choices_or_the_closest(
    chat: Chat, db: Database
) -> None:
    chat.pick(psw(db))

    chat.command("summary child")
    several = html.unescape(" ".join(chat.notices()))
    chat.command("summary Chlid Protection")
    misspelt = html.unescape(" ".join(chat.notices()))

    assert (
        "'child' could be 'Child Protection', 'Children in Care' or 'Children's'. "
        "Which one? Type more of its name."
    ) in several
    assert (
        "I don't know 'Chlid Protection': it is not a survey, team or service. "
        "Did you mean 'Child Protection'?"
    ) in misspelt


def test_a_briefing_to_a_team_in_plain_words(chat: Chat, db: Database) -> None:
    chat.pick(psw(db))

    chat.command(
        'brief to child prot title="Duty cover" body="Cover for the week." '
        "at=tomorrow 9am"
    )
    page = html.unescape(" ".join(chat.notices()))

    assert (
        "'Duty cover' will be posted to everyone in Child Protection at 09:00 on"
        in (page)
    )


def test_help_is_grouped_by_task_and_shows_only_what_the_role_can_do(
    chat: Chat, db: Database
) -> None:
    chat.pick(featured(db))
    chat.command("help")
    manager = seen(chat)
    chat.pick(psw(db))
    chat.command("help")
    principal = seen(chat)

    for heading in ("Answering:", "My team's results:", "Follow-up:"):
        assert heading in manager
    assert "Running surveys:" not in manager
    assert "survey open NAME" not in manager
    assert "Running surveys:" in principal
    assert "- survey open NAME:" in principal
    assert "'campaign' still works wherever 'survey' is written." in principal
    assert "Coming later" not in principal + manager
