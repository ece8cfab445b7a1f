"""The workspace roster: a CSV is checked and previewed, then applied on confirm."""

from __future__ import annotations

import re

from sqlmodel import col, select
from webchat import Chat, Database
from workspace_pages import as_psw, audit_actions, roster_file, roster_rows, words

from survey.models import Person, Team


def active(db: Database) -> dict[str, str]:
    """Active people's emails and their team's name."""
    with db.session() as session:
        teams = {team.id: team.name for team in session.exec(select(Team)).all()}
        people = session.exec(select(Person).where(col(Person.active))).all()
        return {person.email: teams[person.team_id] for person in people}


def changed_file(db: Database) -> tuple[bytes, dict[str, str]]:
    """The demo roster with one joiner, one leaver and one move."""
    rows = roster_rows(db)
    leaver = next(
        row for row in rows if not row["manager_of"] and row["access"] != "psw"
    )
    rows.remove(leaver)
    mover = next(
        row for row in rows if not row["manager_of"] and row["access"] != "psw"
    )
    other = next(row for row in rows if row["team"] != mover["team"])
    mover["team"], mover["service"] = other["team"], other["service"]
    joiner = {
        **mover,
        "name": "Nadia Newcomer",
        "email": "nadia.newcomer@example.org",
        "slack_id": "",
        "teams_id": "",
    }
    rows.append(joiner)
    return roster_file(rows), {
        "leaver": leaver["name"],
        "leaver_email": leaver["email"],
        "mover": mover["name"],
        "mover_email": mover["email"],
        "to": mover["team"],
    }


def upload(chat: Chat, data: bytes, **form: str) -> tuple[int, str]:
    response = chat.client.post(
        "/workspace/roster/preview",
        data=form,
        files={"file": ("roster.csv", data, "text/csv")},
    )
    return response.status_code, response.text


def sealed_fields(html: str) -> dict[str, str]:
    return dict(
        re.findall(
            r'<input type="hidden" name="(file|create_teams|issued|signature)" '
            r'value="([^"]*)">',
            html,
        )
    )


def test_the_preview_lists_joiners_leavers_and_moves_and_changes_nothing(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)
    before = active(db)
    data, who = changed_file(db)
    status, html = upload(chat, data)
    assert status == 200, words(html)
    text = words(html)
    assert "Check the changes before they are made" in text
    assert "1 joining" in text
    assert "1 leaving" in text
    assert "1 moving team" in text
    joining = words(html.split('id="joiners"')[1].split("</table>")[0])
    assert "Nadia Newcomer" in joining
    assert who["leaver"] in words(html.split('id="leavers"')[1].split("</table>")[0])
    moves = words(html.split('id="moves"')[1].split("</table>")[0])
    assert who["mover"] in moves
    assert who["to"] in moves
    assert active(db) == before


def test_confirming_applies_exactly_the_previewed_file_and_logs_it(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)
    data, who = changed_file(db)
    _, html = upload(chat, data)
    response = chat.client.post("/workspace/roster/apply", data=sealed_fields(html))
    assert response.status_code == 200
    assert "Roster imported: 1 added" in words(response.text)
    after = active(db)
    assert "nadia.newcomer@example.org" in after
    assert who["leaver_email"] not in after
    assert after[who["mover_email"]] == who["to"]
    channel, action, subject = audit_actions(db)[-1]
    assert (channel, action) == ("workspace", "roster.imported")
    assert subject.startswith("Roster imported: 1 added")


def test_a_bad_file_lists_its_problems_by_row_and_changes_nothing(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)
    before = active(db)
    rows = roster_rows(db)
    rows[2]["team"] = "Team That Does Not Exist"
    rows[4]["email"] = "not an email"
    status, html = upload(chat, roster_file(rows))
    assert status == 400
    text = words(html)
    assert "The roster file has problems, so nothing has been changed." in text
    problems = words(html.split('id="problems"')[1].split("</ul>")[0])
    assert "row 4" in problems
    assert "row 6" in problems
    assert "Team That Does Not Exist" in problems
    assert "--create-teams" not in problems
    assert "Apply these changes" not in text
    assert active(db) == before
    assert audit_actions(db) == []


def test_files_that_are_not_a_roster_get_a_clear_error(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)
    before = active(db)
    for data, message in (
        (b"PK\x03\x04 workbook", "this is an Excel workbook, not a CSV file"),
        (b"name;email;team\n", "the file is not comma-separated"),
        (b"name,email\nA,a@example.org\n", "missing columns"),
        (b"", "Choose a roster file (CSV) to upload."),
    ):
        status, html = upload(chat, data)
        assert status == 400
        assert message in words(html)
    assert active(db) == before


def test_an_altered_or_forged_confirmation_changes_nothing(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)
    before = active(db)
    data, _ = changed_file(db)
    _, html = upload(chat, data)
    fields = sealed_fields(html)
    other, _ = changed_file(db)
    tampered = [
        {**fields, "file": fields["file"][:-8] + "AAAAAAAA"},
        {**fields, "create_teams": "1"},
        {**fields, "signature": "forged"},
        {**fields, "issued": str(int(fields["issued"]) + 60)},
        {},
    ]
    for form in tampered:
        response = chat.client.post("/workspace/roster/apply", data=form)
        assert response.status_code == 400
        assert "Upload it again" in words(response.text)
    assert active(db) == before


def test_an_upload_without_the_right_form_token_is_refused(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)
    data, _ = changed_file(db)
    for token in (None, "not-the-token"):
        response = chat.client.post(
            "/workspace/roster/preview",
            data={"csrf_token": token},
            files={"file": ("roster.csv", data, "text/csv")},
        )
        assert response.status_code == 403
        assert "Check the changes" not in response.text


def test_a_file_over_the_upload_limit_is_refused_plainly(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)
    before = active(db)
    rows = roster_rows(db)
    data = roster_file(rows * (1_100_000 // len(roster_file(rows)) + 1))
    status, html = upload(chat, data)
    assert status == 413
    text = words(html)
    assert "That was too large to send" in text
    assert "at most 1 MB" in text
    assert active(db) == before
