"""Posting announcements to the workforce: who they reach, limits, and message keys.

Briefings and "you said, we did" digests both use this. The text is stored and
sent exactly as the PSW wrote it; escaping it (Slack's ``<!channel>`` and
``@here``, Adaptive Card markdown, HTML) is each renderer's job.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from survey.campaigns import Audience
from survey.errors import SurveyError
from survey.models import Announcement, Campaign
from survey.roster.roles import role_label

LOCAL = "local"
WORKFORCE_CHANNEL = "channel:workforce"
CHAT_PLATFORMS = ("slack", "teams")
REACH_KINDS = ("team", "service", "role")
# Slack's header block takes 150 characters and a section 3,000; Teams cards allow
# more, so the stricter limits apply everywhere. They match the announcement table.
TITLE_LIMIT = 150
BODY_LIMIT = 3000
LINK_LIMIT = 500
# The outbox's idempotency key column.
_KEY_LIMIT = 200


class AnnouncementError(SurveyError):
    """An announcement that cannot be posted as given; nothing was stored."""


@dataclass(frozen=True)
class Reach:
    """Who an announcement is for: the workforce channel, or one team, service or role.

    Attributes:
        kind: ``"channel"``, ``"team"``, ``"service"`` or ``"role"``.
        name: The team's or service's name, or the role's code (none for the
            channel).
    """

    kind: str = "channel"
    name: str | None = None

    @property
    def is_channel(self) -> bool:
        """True for the workforce channel."""
        return self.kind == "channel" or not self.name

    def describe(self) -> str:
        """Who it reaches in words: "the workforce channel" or "everyone in Team A"."""
        if self.is_channel:
            return "the workforce channel"
        if self.kind == "role":
            return f"every {role_label(str(self.name)).lower()}"
        return f"everyone in {self.name}"

    def campaign_audience(self) -> Audience:
        """The same people as a survey audience (for a feedback survey)."""
        if self.is_channel:
            return Audience()
        if self.kind == "team":
            return Audience(teams=[str(self.name)])
        if self.kind == "role":
            return Audience(roles=[str(self.name)])
        return Audience(services=[str(self.name)])

    def as_payload(self) -> dict[str, str | None]:
        """The reach as a job payload stores it."""
        return {"kind": self.kind, "name": self.name}


WORKFORCE = Reach()


def content_key(*parts: object) -> str:
    """A short, stable fingerprint of a post's content (and anything else given)."""
    text = json.dumps([str(part) for part in parts], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def message_key(prefix: str, content: str, platform: str, recipient: str) -> str:
    """The outbox idempotency key of one post of ``content`` to one recipient."""
    key = f"{prefix}:{content}:{platform}:{recipient}"
    if len(key) <= _KEY_LIMIT:
        return key
    return f"{prefix}:{content}:{platform}:{content_key(recipient)}"


def channel_targets(platforms: tuple[str, ...]) -> list[tuple[str, str]]:
    """Where the workforce channel is: each chat platform in use, else the local one."""
    chats = [platform for platform in CHAT_PLATFORMS if platform in platforms]
    return [(platform, WORKFORCE_CHANNEL) for platform in chats or [LOCAL]]


def check_title_and_body(title: str, body: str) -> tuple[str, str]:
    """The title and body with outer spaces trimmed, within the platforms' limits.

    Raises:
        AnnouncementError: an empty or overlong title or body.
    """
    title, body = title.strip(), body.strip()
    if not title:
        raise AnnouncementError("The title is empty; give it a title.")
    if not body:
        raise AnnouncementError("The body is empty; write what it says.")
    for what, text, limit in (
        ("title", title, TITLE_LIMIT),
        ("body", body, BODY_LIMIT),
    ):
        if len(text) > limit:
            raise AnnouncementError(
                f"The {what} is {len(text):,} characters; chat platforms show at "
                f"most {limit:,}. Please shorten it."
            )
    return title, body


def check_link(link: str | None) -> str | None:
    """A web link (``https://`` or ``http://`` with a host), trimmed.

    Raises:
        AnnouncementError: anything else, e.g. ``www.example.org`` or ``javascript:``.
    """
    if link is None or not link.strip():
        return None
    link = link.strip()
    parts = urlsplit(link)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise AnnouncementError(
            f"'{link}' is not a web link; it must start with https:// or http://."
        )
    if any(character.isspace() for character in link):
        raise AnnouncementError(f"'{link}' has spaces in it; it is not a web link.")
    if len(link) > LINK_LIMIT:
        raise AnnouncementError(f"The link is longer than {LINK_LIMIT} characters.")
    return link


def announcement_payload(
    announcement: Announcement, *, feedback_campaign: Campaign | None = None
) -> dict[str, Any]:
    """What an outbox row carries for an announcement: plain text, never markup."""
    return {
        "kind": announcement.kind,
        "announcement_id": str(announcement.id),
        "title": announcement.title,
        "body": announcement.body,
        "link": announcement.link,
        "feedback_campaign_id": (
            str(feedback_campaign.id) if feedback_campaign else None
        ),
        "feedback_campaign": feedback_campaign.name if feedback_campaign else None,
    }
