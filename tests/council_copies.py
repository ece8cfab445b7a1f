"""The two councils of ``two_councils``, built once per engine and copied per test.

Building them answers about sixty surveys; copying a built database takes a
fraction of that. :func:`councils_in` fills the migrated, empty database a test
got from the ``database_url`` fixture with a copy of the built one: a file copy
on SQLite, ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import atexit
import copy
import os
import shutil
import tempfile
from pathlib import Path

import psycopg
from postgres_admin import POSTGRES_ADMIN_URL
from two_councils import TwoCouncils, two_councils

from survey.db import create_engine, session_factory

BUILT_DB = f"hc_councils_{os.getpid()}"

_built: dict[str, TwoCouncils] = {}
_sqlite_file: list[Path] = []


def councils_in(database_url: str) -> TwoCouncils:
    """Put the two councils into the (migrated, empty) test database.

    Call it before the test opens any connection to ``database_url``.
    """
    if database_url.startswith("sqlite"):
        return _sqlite(Path(database_url.removeprefix("sqlite:///")))
    return _postgres(database_url.rsplit("/", 1)[1])


def _build(url: str) -> TwoCouncils:
    async def build() -> TwoCouncils:
        engine = create_engine(url)
        try:
            return await two_councils(session_factory(engine))
        finally:
            await engine.dispose()

    return asyncio.run(build())


def _sqlite(path: Path) -> TwoCouncils:
    if "sqlite" not in _built:
        folder = Path(tempfile.mkdtemp(prefix="hc-councils-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _copy(path, folder / "councils.db")
        _built["sqlite"] = _build(f"sqlite:///{folder / 'councils.db'}")
        _sqlite_file.append(folder / "councils.db")
    _copy(_sqlite_file[0], path)
    return copy.deepcopy(_built["sqlite"])


def _copy(source: Path, target: Path) -> None:
    """An SQLite database with its write-ahead log, if it has one."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", f"{target}{suffix}")


def _postgres(name: str) -> TwoCouncils:
    if "postgres" not in _built:
        _admin(f"CREATE DATABASE {BUILT_DB} TEMPLATE {name}")
        atexit.register(_admin, f"DROP DATABASE IF EXISTS {BUILT_DB} WITH (FORCE)")
        base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
        _built["postgres"] = _build(f"{base}/{BUILT_DB}")
    _admin(f"DROP DATABASE {name} WITH (FORCE)")
    _admin(f"CREATE DATABASE {name} TEMPLATE {BUILT_DB}")
    return copy.deepcopy(_built["postgres"])


def _admin(statement: str) -> None:
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(statement)  # type: ignore[arg-type]
