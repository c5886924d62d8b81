"""The debrief of a workshop game: each council's path against the baseline, and was it luck?

Everything is computed from the played scenario (its years are the rounds played and its
`decisions` every team's plans), the baseline (the same without decisions) and the game's
seed: `run(played, seed)` is the game, so the debrief reruns it rather than reading the room.
"Was it luck?" replays the game's decisions, and the baseline, over other seeds and compares
them seed by seed. `report_html` renders it as one self-contained page and `scenario_toml`
exports the game so that `ecosystem run` replays it.
"""

from __future__ import annotations

import html
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
from ecosystem.workshop.league import MEASURES, council_name, council_rows

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


def report_html(debrief: Debrief, played: Scenario, names: list[str] | None = None) -> str:
    """The debrief as one self-contained HTML page (inline style and SVG charts, no scripts).

    Args:
        debrief: the debrief.
        played: the game as a scenario (for its settings and the TOML export).
        names: the councils' names as the room showed them (default "Council 1", ...).
    """
    councils = len(debrief.path[0])
    names = [*(names or []), *(council_name(c) for c in range(councils))][:councils]
    names = [n if n else council_name(c) for c, n in enumerate(names)]
    title = f"Debrief: {played.name}"
    parts = [f"<h1>{_e(title)}</h1>", _settings(debrief, played, names), _legend()]
    parts += [_council_section(debrief, c, names[c]) for c in range(councils)]
    parts.append("<section><h2>The game as a scenario</h2><p>Save this as a .toml file to "
                 "rerun the game.</p><pre>"
                 f"{_e(scenario_toml(played, debrief.seed))}</pre></section>")
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>"
            + "\n".join(parts) + "</body></html>\n")


STYLE = """
body{font-family:system-ui,sans-serif;max-width:1800px;margin:1em auto;padding:0 1em;
color:#222;line-height:1.35}
h1{font-size:1.7em}h2{border-bottom:2px solid #888;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #bbb;padding:.25em .5em;
text-align:left;vertical-align:top}th{background:#eee}
.charts{display:flex;flex-wrap:wrap;gap:.8em}.chart{width:270px}.chart h4{margin:.2em 0;
font-size:.9em}.game{stroke:#b03000}.base{stroke:#555;stroke-dasharray:5 3}
.better{color:#0a6a0a;font-weight:bold}.worse{color:#a00;font-weight:bold}
pre{background:#f4f4f4;padding:.8em;white-space:pre-wrap;font-size:.8em}
ul{margin:.2em 0}.year{margin:.4em 0}
@media print{body{max-width:none;font-size:10pt}section{break-inside:avoid-page}
pre{break-inside:auto}}
"""


def _e(text: Any) -> str:
    return html.escape(str(text))


def _settings(debrief: Debrief, played: Scenario, names: list[str]) -> str:
    rows = [("Scenario", played.name), ("Description", played.description or "-"),
            ("Years played", played.years), ("Seed", debrief.seed),
            ("Councils", ", ".join(names)), ("Households", f"{played.world.households:,}"),
            ("Team decisions", len(played.decisions)),
            ("Other seeds (was it luck?)", _seed_range(debrief.other_seeds))]
    body = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    return f"<section><h2>The game</h2><table>{body}</table></section>"


def _seed_range(seeds: tuple[int, ...]) -> str:
    return f"{seeds[0]} to {seeds[-1]} ({len(seeds)} seeds)" if seeds else "none"


def _legend() -> str:
    return ("<p>Charts: <svg width=\"30\" height=\"10\"><line class=\"game\" x1=\"0\" y1=\"5\" "
            "x2=\"30\" y2=\"5\" stroke-width=\"2\"/></svg> the game, "
            "<svg width=\"30\" height=\"10\"><line class=\"base\" x1=\"0\" y1=\"5\" x2=\"30\" "
            "y2=\"5\" stroke-width=\"2\"/></svg> the baseline with the same seed, "
            "by year (0 = the start).</p>")


def _council_section(debrief: Debrief, council: int, name: str) -> str:
    charts = "".join(
        f"<div class=\"chart\"><h4>{_e(heading)}</h4>"
        + line_chart(_series(debrief.path, council, m),
                     _series(debrief.baseline_path, council, m))
        + "</div>" for m, (heading, _) in MEASURES.items())
    return (f"<section><h2>{_e(name)}</h2><h3>Its path against the baseline</h3>"
            f"<div class=\"charts\">{charts}</div>"
            f"<h3>Was it luck?</h3>{_luck_table(debrief, council)}"
            f"<h3>Timeline</h3>{_timeline_html(debrief.timeline[council])}</section>")


