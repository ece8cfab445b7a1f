"""Comment analysis: sentiment rules, themes, quotes, speed and accuracy.

The accuracy guard reads /work/shared/eval/nhs_fft_comments.csv: NHS Friends and Family
Test comments from The-Strategy-Unit/pxtextmining, MIT licence, (c) 2021 NHS England.
The staff set (tests/analytics/data/staff_comments.csv) is 66 invented comments by
social-care staff, labelled by hand before the method first ran on them.
"""

from __future__ import annotations

import csv
import os
import time
from pathlib import Path

import pytest

from analytics.comments import (
    CommentAnalysis,
    QuestionFrame,
    Sentiment,
    agreement,
    analyse_comment,
    analyse_comments,
    frame_for_question,
    representative_quotes,
)
from survey.questions.themes import THEMES

POSITIVE, NEUTRAL, NEGATIVE = Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE
EVAL_FILE = Path(
    os.environ.get("HEALTHCHECK_FFT_EVAL", "/work/shared/eval/nhs_fft_comments.csv")
)
STAFF_FILE = Path(__file__).parent / "data" / "staff_comments.csv"
IMPROVE = "What could the council do better?"
WORKS_WELL = "What works well in your team?"


def sentiment_of(text: str, question: str | None = None) -> Sentiment:
    return analyse_comment(text, question=question).sentiment


# --- sentiment ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My manager is not supportive.", NEGATIVE),
        ("I don't feel supported by senior managers.", NEGATIVE),
        ("I don't feel anyone senior cares.", NEGATIVE),
        ("Not once have I felt unsupported by my manager.", POSITIVE),
        ("Supervision is never cancelled and never rushed.", POSITIVE),
        ("No problems with my laptop at all.", POSITIVE),
        ("The new system is not bad at all.", POSITIVE),
    ],
)
def test_negation_reverses_what_follows(text: str, expected: Sentiment) -> None:
    assert sentiment_of(text) is expected


def test_negation_stops_at_the_clause_boundary() -> None:
    # VADER lets "Nothing" negate "great" across the full stop and calls this negative.
    assert sentiment_of("Nothing. Everything about my team is great.") is POSITIVE
    assert sentiment_of("Nothing really, they were brilliant") is POSITIVE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The team is lovely but the workload is completely unsustainable and I am "
            "looking for another job.",
            NEGATIVE,
        ),
        ("Although the pay is low, I love my job and my team is brilliant.", POSITIVE),
        (
            "I was worried about the new recording system but it has turned out to be "
            "much quicker than the old one.",
            POSITIVE,
        ),
    ],
)
def test_contrast_stresses_the_main_clause(text: str, expected: Sentiment) -> None:
    assert sentiment_of(text) is expected


def test_balanced_praise_and_criticism_is_mixed_and_neutral() -> None:
    analysis = analyse_comment("My manager is good but the caseload is a problem.")

    assert analysis.sentiment is NEUTRAL
    assert analysis.mixed


@pytest.mark.parametrize(
    "text",
    [
        "More training on court skills please.",
        "It would be useful to have more reflective supervision.",
        "Supervision could be better.",
        "Maybe review the mileage rates.",
        "Quicker IT support.",
    ],
)
def test_suggestions_are_never_read_as_praise(text: str) -> None:
    analysis = analyse_comment(text, question=IMPROVE)

    assert analysis.suggestion
    assert analysis.sentiment is not POSITIVE
    assert analysis.score < 0


