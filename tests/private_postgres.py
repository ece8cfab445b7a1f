"""A PostgreSQL cluster of a test's own, which the test may stop and start.

The machine's shared PostgreSQL serves every other test, so a restart is staged
on a private cluster: ``initdb`` into a temporary folder, run on a free loopback
port (as the ``postgres`` user when we are root, since PostgreSQL refuses to run
as root), trust authentication, stopped with ``-m immediate`` as a crash would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from glob import glob
from pathlib import Path

import psycopg
import pytest

from benchmarks.fixtures.topology import HOST, free_port


def _binaries() -> Path | None:
    found = sorted(glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PrivatePostgres:
    """A running private cluster: its URL, and a way to take it down and up."""

    def __init__(self, folder: Path, binaries: Path) -> None:
        self.data = folder / "data"
        self.log = folder / "postgres.log"
        self.binaries = binaries
        self.port = free_port()
        self.url = f"postgresql://postgres@{HOST}:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.binaries / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def initialise(self) -> None:
        """Create the cluster's files."""
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "--no-sync", "-E", "UTF8",
        )  # fmt: skip

    def start(self) -> None:
        """Start the server and wait until it takes connections."""
        options = (
            f"-p {self.port} -c listen_addresses={HOST} "
            "-c unix_socket_directories='' -c fsync=off -c max_connections=60"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
            "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self) -> None:
        """Stop at once, as a crash would: connections are cut, nothing is flushed."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def wait_until_up(self, seconds: float = 60) -> None:
        """Wait until a connection succeeds (after crash recovery)."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                with psycopg.connect(self.url, connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """A fresh private cluster, removed afterwards; skipped where none can be made."""
    binaries = _binaries()
    if binaries is None:
        _unavailable("no initdb on this machine")
    folder = Path(tempfile.mkdtemp(prefix="hc_private_pg_"))
    if os.geteuid() == 0:
        shutil.chown(folder, user="postgres")
    assert binaries is not None
    cluster = PrivatePostgres(folder, binaries)
    try:
        try:
            cluster.initialise()
            cluster.start()
        except (subprocess.CalledProcessError, OSError, LookupError) as error:
            _unavailable(f"could not start a private PostgreSQL: {error}")
        cluster.wait_until_up()
        yield cluster
    finally:
        with suppress(subprocess.CalledProcessError, OSError):
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI needs a private PostgreSQL for the restart test: {reason}")
    pytest.skip(reason)