def _series(path: Path, council: int, measure: str) -> list[float]:
    return [rows[council][measure] for rows in path]


def line_chart(game: list[float], baseline: list[float], width: int = 260,
               height: int = 130) -> str:
    """An inline SVG chart of two series by year (the game solid, the baseline dashed)."""
    values = [v for v in game + baseline if math.isfinite(v)] or [0.0]
    low, high = min(values), max(values)
    if high - low < 1e-9:
        low, high = low - 0.05, high + 0.05
    left, right, top, bottom = 44, width - 8, 8, height - 20
    years = max(len(game), len(baseline), 2) - 1

    def point(i: int, v: float) -> str:
        x = left + (right - left) * i / years
        y = bottom - (bottom - top) * (v - low) / (high - low)
        return f"{x:.1f},{y:.1f}"

    lines = "".join(
        f"<polyline class=\"{cls}\" fill=\"none\" stroke-width=\"2\" points=\""
        + " ".join(point(i, v) for i, v in enumerate(series)) + "\"/>"
        for cls, series in (("base", baseline), ("game", game)) if series)
    labels = (f"<text x=\"{left - 4}\" y=\"{top + 8}\" text-anchor=\"end\">{_pct(high)}</text>"
              f"<text x=\"{left - 4}\" y=\"{bottom}\" text-anchor=\"end\">{_pct(low)}</text>"
              f"<text x=\"{left}\" y=\"{height - 4}\">0</text>"
              f"<text x=\"{right}\" y=\"{height - 4}\" text-anchor=\"end\">year {years}</text>")
    axes = (f"<polyline fill=\"none\" stroke=\"#999\" points=\"{left},{top} {left},{bottom} "
            f"{right},{bottom}\"/>")
    return (f"<svg width=\"{width}\" height=\"{height}\" "
            f"viewBox=\"0 0 {width} {height}\" font-size=\"10\" role=\"img\">"
            f"{axes}{lines}{labels}</svg>")


def _luck_table(debrief: Debrief, council: int) -> str:
    n = len(debrief.other_seeds)
    head = (f"<tr><th>Measure</th><th>This game (seed {debrief.seed})</th><th>Game over {n} "
            f"seeds: mean (5-95%)</th><th>Baseline over {n} seeds: mean (5-95%)</th><th>Game "
            "minus baseline, paired: mean (95% interval)</th><th>Verdict</th></tr>")
    rows = []
    for measure, luck in debrief.luck[council].items():
        verdict = luck.verdict
        cls = "better" if verdict.startswith("better") else \
            "worse" if verdict.startswith("worse") else ""
        d = luck.difference
        rows.append(
            f"<tr><th>{_e(MEASURES[measure][0])}</th>"
            f"<td>{_pct(debrief.path[-1][council][measure])}</td>"
            f"<td>{_spread(luck.game)}</td><td>{_spread(luck.baseline)}</td>"
            f"<td>{_pp(d.mean)} ({_pp(d.low)} to {_pp(d.high)})</td>"
            f"<td class=\"{cls}\">{_e(verdict)}</td></tr>")
    return f"<table>{head}{''.join(rows)}</table>"


def _spread(s: Spread) -> str:
    return f"{_pct(s.mean)} ({_pct(s.low)} to {_pct(s.high)})"


def _pct(value: float) -> str:
    return f"{value:.1%}" if math.isfinite(value) else "-"


def _pp(value: float) -> str:
    return f"{100 * value:+.1f} pp" if math.isfinite(value) else "-"


NO_PLAN = "<li>no new plan: its earlier choices (or the defaults) stood</li>"


def _timeline_html(years: list[Year]) -> str:
    parts = []
    for year in years:
        decided = "".join(f"<li>{_e(line)}</li>" for line in year.decided)
        followed = "".join(f"<li>month {h.month}: {_e(h.text)}</li>" for h in year.followed)
        parts.append(f"<div class=\"year\"><h4>Year {year.year}</h4><p>Decided:</p>"
                     f"<ul>{decided or NO_PLAN}</ul><p>What followed:</p>"
                     f"<ul>{followed or '<li>nothing recorded</li>'}</ul></div>")
    return "".join(parts)
