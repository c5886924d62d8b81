"""The event feed and the unit inspector: cause and effect on screen (solara.render, no browser)."""

import html
import re

import ipyvuetify as v
import pytest
import solara

from ecosystem import EcosystemModel
from ecosystem.names import EventKind
from ecosystem.visualisation import style
from ecosystem.visualisation.event_log import GROUP_OF, GROUPS, LEVER_CHANGES, event_log
from ecosystem.visualisation.feed import EventFeed, feed_rows, group_counts, sentence
from ecosystem.visualisation.inspector import PROMPT, UnitInspector, history, unit_choices
from ecosystem.visualisation.session import Simulation
from ecosystem.visualisation.wording import (
    COUNCIL_EVENTS,
    UNIT_EVENTS,
    event_sentence,
    settlement_of,
    unit_noun,
)

EVENT_GROUPS = [g for g in GROUPS if g != LEVER_CHANGES]


@pytest.fixture(scope="module")
def sim(small_scenario) -> Simulation:
    """A squeezed small run with elections every two years and one lever change, at month 60."""
    scenario = small_scenario.with_overrides({"councils.budget_cut_total": 0.45,
                                              "councils.election_years": 2,
                                              "councils.control_change_probability": 0.5})
    sim = Simulation(scenario, seed=5)
    sim.step(30)
    assert sim.change("capacity.community_support", 0.0) is None
    sim.step(30)
    return sim


def _html(rc) -> str:
    return " ".join(w.unsafe_innerHTML or "" for w in rc.find(solara.widgets.HTML).widgets)


def _rows(rc) -> list[str]:
    """The feed's rows as shown (its "feed-rows" HTML widget holds them, one div each)."""
    [rows] = [w for w in rc.find(solara.widgets.HTML).widgets
              if w.attributes.get("class") == "feed-rows"]
    return re.findall(r">([^<]*)</div>", rows.unsafe_innerHTML)


def _brute_force(model: EcosystemModel, groups: list[str], council: int) -> list[dict]:
    return [e for e in reversed(model.events) if GROUP_OF[e["event"]] in groups
            and council in (-1, e["council"])]


@pytest.mark.parametrize("probability", [0.0, 1.0])
def test_each_council_records_each_election_with_whether_control_changed(small_scenario,
                                                                         probability):
    scenario = small_scenario.with_overrides({"councils.election_years": 1,
                                              "councils.control_change_probability": probability})
    model = EcosystemModel(scenario, rng=2)
    for month in range(1, 37):
        model.step()
        elections = [e for e in model.events if e["event"] == EventKind.ELECTION
                     and e["month"] == month]
        if month % 12:
            assert elections == []
            continue
        assert sorted(e["council"] for e in elections) == list(range(len(model.councils)))
        for event in elections:
            council = model.councils[event["council"]]
            if probability == 1.0:
                assert event["why"].startswith("control changed")
                assert f"new ideology {council.ideology:+.2f}" in event["why"]
            else:
                assert event["why"] == f"control did not change; ideology stays " \
                    f"{council.ideology:+.2f}"


def test_every_event_kind_has_one_group_and_a_sentence():
    assert set(GROUP_OF) == set(EventKind)
    assert sum(len(kinds) for _, kinds in GROUPS.values()) == len(EventKind)
    assert set(UNIT_EVENTS) | set(COUNCIL_EVENTS) == set(EventKind)


def test_the_feed_shows_a_lever_change_made_in_the_app(sim):
    rows = feed_rows(sim, [LEVER_CHANGES], -1)
    assert [(r.month, r.source["field"]) for r in rows] == [(31, "capacity.community_support")]
    assert group_counts(sim, -1)[LEVER_CHANGES] == 1
    text = sentence(sim, rows[0])
    assert text.startswith("Month 31") and "community support" in text and "trainer" in text
    _, rc = solara.render(EventFeed(sim, 0), handle_error=False)
    rc.find(v.BtnToggle).widget.v_model = [list(GROUPS).index(LEVER_CHANGES)]
    assert _rows(rc) == [html.escape(text)]


def test_filters_show_the_newest_rows_of_the_chosen_groups_and_councils(sim):
    model = sim.model
    for council in [-1, *range(len(model.councils))]:
        counts = group_counts(sim, council)
        for group in EVENT_GROUPS:
            expected = _brute_force(model, [group], council)
            assert counts[group] == len(expected)
            assert [r.source for r in feed_rows(sim, [group], council, 15)] == expected[:15]
        both = feed_rows(sim, ["cuts", "politics"], council, 40)
        assert [r.source for r in both] == _brute_force(model, ["cuts", "politics"], council)[:40]
    assert sum(group_counts(sim, -1)[g] for g in EVENT_GROUPS) == len(model.events)


