"""Pooled connections the server has ended are replaced before anyone uses them."""

from __future__ import annotations

import psycopg
import pytest
from postgres_admin import POSTGRES_ADMIN_URL
from sqlalchemy import event, text

from survey.db import create_engine

pytestmark = pytest.mark.postgres


async def test_a_connection_the_server_ended_is_replaced_on_checkout(
    database_url: str,
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no server to end a connection")
    engine = create_engine(database_url, pool_size=2)
    connects: list[object] = []
    event.listen(engine.sync_engine.pool, "connect", lambda *_: connects.append(1))
    try:
        async with engine.connect() as connection:
            before = (await connection.execute(text("SELECT pg_backend_pid()"))).one()[
                0
            ]
        # What a PostgreSQL restart does to every pooled connection.
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (before,))
        async with engine.connect() as connection:
            after = (await connection.execute(text("SELECT pg_backend_pid()"))).one()[0]
        assert after != before
        assert len(connects) == 2

        # A live connection is handed out again as it is, with no new one made.
        async with engine.connect() as connection:
            again = (await connection.execute(text("SELECT pg_backend_pid()"))).one()[0]
        assert again == after
        assert len(connects) == 2
    finally:
        await engine.dispose()
