"""The Block Kit renderer: escaping every text, the right control, Slack's limits."""

from __future__ import annotations

import json
import uuid

import pytest
from fakes.block_kit import message_problems, view_problems
from hypothesis import given
from hypothesis import strategies as st

from bot.conversation.messages import (
    Announcement,
    Choice,
    Controls,
    InputKind,
    Menu,
    MenuItem,
    Notice,
    Progress,
    Prompt,
    Review,
    ReviewRow,
    SummaryTable,
    Tone,
)
from bot.slack import ids
from bot.slack.escape import mrkdwn, plain
from bot.slack.render import BlockKitRenderer

CAMPAIGN = uuid.UUID("00000000-0000-4000-8000-000000000001")
RENDERER = BlockKitRenderer()
HOSTILE = (
    "<!channel> @here <!everyone> @channel <@U0BOSS> <#C0ALL> <https://evil|click> & co"
)


def prompt(
    kind: InputKind = InputKind.CHOICE,
    choices: int | tuple[Choice, ...] = 5,
    **extra: object,
) -> Prompt:
    if isinstance(choices, int):
        choices = tuple(Choice(str(n), f"Option {n}") for n in range(choices))
    values: dict[str, object] = {
        "campaign_id": CAMPAIGN,
        "campaign_name": "Pulse",
        "question_id": "Q1",
        "text": "My workload is manageable.",
        "kind": kind,
        "progress": Progress(2, 6),
        "controls": Controls(back=True, skip=True, pause=True),
        "choices": choices,
    }
    values.update(extra)
    return Prompt(**values)  # type: ignore[arg-type]


def elements(blocks: list[dict[str, object]]) -> list[dict[str, object]]:
    found = []
    for block in blocks:
        found += list(block.get("elements") or [])  # type: ignore[call-overload]
        if block.get("accessory"):
            found.append(block["accessory"])  # type: ignore[arg-type]
    return found


def all_text(blocks: object) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_hostile_text_never_pings_mentions_or_links_anywhere() -> None:
    messages = (
        prompt(text=HOSTILE, help=HOSTILE, campaign_name=HOSTILE, problem=HOSTILE),
        Notice(HOSTILE, Tone.WARNING, title=HOSTILE),
        Announcement(title=HOSTILE, body=HOSTILE + "\n\n" + HOSTILE),
        SummaryTable(
            title=HOSTILE,
            columns=("Team", HOSTILE),
            rows=((HOSTILE, "5"),),
            note=HOSTILE,
        ),
        Menu(title=HOSTILE, items=(MenuItem(HOSTILE, "start x", HOSTILE),)),
    )
    rendered = RENDERER.render(messages)
    text = all_text(rendered.blocks) + rendered.text
    for dangerous in (
        "<!channel>",
        "<!here",
        "<!everyone>",
        "<@U0BOSS>",
        "<#C0ALL>",
        "<https://evil",
    ):
        assert dangerous not in text
    assert "@here" not in text
    assert "@channel" not in text
    assert "@everyone" not in text
    assert "&lt;!channel&gt;" in text  # shown as typed, not dropped
    assert "&amp; co" in text
    assert message_problems({"text": rendered.text, "blocks": rendered.blocks}) == []


def test_review_rows_and_answers_are_escaped_too() -> None:
    review = Review(
        campaign_id=CAMPAIGN,
        campaign_name="Pulse",
        rows=(ReviewRow("TX1", "One change?", "<!here> pay us & hire <@U1>"),),
    )
    text = all_text(RENDERER.render([review]).blocks)
    assert "<!here>" not in text
    assert "<@U1>" not in text
    assert "&lt;!here&gt; pay us &amp; hire &lt;@U1&gt;" in text


@given(st.text())
def test_any_text_escapes_to_something_slack_cannot_read_as_markup(words: str) -> None:
    escaped = mrkdwn(words)
    assert "<" not in escaped
    assert ">" not in escaped
    assert "&" not in escaped.replace("&amp;", "").replace("&lt;", "").replace(
        "&gt;", ""
    )
    for mention in ("@here", "@channel", "@everyone"):
        assert mention not in escaped.lower()
    safe = plain(words)
    assert all(part.startswith("\u200b") for part in safe.split("<")[1:])