def test_the_rendered_feed_follows_its_filters(sim):
    _, rc = solara.render(EventFeed(sim, 0), handle_error=False)
    newest = event_sentence(sim.model, sim.model.events[-1])
    assert _rows(rc)[0] == html.escape(newest) and len(_rows(rc)) == 20
    labels = [b.children[0] for b in rc.find(v.Btn).widgets]
    counts = group_counts(sim, -1)
    assert labels == [f"{label} ({counts[key]})" for key, (label, _) in GROUPS.items()]
    rc.find(v.BtnToggle).widget.v_model = [list(GROUPS).index("politics")]
    rows = _rows(rc)
    assert rows and all("held an election" in r or "completed a review" in r for r in rows)
    rc.find(v.Select, label="Council").widget.v_model = "Council 2"
    rows = _rows(rc)
    expected = _brute_force(sim.model, ["politics"], 1)
    assert len(rows) == min(len(expected), 20) and all("council 2:" in r for r in rows)
    labels = [b.children[0] for b in rc.find(v.Btn).widgets]
    assert f"Reviews and elections ({len(expected)})" in labels


def test_the_log_follows_a_growing_run_and_a_new_model(small_scenario):
    sim = Simulation(small_scenario, seed=1)
    for _ in range(3):
        sim.step(12)
        assert [r.source for r in feed_rows(sim, EVENT_GROUPS, -1, 30)] == \
            _brute_force(sim.model, EVENT_GROUPS, -1)[:30]
    first = sim.model
    sim.model = EcosystemModel(small_scenario, rng=1)  # as a reset or rewind may
    sim.model.step()
    assert event_log(sim.model) is not event_log(first)
    assert [r.source for r in feed_rows(sim, EVENT_GROUPS, -1, 30)] == \
        _brute_force(sim.model, EVENT_GROUPS, -1)[:30]


def test_sentences_name_the_month_council_service_and_place(sim):
    model = sim.model
    for event in model.events:
        text = event_sentence(model, event)
        assert text.startswith(f"Month {event['month']}, council {event['council'] + 1}: ")
        if event["unit"] >= 0:
            unit = model.units[event["unit"]]
            settlement, rural = settlement_of(model, unit)
            assert unit_noun(unit.service) in text.lower()
            assert f"{settlement} ({'rural' if rural else 'urban'})" in text
        assert "_" not in text, text


def test_the_inspector_tells_a_units_history_as_the_model_recorded_it(sim):
    model = sim.model
    for unit in model.units:
        assert history(model, unit.index) == \
            [e for e in reversed(model.events) if e["unit"] == unit.index]
    busiest = max(model.units, key=lambda u: len(history(model, u.index)))
    _, rc = solara.render(UnitInspector(sim, busiest.index, 0, lambda _: None),
                          handle_error=False)
    shown = _html(rc)
    for event in history(model, busiest.index):
        assert html.escape(event_sentence(model, event), quote=True) in shown
    assert f"newest first ({len(history(model, busiest.index))})" in shown
    assert unit_noun(busiest.service).capitalize() in rc.find(v.Select).widget.v_model


def test_the_inspector_prompts_and_picks_by_readable_labels(sim):
    picked = []
    _, rc = solara.render(UnitInspector(sim, None, 0, picked.append), handle_error=False)
    assert html.escape(PROMPT) in _html(rc)
    select = rc.find(v.Select, label="Unit").widget
    choices = unit_choices(sim.model)
    assert select.items == list(choices) and len(choices) == len(sim.model.units)
    label = select.items[7]
    unit = sim.model.units[choices[label]]
    assert label.startswith(unit_noun(unit.service).capitalize())
    assert f"council {unit.council_id + 1}" in label and str(unit.cell.coordinate) in label
    select.v_model = label
    assert picked == [choices[label]]


def test_the_scenarios_own_interventions_show_once_their_month_is_reached(small_scenario):
    scenario = small_scenario.with_overrides({"interventions": [
        {"month": 3, "field": "procurement.regime", "value": "light"}]})
    sim = Simulation(scenario, seed=1)
    sim.step(2)
    assert feed_rows(sim, [LEVER_CHANGES], -1) == []
    sim.step(1)
    rows = feed_rows(sim, [LEVER_CHANGES], -1)
    assert [sentence(sim, r) for r in rows] == [
        "Month 3, all councils: The scenario sets procurement: regime to light."]
    every = feed_rows(sim, list(GROUPS), -1, 1000)  # it fires before month 3's events
    at = every.index(rows[0])
    assert all(r.month >= 3 for r in every[:at]) and all(r.month < 3 for r in every[at + 1:])


def test_projector_mode_draws_the_feed_and_inspector_text_larger(sim):
    sizes = []
    for projector in (False, True):
        style.projector.set(projector)
        try:
            _, feed = solara.render(EventFeed(sim, 0), handle_error=False)
            _, inspector = solara.render(UnitInspector(sim, 3, 0, lambda _: None),
                                         handle_error=False)
            shown = _html(feed) + _html(inspector)  # read before the mode is set back
        finally:
            style.projector.set(False)
        sizes.append(set(re.findall(r"font-size: (\d+)px", shown)))
    assert sizes == [{str(style.TEXT_PX)}, {str(style.PROJECTOR_TEXT_PX)}]
