"""The live charts in a real browser: ECharts from the app's own server, markers on screen.

One server for the module, its HTTP(S) calls sent to a recording proxy (tests/served_app.py),
so a chart library fetched from the network would be noticed. A screenshot at 1920x1080 is
saved under test-output/ for a person to look at.
"""

import re
from urllib.parse import urlsplit

import pytest

from tests.served_app import OUTPUT

#: What each chart's ECharts instance holds: its title, series drawing numbers, and markers.
CHART_STATE = """() => [...document.querySelectorAll('.eco-chart')].map(el => {
    const option = el.__vue__ && el.__vue__.chart ? el.__vue__.chart.getOption() : null;
    if (!option || !option.title) return null;  // not drawn yet
    return {title: option.title[0].text,
            series: option.series.filter(s => s.encode && s.encode.y &&
                option.dataset[s.datasetIndex || 0].source.month.length).length,
            markers: option.series.flatMap(s => (s.markLine || {}).data || [])
                                  .map(m => [m.xAxis, m.name])};
})"""

pytestmark = pytest.mark.slow


def _step_to(page, month: int) -> None:
    page.get_by_role("button", name="Step").click()
    page.get_by_text(re.compile(rf"Month {month}\b")).first.wait_for(timeout=60_000)


def _charts(page) -> list:
    return page.evaluate(CHART_STATE)


def test_a_lever_change_is_marked_on_every_chart(browser, server, proxy):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    echarts: dict[str, int] = {}
    page.on("response", lambda r: echarts.update({urlsplit(r.url).path: r.status})
            if "echarts" in r.url else None)
    page.goto(server)
    page.get_by_text("Month 0").first.wait_for(timeout=60_000)
    page.wait_for_function(f"() => ({CHART_STATE})().filter(c => c).length >= 7",
                           timeout=60_000)
    assert all(chart["series"] == 0 for chart in _charts(page))  # nothing before month 1
    for month in (1, 2, 3):
        _step_to(page, month)
    page.get_by_role("button", name="regime").first.click()  # the Procurement regime select
    page.get_by_role("option", name="light").click()
    for month in (4, 5):
        _step_to(page, month)
    page.wait_for_function(
        f"() => ({CHART_STATE})().every(c => c && c.markers.length > 0)", timeout=30_000)
    charts = _charts(page)
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / "live-charts.png")
    assert len(charts) == 7 and all(chart["series"] > 0 for chart in charts)
    assert all(chart["markers"] == [[4, "m4 regime"]] for chart in charts)
    feed = page.locator(".feed-panel").first
    feed.get_by_text("Month 4, all councils: The trainer set procurement: regime").wait_for(
        timeout=15_000)  # and the event feed says so
    assert echarts == {"/_solara/cdn/echarts@5.4.0/dist/echarts.js": 200}
    assert proxy.requests == []  # the server fetched nothing from the network either
