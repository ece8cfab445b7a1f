"""What every browser test shares: the real server, Chromium, and the axe-core audit.

The server is ``healthcheck serve`` on a free loopback port over a copy of the
demo database. Chromium is Debian's (``apt-get install -y chromium``), driven by
Playwright without downloading a browser. axe-core comes from the npm registry,
pinned in ``package-lock.json`` and installed by ``make install`` into
``node_modules/``; :func:`serious_violations` injects it into a page and returns
what it finds at the serious and critical levels.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from webchat import SECRET_KEY

from benchmarks.fixtures.topology import free_port

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
HEALTHCHECK = Path(sys.executable).parent / "healthcheck"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _require(path: Path, fix: str) -> None:
    if path.exists():
        return
    message = f"{path} is missing: {fix}"
    if os.environ.get("CI"):
        pytest.fail(f"Browser tests must run in CI, but {message}")
    pytest.skip(message)


def server_environment(database_url: str) -> dict[str, str]:
    """The environment ``healthcheck`` commands run with in browser tests."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "HEALTHCHECK_SECRET_KEY": SECRET_KEY,
        "HEALTHCHECK_MODE": "development",
    }


@contextmanager
def serving(
    database_url: str,
    tmp_path: Path,
    extra: dict[str, str] | None = None,
    *,
    log_name: str = "server.log",
) -> Iterator[str]:
    """``healthcheck serve`` on a free port, once it answers: yields its URL."""
    env = {**server_environment(database_url), **(extra or {})}
    subprocess.run(
        [HEALTHCHECK, "db", "upgrade"], env=env, check=True, capture_output=True
    )
    port = free_port()
    log_path = tmp_path / log_name
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [HEALTHCHECK, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "the server did not start: " + log_path.read_text()
                    )
                time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=10)


@contextmanager
def served(demo_template: Path, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """``healthcheck serve`` on a copy of the demo: yields (base URL, database URL)."""
    _require(CHROMIUM, "apt-get install -y chromium")
    database = tmp_path / "browser.db"
    shutil.copy(demo_template, database)
    url = f"sqlite:///{database}"
    with serving(url, tmp_path) as base:
        yield base, url


def launch(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page (WCAG 2.2 A/AA)."""
    _require(AXE, "make install (npm ci installs axe-core)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's
        # Content-Security-Policy (script-src 'self') does not govern.
        page.evaluate(AXE.read_text() + "\n;true")
    result: dict[str, Any] = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag', values:
             ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]],
        }
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def assert_accessible(page: Page) -> None:
    """Fail with axe-core's findings if the page has a serious or critical violation."""
    found = serious_violations(page)
    assert found == [], f"{page.url}: {found}"
