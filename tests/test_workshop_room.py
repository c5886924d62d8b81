"""The workshop room: seats, rounds, the timer, rewind, the views, and the game as a scenario.

Every room here runs on a fake clock (no sleeping) and a small four-council map.
"""

from __future__ import annotations

import threading
from typing import Any

import pandas as pd
import pytest

from ecosystem import Scenario
from ecosystem.runner import run
from ecosystem.scenario.decisions import COUNCIL_LEVERS
from ecosystem.workshop import rooms
from ecosystem.workshop.plans import current_plan, decision_of, plan_problems
from ecosystem.workshop.room import CODE_LETTERS, MAX_NAME, Phase, Room, RoomError

SUPPORT = "capacity.community_support"
SEED = 7


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    """Four councils on a small map (a year runs in a few hundredths of a second)."""
    return Scenario().with_overrides({
        "world.width": 30, "world.height": 20, "world.households": 5_000,
        "world.councils": 4, "world.villages": 20, "world.towns": 4})


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def room(scenario: Scenario, clock: FakeClock) -> Room:
    return Room(scenario, seed=SEED, years=3, round_seconds=60.0, clock=clock)


def started(room: Room, people: int = 4) -> list[str]:
    """Seat `people` (one a council for four), start, and return their tokens."""
    tokens = [room.join(f"P{i}").token for i in range(people)]
    room.start()
    return tokens


def support_plan(value: float) -> dict[str, Any]:
    return {"levers": {SUPPORT: value}}


def play_year(room: Room, plans: dict[str, dict[str, Any]]) -> None:
    """Submit `plans` (token -> plan) for the round being decided and run it by the timer."""
    for token, plan in plans.items():
        room.submit(token, room.round, plan)
    room._clock.now += room.seconds_left()  # type: ignore[attr-defined]
    assert room.tick()


def records(room: Room) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(room.model.records)
    frame["month"] = frame["month"].astype(int)
    return frame


# ----- seats -------------------------------------------------------------------------------


def test_join_seats_newcomers_at_the_emptiest_council(room: Room) -> None:
    seats = [room.join(f"Person {i}") for i in range(9)]
    assert [s.council for s in seats] == [0, 1, 2, 3, 0, 1, 2, 3, 0]
    assert len({s.token for s in seats}) == 9
    room.reseat(seats[1].token, 0)  # council 1 now has one person, council 0 four
    assert room.join("Late").council == 1


def test_join_with_a_known_token_returns_the_same_seat(room: Room) -> None:
    seat = room.join("  Ada  ")
    assert seat.name == "Ada"
    version = room.version
    assert room.join("Someone else", seat.token) == seat
    assert room.version == version and len(room.seats()) == 1
    assert room.join("Bob", "a token from another room").token != seat.token


@pytest.mark.parametrize("name", ["", "   ", "x" * (MAX_NAME + 1), None])
def test_a_bad_name_is_refused_and_changes_nothing(room: Room, name: Any) -> None:
    version = room.version
    with pytest.raises(RoomError) as err:
        room.join(name)
    assert err.value.problems and "characters" in err.value.problems[0]
    assert room.version == version and room.seats() == []


def test_reseat_moves_a_participant_and_checks_the_council(room: Room) -> None:
    seat = room.join("Ada")
    room.reseat(seat.token, 3)
    assert room.seats()[0].council == 3
    assert room.join("Ada", seat.token).council == 3  # reconnecting keeps the new seat
    version = room.version
    with pytest.raises(RoomError) as err:
        room.reseat("nobody", 9)
    assert len(err.value.problems) == 2  # no such seat, no such council
    assert room.version == version and room.seats()[0].council == 3


def test_a_join_code_is_four_unambiguous_capitals(scenario: Scenario) -> None:
    codes = {Room(scenario, years=1).code for _ in range(5)}
    for code in codes:
        assert len(code) == 4 and set(code) <= set(CODE_LETTERS)
    assert not set(CODE_LETTERS) & {"I", "O"}


# ----- rounds ------------------------------------------------------------------------------


def test_start_opens_year_one_once(room: Room, clock: FakeClock) -> None:
    assert room.phase == Phase.LOBBY and room.round == 0
    room.start()
    assert room.phase == Phase.DECIDING and room.round == 1
    assert room.seconds_left() == 60.0
    with pytest.raises(RoomError):
        room.start()
    assert room.round == 1


def test_a_team_may_resubmit_until_the_year_runs(room: Room) -> None:
    tokens = started(room, people=5)  # the fifth person sits at council 0 too
    room.submit(tokens[0], 1, support_plan(10.0))
    room.submit(tokens[4], 1, support_plan(20.0))
    assert room.submitted() == {0: support_plan(20.0)}


