"""A workshop game in real browsers: a trainer, a projector and four phones, three rounds.

Debian's chromium driven by Playwright against `ecosystem app`; each participant has a
browser context of their own (a device of their own: no shared storage). The game: four
teams join and are seated one a council; year 1 ends when every team has submitted; year 2
ends when its timer runs out with no plan in; the trainer rewinds year 2, which the teams
then decide (the trainer extends the timer of the rounds the teams decide, so a slow machine
has time); year 3 ends the game; the scenario the trainer downloads reruns with `run()` to
the numbers the league table showed.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ecosystem.scenario import Scenario
from ecosystem.workshop.debrief import league_path
from ecosystem.workshop.league import MEASURES
from tests.served_app import chromium, join_room, open_room, serving

pytestmark = pytest.mark.slow

#: Milliseconds a page may take to show something (a busy machine is slow).
WAIT_MS = 180_000
#: Milliseconds before a click that showed nothing is tried again.
RETRY_MS = 20_000
#: The room: four councils, three years, short rounds so the timer's round is quick.
COUNCILS, YEARS, SECONDS, SEED = 4, 3, 40, 5
PHONE = {"width": 390, "height": 844}
SCREEN = {"width": 1920, "height": 1080}


def _council(phone) -> int:
    return int(phone.locator(".room-seat-council").get_attribute("data-council"))


def _submit(phone, year: int) -> None:
    """Submit the team's plan for `year`; taken once the page says so or the year has run
    (the last team's submission runs it, maybe before its page shows the note)."""
    noted = phone.get_by_text("Submitted — waiting")
    moved_on = phone.locator(".room-round").filter(has_not_text=f"Year {year} of")
    taken = noted.or_(moved_on).first
    phone.locator(".room-submit").click()
    try:
        taken.wait_for(timeout=RETRY_MS)
    except PlaywrightTimeout:  # a click lost while the page redrew: click once more
        phone.locator(".room-submit").click()
        taken.wait_for(timeout=WAIT_MS)


def _extend(console) -> None:
    """The trainer gives the teams two minutes more (so slow machines have time to submit)."""
    for _ in range(2):
        console.locator(".room-extend").click()


def _wait_for_year(page, year: int) -> None:
    page.locator(".room-round").filter(has_text=f"Year {year} of {YEARS}").first.wait_for(
        timeout=WAIT_MS)


def _league_shown(page) -> dict[int, dict[str, float]]:
    """The league table a page shows: council -> measure -> value."""
    cells = page.locator(".room-league-row td[data-measure]")
    shown: dict[int, dict[str, float]] = {}
    for i in range(cells.count()):
        cell = cells.nth(i)
        council = int(cell.locator("xpath=..").get_attribute("data-council"))
        shown.setdefault(council, {})[cell.get_attribute("data-measure")] = float(
            cell.get_attribute("data-value"))
    return shown


def test_a_three_round_game_with_four_councils(tmp_path):
    with serving() as (url, _), chromium() as browser:
        console = browser.new_context(viewport=SCREEN).new_page()
        code = open_room(console, url, WAIT_MS, years=YEARS, seconds=SECONDS,
                         councils=COUNCILS, seed=SEED)
        assert re.fullmatch(r"[A-Z]{4}", code)
        phones = [join_room(browser, url, code, name, PHONE, WAIT_MS)
                  for name in ("Ann", "Bo", "Cy", "Di")]
        assert sorted(_council(p) for p in phones) == list(range(COUNCILS))  # one a council
        console.locator(".room-seats").get_by_text("Di").wait_for(timeout=WAIT_MS)

        projector = browser.new_context(viewport=SCREEN).new_page()
        projector.goto(f"{url}room/projector?code={code}")
        projector.locator(".room-league").wait_for(timeout=WAIT_MS)

        console.locator(".room-start").click()
        _wait_for_year(projector, 1)
        _extend(console)
        first = phones[0]
        first.locator(".room-lever-community-support input").fill("0")
        for phone in phones:
            _submit(phone, 1)
        _wait_for_year(projector, 2)  # every team submitted: the year ran at once

        seat_url, council = phones[1].url, _council(phones[1])
        phones[1].close()  # the phone drops out; it comes back by its address
        back = browser.new_context(viewport=PHONE).new_page()
        back.goto(seat_url)
        back.locator(".room-seat-council").wait_for(timeout=WAIT_MS)
        assert _council(back) == council
        phones[1] = back

        _wait_for_year(projector, 3)  # nobody submitted in year 2: its timer ran out
        console.locator(".room-rewind").click()
        _wait_for_year(projector, 2)  # year 2 is decided again
        _extend(console)
        for phone in phones:
            _wait_for_year(phone, 2)
            _submit(phone, 2)
        _wait_for_year(projector, 3)
        _extend(console)
        for phone in phones:
            _wait_for_year(phone, 3)
            _submit(phone, 3)
        projector.get_by_text("The game has ended").first.wait_for(timeout=WAIT_MS)

        console.get_by_text("The game has ended").first.wait_for(timeout=WAIT_MS)
        shown = _league_shown(console)
        download = console.locator(".room-download-scenario")
        download.wait_for(timeout=WAIT_MS)  # once the debrief's replays are done
        with console.expect_download() as saved:
            download.click()
        path = tmp_path / "game.toml"
        saved.value.save_as(path)
        with console.expect_download() as report:
            console.locator(".room-download-report").click()
        page = report.value.path().read_text()

    played = Scenario.from_toml(path)
    assert played.years == YEARS and played.world.councils == COUNCILS
    assert len(played.decisions) == COUNCILS * YEARS  # the rewound year's timer round is gone
    assert played.decisions[0].levers["capacity.community_support"] == 0.0
    rerun = league_path(played, SEED)[-1]
    assert set(shown) == set(range(COUNCILS))
    for row in rerun:
        for measure in MEASURES:
            assert shown[int(row["council"])][measure] == pytest.approx(row[measure], abs=1e-8)
    assert "<script" not in page and "http://" not in page and "https://" not in page
