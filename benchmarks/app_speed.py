"""The live page's speed in real Chromium, as a room sees it at 1920x1080.

Run with::

    uv run python -m benchmarks.app_speed [--seconds 10] [--runs 3]

It starts `ecosystem app` on a free port, opens the live page in Debian's chromium (driven by
Playwright) at 1920x1080 and measures, `--runs` times each:

1. **page load**: from navigation until the map has drawn and Step can be clicked;
2. **Step**: from the click until the page shows the next month (the map, charts and feed
   are redrawn in the same frame), five times, once the page has settled (`SETTLE_SECONDS`);
3. **map click**: from a click on a unit marker until the inspector names that unit;
4. **play rate**: months a second while playing at one month per frame, over `--seconds`;
5. **bytes per frame**: websocket bytes the server sent while playing, per month shown.

Nothing is asserted: it prints the figures (median and range of the runs).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from playwright.sync_api import Page

from tests.served_app import chromium, month_shown, serving, wait_for_month

VIEWPORT = {"width": 1920, "height": 1080}
#: Seconds a loaded page is left to settle (its charts load ECharts) before the clicks are
#: timed, as a trainer would look at it before clicking.
SETTLE_SECONDS = 2.0
#: What shows the map has drawn (its panel's class is set in visualisation/app.py).
MAP_READY = ".map-panel canvas, .map-panel svg, .map-panel img"


def page_load(page: Page, url: str) -> float:
    """Seconds from navigation to a drawn map with Step enabled."""
    start = time.perf_counter()
    page.goto(url)
    page.locator(MAP_READY).first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Step").wait_for(timeout=60_000)
    return time.perf_counter() - start


def step_latency(page: Page) -> float:
    """Seconds from a click on Step until the next month shows."""
    now = month_shown(page)
    start = time.perf_counter()
    page.get_by_role("button", name="Step").click()
    wait_for_month(page, now + 1, polling="raf")
    return time.perf_counter() - start


def map_click_latency(page: Page) -> float | None:
    """Seconds from a click on unit 0 until the inspector shows a unit (None: not drawn).

    The map's chart element tells where a unit's marker is (`unitPixel`, map_canvas.vue).
    """
    chart = page.locator(".map-panel .eco-map-chart").first
    box = chart.bounding_box()
    point = chart.evaluate("el => el.unitPixel && el.unitPixel(0)")
    if box is None or not point:
        return None
    start = time.perf_counter()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    page.locator(".inspector-panel").get_by_text("What happened to it").first.wait_for(
        timeout=30_000)
    return time.perf_counter() - start


def play_rate(page: Page, seconds: float, received: list[int]) -> tuple[float, float]:
    """Months a second while playing at one month per frame, and bytes sent per month.

    Plays for `seconds` or until the run ends, whichever is first: the rate is taken up to
    the last month shown.
    """
    first = month_shown(page)
    received.clear()
    page.get_by_role("button", name="Play").click()
    start = time.perf_counter()
    last, shown_at = first, start
    while time.perf_counter() - start < seconds:
        time.sleep(0.05)
        month = month_shown(page)
        if month != last:
            last, shown_at = month, time.perf_counter()
    pause = page.get_by_role("button", name="Pause")
    if pause.is_visible() and pause.is_enabled():
        pause.click()
    months = max(last - first, 1)
    return months / max(shown_at - start, 1e-9), sum(received) / months


def summary(name: str, values: list[float], unit: str, scale: float = 1.0) -> str:
    """`name: median (min-max) unit` of `values`."""
    if not values:
        return f"{name}: not measured"
    scaled = [v * scale for v in values]
    return (f"{name}: {statistics.median(scaled):,.1f} {unit} "
            f"(min {min(scaled):,.1f}, max {max(scaled):,.1f}, {len(scaled)} runs)")


def measure(url: str, runs: int, seconds: float) -> dict[str, list[float]]:
    """Every figure, `runs` times, each run in a fresh page (a fresh session)."""
    figures: dict[str, list[float]] = {k: [] for k in
                                       ("load", "step", "click", "rate", "bytes")}
    with chromium() as browser:
        for _ in range(runs):
            page = browser.new_page(viewport=VIEWPORT)
            received: list[int] = []
            cdp = page.context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.on("Network.webSocketFrameReceived",
                   lambda e, into=received: into.append(len(e["response"]["payloadData"])))
            figures["load"].append(page_load(page, url))
            time.sleep(SETTLE_SECONDS)
            figures["step"].extend(step_latency(page) for _ in range(5))
            click = map_click_latency(page)
            if click is not None:
                figures["click"].append(click)
            rate, per_month = play_rate(page, seconds, received)
            figures["rate"].append(rate)
            figures["bytes"].append(per_month)
            page.close()
    return figures


def main(argv: list[str] | None = None, report: Callable[[str], None] = print) -> None:
    """Serve the app, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds of play per run")
    parser.add_argument("--runs", type=int, default=3, help="fresh pages measured")
    args = parser.parse_args(argv)
    with serving() as (url, _):
        figures = measure(url, args.runs, args.seconds)
    report(summary("page load to interactive map", figures["load"], "ms", 1000))
    report(summary("Step answered", figures["step"], "ms", 1000))
    report(summary("map click answered", figures["click"], "ms", 1000))
    report(summary("play, one month per frame", figures["rate"], "months/s"))
    report(summary("websocket bytes per month shown", figures["bytes"], "kB", 1 / 1000))


if __name__ == "__main__":
    main()