def _refusal(room: Room, tokens: list[str], case: str) -> tuple[str, int, Any]:
    """(token, round, plan) of a refused submission of kind `case`, the room set up for it."""
    good = support_plan(50.0)
    if case == "malformed":
        return tokens[0], 1, {"levers": {SUPPORT: -1, "councils.budget": 1},
                              "reviews": {"adult_social_care": "decommission"}, "x": 1}
    if case == "unknown token":
        return "not a token", 1, good
    if case == "late":
        play_year(room, {})
        return tokens[0], 1, good
    if case == "early":
        return tokens[0], 2, good
    if case == "paused":
        room.pause()
        return tokens[0], 1, good
    room.end()
    return tokens[0], 1, good


@pytest.mark.parametrize(("case", "words"), [
    ("malformed", "cannot be decommissioned"), ("unknown token", "no seat"),
    ("late", "late: year 1 has already run"), ("early", "not being decided"),
    ("paused", "paused"), ("finished", "over"),
])
def test_a_refused_submission_says_why_and_changes_nothing(room: Room, case: str,
                                                           words: str) -> None:
    tokens = started(room)
    room.submit(tokens[1], room.round, support_plan(5.0))
    token, year, plan = _refusal(room, tokens, case)
    version, submitted = room.version, room.submitted()
    with pytest.raises(RoomError) as err:
        room.submit(token, year, plan)
    assert any(words in problem for problem in err.value.problems), err.value.problems
    assert room.version == version and room.submitted() == submitted
    if case == "malformed":
        assert len(err.value.problems) == 4  # every problem listed


def test_a_submission_in_the_lobby_is_refused(room: Room) -> None:
    token = room.join("Ada").token
    with pytest.raises(RoomError) as err:
        room.submit(token, 0, {})
    assert "not started" in str(err.value)
    assert room.submitted() == {}


def test_tick_waits_for_every_seated_team(room: Room) -> None:
    tokens = started(room, people=2)  # councils 2 and 3 have nobody: not waited for
    assert not room.tick()
    room.submit(tokens[0], 1, {})
    assert not room.tick() and room.round == 1
    room.submit(tokens[1], 1, support_plan(60.0))
    assert room.tick()
    assert room.round == 2 and len(room.history) == 1 and room.submitted() == {}
    assert [d.council for d in room.history[0].decisions] == [0, 1]


def test_the_timer_alone_runs_the_year_when_time_is_up(room: Room, clock: FakeClock) -> None:
    started(room)
    clock.now += 59.0
    assert not room.tick()
    assert room.seconds_left() == pytest.approx(1.0)
    clock.now += 5.0
    assert room.seconds_left() == 0.0  # never negative
    assert room.tick() and room.round == 2
    assert room.history[0].decisions == ()
    assert room.seconds_left() == 60.0  # the next round's timer


def test_a_round_cannot_advance_twice(room: Room, clock: FakeClock) -> None:
    started(room)
    clock.now += 60.0
    assert [room.tick(), room.tick()] == [True, False]
    assert room.round == 2 and len(room.history) == 1


def test_concurrent_ticks_run_the_year_once(room: Room, clock: FakeClock) -> None:
    started(room)
    clock.now += 60.0
    barrier, results = threading.Barrier(8), []

    def tick() -> None:
        barrier.wait()
        results.append(room.tick())

    threads = [threading.Thread(target=tick) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]
    assert room.round == 2 and len(room.history) == 1
    assert room.model.month == 12


def test_pause_stops_the_clock_and_extend_adds_time(room: Room, clock: FakeClock) -> None:
    tokens = started(room)
    clock.now += 20.0
    room.pause()
    clock.now += 500.0
    assert room.phase == Phase.PAUSED and room.seconds_left() == pytest.approx(40.0)
    assert not room.tick()
    room.extend(30.0)
    room.resume()
    assert room.seconds_left() == pytest.approx(70.0)
    room.extend(15.0)
    clock.now += 80.0
    assert room.seconds_left() == pytest.approx(5.0) and not room.tick()
    for token in tokens:
        room.submit(token, 1, {})
    assert room.tick()


@pytest.mark.parametrize("seconds", [0, -5, float("nan"), "10"])
def test_extend_refuses_what_is_not_time(room: Room, seconds: Any) -> None:
    started(room)
    version = room.version
    with pytest.raises(RoomError):
        room.extend(seconds)
    assert room.version == version and room.seconds_left() == 60.0


def test_the_room_finishes_after_its_last_year(room: Room) -> None:
    tokens = started(room)
    for _ in range(3):
        play_year(room, {tokens[0]: support_plan(45.0)})
    assert room.phase == Phase.FINISHED and room.round == 3 and len(room.history) == 3
    assert room.model.month == 36 and not room.tick()


