"""The HTML renderer draws every message type accessibly and escapes all text."""

from __future__ import annotations

import re
import uuid

import pytest

from bot.conversation.flow import REVIEW
from bot.conversation.messages import (
    Announcement,
    Choice,
    Controls,
    InputKind,
    Menu,
    MenuItem,
    Message,
    Notice,
    Progress,
    Prompt,
    Review,
    ReviewRow,
    SummaryTable,
    Tone,
)
from bot.web.render_html import HtmlRenderer, template_environment

CAMPAIGN = uuid.UUID("12345678-1234-4234-8234-123456789abc")
EVIL = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"


@pytest.fixture(scope="module")
def renderer() -> HtmlRenderer:
    return HtmlRenderer(
        environment=template_environment(),
        form_token=lambda campaign_id, question_id: f"tok-{question_id}",
    )


def prompt(**changes: object) -> Prompt:
    fields: dict[str, object] = {
        "campaign_id": CAMPAIGN,
        "campaign_name": "Pulse check",
        "question_id": "WL02",
        "text": "How manageable is your workload?",
        "kind": InputKind.CHOICE,
        "progress": Progress(3, 41),
        "controls": Controls(back=True, skip=True, pause=True),
        "choices": (Choice("yes", "Yes"), Choice("no", "No")),
    }
    fields.update(changes)
    return Prompt(**fields)  # type: ignore[arg-type]


def test_a_choice_prompt_is_a_real_form_with_a_fieldset_and_legend(
    renderer: HtmlRenderer,
) -> None:
    html = renderer.render([prompt(current="no")])

    assert '<form method="post" action="/answer" novalidate>' in html
    assert f'name="campaign_id" value="{CAMPAIGN}"' in html
    assert 'name="question_id" value="WL02"' in html
    assert 'name="form_token" value="tok-WL02"' in html
    assert re.search(
        r"<fieldset[^>]*>\s*<legend><h2[^>]*>How manageable is your workload\?</h2>",
        html,
    )
    # One tap: each option is a submit button that answers, the chosen one
    # marked pressed; there is no separate Next.
    options = re.findall(
        r'<button type="submit" class="option-button" name="answer" '
        r'value="(\w+)" aria-pressed="(true|false)">',
        html,
    )
    assert options == [("yes", "false"), ("no", "true")]
    assert 'type="radio"' not in html
    assert 'value="answer">Next' not in html
    assert "Question 3 of 41" in html
    assert '<progress max="41" value="3"' in html
    for label, action in (
        ("Skip this question", "skip"),
        ("Back", "back"),
        ("Pause and save", "pause"),
    ):
        button = rf'name="action" value="{action}">{label}</button>'
        assert re.search(rf'<button type="submit"[^>]*{button}', html)


def test_a_typed_answer_has_one_next_that_enter_presses(
    renderer: HtmlRenderer,
) -> None:
    html = renderer.render(
        [prompt(kind=InputKind.NUMBER, choices=(Choice("prefer_not", "Prefer not"),))]
    )

    assert re.search(
        r'<button type="submit"[^>]*name="action" value="answer">Next<', html
    )
    # Next comes first, so pressing Enter in the box answers, never goes back.
    first = re.search(r'<button type="submit"[^>]*>', html)
    assert first is not None
    assert 'value="answer"' in first.group(0)
    assert html.index('value="answer"') < html.index('value="back"')
    assert 'name="special" value="prefer_not">Prefer not</button>' in html


def test_a_short_surveys_last_question_sends_from_a_sticky_row(
    renderer: HtmlRenderer,
) -> None:
    typed = renderer.render([prompt(kind=InputKind.TEXT, choices=(), sends=True)])
    tapped = renderer.render([prompt(sends=True)])

    assert 'class="actions sticky-send"' in typed
    assert 'value="answer">Send my answers</button>' in typed
    assert 'value="skip">Skip and send</button>' in typed
    assert "Choosing an answer sends your answers" in tapped
    assert 'value="skip">Skip and send</button>' in tapped


def test_multi_choice_uses_checkboxes_and_says_so(renderer: HtmlRenderer) -> None:
    html = renderer.render([prompt(kind=InputKind.MULTI_CHOICE, current=["yes", "no"])])
    assert html.count('type="checkbox"') == 2
    assert html.count("checked") == 2
    assert 'name="multiple" value="1"' in html
    assert "Choose all that apply." in html


def test_a_number_prompt_has_a_numeric_input_with_bounds_and_a_label(
    renderer: HtmlRenderer,
) -> None:
    html = renderer.render(
        [
            prompt(
                kind=InputKind.NUMBER,
                text="Hours over contract last week?",
                choices=(Choice("prefer_not_to_say", "Prefer not to say"),),
                minimum=0,
                maximum=40,
                unit="hours",
                current=4,
            )
        ]
    )
    found = re.search(r'<input class="number" type="number"[^>]*>', html)
    assert found is not None
    field = found.group(0)
    for attribute in ('min="0"', 'max="40"', 'inputmode="numeric"', 'value="4"'):
        assert attribute in field
    input_id = re.search(r'id="([^"]+)"', field)
    assert input_id is not None
    assert f'<label for="{input_id.group(1)}">Hours over contract last week?' in html
    assert 'name="special" value="prefer_not_to_say">Prefer not to say<' in html


