"""Issue 19's defects in comment analysis, one test each (each failed before the fix).

Robust input, request openers that praise, negated leaving intent, negative lists,
theme rules, per-theme sentiment and quotes chosen for how typical they are.
"""

from __future__ import annotations

import math
import time

import pytest

from analytics.comments import (
    Sentiment,
    analyse_comment,
    analyse_comments,
    representative_quotes,
)
from survey.questions.themes import THEMES

POSITIVE, NEUTRAL, NEGATIVE = Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE


@pytest.mark.parametrize(
    "text",
    [
        "Having a supportive manager makes all the difference.",
        "Keep doing what you are doing",
        "Listen well.",
        "Keep listening to staff like you did this year.",
        "Being able to work from home has helped my wellbeing.",
    ],
)
def test_praise_that_opens_like_a_request_is_not_negative(text: str) -> None:
    assert analyse_comment(text).sentiment is not NEGATIVE


def test_requests_are_still_requests() -> None:
    for text in ("Keep the duty rota fairer.", "Having more staff.", "Listen to us."):
        analysis = analyse_comment(text)
        assert analysis.suggestion, text
        assert analysis.sentiment is not POSITIVE, text


@pytest.mark.parametrize(
    "text",
    [
        "I would never want to leave this team.",
        "I am not thinking about leaving.",
        "I have no intention of leaving.",
    ],
)
def test_negated_leaving_intent_is_not_negative(text: str) -> None:
    analysis = analyse_comment(text)
    assert analysis.sentiment is not NEGATIVE
    assert analysis.score >= 0


def test_leaving_intent_is_still_negative() -> None:
    assert analyse_comment("I am thinking about leaving.").sentiment is NEGATIVE
    assert analyse_comment("I want to leave this council.").sentiment is NEGATIVE


@pytest.mark.parametrize(
    "text",
    [
        "little free time, poor management, low flexibility, lack of support",
        "Low pay, limited progression, less flexibility than before.",
        "poor work life balance and little recognition",
    ],
)
def test_a_list_of_complaints_is_negative_not_mixed(text: str) -> None:
    analysis = analyse_comment(text)
    assert analysis.sentiment is NEGATIVE
    assert not analysis.mixed


def test_a_little_better_is_still_praise() -> None:
    assert analyse_comment("Supervision is a little better now.").sentiment is POSITIVE


@pytest.mark.parametrize(
    "text", [None, math.nan, float("nan"), "", "   ", 42, "\u00a0\n"]
)
def test_missing_or_odd_input_is_a_neutral_non_answer(text: object) -> None:
    analysis = analyse_comment(text)  # type: ignore[arg-type]
    assert analysis.sentiment is NEUTRAL
    assert not analysis.substantive
    assert analysis.text == (text if isinstance(text, str) else "")
    assert analysis.themes == ()


def test_a_batch_with_missing_values_does_not_crash() -> None:
    analyses = analyse_comments(["Great team.", None, math.nan])  # type: ignore[list-item]
    assert [a.sentiment for a in analyses] == [POSITIVE, NEUTRAL, NEUTRAL]


@pytest.mark.parametrize(
    "text",
    [
        "Le travail est bon mais la charge est lourde.",
        "Die Arbeit ist gut, aber es gibt zu viele Fälle.",
        "这个团队很好",
        "\U0001f44d\U0001f44d",
    ],
)
def test_non_english_text_does_not_crash(text: str) -> None:
    analysis = analyse_comment(text)
    assert analysis.sentiment in {POSITIVE, NEUTRAL, NEGATIVE}
    assert -1.0 <= analysis.score <= 1.0


def test_very_long_text_is_analysed_quickly() -> None:
    texts = [
        "good " * 50_000,
        "The caseload is high " * 20_000,
        "x" * 300_000,
        "not " * 40_000 + "happy",
    ]
    started = time.process_time()
    analyses = analyse_comments(texts)
    assert time.process_time() - started < 5.0
    assert analyses[0].sentiment is POSITIVE
    assert analyses[1].sentiment is NEGATIVE
    assert analyses[0].text == texts[0]


def test_heads_of_service_is_management() -> None:
    analysis = analyse_comment("Our heads of service are never seen in the office.")
    assert "management_support" in analysis.themes


def test_teamwork_and_peer_support_is_a_theme() -> None:
    assert "teamwork" in THEMES
    for text in (
        "My colleagues are great, we support each other.",
        "Peer support is what keeps me going.",
        "Teamwork in the duty team is brilliant.",
        "My team mates pull together when it is hard.",
    ):
        assert "teamwork" in analyse_comment(text).themes, text
    assert "teamwork" not in analyse_comment("My team manager is kind.").themes


def test_each_theme_gets_the_sentiment_said_about_it() -> None:
    analysis = analyse_comment(
        "My manager is brilliant and really supportive, but my caseload is "
        "unmanageable."
    )
    assert analysis.theme_sentiments["management_support"] is POSITIVE
    assert analysis.theme_sentiments["workload"] is NEGATIVE

    other = analyse_comment(
        "Caseloads are far too high. Supervision is regular and helpful though."
    )
    assert other.theme_sentiments["workload"] is NEGATIVE
    assert other.theme_sentiments["supervision"] is POSITIVE


def test_a_single_theme_takes_the_comment_sentiment() -> None:
    analysis = analyse_comment("Caseloads are far too high.")
    assert analysis.theme_sentiments == {"workload": NEGATIVE}


def test_quotes_are_typical_of_the_group_not_the_strongest() -> None:
    texts = [
        "My caseload is too high for me to do the job properly.",
        "Caseloads are too high for anyone to do the job properly here.",
        "The caseload is too high to do a proper job with families.",
        "With caseloads this high nobody can do the job properly.",
        "The workload was intense this year but it was so rewarding and I loved "
        "every minute of it, amazing!",
    ]
    analyses = analyse_comments(texts)
    quotes = representative_quotes(analyses, "workload", limit=2)
    assert not any("rewarding" in quote for quote in quotes)
    assert len(quotes) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("High staff turnover", NEGATIVE),
        ("Long commute to the office", NEGATIVE),
        ("Overtime is expected but not paid", NEGATIVE),
        ("Promotion depends on who you know", NEGATIVE),
        ("Mosaic is down again", NEGATIVE),
        ("Good sick pay", POSITIVE),
        ("Pay is above average for the sector", POSITIVE),
        ("Open door policy", POSITIVE),
        ("IT fixed it straight away.", POSITIVE),
        ("I don't feel like anything could have been done any better.", POSITIVE),
        ("feeling much more settled now", POSITIVE),
        ("The forms are in the shared drive.", NEUTRAL),
    ],
)
def test_workplace_pros_cons_and_idioms(text: str, expected: Sentiment) -> None:
    assert analyse_comment(text).sentiment is expected


def test_waiting_is_read_in_general_words() -> None:
    assert analyse_comment("We waited far too long for a decision.").sentiment is (
        NEGATIVE
    )
    assert analyse_comment("Long waits for IT to reply.").sentiment is NEGATIVE
