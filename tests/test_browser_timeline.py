"""The timeline in a real browser: step on, scrub back to an earlier month, run on from there.

Debian's chromium driven by Playwright, one server for the module (see tests/test_browser.py).
"""

import re
import time
from pathlib import Path

import pytest

from tests.served_app import CHROMIUM, CHROMIUM_FLAGS, free_port, start_app, stop_app

#: Seconds a month shown may take to reach the page.
WAIT = 120

if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server():
    port = free_port()
    process = start_app(port)
    yield f"http://127.0.0.1:{port}/"
    stop_app(process)


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(server)
        _wait_for_month(page, 0)
        yield page
        browser.close()


def _month(page) -> int:
    text = page.get_by_text(re.compile(r"Month \d+")).first.inner_text()
    return int(re.search(r"Month (\d+)", text).group(1))


def _wait_for_month(page, month: int) -> None:
    page.get_by_text(re.compile(rf"Month {month}\b")).first.wait_for(timeout=WAIT * 1000)


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
        _wait_for_month(page, month)
    assert _month(page) == 6
    slider = page.get_by_role("slider", name="Month", exact=True)
    slider.focus()
    for _ in range(4):
        slider.press("ArrowLeft")
    page.get_by_role("button", name="Go back to month 2").click()
    _wait_for_month(page, 2)
    assert _month(page) == 2
    page.get_by_role("button", name="Step", exact=True).click()
    _wait_for_month(page, 3)
    page.get_by_role("button", name="Play").click()
    assert _wait_until(lambda: _month(page) > 3)
