"""Regenerate the README's screenshots of a workshop room, in real Chromium.

Run with::

    uv run python -m scripts.workshop_screenshots [--out docs/images]

It starts `ecosystem app` on a free port, opens a room of four councils from `/room`, seats
four phones (390x844), has every team submit once, and in year 2 saves:

- `workshop-phone.png`: the top of a team's dashboard (council, round, countdown, budget,
  its map), the viewport only;
- `workshop-projector.png`: the projector at 1920x1080, from the same game.
"""

from __future__ import annotations

import time

from playwright.sync_api import Page

from scripts.screenshots import out_folder
from tests.served_app import chromium, join_room, open_room, serving

PHONE = {"width": 390, "height": 844}
SCREEN = {"width": 1920, "height": 1080}
#: Milliseconds a page may take to show something.
WAIT_MS = 180_000
#: Seconds the pages may take to draw their last frame before a screenshot.
SETTLE = 3.0
COUNCILS, YEARS, SECONDS, SEED = 4, 3, 300, 5
#: Scroll to the top every scrolling box holding `.room-seat-council` (Solara's layout
#: scrolls an inner container, not the window).
SCROLL_TO_TOP = """() => {
  let node = document.querySelector('.room-seat-council');
  window.scrollTo(0, 0);
  while (node) { node.scrollTop = 0; node = node.parentElement; }
}"""


def in_year(page: Page, year: int) -> None:
    """Wait until `page` shows year `year`."""
    page.locator(".room-round").filter(has_text=f"Year {year} of {YEARS}").first.wait_for(
        timeout=WAIT_MS)


def main(argv: list[str] | None = None) -> None:
    """Serve the app, play a year of a four-council room and take the screenshots."""
    out = out_folder(__doc__.split("\n\n")[0], argv)
    with serving() as (url, _), chromium() as browser:
        console = browser.new_context(viewport=SCREEN).new_page()
        code = open_room(console, url, WAIT_MS, years=YEARS, seconds=SECONDS,
                         councils=COUNCILS, seed=SEED)
        phones = [join_room(browser, url, code, name, PHONE, WAIT_MS)
                  for name in ("Ann", "Bo", "Cy", "Di")]
        projector = browser.new_context(viewport=SCREEN).new_page()
        projector.goto(f"{url}room/projector?code={code}")
        projector.locator(".room-league").wait_for(timeout=WAIT_MS)
        console.locator(".room-start").click()
        for phone in phones:
            in_year(phone, 1)
            phone.locator(".room-submit").click()
            phone.get_by_text("Submitted — waiting").wait_for(timeout=WAIT_MS)
        for page in (projector, *phones):
            in_year(page, 2)
        time.sleep(SETTLE)
        phone = phones[0]
        phone.evaluate(SCROLL_TO_TOP)
        time.sleep(0.5)
        phone.screenshot(path=out / "workshop-phone.png")
        projector.screenshot(path=out / "workshop-projector.png")
    print(f"screenshots written to {out}/")


if __name__ == "__main__":
    main()
