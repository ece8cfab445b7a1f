"""The PSW's pages at ``/workspace/posts``: briefings, you said, actions, targets."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI


def register(app: FastAPI) -> None:
    """Serve the posts pages from ``app``."""
    from bot.web.follow_up import (
        action_pages,
        briefing_pages,
        index,
        scheduled_pages,
        target_pages,
        you_said_pages,
    )

    for pages in (
        index,
        briefing_pages,
        you_said_pages,
        scheduled_pages,
        action_pages,
        target_pages,
    ):
        pages.register(app)
