"""Microsoft Teams: the whole product inside Teams, on the Microsoft 365 Agents SDK.

Importing this package is cheap; the SDK is loaded only when Teams is enabled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from bot.settings import Settings


def register(app: FastAPI, settings: Settings) -> None:
    """Serve Teams at ``/api/messages`` on ``app`` when Teams is enabled."""
    if not settings.teams_enabled:
        return
    from bot.teams.app import register as register_teams

    register_teams(app, settings)