def test_a_suggestion_beside_clear_praise_stays_positive() -> None:
    analysis = analyse_comment(
        "My team manager is brilliant and really supportive. More desks please."
    )

    assert analysis.suggestion
    assert analysis.sentiment is POSITIVE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Can't fault the support from my team manager.", POSITIVE),
        ("Couldn't ask for a better team.", POSITIVE),
        ("Nothing could be done better.", POSITIVE),
        ("No complaints about supervision.", POSITIVE),
        ("Nothing was too much trouble for the duty manager.", POSITIVE),
        ("Please keep up the good work.", POSITIVE),
        ("Nothing ever changes after the health check.", NEGATIVE),
        ("We are short staffed and on our knees.", NEGATIVE),
        ("Too many cases and too much recording.", NEGATIVE),
        ("Not enough time for direct work.", NEGATIVE),
    ],
)
def test_idioms(text: str, expected: Sentiment) -> None:
    assert sentiment_of(text) is expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [(IMPROVE, POSITIVE), (WORKS_WELL, NEGATIVE), ("Any other comments?", NEUTRAL)],
)
def test_a_bare_nothing_is_read_against_the_question(
    question: str, expected: Sentiment
) -> None:
    analysis = analyse_comment("Nothing.", question=question)

    assert analysis.sentiment is expected
    assert not analysis.substantive


@pytest.mark.parametrize("text", ["n/a", "N/A", "No comment.", "-", "don't know", ""])
def test_non_answers_are_neutral_under_any_question(text: str) -> None:
    for question in (IMPROVE, WORKS_WELL, None):
        analysis = analyse_comment(text, question=question)
        assert analysis.sentiment is NEUTRAL
        assert analysis.score == 0
        assert not analysis.substantive


@pytest.mark.parametrize(
    ("question", "frame"),
    [
        ("How could we improve?", QuestionFrame.IMPROVE),
        ("What could we do better?", QuestionFrame.IMPROVE),
        ("What works well?", QuestionFrame.WORKS_WELL),
        ("What was good?", QuestionFrame.WORKS_WELL),
        ("What do you like about working here?", QuestionFrame.WORKS_WELL),
        ("What would you like to change?", QuestionFrame.IMPROVE),
        ("Were you satisfied and/or dissatisfied?", QuestionFrame.GENERAL),
        ("Any other comments?", QuestionFrame.GENERAL),
        (None, QuestionFrame.GENERAL),
    ],
)
def test_question_frames(question: str | None, frame: QuestionFrame) -> None:
    assert frame_for_question(question) is frame


def test_naming_something_is_read_against_the_question() -> None:
    assert sentiment_of("Working from home on Fridays.", WORKS_WELL) is POSITIVE
    assert sentiment_of("The duty rota.", IMPROVE) is NEGATIVE
    assert sentiment_of("The duty rota.") is NEUTRAL


def test_describing_the_work_is_not_a_judgement_of_it() -> None:
    # VADER rates these words; in social work they name the job, not a verdict on it.
    text = "I work in the safeguarding team on abuse, neglect and risk of harm cases."
    assert sentiment_of(text) is NEUTRAL


@pytest.mark.parametrize(
    "text",
    [
        "Understaffed, overstretched and burnt out.",
        "My caseload is unmanageable.",
        "I feel undervalued and demoralised.",
        "I'm overwhelmed most days.",
    ],
)
def test_workplace_distress_words_are_negative(text: str) -> None:
    assert sentiment_of(text) is NEGATIVE


def test_scores_stay_within_minus_one_and_one() -> None:
    texts = ["Brilliant!!! " * 40, "Awful, terrible, useless. " * 40, "ok"]
    for analysis in analyse_comments(texts):
        assert -1.0 <= analysis.score <= 1.0
    assert analyse_comments(texts)[0].score > 0.9


# --- themes ---------------------------------------------------------------------

