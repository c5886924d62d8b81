"""The workshop room's pages rendered without a browser (solara.render), with a real Room."""

import time

import ipyvue
import ipyvuetify as v
import pytest
import solara

from ecosystem import Scenario
from ecosystem.visualisation import map_frame, workshop_common
from ecosystem.visualisation.app import routes
from ecosystem.visualisation.opaque import unwrapped
from ecosystem.visualisation.workshop_common import (
    best_values,
    league_html,
    percent,
    query,
    shared_host,
)
from ecosystem.visualisation.workshop_console import settings_problems
from ecosystem.workshop import rooms
from ecosystem.workshop.league import MEASURES
from ecosystem.workshop.neighbourhood import community_capacity_of, providers_near
from tests.rendered import page_text

SMALL = {"world.width": 30, "world.height": 20, "world.households": 30_000}


def _page(path: str):
    """The app's page at `path` (with its query), rendered through the app's routes."""
    from solara.autorouting import RenderPage

    element = solara.RoutingProvider(children=[RenderPage()], routes=routes, pathname=path)
    _, rc = solara.render(element, handle_error=False)
    return rc


def _text(rc) -> str:
    alerts = " ".join(str(a.children) for a in rc.find(v.Alert).widgets)
    return page_text(rc) + " " + alerts


@pytest.fixture
def room():
    opened = rooms.open_room(Scenario().with_overrides(SMALL), seed=2, years=2,
                             round_seconds=120)
    yield opened
    rooms.close(opened.code)


def test_the_join_page_with_a_bad_code_says_so():
    rc = _page("/join?code=ZZZZ")
    assert "No open room has the code 'ZZZZ'" in _text(rc)
    assert rc.find(v.Btn, children=["Join"]).widgets


def test_joining_puts_the_seat_in_the_address_and_a_reload_returns_to_it(room):
    rc = _page(f"/join?code={room.code}")
    name = rc.find(v.TextField, label="Your name").widget
    name.v_model = "Ann"
    rc.find(v.Btn, children=["Join"]).widget.click()
    seats = room.seats()
    assert [s.name for s in seats] == ["Ann"]
    again = _page(f"/join?code={room.code}&seat={seats[0].token}")  # a reload
    text = _text(again)
    assert "Council" in text and "Ann" in text
    assert "Join the workshop room" not in text


def test_a_team_submits_its_plan_and_is_thanked_at_the_end(room):
    seat = room.join("Bo")
    room.start()
    rc = _page(f"/join?code={room.code}&seat={seat.token}")
    rc.find(v.Btn, children=["Submit"]).widget.click()
    assert seat.council in room.submitted()
    assert "Submitted — waiting for the other teams" in _text(rc)
    room.end()
    rc2 = _page(f"/join?code={room.code}&seat={seat.token}")
    assert "Thank you for playing" in _text(rc2)


def test_the_console_refuses_bad_settings_listing_every_problem():
    problems = settings_problems("baseline", 0, 5, -1, 9)
    assert len(problems) == 4
    assert any("Councils" in p for p in problems)
    assert any("Years" in p for p in problems) and any("Seed" in p for p in problems)
    assert settings_problems("baseline", 3, 300, 0) == []


def test_the_console_opens_a_room():
    before = {r.code for r in rooms.open_rooms()}
    rc = _page("/room")
    rc.find(v.Btn, children=["Open room"]).widget.click()
    opened = [r for r in rooms.open_rooms() if r.code not in before]
    try:
        assert len(opened) == 1 and opened[0].years == 3 and opened[0].round_seconds == 300
    finally:
        for r in opened:
            rooms.close(r.code)


def test_the_console_of_an_open_room_shows_its_code_and_join_address(room):
    rc = _page(f"/room?code={room.code}")
    text = _text(rc)
    assert room.code in text and f"/join?code={room.code}" in text
    assert rc.find(v.Btn, children=["Start"]).widget.disabled is False


def test_the_projector_shows_the_league(room):
    rc = _page(f"/room/projector?code={room.code}")
    text = _text(rc)
    for heading, _ in MEASURES.values():
        assert heading in text
    assert text.count("room-league-row") == room.councils


def test_the_league_marks_the_best_of_each_column():
    rows = [{"council": 0.0, **dict.fromkeys(MEASURES, 0.5)},
            {"council": 1.0, **dict.fromkeys(MEASURES, 0.7)}]
    best = best_values(rows)
    assert best["survival"] == 0.7 and best["unmet_need"] == 0.5  # less unmet is better
    assert league_html(rows).count("room-best") == len(MEASURES)


