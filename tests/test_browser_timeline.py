"""The timeline in a real browser: step on, scrub back to an earlier month, run on from there.

Debian's chromium driven by Playwright, one server for the module (see tests/test_browser.py).
"""

import time

import pytest

from tests.served_app import month_shown, wait_for_month

#: Seconds a month shown may take to reach the page.
WAIT = 120

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def page(browser, server):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(server)
    wait_for_month(page, 0, WAIT)
    yield page
    page.close()


def _wait_until(condition) -> bool:
    deadline = time.time() + WAIT
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


def test_scrubbing_back_shows_that_month_and_the_run_goes_on_from_it(page):
    for month in range(1, 7):
        page.get_by_role("button", name="Step", exact=True).click()
        wait_for_month(page, month, WAIT)
    assert month_shown(page) == 6
    slider = page.get_by_role("slider", name="Month", exact=True)
    slider.focus()
    for _ in range(4):
        slider.press("ArrowLeft")
    page.get_by_role("button", name="Go back to month 2").click()
    wait_for_month(page, 2, WAIT)
    assert month_shown(page) == 2
    page.get_by_role("button", name="Step", exact=True).click()
    wait_for_month(page, 3, WAIT)
    page.get_by_role("button", name="Play").click()
    assert _wait_until(lambda: month_shown(page) > 3)