def test_five_short_options_are_buttons_carrying_campaign_and_question() -> None:
    blocks = RENDERER.render([prompt(choices=5)]).blocks
    answer = next(
        block for block in blocks if str(block.get("block_id", "")).endswith("|answer")
    )
    assert ids.screen_of(answer["block_id"]) == ids.Screen(CAMPAIGN, "Q1")
    kinds = [element["type"] for element in answer["elements"]]
    assert kinds == ["button"] * 5
    assert [element["value"] for element in answer["elements"]] == [
        "0",
        "1",
        "2",
        "3",
        "4",
    ]


def test_six_to_ten_options_are_radio_buttons_and_eleven_a_select() -> None:
    for count, kind in (
        (6, "radio_buttons"),
        (10, "radio_buttons"),
        (11, "static_select"),
    ):
        blocks = RENDERER.render([prompt(choices=count)]).blocks
        chooser = [e for e in elements(blocks) if e.get("action_id") == ids.CHOOSE]
        assert [e["type"] for e in chooser] == [kind]
        assert len(chooser[0]["options"]) == count  # type: ignore[arg-type]


def test_a_chosen_answer_is_shown_when_going_back() -> None:
    blocks = RENDERER.render([prompt(choices=11, current=7)]).blocks
    chooser = next(e for e in elements(blocks) if e.get("action_id") == ids.CHOOSE)
    assert chooser["initial_option"]["value"] == "7"  # type: ignore[index]


def test_long_labels_become_radio_buttons_cut_to_slacks_75_characters() -> None:
    long = tuple(Choice(f"c{n}", "A very long option label " * 5) for n in range(3))
    blocks = RENDERER.render([prompt(choices=long)]).blocks
    chooser = next(e for e in elements(blocks) if e.get("action_id") == ids.CHOOSE)
    assert chooser["type"] == "radio_buttons"
    assert all(len(o["text"]["text"]) <= 75 for o in chooser["options"])  # type: ignore[index,union-attr]
    assert message_problems({"text": "x", "blocks": blocks}) == []


def test_text_and_number_questions_open_a_modal_with_special_options_beside() -> None:
    special = (Choice("prefer_not_to_say", "Prefer not to say"),)
    number = prompt(InputKind.NUMBER, special, minimum=0, maximum=40, unit="hours")
    blocks = RENDERER.render([number]).blocks
    found = {(e.get("action_id"), e.get("value")) for e in elements(blocks)}
    assert (ids.OPEN_MODAL, "number") in found
    assert ("hc.answer.0", "prefer_not_to_say") in found


def test_the_number_modal_has_bounds_and_fits_slacks_limits() -> None:
    question = prompt(
        InputKind.NUMBER, choices=0, minimum=0, maximum=40, unit="hours", current=4
    )
    origin = ids.ModalOrigin(CAMPAIGN, "Q1", "D123", "1.2")
    view = RENDERER.answer_modal(question, origin)
    element = view["blocks"][-1]["element"]
    assert element == {
        "type": "number_input",
        "action_id": ids.ANSWER_ELEMENT,
        "is_decimal_allowed": False,
        "min_value": "0",
        "max_value": "40",
        "initial_value": "4",
    }
    assert ids.ModalOrigin.decode(view["private_metadata"]) == origin
    assert view_problems(view) == []


def test_multi_choice_modal_uses_checkboxes_up_to_ten_then_a_multi_select() -> None:
    origin = ids.ModalOrigin(CAMPAIGN, "Q1", None, None)
    for count, kind in ((3, "checkboxes"), (12, "multi_static_select")):
        view = RENDERER.answer_modal(
            prompt(InputKind.MULTI_CHOICE, choices=count, current=["1"]), origin
        )
        element = view["blocks"][-1]["element"]
        assert element["type"] == kind
        assert [o["value"] for o in element["initial_options"]] == ["1"]
        assert view_problems(view) == []


def test_a_41_question_review_stays_inside_50_blocks_and_offers_every_change() -> None:
    rows = tuple(
        ReviewRow(
            f"Q{n:02d}", f"Question number {n} about workload and support " * 2, "Agree"
        )
        for n in range(41)
    )
    review = Review(CAMPAIGN, "Health check 2026", rows, missing=("Q03",))
    rendered = RENDERER.render([Notice("Welcome back."), review])
    assert message_problems({"text": rendered.text, "blocks": rendered.blocks}) == []
    change = next(
        e for e in elements(rendered.blocks) if e.get("action_id") == ids.EDIT
    )
    assert len(change["options"]) == 41  # type: ignore[arg-type]
    submit = next(
        e for e in elements(rendered.blocks) if e.get("action_id") == ids.SUBMIT
    )
    assert "confirm" in submit
    assert "needs an answer" in all_text(rendered.blocks)


