"""The live map in a real browser (Debian's chromium through Playwright): legend, hover, click.

One app server for the module. The page's run is the baseline preset with seed 0, so the
test builds the same model in-process to choose a unit to click: one alone in its cell with
no other unit nearby, so no neighbour's marker covers it. A screenshot of the map at
1920 x 1080 is saved under test-output/ for a person to look at.
"""

import re
import time

import numpy as np
import pytest

from ecosystem import load_preset
from ecosystem.visualisation.session import Simulation
from ecosystem.visualisation.style import OPERATOR_COLOURS
from ecosystem.visualisation.wording import unit_label
from tests.served_app import OUTPUT

MONTHS = 3

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def page(browser, server):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(server)
    page.get_by_text("Month 0").first.wait_for(timeout=120_000)
    for month in range(1, MONTHS + 1):
        page.get_by_role("button", name="Step").click()
        page.get_by_text(re.compile(rf"Month {month}\b")).first.wait_for(timeout=60_000)
    _chart(page).locator("canvas").first.wait_for(timeout=60_000)
    yield page
    page.close()


def _chart(page):
    return page.locator(".eco-map-chart:visible").first


def _lone_unit() -> tuple[int, str]:
    """A unit of the page's run with no other unit within two cells: (index, service)."""
    units = list(Simulation(load_preset("baseline"), 0).model.units)
    cells = np.array([u.cell.coordinate for u in units])
    apart = np.abs(cells[:, None, :] - cells[None, :, :]).max(axis=2)
    lonely = [u for u, row in zip(units, apart) if (row <= 2).sum() == 1]
    assert lonely, "the baseline map has units standing alone"
    return lonely[0].index, lonely[0].service


def _pixel(page, unit):
    """The page's pixel of `unit`'s marker (None: of the selection ring), or None."""
    box = _chart(page).bounding_box()
    point = _chart(page).evaluate("(el, unit) => el.unitPixel(unit)", unit)
    return None if point is None else (box["x"] + point[0], box["y"] + point[1])


def test_the_legend_names_every_layer(page):
    legend = page.locator(".eco-map-legend:visible").first
    assert legend.is_visible()
    text = legend.inner_text()
    expected = [*(s.replace("_", " ") for s in load_preset("baseline").services.catalogue),
                *(k.replace("_", " ") for k in OPERATOR_COLOURS), "open", "below standard",
                "closed", "selected", "urban", "town", "village", "sparse", "council border",
                "need left unmet"]
    missing = [entry for entry in expected if entry not in text]
    assert not missing
    size = legend.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 14


def test_hovering_a_unit_names_it(page):
    unit, service = _lone_unit()
    x, y = _pixel(page, unit)
    page.mouse.move(x, y)
    tooltip = page.get_by_text(f"Unit {unit}: {service.replace('_', ' ')}")
    tooltip.first.wait_for(timeout=10_000)
    assert tooltip.first.is_visible()


def test_clicking_a_unit_selects_it(page):
    unit, _ = _lone_unit()
    x, y = _pixel(page, unit)
    assert _pixel(page, None) != (x, y)
    page.mouse.click(x, y)
    deadline = time.time() + 15
    while time.time() < deadline and _pixel(page, None) != (x, y):
        time.sleep(0.2)
    assert _pixel(page, None) == (x, y)  # the ring sits on the clicked unit
    model = Simulation(load_preset("baseline"), 0).model
    label = unit_label(model, model.units[unit])
    page.locator(".inspector-panel").get_by_text(label).first.wait_for(timeout=15_000)
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / "map-1920x1080.png")
    page.locator(".eco-map:visible").first.screenshot(path=OUTPUT / "map.png")
