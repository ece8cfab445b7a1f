"""The HTML renderer of the local web channel: messages as accessible, JS-free HTML.

Every message type has a Jinja2 template in ``templates/`` with autoescaping on,
so text from people (answers, comments, names) and from the PSW can never become
markup. Prompts and reviews are real forms that work without JavaScript.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from bot.conversation.flow import REVIEW
from bot.conversation.messages import (
    Announcement,
    InputKind,
    Menu,
    Message,
    Notice,
    Prompt,
    Review,
    SummaryTable,
)
from bot.conversation.prose import paragraphs, safe_link
from bot.web.csrf import csrf_field
from survey.sent_answers import EDIT_GRACE

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

FormToken = Callable[[uuid.UUID, str], str]
"""Gives the one-time token for a form: (campaign id, question id or REVIEW)."""


@cache
def template_environment() -> Environment:
    """The Jinja2 environment for the channel's pages and messages (autoescaped).

    Templates ship with the package and never change while it runs, so each is
    compiled once per process, when the environment is first made (not by the
    first person to open a page), and never checked against its file again. The
    environment is shared by every app in the process and never changed after.
    """
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        auto_reload=False,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["REVIEW"] = REVIEW
    environment.globals["csrf_field"] = csrf_field
    environment.globals["grace_minutes"] = EDIT_GRACE // timedelta(minutes=1)
    for name in environment.list_templates(extensions=["html"]):
        environment.get_template(name)
    return environment


def _no_token(campaign_id: uuid.UUID, question_id: str) -> str:
    return ""


@dataclass
class HtmlRenderer:
    """Draws messages as HTML fragments for the chat page.

    Attributes:
        environment: The Jinja2 environment (built once per app).
        form_token: Gives each prompt's and review's one-time form token.
        answer_action: Where answer, back, skip, pause and submit forms post.
        command_action: Where menu buttons post their command.
        id_prefix: Makes element ids unique when several renders share a page.
    """

    environment: Environment
    form_token: FormToken = _no_token
    answer_action: str = "/answer"
    command_action: str = "/command"
    id_prefix: str = "m"

    def render(self, messages: Sequence[Message]) -> Markup:
        """Draw ``messages`` in order as one HTML fragment."""
        return Markup("\n").join(
            self.render_one(message, index) for index, message in enumerate(messages)
        )

    def render_one(self, message: Message, index: int = 0) -> Markup:
        """Draw one message; ``index`` keeps its element ids unique on the page."""
        ids = f"{self.id_prefix}{index}"
        match message:
            case Prompt():
                return self._template(
                    "message_prompt.html",
                    prompt=message,
                    ids=ids,
                    token=self.form_token(message.campaign_id, message.question_id),
                    action=self.answer_action,
                    choice=message.kind in (InputKind.CHOICE, InputKind.MULTI_CHOICE),
                    one_tap=message.kind == InputKind.CHOICE,
                    multiple=message.kind == InputKind.MULTI_CHOICE,
                    selected=_selected(message),
                    typed=_typed(message),
                )
            case Review():
                return self._template(
                    "message_review.html",
                    review=message,
                    ids=ids,
                    token=self.form_token(message.campaign_id, REVIEW),
                    action=self.answer_action,
                    missing=set(message.missing),
                )
            case Notice():
                return self._template("message_notice.html", notice=message, ids=ids)
            case Menu():
                return self._template(
                    "message_menu.html",
                    menu=message,
                    ids=ids,
                    action=self.command_action,
                )
            case SummaryTable():
                return self._template("message_summary.html", table=message, ids=ids)
            case Announcement():
                return self._template(
                    "message_announcement.html",
                    announcement=message,
                    ids=ids,
                    link=safe_link(message.link),
                    paragraphs=paragraphs(message.body),
                )
        raise AssertionError(f"no HTML for {message!r}")

    def _template(self, name: str, **context: object) -> Markup:
        return Markup(self.environment.get_template(name).render(**context))


def _selected(prompt: Prompt) -> set[str]:
    """The option codes to show as already chosen (when going back to a question)."""
    current = prompt.current
    if current is None:
        return set()
    if isinstance(current, list):
        return {str(code) for code in current}
    return {str(current)}


def _typed(prompt: Prompt) -> str:
    """What goes back into a number box or text area (not a special option code)."""
    if prompt.current is None or isinstance(prompt.current, list):
        return ""
    value = str(prompt.current)
    if value in {choice.value for choice in prompt.choices}:
        return ""
    return value