def test_a_long_table_is_split_into_code_blocks_under_the_limits() -> None:
    table = SummaryTable(
        title="Team results",
        columns=("Team", "Responses", "% favourable"),
        rows=tuple((f"Team {n}", str(n), f"{n}%") for n in range(400)),
        note="Groups under 5 are not shown.",
    )
    rendered = RENDERER.render([table])
    assert message_problems({"text": rendered.text, "blocks": rendered.blocks}) == []
    assert all_text(rendered.blocks).count("```") >= 4


def test_announcement_links_are_web_links_only() -> None:
    for link, shown in (
        ("https://council.example/plan?a=1&b=2", True),
        ("javascript:alert(1)", False),
    ):
        text = all_text(RENDERER.render([Announcement("Plan", "Body", link)]).blocks)
        assert ("<https://council.example/plan?a=1&amp;b=2|Read more>" in text) is shown
        assert "javascript" not in text


def _wide_table(rows: int) -> SummaryTable:
    """A table of ``rows`` rows, each a 1,600-character paragraph in Slack.

    Two such rows never fit one 3,000-character section, so the table needs
    one header and one section per row: ``rows + 1`` blocks.
    """
    return SummaryTable(
        title="Every question",
        columns=("Question", "Team A", "Whole council"),
        rows=tuple(
            (f"Q{n:03d} " + "word " * 318 + f"end{n:03d}", f"{n % 100}%", "50%")
            for n in range(rows)
        ),
    )


@pytest.mark.parametrize(("needed", "messages"), [(51, 2), (100, 3), (150, 4)])
def test_a_summary_over_50_blocks_is_split_across_messages_losing_nothing(
    needed: int, messages: int
) -> None:
    table = _wide_table(needed - 1)
    assert len(RENDERER.blocks(table)) == needed
    parts = RENDERER.render_all([table])
    assert len(parts) == messages
    for number, part in enumerate(parts, start=1):
        params = {"text": part.text, "blocks": part.blocks}
        assert message_problems(params) == [], number
        assert len(part.blocks) <= 50
        assert part.text == f"Every question (part {number} of {messages})"
        heading = part.blocks[0]["text"]["text"]
        assert heading == (
            "Every question" if number == 1 else "Every question (continued)"
        )
    shown = all_text([part.blocks for part in parts])
    # Every row is there, once, in order, and nothing ends in "...".
    ends = [shown.index(f"end{n:03d}") for n in range(needed - 1)]
    assert ends == sorted(ends)
    assert "…" not in shown


def test_messages_that_fit_together_stay_in_one_message_and_tables_stay_whole() -> None:
    first, second = _wide_table(30), _wide_table(30)
    parts = RENDERER.render_all([Notice("Here it is."), first, second])
    assert len(parts) == 2
    # The second table does not fit beside the first, so it starts the next
    # message whole rather than being broken across the two.
    assert len(parts[0].blocks) == 1 + 1 + 31
    assert parts[1].blocks[0]["text"]["text"] == "Every question"
    assert len(parts[1].blocks) == 31


def test_section_text_over_3000_characters_is_split_between_words() -> None:
    words = " ".join(f"word{n}" for n in range(1200))  # about 9,000 characters
    parts = RENDERER.render_all([Notice(words, title="A long note")])
    assert len(parts) == 1
    sections = [b["text"]["text"] for b in parts[0].blocks if b["type"] == "section"]
    assert len(sections) >= 3
    assert all(len(text) <= 3000 for text in sections)
    joined = " ".join(sections)
    assert all(f"word{n}" in joined.split() for n in range(1200))
    assert "…" not in joined
    assert message_problems({"text": parts[0].text, "blocks": parts[0].blocks}) == []


def test_a_table_with_question_wording_is_drawn_as_rows_not_cut_columns() -> None:
    question = (
        "In the last 12 months, have you been bullied, harassed or discriminated "
        "against at work? (favourable = No)"
    )
    table = SummaryTable(
        "Needs attention", ("Question", "Team A"), ((question, "22%"),)
    )
    shown = all_text(RENDERER.render([table]).blocks)
    assert mrkdwn(question) in shown
    assert "Team A: 22%" in shown
    assert "…" not in shown


def test_one_message_is_refused_for_a_reply_that_needs_several() -> None:
    with pytest.raises(ValueError, match="render_all"):
        RENDERER.render([_wide_table(60)])
