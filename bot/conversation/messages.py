"""The platform-neutral message model. Each renderer (HTML, Slack, Teams) draws these.

Text in these messages is plain text, never markup: every renderer escapes it for
its own platform.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol, TypeVar


class InputKind(StrEnum):
    """How a person gives an answer."""

    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    NUMBER = "number"
    TEXT = "text"


class Tone(StrEnum):
    """How a notice should look."""

    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Choice:
    """One option to tap."""

    value: str
    label: str


@dataclass(frozen=True)
class Progress:
    """Where a person is, e.g. question 3 of 41."""

    position: int
    total: int

    @property
    def label(self) -> str:
        """Progress in words, e.g. "3 of 41"."""
        return f"{self.position} of {self.total}"


@dataclass(frozen=True)
class Controls:
    """Which of back / skip / pause a prompt offers."""

    back: bool = True
    skip: bool = False
    pause: bool = True
    all_at_once: bool = False
    """The survey can be answered as one message instead (a short pulse)."""


@dataclass(frozen=True)
class Prompt:
    """One question, asked on its own."""

    campaign_id: uuid.UUID
    campaign_name: str
    question_id: str
    text: str
    kind: InputKind
    progress: Progress
    controls: Controls
    help: str | None = None
    choices: tuple[Choice, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    unit: str | None = None
    max_length: int | None = None
    current: str | int | list[str] | None = None
    problem: str | None = None
    sends: bool = False
    """Answering (or skipping) this question sends the answers: a short
    survey's last question."""


@dataclass(frozen=True)
class Notice:
    """A sentence or two for the person: thanks, a refusal, help."""

    text: str
    tone: Tone = Tone.INFO
    title: str | None = None


@dataclass(frozen=True)
class ReviewRow:
    """One answered (or skipped) question on the review step."""

    question_id: str
    question: str
    answer: str


@dataclass(frozen=True)
class Review:
    """The last step: what the person said, and a button to send it."""

    campaign_id: uuid.UUID
    campaign_name: str
    rows: tuple[ReviewRow, ...]
    missing: tuple[str, ...] = ()
    problem: str | None = None


@dataclass(frozen=True)
class QuestionSheet:
    """A short survey's questions in one message, sent with one Submit.

    Each prompt says how its question is answered, its current answer and any
    problem with what was given; a question left empty is skipped.
    """

    campaign_id: uuid.UUID
    campaign_name: str
    prompts: tuple[Prompt, ...]
    problem: str | None = None


@dataclass(frozen=True)
class SummaryTable:
    """A table of figures (already suppressed where groups are small)."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str | None = None


@dataclass(frozen=True)
class Announcement:
    """A briefing or "you said, we did" post."""

    title: str
    body: str
    link: str | None = None


@dataclass(frozen=True)
class Menu:
    """A short list of things to do next, e.g. open surveys to start."""

    title: str
    items: tuple[MenuItem, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class MenuItem:
    """One item of a menu: a label and the command it sends."""

    label: str
    command: str
    detail: str | None = None


Message = Prompt | Notice | Review | QuestionSheet | SummaryTable | Announcement | Menu

Rendered = TypeVar("Rendered", covariant=True)


class Renderer(Protocol[Rendered]):
    """Turns messages into one platform's form (HTML, Block Kit, Adaptive Cards)."""

    def render(self, messages: Sequence[Message]) -> Rendered:
        """Draw ``messages`` in order, escaping all text for the platform."""
        ...
