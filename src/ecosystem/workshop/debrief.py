"""The debrief of a workshop game: each council's path against the baseline, and was it luck?

Everything is computed from the played scenario (its years are the rounds played and its
`decisions` every team's plans), the baseline (the same without decisions) and the game's
seed: `run(played, seed)` is the game, so the debrief reruns it rather than reading the room.
"Was it luck?" replays the game's decisions, and the baseline, over other seeds and compares
them seed by seed. `scenario_toml` exports the game so that `ecosystem run` replays it;
`report.report_html` renders the debrief as one self-contained page.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import numpy as np

from ecosystem.experiments.case_outcomes import t_interval
from ecosystem.experiments.child_processes import worker_pool
from ecosystem.model import EcosystemModel
from ecosystem.runner import REVIEW_COLUMNS
from ecosystem.scenario import Scenario
from ecosystem.scenario.decisions import COUNCIL_LEVERS, Decision
from ecosystem.workshop.league import MEASURES, council_rows

#: A league path: the councils' rows before year 1, then after each year.
Path = list[list[dict[str, float]]]

#: The percentiles of a spread over seeds (a paired difference gets the 95% t interval of
#: the case library, `case_outcomes.t_interval`).
SPREAD_PERCENTILES = (5.0, 95.0)

#: Events too many to list one by one: the timeline counts them per year instead.
COUNTED_EVENTS = {"service_level": "service level changes",
                  "closure_notice": "closure notices"}


@dataclass(frozen=True)
class Spread:
    """Values over seeds, their mean and a range from `low` to `high`.

    The range of one side is its 5th-95th percentiles (`spread`); that of a paired
    difference, game minus baseline, is the 95% t interval of its mean (`difference`).
    """

    values: tuple[float, ...]
    mean: float
    low: float
    high: float


@dataclass(frozen=True)
class Luck:
    """One council's measure at the end of the game, over other seeds, game against baseline.

    Attributes:
        council: the council's index.
        measure: a key of `league.MEASURES`.
        game: the game's decisions replayed over the other seeds.
        baseline: the baseline over the same seeds.
        difference: game minus baseline, seed by seed.
    """

    council: int
    measure: str
    game: Spread
    baseline: Spread
    difference: Spread

    @property
    def verdict(self) -> str:
        """In plain words: better or worse than the baseline beyond luck, or within luck."""
        values = np.array(self.difference.values)
        if not values.size or not values.any():
            return "the same as the baseline on every seed"
        sign = 1.0 if MEASURES[self.measure][1] else -1.0
        gains = sign * values
        low, high = sorted((sign * self.difference.low, sign * self.difference.high))
        if (gains > 0).all():
            return "better than the baseline on every seed"
        if (gains < 0).all():
            return "worse than the baseline on every seed"
        if low > 0:
            return "better than the baseline beyond luck"
        if high < 0:
            return "worse than the baseline beyond luck"
        return "within luck"


@dataclass(frozen=True)
class Happening:
    """One line of a council's timeline: its month, the event's kind and what happened."""

    month: int
    kind: str
    text: str


@dataclass(frozen=True)
class Year:
    """One council's budget year: the plan its team decided and what followed."""

    year: int
    decided: tuple[str, ...]
    followed: tuple[Happening, ...]


@dataclass(frozen=True)
class Debrief:
    """A game's debrief.

    Attributes:
        path: the game's league path (`league_path(played, seed)`).
        baseline_path: the baseline's league path with the same seed.
        luck: `luck[council][measure]`: the end of the game over the other seeds.
        timeline: `timeline[council]`: each year's decisions and the events that followed.
        seed: the game's seed.
        other_seeds: the seeds of the replays.
    """

    path: Path
    baseline_path: Path
    luck: list[dict[str, Luck]]
    timeline: list[list[Year]]
    seed: int
    other_seeds: tuple[int, ...]


@dataclass(frozen=True)
class Replay:
    """One run of a scenario: its league path, events and reviews (what a pool returns)."""

    path: Path
    events: list[dict[str, Any]]
    reviews: list[dict[str, Any]]


def league_path(scenario: Scenario, seed: int) -> Path:
    """The councils' league rows of `scenario` run with `seed`: before year 1, then yearly."""
    return replay(scenario, seed).path


def replay(scenario: Scenario, seed: int) -> Replay:
    """Run `scenario` with `seed` year by year, keeping the league rows, events and reviews."""
    model = EcosystemModel(scenario, rng=seed)
    path = [council_rows(model)]
    for _ in range(scenario.years):
        for _ in range(12):
            model.step()
        path.append(council_rows(model))
    services = {u.index: u.service for u in model.units}
    events = [{**e, "service": services.get(int(e["unit"]), "")} for e in model.events]
    reviews = [r.record() for r in model.reviews]
    return Replay(path, events, [{k: r[k] for k in REVIEW_COLUMNS} for r in reviews])


def debrief(played: Scenario, baseline: Scenario, seed: int, other_seeds: int = 20,
            workers: int | None = None) -> Debrief:
    """The debrief of a game: its path, the baseline's, "was it luck?" and its timeline.

    Args:
        played: the game as a scenario (years = rounds played, every team's decisions).
        baseline: the same scenario without decisions.
        seed: the game's seed.
        other_seeds: how many other seeds (seed + 1, seed + 2, ...) to replay both over.
        workers: processes to replay in (None: one per core; 0: in this process). The
            results do not depend on it.
    """
    seeds = tuple(range(seed + 1, seed + 1 + other_seeds))
    jobs = [(played, seed), (baseline, seed)]
    jobs += [(s, other) for s in (played, baseline) for other in seeds]
    replays = _replays(jobs, workers)
    game, base = replays[0], replays[1]
    ends = [r.path[-1] for r in replays[2:]]
    luck = _luck(ends[:other_seeds], ends[other_seeds:], len(game.path[0]))
    return Debrief(game.path, base.path, luck, timeline(played, game), seed, seeds)