def test_end_finishes_the_game_now(room: Room, clock: FakeClock) -> None:
    tokens = started(room)
    play_year(room, {})
    room.submit(tokens[0], 2, support_plan(10.0))
    room.end()
    clock.now += 1000.0
    assert room.phase == Phase.FINISHED and room.round == 1 and not room.tick()
    assert room.submitted() == {} and room.model.month == 12
    assert room.played_scenario().years == 1


# ----- rewind ------------------------------------------------------------------------------


def test_rewind_restores_the_model_and_keeps_the_plans(room: Room, scenario: Scenario) -> None:
    tokens = started(room)
    play_year(room, {tokens[0]: support_plan(80.0)})
    after_one = records(room)
    plans = {tokens[1]: support_plan(5.0), tokens[2]: {"priorities": {"libraries": "protect"}}}
    play_year(room, plans)
    played_two = records(room)
    room.rewind()
    assert room.phase == Phase.DECIDING and room.round == 2 and len(room.history) == 1
    assert room.submitted() == {1: plans[tokens[1]], 2: plans[tokens[2]]}
    assert room.seconds_left() == 60.0
    pd.testing.assert_frame_equal(records(room), after_one, check_exact=True)
    assert [d.month for d in room.model.params.decisions] == [1]
    replay = run(room.played_scenario(), SEED)
    pd.testing.assert_frame_equal(records(room), replay.timeseries, check_exact=True)
    room._clock.now += 60.0  # type: ignore[attr-defined]
    assert room.tick()  # the kept plans run again: the same year as before
    pd.testing.assert_frame_equal(records(room), played_two, check_exact=True)


def test_rewind_from_the_end_decides_the_last_year_again(room: Room) -> None:
    tokens = started(room)
    for _ in range(3):
        play_year(room, {tokens[3]: support_plan(30.0)})
    room.rewind()
    assert room.phase == Phase.DECIDING and room.round == 3 and len(room.history) == 2
    assert room.model.month == 24 and room.submitted() == {3: support_plan(30.0)}


def test_rewind_in_year_one_is_refused(room: Room) -> None:
    started(room)
    version = room.version
    with pytest.raises(RoomError):
        room.rewind()
    assert room.version == version and room.round == 1


# ----- the game as a scenario ----------------------------------------------------------------


def test_the_game_equals_a_run_of_its_played_scenario(room: Room) -> None:
    tokens = started(room)
    play_year(room, {tokens[0]: {"levers": {SUPPORT: 90.0, "procurement.regime": "light"},
                                 "reviews": {"libraries": "community_transfer"}},
                     tokens[2]: {"priorities": {"parks": "cut_first"}}})
    play_year(room, {tokens[1]: {"reviews": {"youth_services": "outsource"}}})
    played = room.played_scenario()
    assert played.years == 2 and len(played.decisions) == 3
    result = run(played, room.seed)
    pd.testing.assert_frame_equal(records(room), result.timeseries, check_exact=True)
    baseline = room.baseline_scenario()
    assert baseline.years == 2 and baseline.decisions == ()
    assert not run(baseline, room.seed).timeseries.equals(result.timeseries)


def test_an_undecided_team_keeps_its_levers(room: Room, scenario: Scenario) -> None:
    tokens = started(room)
    play_year(room, {tokens[0]: support_plan(95.0)})
    play_year(room, {tokens[1]: support_plan(3.0)})  # council 0 does not decide in year 2
    councils = room.model.councils
    assert councils[0].params.get(SUPPORT) == 95.0
    assert councils[1].params.get(SUPPORT) == 3.0
    assert councils[2].params.get(SUPPORT) == scenario.get(SUPPORT)
    assert room.team_view(0)["plan"]["levers"][SUPPORT] == 95.0


def test_a_decision_changes_its_councils_state(scenario: Scenario, clock: FakeClock) -> None:
    games = []
    for plan in ({}, {"levers": {SUPPORT: 400.0}, "reviews": {"libraries": "outsource"}}):
        room = Room(scenario, seed=SEED, years=1, clock=clock)
        token = room.join("Ada").token
        room.start()
        play_year(room, {token: plan})
        games.append(room)
    undecided, decided = (room.history[0] for room in games)
    assert decided.league[0]["spend_vs_budget"] != undecided.league[0]["spend_vs_budget"]
    mine = [e for e in decided.events if e["council"] == 0 and e["event"] == "decision"]
    assert mine and "community_support" in str(mine[0]["why"])
    assert [(r.council.index, r.service, r.trigger) for r in games[1].model.reviews
            if r.trigger == "decision"] == [(0, "libraries", "decision")]
    assert not any(r.trigger == "decision" for r in games[0].model.reviews)


# ----- views -------------------------------------------------------------------------------