THEME_EXAMPLES = {
    "workload": (
        "Caseloads have come down and my workload is finally manageable.",
        "My caseload is far too high and I work most evenings.",
    ),
    "stress_wellbeing": (
        "The wellbeing sessions have really helped with stress.",
        "I am burnt out and my stress levels are very high.",
    ),
    "supervision": (
        "My supervision is regular and reflective, I value it.",
        "Supervision keeps getting cancelled.",
    ),
    "management_support": (
        "My team manager is approachable and supportive.",
        "Senior managers don't listen and I don't feel valued.",
    ),
    "teamwork": (
        "My colleagues are brilliant and we always support each other.",
        "There is no teamwork, colleagues are cliquey and unhelpful.",
    ),
    "communication": (
        "We are kept informed and consulted about changes, which is great.",
        "Decisions are just announced by email and we are never consulted.",
    ),
    "learning_development": (
        "The training offer is excellent and I got funding for my CPD.",
        "The training budget was cut and I have had no CPD this year.",
    ),
    "research": (
        "Research in Practice resources are really useful.",
        "There is no time to read research, it is frustrating.",
    ),
    "pay_progression": (
        "The progression pathway to senior practitioner is clear and fair.",
        "Pay is poor and has not kept up with inflation.",
    ),
    "recruitment_retention": (
        "Recruitment has improved and we have fewer vacancies, brilliant.",
        "Agency locums come and go and permanent staff keep leaving.",
    ),
    "equality_diversity": (
        "The equality network is excellent and very supportive.",
        "I have experienced racism from colleagues and nothing was done.",
    ),
    "hybrid_working": (
        "Hybrid working is great for my work-life balance.",
        "There are never enough desks in the office, it is awful.",
    ),
    "it_systems": (
        "The new laptops are fast and reliable.",
        "Mosaic crashes constantly and IT support takes weeks.",
    ),
    "recording_paperwork": (
        "The new recording templates are brilliant and save time.",
        "Too much paperwork and duplication, I spend more time on forms than families.",
    ),
    "practice_model": (
        "The strengths-based practice model works well for families.",
        "The practice framework is a buzzword and a tick box exercise.",
    ),
}


def test_every_theme_has_examples() -> None:
    assert set(THEME_EXAMPLES) == set(THEMES)


@pytest.mark.parametrize("theme", sorted(THEME_EXAMPLES))
def test_theme_found_in_praise_and_in_criticism(theme: str) -> None:
    praise, criticism = THEME_EXAMPLES[theme]

    good = analyse_comment(praise)
    bad = analyse_comment(criticism)

    assert theme in good.themes
    assert good.sentiment is POSITIVE
    assert theme in bad.themes
    assert bad.sentiment is NEGATIVE


def test_a_comment_can_have_no_theme() -> None:
    analysis = analyse_comment("Thank you for asking, I am happy here.")

    assert analysis.themes == ()
    assert analysis.sentiment is POSITIVE


def test_theme_rules_avoid_everyday_lookalikes() -> None:
    analysis = analyse_comment(
        "It is fine, of course, and multi-agency work with learning disability "
        "services and mental capacity assessments goes well."
    )

    assert "it_systems" not in analysis.themes
    assert "learning_development" not in analysis.themes
    assert "recruitment_retention" not in analysis.themes
    assert "workload" not in analysis.themes


def test_matched_phrases_explain_each_theme() -> None:
    analysis = analyse_comment("The case recording system crashes and IT never help.")

    assert analysis.themes[0] == "it_systems"
    assert "crashes" in analysis.theme_phrases["it_systems"]
    assert "recording_paperwork" in analysis.themes


# --- representative quotes ------------------------------------------------------

ROSTER = ["Priya Shah", "Tom Ashworth"]


def test_quotes_are_redacted_and_prefer_comments_about_the_theme() -> None:
    analyses = analyse_comments(
        [
            "Supervision with Priya Shah is regular, reflective and genuinely helps "
            "me think about my families; call her on 07700 900123.",
            "Supervision ok.",
            "The office is cold, parking is awful, pay is low, IT is slow and "
            "supervision is sometimes late, and the training was cancelled again.",
            "My caseload is far too high.",
        ]
    )

    quotes = representative_quotes(analyses, "supervision", names=ROSTER, limit=2)

    assert len(quotes) == 2
    assert quotes[0].startswith("Supervision with [name] is regular")
    assert "[phone]" in quotes[0]
    assert all("Priya" not in quote and "07700" not in quote for quote in quotes)
    assert "caseload" not in " ".join(quotes)


