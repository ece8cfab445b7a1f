"""The local web channel: chat pages, personal links, the dashboard, the inbox.

:func:`register` is the one call the composition root (``bot.app``) makes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI


def register(app: FastAPI) -> None:
    """Serve the local web channel and the dashboard from ``app``."""
    from bot.web.routes import register as register_web

    register_web(app)
