"""The pulse answered in a browser by taps alone, counted and timed.

Shared by the browser test (``test_taps_browser.py``, which fails above one tap
per question plus one) and ``benchmarks/taps.py`` (which prints the figures).
A tap is one click or key press a person makes from the chat page, signed in,
to the thank-you page; signing in is not counted.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

PULSE_QUESTIONS = 7
PULSE_TAPS = ("Manageable", "Disagree", "Agree", "Every month", "Agree", "Likely")
"""One option per single-choice question of the pulse, in order; the comment
(the last question) is skipped with "Skip and send"."""


@dataclass(frozen=True)
class Walk:
    """What answering the pulse cost: taps, seconds, and the questions asked."""

    taps: int
    seconds: float
    questions: int


def sign_in(page: Page, base: str) -> str:
    """Pick the first persona (a social worker) on the picker; returns their name."""
    page.goto(f"{base}/")
    first = page.get_by_role("button", name=re.compile(r"^Continue as ")).first
    name = first.inner_text().removeprefix("Continue as ")
    first.click()
    page.get_by_text(f"Signed in as {name}").wait_for()
    return name


def answer_pulse(page: Page, *, check: Callable[[Page], None] | None = None) -> Walk:
    """Start the pulse and answer it to the thank-you page by taps alone.

    ``check`` runs on every survey page (each question and the thank-you); the
    time it takes is left out of the seconds.
    """
    from playwright.sync_api import expect

    taps = 0
    checking = 0.0

    def tap(target: Locator) -> None:
        nonlocal taps
        taps += 1
        target.click()

    def checked() -> None:
        nonlocal checking
        if check is not None:
            began = time.perf_counter()
            check(page)
            checking += time.perf_counter() - began

    progress = page.locator(".progress-text")
    started = time.perf_counter()
    tap(page.get_by_role("button", name=re.compile(r"^Start Pulse check")))
    expect(progress).to_have_text(f"Question 1 of {PULSE_QUESTIONS}")
    checked()
    for position, label in enumerate(PULSE_TAPS, start=2):
        tap(page.get_by_role("button", name=label, exact=True))
        expect(progress).to_have_text(f"Question {position} of {PULSE_QUESTIONS}")
        checked()
    tap(page.get_by_role("button", name="Skip and send"))
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    seconds = time.perf_counter() - started - checking
    checked()
    return Walk(taps=taps, seconds=seconds, questions=PULSE_QUESTIONS)