def test_quotes_skip_near_duplicates_and_content_free_answers() -> None:
    analyses = analyse_comments(
        [
            "My supervision is regular and reflective.",
            "My supervision is regular and reflective!",
            "Supervision keeps being cancelled by my manager.",
        ]
    )

    quotes = representative_quotes(analyses, "supervision", limit=3)

    assert len(quotes) == 2


def test_quotes_can_be_limited_to_one_sentiment() -> None:
    analyses = analyse_comments(
        [
            "My supervision is regular, reflective and supportive.",
            "Supervision keeps being cancelled and it is frustrating.",
        ]
    )

    quotes = representative_quotes(
        analyses, "supervision", sentiment=Sentiment.NEGATIVE
    )

    assert quotes == ["Supervision keeps being cancelled and it is frustrating."]


def test_quotes_need_a_theme_from_the_taxonomy() -> None:
    with pytest.raises(ValueError, match="unknown theme"):
        representative_quotes([], "parking")


# --- speed and accuracy ---------------------------------------------------------


def test_two_thousand_comments_analyse_quickly() -> None:
    texts = [
        "My manager is supportive but my caseload is unmanageable, please help.",
        "Nothing.",
        "The case recording system crashes and IT support takes weeks to respond.",
        "Hybrid working suits me, although there are never enough desks.",
    ] * 500

    started = time.process_time()
    analyses = analyse_comments(texts, question=IMPROVE)
    elapsed = time.process_time() - started

    assert len(analyses) == 2000
    assert all(isinstance(analysis, CommentAnalysis) for analysis in analyses)
    assert elapsed < 2.0, "the rule path with themes keeps 1,000 comments a second"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["text"].strip()]


def _macro_f1(rows: list[dict[str, str]]) -> float:
    predicted = [
        analyse_comment(row["text"], question=row["question"]).sentiment.value
        for row in rows
    ]
    return agreement([row["sentiment"] for row in rows], predicted).macro_f1


def test_macro_f1_on_nhs_friends_and_family_comments() -> None:
    # NHS FFT comments, The-Strategy-Unit/pxtextmining, MIT, (c) 2021 NHS England.
    # A regression guard: TextBlob scores 0.42 and VADER 0.46 on this file.
    if not EVAL_FILE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"evaluation file missing in CI: {EVAL_FILE}")
        pytest.skip(f"evaluation file not present: {EVAL_FILE}")

    assert _macro_f1(_rows(EVAL_FILE)) >= 0.60


def test_macro_f1_on_invented_staff_comments() -> None:
    rows = _rows(STAFF_FILE)

    assert len(rows) >= 60
    assert {row["sentiment"] for row in rows} == {"positive", "neutral", "negative"}
    assert _macro_f1(rows) >= 0.70


@pytest.mark.parametrize(
    ("name", "labels", "floor"),
    [
        ("staff_pros_cons.csv", ("positive", "negative"), 0.80),
        ("staff_informal.csv", ("positive", "neutral", "negative"), 0.75),
    ],
)
def test_macro_f1_without_a_question_on_invented_staff_sets(
    name: str, labels: tuple[str, ...], floor: float
) -> None:
    # Regression guards over both halves; benchmarks/comments.py reports each half.
    rows = _rows(STAFF_FILE.parent / name)
    predicted = [analyse_comment(row["text"]).sentiment.value for row in rows]

    scores = agreement([row["sentiment"] for row in rows], predicted, labels=labels)

    assert {row["split"] for row in rows} == {"dev", "held_out"}
    assert scores.macro_f1 >= floor


def test_agreement_rejects_mismatched_labels() -> None:
    with pytest.raises(ValueError, match="equal length"):
        agreement(["positive"], [])


def test_a_neutral_answer_is_wrong_on_a_two_class_set() -> None:
    two = ("positive", "negative")
    scores = agreement(["positive", "negative"], ["positive", "neutral"], labels=two)

    assert scores.accuracy == 0.5
    assert scores.confusion["negative"]["neutral"] == 1
    assert scores.macro_f1 == pytest.approx(0.5)
    with pytest.raises(ValueError, match="outside the label set"):
        agreement(["neutral"], ["neutral"], labels=two)
