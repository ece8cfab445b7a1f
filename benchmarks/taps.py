"""Taps and seconds to answer the 7-question pulse in a browser, desktop and phone.

Serves the demo council with ``healthcheck serve`` on a loopback port (the same
server the browser tests use), signs in as a social worker in headless Chromium
and answers the pulse from the chat page to the thank-you page by taps alone
(``tests/bot/web/tap_walk.py``): Start, one tap per single-choice question, and
"Skip and send" on the comment. Done at a 1280x900 desktop and a 390x844 phone
viewport, ``--runs`` times each (3).

Printed per viewport: taps (and the goal, one per question plus one), and the
median and worst seconds from Start to the thank-you page. Figures, not a test:
it never fails on a number (``tests/bot/web/test_taps_browser.py`` is the test).
Needs Debian's Chromium (``apt-get install -y chromium``).

    python benchmarks/taps.py [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bot" / "web"))
os.environ.setdefault("HEALTHCHECK_MODE", "development")

from browser_pages import DESKTOP, PHONE, launch, served  # noqa: E402
from tap_walk import Walk, answer_pulse, sign_in  # noqa: E402
from webchat import SECRET_KEY  # noqa: E402

from survey.db import create_engine, session_factory  # noqa: E402
from survey.demo import seed_demo  # noqa: E402
from survey.migrate import upgrade  # noqa: E402


def demo_database(folder: Path) -> Path:
    """A migrated SQLite file with the demo council, as ``make run`` seeds it."""
    path = folder / "demo.db"
    url = f"sqlite:///{path}"
    upgrade(url)

    async def seed() -> None:
        engine = create_engine(url)
        try:
            await seed_demo(
                session_factory(engine),
                secret=SECRET_KEY.encode(),
                now=datetime.now(UTC),
            )
        finally:
            await engine.dispose()

    asyncio.run(seed())
    return path


def walk_once(demo: Path, folder: Path, viewport: dict[str, int]) -> Walk:
    """One person answering the pulse on a fresh copy of the demo."""
    from playwright.sync_api import sync_playwright

    with served(demo, folder) as (base, _), sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_context(
                viewport=viewport, has_touch=viewport == PHONE
            ).new_page()
            sign_in(page, base)
            return answer_pulse(page)
        finally:
            browser.close()


def main() -> None:
    """Print taps and seconds for the pulse on a desktop and a phone."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = max(1, parser.parse_args().runs)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        demo = demo_database(folder)
        print(f"{'viewport':<16}{'taps':>6}{'goal':>6}{'median s':>10}{'worst s':>9}")
        for label, viewport in (("desktop", DESKTOP), ("phone 390x844", PHONE)):
            walks = []
            for run in range(runs):
                where = folder / f"{label.split()[0]}-{run}"
                where.mkdir()
                walks.append(walk_once(demo, where, viewport))
            seconds = [walk.seconds for walk in walks]
            taps = max(walk.taps for walk in walks)
            goal = walks[0].questions + 1
            print(
                f"{label:<16}{taps:>6}{goal:>6}"
                f"{statistics.median(seconds):>10.2f}{max(seconds):>9.2f}"
            )


if __name__ == "__main__":
    main()
