"""Regenerate the README's screenshots of the web app, in real Chromium at 1920x1080.

Run with::

    uv run python -m scripts.screenshots [--out docs/images]

It starts `ecosystem app` on a free port and saves, each after playing part of a run:

- `app-live-run.png`: the live page, baseline preset, after two years;
- `app-projector.png`: the same in projector mode, a year later;
- `app-compare.png`: the compare page, B with light procurement, after two years.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from playwright.sync_api import Page

from tests.served_app import chromium, month_shown, serving, wait_for_month

VIEWPORT = {"width": 1920, "height": 1080}
#: Seconds the page may take to draw its last frame before a screenshot.
SETTLE = 2.0


def step_to(page: Page, button: str, clicks: int, months: int = 1) -> None:
    """Click `button` (`months` months a click) `clicks` times, each once the last is answered."""
    start = month_shown(page)
    for click in range(1, clicks + 1):
        page.get_by_role("button", name=button).click()
        wait_for_month(page, start + click * months, timeout=120)
    time.sleep(SETTLE)


def live(page: Page, out: Path) -> None:
    """The live page, then the same in projector mode."""
    step_to(page, "Step", 24)
    page.screenshot(path=out / "app-live-run.png")
    page.get_by_text("Projector mode").click()
    page.wait_for_function(  # the page has redrawn in projector mode: a click now counts
        "() => [...document.querySelectorAll('.v-btn')]"
        ".every(e => parseFloat(getComputedStyle(e).fontSize) >= 20)", timeout=60_000)
    time.sleep(SETTLE)
    step_to(page, "Step", 12)
    page.screenshot(path=out / "app-projector.png")
    page.get_by_text("Projector mode").click()
    time.sleep(SETTLE)


def compare(page: Page, out: Path) -> None:
    """The compare page with B's procurement regime set to light."""
    page.get_by_role("tab", name="Compare A and B").click()
    page.get_by_role("button", name="Step a year").wait_for(timeout=120_000)  # built on opening
    page.get_by_role("button", name="regime").nth(1).click()  # B's select (A's is first)
    page.get_by_role("option", name="light").click()
    page.locator(".v-select__selection", has_text="light").last.wait_for(timeout=60_000)
    step_to(page, "Step a year", 2, 12)
    page.screenshot(path=out / "app-compare.png")


def out_folder(description: str, argv: list[str] | None) -> Path:
    """The folder `--out` names (docs/images by default), made if missing."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", type=Path, default=Path("docs/images"))
    out = parser.parse_args(argv).out
    out.mkdir(parents=True, exist_ok=True)
    return out


def main(argv: list[str] | None = None) -> None:
    """Serve the app and take the screenshots."""
    out = out_folder(__doc__.split("\n\n")[0], argv)
    with serving() as (url, _), chromium() as browser:
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(url)
        page.get_by_text("Month 0").first.wait_for(timeout=120_000)
        live(page, out)
        compare(page, out)
    print(f"screenshots written to {out}/")


if __name__ == "__main__":
    main()
