"""The debrief as one self-contained HTML page: inline style and SVG charts, no scripts.

For each council: its path against the baseline by measure, "was it luck?" (the game and the
baseline over other seeds, and their paired difference) and the timeline of its decisions and
what followed; then the game as a scenario TOML to rerun.
"""

from __future__ import annotations

import html
import math
from typing import Any

from ecosystem.scenario import Scenario
from ecosystem.workshop.debrief import Debrief, Path, Spread, Year, scenario_toml
from ecosystem.workshop.league import MEASURES, council_name


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
