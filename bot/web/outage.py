"""Requests that find the database unreachable get a 503 page, never a traceback.

While PostgreSQL restarts (or SQLite stays locked past its busy timeout) a
request's transaction fails and is rolled back, so nothing half-done is stored.
The person is told to try again in a moment; a platform or the worker sees a 503
with ``Retry-After`` and tries again later. The pool checks each connection
before use (``pool_pre_ping``), so the first request after the database is back
succeeds without the app being restarted.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.runtime import database_unreachable
from bot.web import text
from bot.web.pages import notice_page

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 2


def register(app: FastAPI) -> None:
    """Answer database outages with a 503 page instead of a 500."""

    async def database_unavailable(request: Request, error: Exception) -> HTMLResponse:
        if not database_unreachable(error):
            raise error
        return unavailable_page(request, error)

    app.add_exception_handler(DBAPIError, database_unavailable)
    app.add_exception_handler(PoolTimeout, database_unavailable)


def unavailable_page(request: Request, error: Exception) -> HTMLResponse:
    """The 503 page for a request that found the database unreachable (logged)."""
    log.warning(
        "database unavailable for %s %s: %s",
        request.method,
        request.url.path,
        str(error).splitlines()[0] if str(error) else type(error).__name__,
    )
    response = notice_page(
        request,
        heading=text.unavailable_heading(),
        message=text.unavailable(),
        tone="warning",
        status_code=503,
        next_href=_again(request),
        next_label="Try again",
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _again(request: Request) -> str:
    """Where "Try again" leads: the same page for a GET, else the chat page."""
    if request.method != "GET":
        return "/"
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")
