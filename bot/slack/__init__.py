"""Slack: the Bolt app on FastAPI, Block Kit rendering, delivery and identity.

:func:`register` is the one call the web app makes; it adds nothing unless
``HEALTHCHECK_SLACK_ENABLED`` is set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from bot.settings import Settings


def register(app: FastAPI, settings: Settings) -> None:
    """Serve Slack from ``app`` when the settings enable it (see bot.slack.app)."""
    if not settings.slack_enabled:
        return
    # Imported here so the worker, which only delivers, never loads Bolt.
    from bot.slack.app import register as register_slack

    register_slack(app, settings)
