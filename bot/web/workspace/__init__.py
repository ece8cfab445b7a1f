"""The PSW's workspace: run the health-check year from the browser, without commands."""

from __future__ import annotations

from fastapi import FastAPI

from bot.web.workspace import home, lifecycle, results, roster, surveys


def register(app: FastAPI) -> None:
    """Add every workspace page (``/workspace`` and below)."""
    home.register(app)
    surveys.register(app)
    lifecycle.register(app)
    roster.register(app)
    results.register(app)