def test_query_and_shared_host():
    assert query("code=ABCD&seat=x") == {"code": "ABCD", "seat": "x"}
    assert shared_host("127.0.0.1:8765", {"ECOSYSTEM_ALLOWED_HOSTS":
                                          "localhost,127.0.0.1,laptop.local"}) \
        == "laptop.local:8765"
    assert shared_host("10.0.0.5:8765", {}) == "10.0.0.5:8765"


def _until(rc, condition, seconds: float = 20.0) -> bool:
    """Whether `condition()` comes true within `seconds`.

    The page redraws from its polling thread; `condition` is looked at under the render
    lock, so it sees the page between two renders, never half way through one.
    """
    deadline = time.monotonic() + seconds
    while True:
        with rc.thread_lock:
            if condition():
                return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)


def test_a_look_that_fails_does_not_stop_the_page_polling(monkeypatch):
    monkeypatch.setattr(workshop_common, "POLL_SECONDS", 0.02)
    looks = {"n": 0}

    def look() -> bool:  # the 2nd look fails (say, the model was being replaced)
        looks["n"] += 1
        if looks["n"] == 2:
            raise RuntimeError("no model")
        return looks["n"] >= 4

    @solara.component
    def Page():
        solara.HTML("div", f"redrawn {workshop_common.use_poll(look, 'room')} times")

    _, rc = solara.render(Page(), handle_error=False)
    assert _until(rc, lambda: "redrawn 1 times" in page_text(rc), seconds=5)


def _review(rc, service: str):
    return next(w for w in rc.find(v.Select).widgets
                if f"room-review-{service}" in (w.class_ or ""))


def test_after_a_rewind_the_form_shows_the_kept_plan_and_a_new_year_hides_the_note(
        room, monkeypatch):
    monkeypatch.setattr(workshop_common, "POLL_SECONDS", 0.02)
    monkeypatch.setattr(rooms, "tick_all", lambda: 0)  # this test runs the years itself
    seat = room.join("Bo")
    room.start()
    rc = _page(f"/join?code={room.code}&seat={seat.token}")
    service = room.team_view(seat.council)["services"][0]["service"]
    option = room.team_view(seat.council)["options"][service][0]
    _review(rc, service).v_model = option
    rc.find(v.Btn, children=["Submit"]).widget.click()
    assert room.submitted()[seat.council]["reviews"] == {service: option}
    assert room.tick()  # everyone seated has submitted: year 1 runs
    assert _until(rc, lambda: "Year 2 of 2" in _text(rc))
    assert "Submitted — waiting" not in _text(rc)
    assert _review(rc, service).v_model == "no review"
    assert rc.find(v.Btn, children=["Submit"]).widgets

    room.rewind()  # year 1 again, its plans kept as the submissions
    assert room.team_view(seat.council)["submitted"] is True
    assert _until(rc, lambda: "Year 1 of 2" in _text(rc))
    assert "Submitted — waiting" in _text(rc)
    assert rc.find(v.Btn, children=["Submit again"]).widgets
    assert _review(rc, service).v_model == option  # the form shows the plan that is in

    assert room.tick()  # the kept plan is in: year 1 runs again
    assert _until(rc, lambda: "Year 2 of 2" in _text(rc))
    assert room.team_view(seat.council)["submitted"] is False
    assert "Submitted — waiting" not in _text(rc)
    assert rc.find(v.Btn, children=["Submit"]).widgets


def test_the_team_page_shows_its_council_on_the_map_with_capacity_and_providers(room):
    seat = room.join("Cy")
    room.start()
    rc = _page(f"/join?code={room.code}&seat={seat.token}")
    canvas = next(w for w in rc.find(ipyvue.VueTemplate).widgets if hasattr(w, "units"))
    with room.lock:
        model = room.model
        x0, x1, y0, y1 = map_frame.council_window(model, seat.council)
        own = sorted(u.index for u in model.units if u.council_id == seat.council)
        capacity = community_capacity_of(model, seat.council)
        near = providers_near(model, seat.council)
    land = unwrapped(canvas.land)
    assert land["rows"] == y1 - y0 and len(land["settlement"]) == (x1 - x0) * (y1 - y0)
    assert land["unmet_colours"] == list(map_frame.CAPACITY_COLOURS)
    assert canvas.legend["unmet"]["label"] == "community capacity"
    shown = sorted(item["unit"] for s in unwrapped(canvas.units) if ":" in s["id"]
                   for item in s["data"])
    assert shown == own
    text = _text(rc)
    assert f"Community capacity of your area: <b>{percent(capacity)}</b>" in text
    assert text.count("class='room-provider'") == len(near)
    rc.find(v.BtnToggle).widget.v_model = 1  # the second tint: need left unmet
    assert unwrapped(canvas.land)["unmet_colours"] == list(map_frame.UNMET_COLOURS)
    assert canvas.legend["unmet"]["label"] == "need left unmet"
