"""Every sentence the conversation shows a person, in one place for review."""

from __future__ import annotations

from datetime import date


def paused(campaign: str) -> str:
    """After a pause."""
    return (
        f"Your answers to '{campaign}' are saved. Come back any time with "
        "'resume'; nobody else can see them."
    )


def survey_length(questions: int, follow_ups: int, minutes: int) -> str:
    """How long a survey is for this person, before they start."""
    count = f"{questions} question{'s' if questions != 1 else ''}"
    if follow_ups:
        count += f" (up to {questions + follow_ups}, depending on your answers)"
    return f"{count}, about {minutes} minute{'s' if minutes != 1 else ''}."


def welcome_back(campaign: str) -> str:
    """On resuming."""
    return f"Welcome back to '{campaign}'. Here is where you left off."


def cannot_skip(reason: str) -> str:
    """When skipping a question its bank marks required, with the bank's reason."""
    return f"This question needs an answer before you move on. {reason}"


def moved_on() -> str:
    """When a stale page sends a button press for a screen no longer shown."""
    return (
        "That was from an earlier screen, so nothing was changed. "
        "Here is where you are now."
    )


def already_answered() -> str:
    """When a double click or a stale page answers a question already answered."""
    return (
        "Your earlier answer to that question is kept; to change it, use Back or "
        "open the question again. Here is where you are now."
    )


def missing_answers(count: int) -> str:
    """On the review step when required answers are missing."""
    noun = "question needs" if count == 1 else "questions need"
    return f"{count} {noun} an answer before you can send. Use 'Change' to answer."


def missing_answers_short(count: int) -> str:
    """When a short survey is sent with required answers missing."""
    noun = "question needs" if count == 1 else "questions need"
    return f"{count} {noun} an answer before you can send. Here is the first."


def sheet_problems(count: int) -> str:
    """Above the one-message form when some answers need another look."""
    noun = "answer needs" if count == 1 else "answers need"
    return f"{count} {noun} another look before you can send; nothing else is lost."


def changes_saved(campaign: str) -> str:
    """After sent answers are changed in their grace period."""
    return (
        f"Your changed answers to '{campaign}' are saved. They are still sent "
        "anonymously, once: nothing else is needed."
    )


def thanks(campaign: str, closes_on: date | None) -> str:
    """After a submit."""
    when = (
        f"when the survey closes on {closes_on:%A %-d %B}"
        if closes_on
        else "soon after the survey closes"
    )
    return (
        f"Your answers to '{campaign}' have been sent anonymously. Results for teams "
        f"and services are shared {when}, and 'you said, we did' updates on what is "
        "being done will follow in the workforce channel."
    )
