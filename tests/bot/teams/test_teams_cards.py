"""The Adaptive Card renderer: inputs per kind of question, buttons, escaping, size."""

from __future__ import annotations

import json
import uuid

import pytest
from teamschat import action, actions, inputs, texts, walk

from bot.conversation.flow import REVIEW
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
from bot.teams.card_actions import CardAction, Verb
from bot.teams.card_blocks import escape_markdown
from bot.teams.cards import CARD_BUDGET, SUBMIT, AdaptiveCardRenderer

CAMPAIGN = uuid.UUID("3ae2d467-f8d1-4ec5-b593-dea38b2765c7")
AGREE5 = tuple(
    Choice(code, label)
    for code, label in [
        ("strongly_agree", "Strongly agree"),
        ("agree", "Agree"),
        ("neither", "Neither agree nor disagree"),
        ("disagree", "Disagree"),
        ("strongly_disagree", "Strongly disagree"),
    ]
)
ZERO_TO_TEN = tuple(Choice(str(n), str(n)) for n in range(11))


def prompt(kind: InputKind, **changes: object) -> Prompt:
    values: dict[str, object] = {
        "campaign_id": CAMPAIGN,
        "campaign_name": "Pulse",
        "question_id": "Q1",
        "text": "My workload is manageable.",
        "kind": kind,
        "progress": Progress(3, 7),
        "controls": Controls(back=True, skip=False, pause=True),
    }
    values.update(changes)
    return Prompt(**values)  # type: ignore[arg-type]


def render(*messages: object) -> dict[str, object]:
    return AdaptiveCardRenderer().render(messages)  # type: ignore[arg-type]


def test_a_short_scale_is_one_tap_buttons_and_zero_to_ten_a_compact_list() -> None:
    card = render(prompt(InputKind.CHOICE, choices=AGREE5, current="agree"))
    assert inputs(card) == []
    buttons = actions(card, "answer")
    assert [button["data"]["special"] for button in buttons] == [
        choice.value for choice in AGREE5
    ]
    assert all(button["associatedInputs"] == "none" for button in buttons)
    assert [button.get("style") for button in buttons] == [
        None,
        "positive",
        None,
        None,
        None,
    ]
    assert buttons[1]["title"] == "✓ Agree (your answer)"
    tapped = CardAction.from_data("answer", buttons[3]["data"])
    assert tapped == CardAction(Verb.ANSWER, CAMPAIGN, "Q1", raw="disagree")
    multiple = inputs(render(prompt(InputKind.MULTI_CHOICE, choices=AGREE5)))
    assert [(box["type"], box["style"]) for box in multiple] == [
        ("Input.ChoiceSet", "expanded")
    ]
    eleven = inputs(render(prompt(InputKind.CHOICE, choices=ZERO_TO_TEN)))
    assert eleven[0]["style"] == "compact"
    assert len(eleven[0]["choices"]) == 11


def test_a_number_question_has_its_bounds_and_a_text_question_its_limit() -> None:
    number = inputs(render(prompt(InputKind.NUMBER, minimum=0, maximum=40, current=4)))
    assert number == [
        {
            "type": "Input.Number",
            "id": "answer",
            "label": "Your answer",
            "placeholder": "A whole number from 0 to 40.",
            "min": 0,
            "max": 40,
            "value": 4,
        }
    ]
    comment = inputs(render(prompt(InputKind.TEXT, max_length=500)))
    assert comment[0]["type"] == "Input.Text"
    assert comment[0]["isMultiline"] is True
    assert comment[0]["maxLength"] == 500


def test_buttons_carry_the_campaign_and_question_so_old_cards_are_stale() -> None:
    card = render(
        prompt(
            InputKind.NUMBER,
            choices=(Choice("prefer_not", "Prefer not to say"),),
            controls=Controls(back=True, skip=True, pause=True),
        )
    )
    verbs = [button["verb"] for button in actions(card)]
    assert verbs == ["answer", "answer", "skip", "back", "pause"]
    for button in actions(card):
        assert button["type"] == "Action.Execute"
        assert button["data"]["campaign"] == CAMPAIGN.hex
        assert button["data"]["question"] == "Q1"
    assert action(card, "answer", "Continue")["associatedInputs"] == "auto"
    special = action(card, "answer", "Prefer not to say")
    assert special["data"]["special"] == "prefer_not"
    assert special["associatedInputs"] == "none"
    assert action(card, "pause")["associatedInputs"] == "none"


def test_a_multi_choice_answer_comes_back_as_a_list() -> None:
    card = render(prompt(InputKind.MULTI_CHOICE, choices=AGREE5[:3]))
    box = inputs(card)[0]
    assert box["isMultiSelect"] is True
    button = action(card, "answer")
    tapped = CardAction.from_data(
        "answer", {**button["data"], "answer": "agree,neither"}
    )
    assert tapped == CardAction(
        Verb.ANSWER, CAMPAIGN, "Q1", raw=["agree", "neither"], command=None
    )


