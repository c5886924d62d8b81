"""One workshop game: a room of teams, each running a council, one budget year a round.

The trainer opens a `Room` on a scenario; participants `join` and are seated as councils;
`start` opens year 1. Each team `submit`s its plan (`workshop.plans`); when every seated team
has submitted or the round's time is up, `tick` runs the year for every council at once on
the shared model, a team that did not decide keeping its choices in force. The trainer can
`pause`, `extend`, `rewind` a year (the model restored from before it ran) and `end`.

Every change happens under `lock` and bumps `version`, so a round cannot advance twice and
pages know when to refresh. The game is a scenario with decisions: `run(played_scenario(),
seed)` replays it exactly.
"""

from __future__ import annotations

import math
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from ecosystem.model import EcosystemModel
from ecosystem.scenario.decisions import Decision
from ecosystem.scenario.schema import Scenario
from ecosystem.workshop.dashboards import projector_board, team_dashboard
from ecosystem.workshop.league import council_rows
from ecosystem.workshop.plans import current_plan, decision_of, plan_problems

#: Letters of a join code: capitals without I and O (read as 1 and 0 on a projector).
CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
#: Letters in a join code.
CODE_LENGTH = 4
#: Most people seated in one room.
MAX_SEATS = 200
#: Longest participant name, in characters.
MAX_NAME = 40


class Phase(StrEnum):
    """Where a room's game is."""

    LOBBY = "lobby"
    DECIDING = "deciding"
    PAUSED = "paused"
    FINISHED = "finished"