def test_a_text_prompt_has_a_labelled_textarea_with_its_limit(
    renderer: HtmlRenderer,
) -> None:
    html = renderer.render(
        [prompt(kind=InputKind.TEXT, text="One change?", choices=(), max_length=500)]
    )
    textarea = re.search(r"<textarea[^>]*>", html)
    assert textarea is not None
    assert 'maxlength="500"' in textarea.group(0)
    limit = re.search(r'<p class="hint" id="([^"]+)">You can write up to 500', html)
    assert limit is not None
    assert limit.group(1) in textarea.group(0)
    assert re.search(r'<label for="[^"]+">One change\?</label>', html)


def test_a_problem_is_an_alert_linked_to_the_input(renderer: HtmlRenderer) -> None:
    html = renderer.render([prompt(problem="Please pick one of the options shown.")])
    problem = re.search(r'<div class="problem" role="alert" id="([^"]+)">', html)
    assert problem is not None
    assert re.search(rf'<fieldset[^>]*aria-describedby="{problem.group(1)}"', html)
    assert "Please pick one of the options shown." in html
    typed = renderer.render([prompt(kind=InputKind.NUMBER, problem="Too big.")])
    assert re.search(r'<input class="number"[^>]*aria-invalid="true"', typed)


def test_back_is_left_out_on_the_first_question(renderer: HtmlRenderer) -> None:
    html = renderer.render([prompt(controls=Controls(back=False, skip=False))])
    assert 'value="back"' not in html
    assert 'value="skip"' not in html
    assert 'value="pause"' in html


def test_the_review_lists_answers_with_change_buttons_and_a_send_button(
    renderer: HtmlRenderer,
) -> None:
    review = Review(
        campaign_id=CAMPAIGN,
        campaign_name="Pulse check",
        rows=(
            ReviewRow("WL02", "Workload?", "Manageable"),
            ReviewRow("TX01", "One change?", EVIL),
        ),
        missing=("WL02",),
        problem="1 question needs an answer before you can send.",
    )
    html = renderer.render([review])

    assert f'name="question_id" value="{REVIEW}"' in html
    assert f'name="form_token" value="tok-{REVIEW}"' in html
    assert '<dl class="review-list">' in html
    assert html.count('name="edit"') == 2
    assert 'name="edit" value="TX01">Change<span class="visually-hidden">' in html
    assert 'name="action" value="submit">Send my answers</button>' in html
    assert "Needs an answer" in html
    assert 'role="alert"' in html
    assert ESCAPED in html
    assert EVIL not in html


def test_a_notice_is_a_status_and_a_menu_is_a_list_of_buttons(
    renderer: HtmlRenderer,
) -> None:
    html = renderer.render(
        [
            Notice("Saved.\nCome back any time.", Tone.SUCCESS, title="Paused"),
            Menu(
                "Answer a survey",
                (MenuItem("Pulse check", "start pulse", detail="2 minutes"),),
            ),
        ]
    )
    assert '<div class="message notice notice-success" role="status"' in html
    assert "<p>Saved.</p>" in html
    assert "<p>Come back any time.</p>" in html
    assert re.search(
        r'<li>\s*<form method="post" action="/command">'
        r'<input type="hidden" name="csrf_token" value="[^"]*">\s*'
        r'<input type="hidden" name="text" value="start pulse">\s*'
        r'<button type="submit"[^>]*>Pulse check</button>',
        html,
    )


def test_tables_and_announcements(renderer: HtmlRenderer) -> None:
    html = renderer.render(
        [
            SummaryTable("Team", ("Question", "Favourable"), (("Workload", "55%"),)),
            Announcement("You said", "Para one.\n\nPara two.", "https://example.org/a"),
            Announcement("Sneaky", "Body", "javascript:alert(1)"),
        ]
    )
    assert "<caption" in html
    assert '<th scope="col">Favourable</th>' in html
    assert '<th scope="row">Workload</th>' in html
    assert "<p>Para one.</p>" in html
    assert "<p>Para two.</p>" in html
    assert 'href="https://example.org/a"' in html
    assert "javascript:" not in html


@pytest.mark.parametrize(
    "message",
    [
        prompt(text=EVIL, help=EVIL, choices=(Choice("a", EVIL),)),
        prompt(kind=InputKind.TEXT, current=EVIL, choices=(), problem=EVIL),
        prompt(kind=InputKind.NUMBER, unit=EVIL, choices=(), minimum=0, maximum=1),
        Notice(EVIL, title=EVIL),
        Menu(EVIL, (MenuItem(EVIL, EVIL, EVIL),)),
        SummaryTable(EVIL, (EVIL,), ((EVIL,),), note=EVIL),
        Announcement(EVIL, EVIL, None),
    ],
)
def test_every_message_escapes_its_text(
    renderer: HtmlRenderer, message: Message
) -> None:
    html = renderer.render([message])
    assert "<script" not in html
    assert ESCAPED in html


def test_ids_are_unique_when_several_messages_share_a_page(
    renderer: HtmlRenderer,
) -> None:
    html = renderer.render([Notice("a"), prompt(), Notice("b"), prompt()])
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
