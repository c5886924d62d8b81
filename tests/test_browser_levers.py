"""The lever panels in a real browser (Debian's chromium driven by Playwright): values shown
without touching anything, an arrow key moving a slider by its round step, and levers at
their extremes stepping without an error page.
"""

import re

import pytest

from ecosystem.scenario import field_specs
from ecosystem.visualisation.controls import KEY_LEVERS
from tests.served_app import OUTPUT

#: Milliseconds a page or a change may take to show (at month 0 a lever rebuilds the
#: model; on a busy machine a page takes over a minute).
WAIT_MS = 180_000

pytestmark = pytest.mark.slow

SPECS = {s["path"]: s for s in field_specs()}


def _open(browser, url):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(url)
    page.get_by_text(re.compile(r"^Month 0 \(year")).first.wait_for(timeout=WAIT_MS)
    return page


def _label(path: str) -> str:
    if path in KEY_LEVERS:
        return KEY_LEVERS[path][0]
    return path.split(".", 1)[1].replace("_", " ").capitalize()


def _slider(page, path: str):
    """The thumb (role slider) of the lever `path`, found by its label."""
    label = page.get_by_text(_label(path), exact=True).first
    control = label.locator("xpath=ancestor::div[.//*[contains(@class, 'lever-slider')]][1]")
    return control.locator("[role=slider]").first


def _open_group(page, path: str) -> None:
    group = path.split(".", 1)[0].capitalize()
    page.locator(".v-expansion-panel-header", has_text=group).first.click()
    page.get_by_text(_label(path), exact=True).first.wait_for(timeout=WAIT_MS)


def _javascript_errors(page) -> list[str]:
    """The text of every widget that failed to draw (Solara shows a button in its place)."""
    failed = page.get_by_text("Click to show javascript error")
    texts = []
    for index in range(failed.count()):
        failed.nth(index).click()
        texts.append(failed.nth(index).locator("xpath=..").inner_text())
    return texts


def _month(page) -> int:
    text = page.get_by_text(re.compile(r"^Month \d+ \(year")).first.inner_text()
    return int(re.search(r"Month (\d+)", text).group(1))


def test_the_key_levers_show_their_values_without_interaction(browser, server):
    page = _open(browser, server)
    assert _javascript_errors(page) == []
    for text in ("28 %", "5 years", "GBP 40k a year", "0: provider-blind"):
        assert page.get_by_text(text, exact=True).first.is_visible(), text
    cut = _slider(page, "councils.budget_cut_total")
    assert float(cut.get_attribute("aria-valuenow")) == SPECS["councils.budget_cut_total"][
        "default"]


def test_an_arrow_key_moves_a_slider_by_its_round_step(browser, server):
    page = _open(browser, server)
    cut = _slider(page, "councils.budget_cut_total")
    before = float(cut.get_attribute("aria-valuenow"))
    cut.focus()
    page.keyboard.press("ArrowRight")
    step = KEY_LEVERS["councils.budget_cut_total"][1]
    expected = round(before + step, 6)
    page.get_by_text(f"{expected:.0%}".replace("%", " %"), exact=True).first.wait_for(
        timeout=WAIT_MS)
    assert float(cut.get_attribute("aria-valuenow")) == pytest.approx(expected, abs=1e-9)
    support = _slider(page, "capacity.community_support")
    support.focus()
    page.keyboard.press("ArrowRight")
    page.get_by_text("GBP 50k a year", exact=True).first.wait_for(timeout=WAIT_MS)


@pytest.mark.parametrize(("path", "key"), [
    ("councils.staff_enthusiasm", "End"), ("councils.budget_cut_total", "End"),
    ("funding.cost_shock_sd", "End"), ("procurement.entrants_per_tender", "End"),
    ("capacity.support_saturation", "Home"), ("councils.min_service_level", "Home"),
])
def test_a_lever_at_its_extreme_steps_without_an_error_page(browser, server, path, key):
    page = _open(browser, server)
    if path not in KEY_LEVERS:
        _open_group(page, path)
    thumb = _slider(page, path)
    thumb.focus()
    page.keyboard.press(key)
    bound = SPECS[path]["max" if key == "End" else "min"]
    page.wait_for_function("([el, v]) => Number(el.getAttribute('aria-valuenow')) === v",
                           arg=[thumb.element_handle(), bound], timeout=WAIT_MS)
    for month in (1, 2, 3):
        page.get_by_role("button", name="Step").click()
        page.get_by_text(re.compile(rf"^Month {month} \(year")).first.wait_for(timeout=WAIT_MS)
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / f"lever-extreme-{path}.png", full_page=True)
    assert _javascript_errors(page) == []
    body = page.inner_text("body")
    assert "Traceback" not in body and "The run stopped" not in body
    assert _month(page) == 3
    page.close()