class RoomError(ValueError):
    """What a participant or the trainer asked cannot be done; `problems` says why."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Seat:
    """One participant: the token their device keeps, their name, and their council."""

    token: str
    name: str
    council: int


@dataclass(frozen=True)
class RoundRecord:
    """One budget year as it ran.

    Attributes:
        round: the year (1-based).
        decisions: the plans submitted that round (a team that did not decide has none).
        league: `council_rows(model)` after the year ran.
        events: the model's events of that year's months.
    """

    round: int
    decisions: tuple[Decision, ...]
    league: list[dict[str, float]]
    events: list[dict[str, Any]]


def new_code() -> str:
    """A fresh join code (`CODE_LENGTH` letters of `CODE_LETTERS`, from `secrets`)."""
    return "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH))


class Room:
    """One game: its shared model, its seats, its rounds and the trainer's controls.

    Attributes:
        code: the join code.
        scenario: the scenario played (with `years` set to the game's).
        seed: the model's seed.
        years: budget years (rounds) in the game.
        round_seconds: time allowed per round.
        councils: number of councils (teams).
        phase: lobby, deciding, paused or finished.
        round: 0 in the lobby, r while deciding year r, the years played at the end.
        version: bumps on every change.
        lock: held for every change and while the model runs a year; views read under it.
        model: the shared world (read under `lock`).
        history: one record per year run.
    """

    def __init__(self, scenario: Scenario, *, seed: int = 0, years: int = 3,
                 round_seconds: float = 300.0, code: str | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        problems = _setup_problems(years, round_seconds)
        if problems:
            raise RoomError(problems)
        self.code = (code or new_code()).strip().upper()
        self.scenario = scenario.model_copy(update={"years": years})
        self.seed = seed
        self.years = years
        self.round_seconds = float(round_seconds)
        self.councils = scenario.world.councils
        self.phase = Phase.LOBBY
        self.round = 0
        self.version = 0
        self.lock = threading.RLock()
        self.model = EcosystemModel(self.scenario, rng=seed)
        self.history: list[RoundRecord] = []
        self._clock = clock
        self._deadline = 0.0
        self._left = self.round_seconds  # seconds left while paused
        self._seats: dict[str, Seat] = {}
        self._submitted: dict[int, dict[str, Any]] = {}
        self._plans_run: list[dict[int, dict[str, Any]]] = []  # each year's submissions
        self._opening_league = council_rows(self.model)
        self._views: dict[Any, tuple[int, dict[str, Any]]] = {}

    # ----- seats ---------------------------------------------------------------------------

    def join(self, name: str, token: str | None = None) -> Seat:
        """Seat a participant; a known `token` (a reload, a reconnection) gets its seat back.

        A newcomer gets a fresh token and the council with the fewest people (the lowest
        index among equals).

        Raises:
            RoomError: the name is empty or too long, or the room is full.
        """
        with self.lock:
            if token is not None and token in self._seats:
                return self._seats[token]
            problems = _name_problems(name)
            if len(self._seats) >= MAX_SEATS:
                problems.append(f"the room is full ({MAX_SEATS} people)")
            if problems:
                raise RoomError(problems)
            counts = [0] * self.councils
            for seat in self._seats.values():
                counts[seat.council] += 1
            council = min(range(self.councils), key=lambda c: (counts[c], c))
            seat = Seat(secrets.token_urlsafe(16), name.strip(), council)
            self._seats[seat.token] = seat
            self._changed()
            return seat

    def seats(self) -> list[Seat]:
        """Everyone seated, in the order they joined."""
        with self.lock:
            return list(self._seats.values())

    def reseat(self, token: str, council: int) -> None:
        """Move a participant to another council (the trainer's control).

        Raises:
            RoomError: no such participant, or no such council.
        """
        with self.lock:
            problems = [] if token in self._seats else ["no one in this room has that seat"]
            problems += self._council_problems(council)
            if problems:
                raise RoomError(problems)
            self._seats[token] = replace(self._seats[token], council=council)
            self._changed()

    # ----- rounds --------------------------------------------------------------------------

    def start(self) -> None:
        """Leave the lobby: the teams start deciding year 1.

        Raises:
            RoomError: the game has already started.
        """
        with self.lock:
            if self.phase != Phase.LOBBY:
                raise RoomError([f"the game has already started (it is {self.phase})"])
            self._open_round(1)
            self._changed()

    def submit(self, token: str, round: int, plan: Mapping[str, Any]) -> None:
        """Take a team's plan for `round`; a later submission by its team replaces it.

        Raises:
            RoomError: listing every problem (unknown seat, wrong phase, a late or early
                round, a malformed plan); nothing changes.
        """
        with self.lock:
            seat = self._seats.get(token)
            problems = [] if seat is not None else [
                "you have no seat in this room: join again"]
            problems += self._round_problems(round)
            problems += plan_problems(self.scenario, seat.council if seat else 0, plan)
            if problems or seat is None:
                raise RoomError(problems)
            self._submitted[seat.council] = _copied(plan)
            self._changed()

    def submitted(self) -> dict[int, dict[str, Any]]:
        """The plans submitted this round, by council."""
        with self.lock:
            return {council: _copied(plan) for council, plan in self._submitted.items()}

    def tick(self) -> bool:
        """Run the year if every seated team has submitted or its time is up.

        Teams with nobody seated are not waited for; with nobody seated the timer alone
        decides. Checked and run under `lock`, so a year runs once however many call this.

        Returns:
            Whether a year ran.
        """
        with self.lock:
            if self.phase != Phase.DECIDING or not self._due():
                return False
            self._run_year()
            self._changed()
            return True

    def pause(self) -> None:
        """Stop the clock (submissions wait until `resume`).

        Raises:
            RoomError: the teams are not deciding.
        """
        with self.lock:
            if self.phase != Phase.DECIDING:
                raise RoomError([f"only a round being decided can be paused (it is {self.phase})"])
            self._left = self.seconds_left()
            self.phase = Phase.PAUSED
            self._changed()

    def resume(self) -> None:
        """Restart the clock with the seconds that were left.

        Raises:
            RoomError: the game is not paused.
        """
        with self.lock:
            if self.phase != Phase.PAUSED:
                raise RoomError([f"the game is not paused (it is {self.phase})"])
            self._deadline = self._clock() + self._left
            self.phase = Phase.DECIDING
            self._changed()

    def extend(self, seconds: float) -> None:
        """Give the teams `seconds` more this round.

        Raises:
            RoomError: not a positive number of seconds, or no round is being decided.
        """
        with self.lock:
            problems = []
            if not isinstance(seconds, int | float) or not math.isfinite(seconds) \
                    or seconds <= 0:
                problems.append(f"extend by a positive number of seconds, not {seconds!r}")
            if self.phase not in (Phase.DECIDING, Phase.PAUSED):
                problems.append(f"no round is being decided (it is {self.phase})")
            if problems:
                raise RoomError(problems)
            if self.phase == Phase.PAUSED:
                self._left += seconds
            else:
                self._deadline += seconds
            self._changed()

    def rewind(self) -> None:
        """Undo the last year run: decide it again, its plans kept as the teams' submissions.

        The model is restored as it was before that year (replayed from month 0 with the
        years before it: the game is deterministic, so the replay is the same state), its
        record and decisions dropped, and the round's timer starts afresh. A Mesa grid
        restored from a pickle cannot be pickled again, so snapshots are not used.

        Raises:
            RoomError: no year has run yet.
        """
        with self.lock:
            if not self.history:
                raise RoomError(["no year has run yet: there is nothing to rewind"])
            submitted = self._plans_run.pop()
            self.history.pop()
            self.model = self._replayed()
            self._open_round(len(self.history) + 1)
            self._submitted = submitted
            self._changed()

    def end(self) -> None:
        """End the game now (the years run so far are the game)."""
        with self.lock:
            self.phase = Phase.FINISHED
            self.round = len(self.history)
            self._submitted = {}
            self._changed()

    def seconds_left(self) -> float:
        """Seconds left in this round (never negative; a full round in the lobby)."""
        with self.lock:
            if self.phase == Phase.DECIDING:
                return max(0.0, self._deadline - self._clock())
            if self.phase == Phase.PAUSED:
                return max(0.0, self._left)
            return self.round_seconds if self.phase == Phase.LOBBY else 0.0

    # ----- views ---------------------------------------------------------------------------

    def team_view(self, council: int) -> dict[str, Any]:
        """What a team's dashboard shows (cached per `version`; read-only).

        Keys: council, name, round, phase, seconds_left, budget (this year's, GBP k),
        reserves (GBP k), budget_gap, services, plan, submitted, league_row, events, options.
        `budget_gap` is what this year's savings plan had to cut, as shares of full cost:
        ``{"discretionary_cut": 1 - discretionary_factor, "statutory_cut": 1 -
        statutory_factor}`` (0 when the budget pays for everything).

        Raises:
            RoomError: no such council.
        """
        with self.lock:
            problems = self._council_problems(council)
            if problems:
                raise RoomError(problems)
            view = self._cached(("team", council), lambda: self._team_view(council))
            return {**view, "seconds_left": self.seconds_left()}

    def projector_view(self) -> dict[str, Any]:
        """What the projector shows (cached per `version`; read-only).

        Keys: round, years, phase, seconds_left, league (a row per council with its `name`),
        events (last year's, newest first), seats (council -> names), submitted (councils).
        """
        with self.lock:
            view = self._cached("projector", self._projector_view)
            return {**view, "seconds_left": self.seconds_left()}

    # ----- the game as a scenario ----------------------------------------------------------

    def played_scenario(self) -> Scenario:
        """The game so far as a scenario: the years run, every team's decisions in it.

        `run(room.played_scenario(), room.seed)` replays the game exactly. Before any year
        has run it is one year without the teams' decisions.
        """
        with self.lock:
            years = max(1, len(self.history))
            played = tuple(d for record in self.history for d in record.decisions)
            return self._cut_to(years, self.scenario.decisions + played)

    def baseline_scenario(self) -> Scenario:
        """The same years as `played_scenario` with no council's decisions: the baseline."""
        with self.lock:
            return self._cut_to(max(1, len(self.history)), ())

    # ----- inside ----------------------------------------------------------------------------

    def _changed(self) -> None:
        self.version += 1

    def _open_round(self, round: int) -> None:
        self.phase = Phase.DECIDING
        self.round = round
        self._submitted = {}
        self._deadline = self._clock() + self.round_seconds

    def _due(self) -> bool:
        seated = {seat.council for seat in self._seats.values()}
        everyone = bool(seated) and seated <= self._submitted.keys()
        return everyone or self._clock() >= self._deadline

    def _run_year(self) -> None:
        """Run year `round` for every council; on failure the model is as it was before."""
        year, model = self.round, self.model
        decisions = tuple(decision_of(year, council, plan)
                          for council, plan in sorted(self._submitted.items()))
        first = len(model.events)
        try:
            model.params = model.params.model_copy(
                update={"decisions": model.params.decisions + decisions})
            for _ in range(12):
                model.step()
        except Exception:
            self.model = self._replayed()
            raise
        self._plans_run.append(self._submitted)
        self.history.append(RoundRecord(year, decisions, council_rows(model),
                                        list(model.events[first:])))
        if year >= self.years:
            self.phase = Phase.FINISHED
            self._submitted = {}
        else:
            self._open_round(year + 1)

    def _replayed(self) -> EcosystemModel:
        """A fresh model run through the years in `history` with their decisions."""
        model = EcosystemModel(self.scenario, rng=self.seed)
        played = tuple(d for record in self.history for d in record.decisions)
        model.params = model.params.model_copy(
            update={"decisions": model.params.decisions + played})
        for _ in range(12 * len(self.history)):
            model.step()
        return model

    def _round_problems(self, round: Any) -> list[str]:
        if not isinstance(round, int) or isinstance(round, bool):
            return [f"round must be a year number, not {round!r}"]
        problems = []
        if self.phase == Phase.LOBBY:
            problems.append("the game has not started yet")
        elif self.phase == Phase.PAUSED:
            problems.append("the game is paused: submit again when it resumes")
        elif self.phase == Phase.FINISHED:
            problems.append("the game is over")
        if round < self.round or (self.phase == Phase.FINISHED and round <= self.round):
            problems.append(f"late: year {round} has already run")
        elif round > self.round:
            problems.append(f"year {round} is not being decided (year {self.round} is)")
        return problems

    def _council_problems(self, council: Any) -> list[str]:
        if isinstance(council, int) and not isinstance(council, bool) \
                and 0 <= council < self.councils:
            return []
        return [f"no council {council!r} (councils are numbered 0 to {self.councils - 1})"]

    def _cached(self, key: Any, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        cached = self._views.get(key)
        if cached is None or cached[0] != self.version:
            cached = (self.version, build())
            self._views[key] = cached
        return cached[1]

    def _league(self) -> list[dict[str, float]]:
        return self.history[-1].league if self.history else self._opening_league

    def _last_events(self) -> list[dict[str, Any]]:
        return self.history[-1].events if self.history else []

    def _team_view(self, index: int) -> dict[str, Any]:
        plan = self._submitted.get(index)
        return team_dashboard(
            self.model, index, self.round, self.phase,
            _copied(plan) if plan is not None else current_plan(self.model.councils[index]),
            plan is not None, self._league()[index], self._last_events())

    def _projector_view(self) -> dict[str, Any]:
        seated = [(seat.name, seat.council) for seat in self._seats.values()]
        return projector_board(self.round, self.years, self.phase, self.councils, seated,
                               self._league(), self._last_events(), sorted(self._submitted))

    def _cut_to(self, years: int, decisions: tuple[Decision, ...]) -> Scenario:
        """The room's scenario run for `years`, with `decisions` and the changes within it."""
        months = 12 * years
        data = self.scenario.model_dump()
        data["years"] = years
        data["interventions"] = [c for c in data["interventions"] if c["month"] <= months]
        data["decisions"] = [d.model_dump() for d in decisions if d.month <= months]
        return Scenario.from_dict(data, f"workshop room {self.code}")


def _setup_problems(years: Any, round_seconds: Any) -> list[str]:
    problems = []
    if not isinstance(years, int) or not 1 <= years <= 100:
        problems.append(f"years must be a whole number from 1 to 100, not {years!r}")
    if not isinstance(round_seconds, int | float) or not math.isfinite(round_seconds) \
            or round_seconds <= 0:
        problems.append(f"round_seconds must be a positive number, not {round_seconds!r}")
    return problems


def _name_problems(name: Any) -> list[str]:
    if not isinstance(name, str) or not 1 <= len(name.strip()) <= MAX_NAME:
        return [f"a name has 1 to {MAX_NAME} characters"]
    return []


def _copied(plan: Mapping[str, Any]) -> dict[str, Any]:
    """A plan's tables copied, so the caller's dict can change without changing the room's."""
    return {name: dict(table) if isinstance(table, Mapping) else table
            for name, table in plan.items()}

