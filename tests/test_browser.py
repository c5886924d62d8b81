"""The web app in a real browser: Debian's chromium driven by Playwright.

`.ci/run` installs chromium; a browser download never happens. Screenshots are saved under
test-output/ for a person to look at. The server's own HTTP(S) calls go to a recording proxy
(tests/served_app.py), so a page that made it fetch from a CDN would be noticed.
"""

import contextlib
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.served_app import OUTPUT, katex_files, month_shown, wait_for_month

pytestmark = pytest.mark.slow


def _open(browser, url):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(url)
    page.get_by_text("Month 0").first.wait_for(timeout=60_000)
    return page


def test_play_advances_the_month_and_keeps_up(browser, server):
    page = _open(browser, server)
    page.get_by_role("button", name="Play").click()
    samples = [(time.time(), month_shown(page))]
    while samples[-1][1] < 120 and time.time() - samples[0][0] < 20:
        time.sleep(0.25)
        samples.append((time.time(), month_shown(page)))
    moving = [s for s in samples if 0 < s[1] < 120] or samples
    seconds = max(moving[-1][0] - moving[0][0], 0.25)
    rate = max(moving[-1][1] - moving[0][1], 1) / seconds
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / "live-run.png", full_page=True)
    (OUTPUT / "steps-per-second.txt").write_text(f"{rate:.2f}\n")
    print(f"live view: {rate:.1f} months per second (one month per frame)")
    page.close()  # its session ends, and its player with it
    assert samples[-1][1] > samples[0][1]  # the month advanced in the browser
    assert len({m for _, m in samples}) > 3  # and the page kept redrawing as it went


def test_sessions_do_not_share_a_model(browser, server):
    first, second = _open(browser, server), _open(browser, server)
    first.get_by_role("button", name="Step").click()
    first.get_by_text("Month 1").first.wait_for(timeout=30_000)
    second.reload()
    second.get_by_text("Month 0").first.wait_for(timeout=60_000)
    assert month_shown(second) == 0 and month_shown(first) == 1


def test_compare_page_steps_both_runs(browser, server):
    page = _open(browser, server)
    page.get_by_role("tab", name="Compare A and B").click()
    page.get_by_role("button", name="Step a year").click()
    reading = page.get_by_text(re.compile(r"At month 12, B against A"))
    reading.wait_for(timeout=60_000)
    # no lever of B was touched: same seed, same scenario, so no difference at all
    assert "volunteers +0." in reading.inner_text()
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / "compare.png", full_page=True)


def test_export_downloads_the_scenario(browser, server):
    page = _open(browser, server)
    with page.expect_download(timeout=30_000) as download:
        page.get_by_text("Download scenario.toml").click()
    path = download.value.path()
    assert "[councils]" in Path(path).read_text()


def test_a_lever_changed_in_the_page_is_in_the_exported_scenario(browser, server):
    page = _open(browser, server)
    page.get_by_role("button", name="regime").first.click()  # the Procurement regime select
    page.get_by_role("option", name="light").click()
    page.get_by_text("Month 0").first.wait_for(timeout=60_000)
    with page.expect_download(timeout=30_000) as download:
        page.get_by_text("Download scenario.toml").click()
    assert 'regime = "light"' in Path(download.value.path()).read_text()


def test_pages_load_katex_from_the_app_and_the_server_calls_nowhere(browser, server, proxy):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    katex: dict[str, int] = {}
    page.on("response", lambda r: katex.update({urlsplit(r.url).path: r.status})
            if "/katex@" in r.url else None)
    page.goto(server)
    page.get_by_text("Month 0").first.wait_for(timeout=60_000)
    page.get_by_text("What is happening here").first.click()
    page.get_by_text("What you are watching").first.wait_for(timeout=30_000)
    page.get_by_role("tab", name="Compare A and B").click()
    page.get_by_role("button", name="Step a year").wait_for(timeout=60_000)
    with contextlib.suppress(PlaywrightTimeout):  # on failure, say which files were missing
        page.wait_for_function("() => typeof window.renderMathInElement === 'function'",
                               timeout=15_000)
    assert katex == {f"/_solara/cdn/{name}": 200 for name in katex_files()}
    assert proxy.requests == []  # nor anything else, from any page of this module's tests


#: Visible elements with text of their own (SVG text included) smaller than 20 px.
SMALL_TEXT = """() => [...document.querySelectorAll('.v-application *')]
    .filter(e => e.getClientRects().length
                 && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .filter(e => parseFloat(getComputedStyle(e).fontSize) < 20)
    .map(e => e.textContent.trim().slice(0, 40))"""


def test_projector_mode_fits_1920x1080_with_large_text(browser, server):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(server)
    page.get_by_text("Month 0").first.wait_for(timeout=60_000)
    page.get_by_text("Projector mode").click()
    page.wait_for_function(  # the page has redrawn in projector mode
        "() => [...document.querySelectorAll('.charts-panel, .v-btn')]"
        ".every(e => parseFloat(getComputedStyle(e).fontSize) >= 20)", timeout=30_000)
    page.get_by_text("Key levers").first.wait_for(timeout=30_000)
    for month in (1, 2, 3):
        page.get_by_role("button", name="Step").click()
        wait_for_month(page, month)
    for panel in ("map-panel", "charts-panel", "feed-panel"):
        box = page.locator(f".{panel}").first.bounding_box()
        assert box is not None, panel
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1920, (panel, box)
        assert box["y"] >= 0 and box["y"] + box["height"] <= 1080, (panel, box)
    assert page.evaluate(SMALL_TEXT) == []
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / "projector.png")


def test_compare_with_both_sides_changed(browser, server):
    page = _open(browser, server)
    page.get_by_role("tab", name="Compare A and B").click()
    page.get_by_role("button", name="Step a month").click()
    page.get_by_text(re.compile(r"At month 1, B against A")).wait_for(timeout=60_000)
    for side, regime in ((0, "light"), (1, "simplified")):  # A's select, then B's
        page.get_by_role("button", name="regime").nth(side).click()
        page.get_by_role("option", name=regime).click()
    page.get_by_role("button", name="Step a month").click()  # the changes take effect
    feeds = page.locator(".feed-panel:visible")
    for side, regime in ((0, "light"), (1, "simplified")):  # each run's feed, its own change
        feeds.nth(side).get_by_text(f"The trainer set procurement: regime to {regime}").wait_for(
            timeout=30_000)
    assert feeds.count() == 2
    page.get_by_role("button", name="Step a year").click()
    reading = page.get_by_text(re.compile(r"At month 14, B against A"))
    reading.wait_for(timeout=60_000)
    assert " pp" in reading.inner_text() and "%" not in reading.inner_text()
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / "compare-both.png")


def test_the_preset_picker_groups_the_cases_and_opens_one(browser, server):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(server)
    page.get_by_text("Month 0").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Preset").click()
    for header in ("Places", "Delivering Differently councils", "Localis cases"):
        page.locator(".v-subheader", has_text=header).wait_for(timeout=30_000)
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / "preset-picker.png")
    page.get_by_role("option", name="devon-local-delivery").click()
    page.locator(".v-select__selection", has_text="devon-local-delivery").wait_for(
        timeout=60_000)
    page.get_by_role("button", name="Step").click()
    wait_for_month(page, 1, timeout=60)
    page.close()
