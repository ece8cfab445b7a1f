"""Mention and markup injection is neutralised everywhere a person's words are echoed.

Each hostile string is put in every text field of every kind of message (a
question, its options, a typed answer, a notice, a review, a summary table, a
menu, a PSW's "you said, we did" or briefing) and rendered for each platform:
Slack Block Kit (and its notification fallback text), Teams Adaptive Cards, the
local channel's HTML, and the outbox posts each platform sends. Reports (HTML,
DOCX, XLSX, CSV) are covered by tests/analytics/test_writers.py.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

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
)
from bot.slack.posts import outbox_blocks
from bot.slack.render import BlockKitRenderer
from bot.teams.cards import AdaptiveCardRenderer
from bot.teams.outgoing import outbox_messages
from bot.web.render_html import HtmlRenderer, template_environment

HOSTILE = [
    "<!channel> now",
    "<!here>",
    "ping @here and @channel",
    "<@U123> look",
    "<at>Mina Manager</at>",
    "{{DATE(2020-01-01T00:00:00Z)}}",
    "[x](https://evil.example)",
    "**x**",
    "<script>alert(1)</script>",
    '=HYPERLINK("https://evil.example","Click")',
]
CAMPAIGN = uuid.UUID("00000000-0000-4000-8000-0000000000aa")


def messages(words: str) -> list[Message]:
    """Every kind of message, with ``words`` in each field a person can fill."""
    prompt = Prompt(
        campaign_id=CAMPAIGN,
        campaign_name=words,
        question_id="Q1",
        text=words,
        kind=InputKind.CHOICE,
        progress=Progress(1, 3),
        controls=Controls(back=True, skip=True, pause=True),
        help=words,
        choices=(Choice("a", words), Choice("b", "Plain")),
        problem=words,
    )
    typed = Prompt(
        campaign_id=CAMPAIGN,
        campaign_name=words,
        question_id="TX1",
        text=words,
        kind=InputKind.TEXT,
        progress=Progress(2, 3),
        controls=Controls(),
        current=words,
        max_length=500,
    )
    return [
        prompt,
        typed,
        Notice(words, title=words),
        Review(CAMPAIGN, words, (ReviewRow("Q1", words, words),), missing=(words,)),
        SummaryTable(words, (words, "Count"), ((words, "5"),), note=words),
        Announcement(words, f"{words}\n\n{words}", link="javascript:alert(1)"),
        Menu(words, (MenuItem(words, "start x", words),)),
    ]


def posts(words: str) -> list[dict[str, Any]]:
    """Outbox payloads carrying PSW-written words: you said / briefing, a notice."""
    return [
        {"kind": "you_said", "title": words, "body": f"{words}\n\n{words}"},
        {"kind": "briefing", "title": words, "body": words, "link": words},
        {"kind": "notice", "text": words},
        {"kind": "invitation", "campaign": words, "campaign_id": str(CAMPAIGN)},
    ]


def walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


# Slack ------------------------------------------------------------------------

_BROADCAST = re.compile(r"@(here|channel|everyone)\b", re.IGNORECASE)


def assert_slack_safe(words: str, fallback: str, blocks: list[Any]) -> None:
    """No mention, broadcast or link can be read out of what Slack shows."""
    shown = [
        (str(node.get("type")), node["text"])
        for node in walk(blocks)
        if isinstance(node.get("text"), str)
    ]
    shown.append(("mrkdwn", fallback))
    assert shown
    for kind, value in shown:
        assert not _BROADCAST.search(value), (kind, value)
        if kind == "plain_text":
            # Shown as typed; a zero-width space after "<" stops any parsing.
            assert not re.search(r"<(?!\u200b)", value), (kind, value)
        else:
            for opener in ("<!", "<@", "<#", "<script"):
                assert opener not in value, (kind, value)
            links = re.findall(r"<([^>|]*)\|", value)
            assert all(link.startswith("https://") for link in links), value
            assert "evil.example|" not in value


@pytest.mark.parametrize("words", HOSTILE)
def test_slack_block_kit_shows_hostile_words_as_typed(words: str) -> None:
    renderer = BlockKitRenderer()
    for message in messages(words):
        rendered = renderer.render([message])
        assert_slack_safe(words, rendered.text, rendered.blocks)
    modal = renderer.answer_modal(messages(words)[1], origin=_origin())  # type: ignore[arg-type]
    assert_slack_safe(words, "", [modal])


@pytest.mark.parametrize("words", HOSTILE)
def test_slack_outbox_posts_show_psw_words_as_typed(words: str) -> None:
    for payload in posts(words):
        fallback, blocks = outbox_blocks(payload)
        assert_slack_safe(words, fallback, blocks)


def _origin() -> Any:
    from bot.slack.ids import ModalOrigin

    return ModalOrigin(CAMPAIGN, "TX1", "D0DM", "1.1")


# Teams ------------------------------------------------------------------------


def card_texts(card: dict[str, Any]) -> list[str]:
    """Every string Teams reads as markdown: TextBlocks, TextRuns, facts."""
    found = []
    for node in walk(card):
        if node.get("type") in ("TextBlock", "TextRun") and "text" in node:
            found.append(node["text"])
        if "facts" in node:
            for fact in node["facts"]:
                found += [fact.get("title", ""), fact.get("value", "")]
    return found


def assert_teams_safe(card: dict[str, Any]) -> None:
    texts = card_texts(card)
    assert texts
    for value in texts:
        assert not re.search(r"(?<!\\)<at>", value), value
        assert "{{" not in value, value
        assert "[x](" not in value, value
        assert "**x**" not in value, value
        assert not re.search(r"(?<!\\)<script", value), value
    # Choice and button titles and input values are plain text in Adaptive
    # Cards; "<at>" is a mention only with a mention entity, which no card has.
    assert not any(node.get("type") == "mention" for node in walk(card))


@pytest.mark.parametrize("words", HOSTILE)
def test_teams_cards_show_hostile_words_as_typed(words: str) -> None:
    renderer = AdaptiveCardRenderer()
    for message in messages(words):
        assert_teams_safe(renderer.render([message]))


@pytest.mark.parametrize("words", HOSTILE)
def test_teams_outbox_posts_show_psw_words_as_typed(words: str) -> None:
    renderer = AdaptiveCardRenderer()
    for payload in posts(words):
        shown = outbox_messages(payload)
        assert_teams_safe(renderer.render(list(shown)))


# The local channel --------------------------------------------------------------


@pytest.mark.parametrize("words", HOSTILE)
def test_the_local_channel_html_shows_hostile_words_as_typed(words: str) -> None:
    renderer = HtmlRenderer(template_environment())
    html = str(renderer.render(messages(words)))
    assert "<script>alert(1)</script>" not in html
    assert 'href="https://evil.example' not in html
    assert "javascript:" not in html
    assert "<at>" not in html
    if "<" in words:
        assert words not in html
        assert words.replace("<", "&lt;").replace(">", "&gt;") in html


def test_every_field_was_really_shown() -> None:
    """The checks above look at real output: the words reach every platform."""
    words = "Caseloads 123"
    rendered = json.dumps(
        [BlockKitRenderer().render([m]).blocks for m in messages(words)]
    )
    cards = json.dumps([AdaptiveCardRenderer().render([m]) for m in messages(words)])
    html = str(HtmlRenderer(template_environment()).render(messages(words)))
    for shown in (rendered, cards, html):
        assert shown.count(words) >= len(messages(words))


def test_the_checks_catch_unescaped_words() -> None:
    """A renderer that passed words through raw would fail these checks."""
    raw_block = [{"type": "section", "text": {"type": "mrkdwn", "text": "<!here>"}}]
    with pytest.raises(AssertionError):
        assert_slack_safe("<!here>", "", raw_block)
    with pytest.raises(AssertionError):
        assert_slack_safe("@here", "ping @here", [])
    raw_card = {
        "type": "AdaptiveCard",
        "body": [{"type": "TextBlock", "text": "**x**"}],
    }
    with pytest.raises(AssertionError):
        assert_teams_safe(raw_card)
