"""What the posts pages share: the PSW gate, templates, forms and channel previews."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import ChoiceLoader, Environment, FileSystemLoader
from markupsafe import Markup
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.conversation.outbound import messages_for
from bot.platforms.previews import ChannelPreview, PostPreviewer
from bot.web.follow_up import text
from bot.web.keys import purpose_key, sign, verify
from bot.web.pages import (
    Visitor,
    channel_of,
    notice_page,
    refused_unless_psw,
    runtime_of,
    visitor_in,
)
from bot.web.render_html import HtmlRenderer, template_environment
from survey.audit import record_event
from survey.models import Organisation

TEMPLATES = Path(__file__).parent / "templates"
CHANNEL = "web"
"""How the audit log names this channel."""


@cache
def environment() -> Environment:
    """The channel's environment, reading these pages' templates first."""
    base = template_environment()
    assert base.loader is not None
    return base.overlay(loader=ChoiceLoader([FileSystemLoader(TEMPLATES), base.loader]))


def posts_page(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Render one of the posts pages (the site's header, footer and styles)."""
    organisation = channel_of(request).organisation
    context.setdefault("organisation_name", organisation.name if organisation else "")
    context.setdefault(
        "min_group_size", organisation.min_group_size if organisation else 5
    )
    context.setdefault("has_problem", bool(context.get("problem")))
    context.setdefault("problem", None)
    html = environment().get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code)


async def psw_in(request: Request, session: AsyncSession) -> Visitor | Response:
    """The signed-in PSW, or the page to show anyone else (and a security log line)."""
    visitor = await visitor_in(request, session)
    if visitor is None:
        return notice_page(
            request,
            heading=text.SIGN_IN_HEADING,
            message=text.SIGN_IN,
            status_code=401,
            next_href="/",
            next_label=text.TO_SIGN_IN,
        )
    refused = await refused_unless_psw(
        request,
        session,
        visitor,
        heading=text.PSW_ONLY_HEADING,
        message=text.PSW_ONLY,
        next_href="/",
        next_label=text.BACK_TO_CHAT,
    )
    if refused is not None:
        return refused
    return visitor


def platforms_of(request: Request) -> tuple[str, ...]:
    """Where posts go in this deployment: the local channel and each chat in use."""
    settings = runtime_of(request).settings
    chats = [
        name
        for name, enabled in (
            ("slack", settings.slack_enabled),
            ("teams", settings.teams_enabled),
        )
        if enabled
    ]
    return ("local", *chats)


def where_posts_go(request: Request) -> str:
    """The channels in use, in words, and which previews show a channel not in use."""
    names = {"local": "the web channel", "slack": "Slack", "teams": "Microsoft Teams"}
    used = platforms_of(request)
    words = ", ".join(names[platform] for platform in used)
    unused = [names[chat] for chat in ("slack", "teams") if chat not in used]
    if unused:
        words += text.not_turned_on(unused)
    return words


async def form_of(request: Request) -> dict[str, str]:
    """A posted form's single-valued fields, as text."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


async def form_lists(request: Request, name: str) -> list[str]:
    """Every value posted under ``name`` (ticked checkboxes)."""
    form = await request.form()
    return [value for value in form.getlist(name) if isinstance(value, str)]


@dataclass(frozen=True)
class PostPreview:
    """One message as every channel will show it.

    Attributes:
        heading: What it is ("The post in the workforce channel").
        web: The web channel's rendering (HTML, escaped as the inbox draws it).
        chats: Each chat platform's rendering, readable and as markup.
    """

    heading: str
    web: Markup
    chats: tuple[ChannelPreview, ...]


def preview_of(
    request: Request, heading: str, payload: dict[str, Any], *, prefix: str
) -> PostPreview:
    """Draw one outbox payload as the web, Slack and Teams channels send it."""
    renderer = HtmlRenderer(environment=channel_of(request).environment)
    renderer.id_prefix = prefix
    previewers: Sequence[PostPreviewer] = getattr(
        request.app.state, "post_previews", ()
    )
    return PostPreview(
        heading=heading,
        web=renderer.render(messages_for(payload)),
        chats=tuple(preview(payload) for preview in previewers),
    )


async def audit(
    session: AsyncSession,
    *,
    organisation: Organisation,
    visitor: Visitor,
    action: str,
    subject: str,
) -> None:
    """Record what the PSW did here, as the command line records its twin."""
    await record_event(
        session,
        organisation_id=organisation.id,
        actor=visitor.person.name,
        actor_person_id=visitor.person.id,
        channel=CHANNEL,
        action=action,
        subject=subject,
    )


def idempotency_key(request: Request, content: str) -> str:
    """The key a confirm form carries: the previewed content's key, signed.

    Confirming checks it against the content about to be posted, so what is
    posted is exactly what was previewed; the content key itself makes a
    second confirm (a double click, a resent form) post nothing.
    """
    secret = runtime_of(request).settings.secret
    return f"{content}.{sign(purpose_key(secret, 'post'), content)}"


def previewed(request: Request, given: str, content: str) -> bool:
    """Whether a confirm form's key is ours and names ``content``."""
    secret = runtime_of(request).settings.secret
    key, _, signature = given.partition(".")
    return key == content and verify(purpose_key(secret, "post"), key, signature)


def local_time(moment: datetime | None, organisation: Organisation) -> str:
    """A time on the organisation's clock, as the pages show it."""
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(organisation.timezone))
    return f"{local:%A %-d %B %Y at %H:%M}"
