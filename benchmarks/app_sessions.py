"""Memory per web-app session: the server's resident memory as pages open, close and drop.

Run from the repository's root (it starts `ecosystem app` with the tests' helpers and
drives Debian's chromium with Playwright)::

    uv run python -m benchmarks.app_sessions                 # 10 and 30 pages
    uv run python -m benchmarks.app_sessions --pages 5 --steps 6

For each page count N it starts a fresh server on a free port (`--max-sessions N`, and a
short cull timeout), reads the server process's resident memory (VmRSS, Linux only) before
any page, after each page has opened and been stepped a few months (so its model exists and
has run), then:

- after half the pages are *left* (they go to about:blank, which sends the close beacon a
  closed tab sends, so their sessions end at once);
- after the other half are *dropped* (closed with no beacon, like a laptop going to sleep:
  Solara keeps their sessions for the cull timeout, in case they reconnect);
- after the cull timeout has passed, when every session has ended.

It prints one table per N. Nothing is asserted: this is a measuring script, not a test.
Rerun it after changing what a session holds (e.g. the map and charts drawn in the browser)
and compare the "per session" lines.
"""

from __future__ import annotations

import argparse
import os
import time

from playwright.sync_api import Browser, Page, TimeoutError

from ecosystem.cli.room import CULL_TIMEOUT_ENV
from tests import served_app
from tests.served_app import chromium, resident_mb, server_pid, serving

#: Seconds given to the server to finish closing sessions before memory is read.
SETTLE_SECONDS = 5.0

#: Seconds the server may take to start (a busy machine is slow to import everything).
served_app.START_TIMEOUT = 600

#: Seconds a page may take to show its first month (the machine may be busy).
LOAD_TIMEOUT_MS = 180_000


def open_page(browser: Browser, url: str, steps: int) -> Page:
    """A new page of the app, once it shows month 0, stepped `steps` months."""
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(url)
    page.get_by_text("Month 0").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    for month in range(1, steps + 1):
        step = page.get_by_role("button", name="Step", exact=True)
        step.click(timeout=LOAD_TIMEOUT_MS)  # waits out Solara's reconnecting overlay
        shown = page.get_by_text(f"Month {month}").first
        try:
            shown.wait_for(timeout=LOAD_TIMEOUT_MS // 4)
        except TimeoutError:  # a click lost while the page redrew: click once more
            step.click(timeout=LOAD_TIMEOUT_MS)
            shown.wait_for(timeout=LOAD_TIMEOUT_MS)
    return page


def measure(pages: int, steps: int, cull_seconds: int) -> list[tuple[str, float]]:
    """(moment, server RSS in MB) from no page to `pages` open, then left, dropped, culled."""
    env = {**os.environ, CULL_TIMEOUT_ENV: f"{cull_seconds}s"}
    with serving("--max-sessions", str(pages), env=env) as (url, process), \
            chromium() as browser:
        pid = server_pid(process)
        rows = [("no page", resident_mb(pid))]
        opened = []
        for number in range(1, pages + 1):
            opened.append(open_page(browser, url, steps))
            rows.append((f"{number} open", resident_mb(pid)))
            print(*rows[-1], flush=True)
        half = pages // 2
        for page in opened[:half]:
            page.goto("about:blank")  # leaving sends the beacon that ends the session
        time.sleep(SETTLE_SECONDS)
        rows.append((f"{half} left", resident_mb(pid)))
        for page in opened[half:]:
            page.close()  # headless chromium sends no beacon: the session waits for cull
        time.sleep(SETTLE_SECONDS)
        rows.append((f"{pages - half} dropped", resident_mb(pid)))
        time.sleep(cull_seconds + SETTLE_SECONDS)
        rows.append(("after cull", resident_mb(pid)))
        return rows


def report(rows: list[tuple[str, float]]) -> str:
    """The table of one measurement, with memory per session."""
    base = rows[0][1]
    lines = [f"{'moment':<12} {'server RSS MB':>14} {'over no page':>13}"]
    lines += [f"{moment:<12} {mb:>14.0f} {mb - base:>+13.0f}" for moment, mb in rows]
    opened = [mb for moment, mb in rows if moment.endswith("open")]
    lines.append(f"per session: {(opened[-1] - base) / len(opened):.0f} MB on average")
    if len(opened) > 1:
        lines.append(f"per session after the first: "
                     f"{(opened[-1] - opened[0]) / (len(opened) - 1):.0f} MB")
    return "\n".join(lines)


def main() -> None:
    """Measure and print one table per page count."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[10, 30],
                        help="pages to open at once (one server per count)")
    parser.add_argument("--steps", type=int, default=3, help="months each page steps")
    parser.add_argument("--cull-seconds", type=int, default=30,
                        help="the server's cull timeout for dropped pages")
    args = parser.parse_args()
    for pages in args.pages:
        started = time.time()
        rows = measure(pages, args.steps, args.cull_seconds)
        print(f"\n{pages} pages, {args.steps} months each "
              f"({time.time() - started:.0f} s on this machine)\n{report(rows)}", flush=True)


if __name__ == "__main__":
    main()