def test_a_previous_answer_is_shown_when_going_back() -> None:
    card = render(prompt(InputKind.CHOICE, choices=ZERO_TO_TEN, current="7"))
    assert inputs(card)[0]["value"] == "7"
    typed = render(prompt(InputKind.TEXT, current="More staff"))
    assert inputs(typed)[0]["value"] == "More staff"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("**bold** and _italic_", "\\*\\*bold\\*\\* and \\_italic\\_"),
        ("[click](https://evil.example)", "\\[click\\](https://evil.example)"),
        ("<at>Manager</at> look", "\\<at\\>Manager\\</at\\> look"),
        (
            "{{DATE(2026-03-02T10:30:00Z, SHORT)}}",
            "{\\{DATE(2026-03-02T10:30:00Z, SHORT)}}",
        ),
        (
            "- not a list\n1. nor this\n# nor a heading",
            "\\- not a list\n1\\. nor this\n\\# nor a heading",
        ),
        ("`code` ~~gone~~ a\\b", "\\`code\\` \\~\\~gone\\~\\~ a\\\\b"),
        ("Plain words, 3.5 hours.", "Plain words, 3.5 hours."),
    ],
)
def test_markdown_mentions_and_functions_are_escaped(typed: str, shown: str) -> None:
    assert escape_markdown(typed) == shown


def test_every_text_from_people_and_the_psw_is_escaped() -> None:
    hostile = "**Pay** <at>Everyone</at> [x](https://evil.example)"
    card = render(
        Notice(hostile, Tone.WARNING, title=hostile),
        Review(
            campaign_id=CAMPAIGN,
            campaign_name=hostile,
            rows=(ReviewRow("TX01", hostile, hostile),),
        ),
        Announcement(title=hostile, body=f"{hostile}\n\n{hostile}", link=None),
        SummaryTable(title=hostile, columns=("Team", hostile), rows=((hostile, "1"),)),
        Menu(
            title=hostile,
            items=(MenuItem(label="Start", command="start", detail=hostile),),
        ),
    )
    shown = texts(card)
    assert len([text for text in shown if "Pay" in text]) >= 10
    for text in shown:
        assert "**" not in text.replace("\\*\\*", "")
        assert "<at>" not in text
        assert "](" not in text.replace("\\](", "")


def test_announcement_links_are_web_links_only() -> None:
    card = render(Announcement("Update", "Body", link="javascript:alert(1)"))
    assert not [node for node in walk(card) if node.get("type") == "Action.OpenUrl"]
    card = render(Announcement("Update", "Body", link="https://intranet.example/plan"))
    assert [
        node["url"] for node in walk(card) if node.get("type") == "Action.OpenUrl"
    ] == ["https://intranet.example/plan"]


def test_the_review_lists_answers_with_a_change_button_each_and_send() -> None:
    review = Review(
        campaign_id=CAMPAIGN,
        campaign_name="Pulse",
        rows=(
            ReviewRow("Q1", "Workload?", "Agree"),
            ReviewRow("Q2", "Stress?", "Skipped"),
        ),
        missing=("Q2",),
    )
    card = render(review)
    assert [button["data"]["question"] for button in actions(card, "edit")] == [
        "Q1",
        "Q2",
    ]
    send = action(card, "submit")
    assert send["data"]["question"] == REVIEW
    assert "Not answered yet" in texts(card)


def test_a_long_summary_is_split_across_cards_under_the_size_limit() -> None:
    rows = tuple((f"Question {n} " + "x" * 150, "61%", "12") for n in range(120))
    table = SummaryTable("Team A summary", ("Question", "Favourable", "Answers"), rows)
    cards = AdaptiveCardRenderer().render_cards([Notice("Here it is."), table])
    assert len(cards) > 1
    for card in cards:
        assert len(json.dumps(card).encode()) <= CARD_BUDGET
    shown_rows = [
        node for card in cards for node in walk(card) if node.get("type") == "TableRow"
    ]
    assert len(shown_rows) == 120 + len(
        [node for card in cards for node in walk(card) if node.get("type") == "Table"]
    )


def test_submit_style_cards_carry_the_verb_in_their_data() -> None:
    card = AdaptiveCardRenderer(action_type=SUBMIT).render(
        [prompt(InputKind.CHOICE, choices=AGREE5)]
    )
    for button in actions(card):
        assert button["type"] == "Action.Submit"
        assert "verb" not in button
        assert button["data"]["verb"] in {"answer", "back", "pause"}


def test_taps_on_cards_that_are_not_ours_are_ignored() -> None:
    assert CardAction.from_data("approve", {"campaign": CAMPAIGN.hex}) is None
    assert CardAction.from_data("answer", "not a dict") is None
    assert CardAction.from_data("answer", {"campaign": "not-a-uuid"}) is None


def test_a_number_typed_in_teams_reads_as_a_whole_number() -> None:
    data = {"campaign": CAMPAIGN.hex, "question": "HOURS"}
    for given, raw in ((4.0, "4"), (4, "4"), ("12", "12"), (None, "")):
        tapped = CardAction.from_data("answer", {**data, "answer": given})
        assert tapped is not None
        assert tapped.raw == raw


def test_outbox_payloads_become_invitations_reminders_posts_and_notes() -> None:
    from bot.teams.outgoing import UnknownPayload, outbox_messages

    common = {"campaign_id": "x", "campaign": "Pulse", "closes_at": None}
    invite = render(*outbox_messages({"kind": "invitation", **common}))
    assert action(invite, "command", "Start")["data"]["command"] == 'start "Pulse"'
    remind = render(*outbox_messages({"kind": "reminder", **common}))
    assert "Reminder: Pulse" in texts(remind)
    assert action(remind, "command", "Carry on")["data"]["command"] == 'start "Pulse"'
    post = render(
        *outbox_messages(
            {
                "kind": "briefing",
                "title": "Practice week",
                "body": "Join us.",
                "link": None,
            }
        )
    )
    assert texts(post)[:2] == ["Practice week", "Join us."]
    note = render(*outbox_messages({"kind": "you_said_note", "text": "Thank you."}))
    assert texts(note) == ["Thank you."]
    with pytest.raises(UnknownPayload):
        outbox_messages({"kind": "mystery"})
