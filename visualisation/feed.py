"""The event feed: what the model did, and what the trainer changed, newest first.

Each row is a plain sentence (`wording`): the month, the council, the unit's service and
place, what happened and why. The feed filters by kind group and by council, and counts each
group. It formats only the rows it shows: the model's events are filed as they arrive
(`event_log`), so a frame at month 120 costs about what a frame at month 1 does.
"""

from __future__ import annotations

import html

import solara

from .event_log import GROUPS, LEVER_CHANGES, FeedRow, event_log, lever_rows, newest_first
from .session import Simulation
from .style import text_px
from .wording import council_name, event_sentence, lever_sentence

#: Rows shown at once (the newest).
FEED_ROWS = 20
#: Height of the rows' box, in lines of text (it scrolls inside; the page does not grow).
ROWS_HEIGHT_EM = 14
#: What the council filter shows for every council.
ALL_COUNCILS = "All councils"
#: A colour mark per kind group (Okabe-Ito); each row also says what happened in words.
GROUP_COLOURS = {"cuts": "#D55E00", "contracts": "#0072B2", "failures": "#CC79A7",
                 "community": "#009E73", "politics": "#E69F00", LEVER_CHANGES: "#000000"}


def feed_rows(sim: Simulation, groups: list[str], council: int,
              limit: int = FEED_ROWS) -> list[FeedRow]:
    """The newest `limit` rows of the chosen kind `groups` and `council` (-1: all)."""
    events = event_log(sim.model).latest([g for g in groups if g != LEVER_CHANGES], council,
                                         limit)
    levers = _levers(sim) if LEVER_CHANGES in groups else []
    return newest_first(events, levers, limit)


def _levers(sim: Simulation) -> list[FeedRow]:
    return lever_rows(sim.changes, sim.scenario.interventions, sim.month)


def group_counts(sim: Simulation, council: int) -> dict[str, int]:
    """Rows so far in each kind group, for `council` (-1: all); lever changes count for all."""
    log = event_log(sim.model)
    counts = {key: log.count(key, council) for key in GROUPS if key != LEVER_CHANGES}
    counts[LEVER_CHANGES] = len(_levers(sim))
    return counts


def sentence(sim: Simulation, row: FeedRow) -> str:
    """The row as a sentence."""
    assert row.source is not None
    if row.group == LEVER_CHANGES:
        return lever_sentence(row.source, row.by_trainer)
    return event_sentence(sim.model, row.source)


def rows_html(sim: Simulation, rows: list[FeedRow], px: int) -> str:
    """The rows as HTML, each with its group's colour mark."""
    if not rows:
        return f'<div style="font-size: {px}px">No events yet in the chosen groups.</div>'
    return "".join(
        f'<div style="font-size: {px}px; border-left: 6px solid {GROUP_COLOURS[r.group]}; '
        f'padding: 2px 0 2px 8px; margin-bottom: 4px">{html.escape(sentence(sim, r))}</div>'
        for r in rows)


def council_choices(sim: Simulation) -> list[str]:
    """The council filter's choices: every council, then each by name."""
    return [ALL_COUNCILS] + [council_name(c.index).capitalize() for c in sim.model.councils]


@solara.component
def GroupFilter(groups: solara.Reactive[list[str]], counts: dict[str, int], px: int):
    """A toggle per kind group, labelled with its count."""
    style = {"font-size": f"{px}px", "text-transform": "none"}
    buttons = [solara.Button(f"{label} ({counts[key]})", value=key, style=style)
               for key, (label, _) in GROUPS.items()]
    solara.ToggleButtonsMultiple(groups, children=buttons, dense=True,
                                 style={"flex-wrap": "wrap"})


@solara.component
def CouncilFilter(chosen: solara.Reactive[str], choices: list[str], px: int):
    """Every council, or one."""
    solara.Select("Council", values=choices,
                  value=chosen.value if chosen.value in choices else ALL_COUNCILS,
                  on_value=chosen.set, style={"font-size": f"{px}px", "max-width": "16em"})


@solara.component
def FeedRows(text: str, height_em: float):
    """The rows, as HTML (redrawn only when they change), `height_em` high at most."""
    solara.HTML("div", text, style=f"max-height: {height_em}em; overflow-y: auto",
                classes=["feed-rows"])


@solara.component
def EventFeed(sim: Simulation, version: int, height_em: float = ROWS_HEIGHT_EM):
    """The latest events of `sim` as of `version`, newest first, filterable.

    The rows scroll within `height_em` (in lines of its text).

    Its parts are components of their own, each given only what it shows, so a frame with
    nothing new redraws none of them.
    """
    groups = solara.use_reactive(list(GROUPS))
    chosen = solara.use_reactive(ALL_COUNCILS)
    px, choices = text_px(), council_choices(sim)
    council = choices.index(chosen.value) - 1 if chosen.value in choices else -1
    counts = group_counts(sim, council)
    model, shown = sim.model, (tuple(groups.value), council)
    text = solara.use_memo(
        lambda: rows_html(sim, feed_rows(sim, groups.value, council), px),
        dependencies=[model, len(model.events), counts[LEVER_CHANGES], shown, px])
    with solara.Column(gap="4px", style={"min-width": "20em", "flex": "1 1 0"}):
        with solara.Row(style={"align-items": "center"}):
            solara.HTML("div", html.escape(f"What happened, newest first ({FEED_ROWS} at most)"),
                        style=f"font-size: {px}px; font-weight: bold")
            CouncilFilter(chosen, choices, px)
        GroupFilter(groups, counts, px)
        FeedRows(text, height_em)