def test_team_view_shows_the_teams_council(room: Room, scenario: Scenario) -> None:
    tokens = started(room)
    view = room.team_view(2)
    assert view["council"] == 2 and view["name"] == "Council 3" and view["round"] == 1
    assert view["plan"] == current_plan(room.model.councils[2]) and not view["submitted"]
    assert set(view["plan"]["levers"]) == set(COUNCIL_LEVERS)
    assert view["budget_gap"]["discretionary_cut"] >= 0.0
    units = [u for u in room.model.units if u.council_id == 2]
    assert sum(row["units"] for row in view["services"]) == len(units)
    for row in view["services"]:
        assert row["open"] + row["degraded"] + row["closed"] == row["units"]
        assert row["in_house"] + row["external"] == row["open"] + row["degraded"]
        statutory = scenario.services.catalogue[row["service"]].statutory
        assert ("decommission" in view["options"][row["service"]]) is not statutory
    room.submit(tokens[2], 1, support_plan(12.0))
    view = room.team_view(2)
    assert view["submitted"] and view["plan"] == support_plan(12.0)
    play_year(room, {})
    view = room.team_view(2)
    assert view["league_row"] == room.history[0].league[2] and view["round"] == 2
    assert view["events"] and all(e["council"] == 2 for e in view["events"])
    assert [e["month"] for e in view["events"]] == sorted(
        (e["month"] for e in view["events"]), reverse=True)
    with pytest.raises(RoomError):
        room.team_view(4)


def test_views_are_cached_until_the_room_changes(room: Room, clock: FakeClock) -> None:
    tokens = started(room)
    first, again = room.team_view(0), room.team_view(0)
    assert first["services"] is again["services"]
    clock.now += 10.0
    assert room.team_view(0)["seconds_left"] == pytest.approx(50.0)  # the clock is live
    room.submit(tokens[0], 1, {})
    assert room.team_view(0)["services"] is not first["services"]


def test_projector_view_shows_the_room(room: Room) -> None:
    tokens = started(room, people=5)
    view = room.projector_view()
    assert (view["round"], view["years"], view["phase"]) == (1, 3, "deciding")
    assert [row["name"] for row in view["league"]] == [f"Council {i}" for i in range(1, 5)]
    assert view["seats"] == {0: ["P0", "P4"], 1: ["P1"], 2: ["P2"], 3: ["P3"]}
    assert view["events"] == [] and view["submitted"] == []
    room.submit(tokens[3], 1, {})
    assert room.projector_view()["submitted"] == [3]
    play_year(room, {})
    view = room.projector_view()
    assert view["league"][1]["survival"] == room.history[0].league[1]["survival"]
    assert 0 < len(view["events"]) <= 40
    assert view["events"][0] == room.history[0].events[-1]


# ----- plans -------------------------------------------------------------------------------


def test_plan_problems_lists_every_problem(scenario: Scenario) -> None:
    problems = plan_problems(scenario, 0, {
        "levers": {SUPPORT: "lots", "procurement.regime": "bogus", "years": 3},
        "priorities": {"libraries": "never", "moon_base": "protect"},
        "reviews": {"parks": "sell"}, "budget": 1})
    for words in ("levers.capacity.community_support", "levers.procurement.regime",
                  "levers.years", "priorities.libraries", "priorities.moon_base",
                  "reviews.parks", "budget"):
        assert any(p.startswith(words) for p in problems), (words, problems)
    assert plan_problems(scenario, 0, ["not", "a", "plan"])
    assert plan_problems(scenario, 0, {"levers": []})
    assert plan_problems(scenario, 1, {"levers": {SUPPORT: 10}, "reviews": {"parks": "share"},
                                       "priorities": {"libraries": "protect"}}) == []


def test_decision_of_dates_a_plan_to_its_year() -> None:
    decision = decision_of(3, 2, {"reviews": {"parks": "mutual"}})
    assert (decision.month, decision.council, decision.reviews) == (25, 2, {"parks": "mutual"})


# ----- the registry ------------------------------------------------------------------------


def test_rooms_are_found_by_code_in_any_case(scenario: Scenario) -> None:
    room = rooms.open_room(scenario, years=1, round_seconds=30)
    try:
        assert rooms.find(f" {room.code.lower()} ") is room
        assert rooms._ticker is not None and rooms._ticker.daemon and rooms._ticker.is_alive()
    finally:
        assert rooms.close(room.code)
    assert rooms.find(room.code) is None and not rooms.close(room.code)


def test_a_failing_room_does_not_stop_the_others(scenario: Scenario,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    broken, fine = (rooms.open_room(scenario, years=1, round_seconds=30) for _ in range(2))
    try:
        def fail() -> bool:
            raise RuntimeError("boom")
        monkeypatch.setattr(broken, "tick", fail)
        ticked = []
        monkeypatch.setattr(fine, "tick", lambda: ticked.append(1) or True)
        assert rooms.tick_all() >= 1 and ticked
    finally:
        rooms.close(broken.code)
        rooms.close(fine.code)