def _replays(jobs: list[tuple[Scenario, int]], workers: int | None) -> list[Replay]:
    """Run the jobs in order, in a pool that dies with this process unless `workers` is 0."""
    if workers == 0:
        return [replay(s, seed) for s, seed in jobs]
    with worker_pool(workers) as pool:
        return list(_mapped(pool, jobs))


def _mapped(executor: Executor, jobs: list[tuple[Scenario, int]]) -> Iterable[Replay]:
    mapper: Callable[..., Iterable[Replay]] = executor.map
    return mapper(replay, [s for s, _ in jobs], [seed for _, seed in jobs])


def _luck(game: Path, baseline: Path, councils: int) -> list[dict[str, Luck]]:
    """Per council and measure: the game's and the baseline's ends over seeds, compared."""
    luck = []
    for c in range(councils):
        row = {}
        for measure in MEASURES:
            mine = np.array([rows[c][measure] for rows in game])
            theirs = np.array([rows[c][measure] for rows in baseline])
            row[measure] = Luck(c, measure, spread(mine), spread(theirs),
                                difference(mine - theirs))
        luck.append(row)
    return luck


def spread(values: np.ndarray) -> Spread:
    """Values over seeds with their mean and 5th-95th percentile range."""
    if not values.size:
        return Spread((), math.nan, math.nan, math.nan)
    low, high = np.percentile(values, SPREAD_PERCENTILES)
    return Spread(tuple(float(v) for v in values), float(values.mean()), float(low), float(high))


def difference(values: np.ndarray) -> Spread:
    """Paired differences with their mean and its 95% t interval (`t_interval`)."""
    if not values.size:
        return Spread((), math.nan, math.nan, math.nan)
    low, high = t_interval(values)
    return Spread(tuple(float(v) for v in values), float(values.mean()), low, high)


# ----- the timeline ---------------------------------------------------------------------------

def timeline(played: Scenario, game: Replay) -> list[list[Year]]:
    """Per council, per year: its team's decisions in words and the events that followed."""
    councils = len(game.path[0])
    return [[_year(played, game, c, y) for y in range(1, played.years + 1)]
            for c in range(councils)]


def _year(played: Scenario, game: Replay, council: int, year: int) -> Year:
    first, last = (year - 1) * 12 + 1, year * 12
    decided = tuple(line for d in played.decisions
                    if d.council == council and first <= d.month <= last
                    for line in decision_words(d))
    events = [e for e in game.events
              if int(e["council"]) == council and first <= int(e["month"]) <= last]
    followed = [Happening(int(e["month"]), str(e["event"]), _event_words(e))
                for e in events if e["event"] not in COUNTED_EVENTS]
    followed += [_review_happening(r) for r in game.reviews
                 if r["trigger"] == "decision" and int(r["council"]) == council
                 and first <= int(r["started"]) <= last]
    for kind, words in COUNTED_EVENTS.items():
        count = sum(e["event"] == kind for e in events)
        if count:
            followed.append(Happening(last, kind, f"{count} {words} in the year"))
    return Year(year, decided, tuple(sorted(followed, key=lambda h: h.month)))


def decision_words(decision: Decision) -> list[str]:
    """A team's decision as lines of plain words."""
    lines = [f"{COUNCIL_LEVERS[path]}: {_value_words(value)}"
             for path, value in decision.levers.items()]
    lines += [f"{_words(service)}: {_words(priority)}"
              for service, priority in decision.priorities.items()]
    lines += [f"review {_words(service)}, choosing {_words(option)}"
              for service, option in decision.reviews.items()]
    return lines or ["kept last year's plan"]


def _event_words(event: dict[str, Any]) -> str:
    what = _words(str(event["event"]))
    where = f" of {_words(event['service'])} (unit {event['unit']})" if event["service"] else ""
    who = f" [{_words(event['provider_kind'])}]" if event.get("provider_kind") else ""
    why = f": {event['why']}" if event.get("why") else ""
    return f"{what}{where}{who}{why}"


def _review_happening(review: dict[str, Any]) -> Happening:
    status = str(review["status"])
    outcome = {"completed": "completed",
               "stopped": f"stopped at {_words(review['stage'])}"}.get(
        status, f"still running ({_words(review['stage'])})")
    option = f" with {_words(review['option'])}" if review["option"] else ""
    return Happening(int(review["started"]), "review",
                     f"the team's review of {_words(review['service'])}{option}: {outcome}")


def _words(name: Any) -> str:
    return str(name).replace("_", " ")


def _value_words(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else _words(value)


# ----- exports --------------------------------------------------------------------------------

def scenario_toml(played: Scenario, seed: int | None = None) -> str:
    """The game as scenario TOML (every decision included) with a header saying how to rerun it.

    Args:
        played: the game as a scenario.
        seed: the game's seed, written into the rerun command when known.
    """
    flag = f"--seed {seed}" if seed is not None else "--seed N (the game's seed)"
    header = [
        f"# A workshop game: {played.name}, {played.years} year(s), "
        f"{len(played.decisions)} team decision(s) in [[decisions]].",
        "# Rerun it exactly (the same numbers as the game) with:",
        f"#   uv run ecosystem run THIS_FILE.toml {flag}",
        "# Without [[decisions]] it is the game's baseline.",
    ]
    return "\n".join(header) + "\n\n" + played.to_toml()
