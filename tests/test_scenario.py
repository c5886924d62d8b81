import tomllib

import pytest

from ecosystem import Scenario, ScenarioError
from ecosystem.scenario import field_specs
from ecosystem.scenario.presets import list_presets, load_preset
from tests.conftest import SMALL


def test_defaults_are_the_historical_baseline():
    s = Scenario()
    assert s.councils.budget_cut_total == pytest.approx(0.28)
    assert s.councils.cut_years == 5
    assert s.councils.external_share == pytest.approx(0.33)
    assert len(s.services.catalogue) == 8


def test_toml_round_trip_is_exact(tmp_path):
    s = Scenario().with_overrides({"councils.budget_cut_total": 0.4, "years": 3})
    path = tmp_path / "s.toml"
    path.write_text(s.to_toml())
    assert Scenario.from_toml(path) == s


def test_overrides_parse_command_line_strings():
    s = Scenario().with_overrides({"funding.trading_allowed": "false",
                                   "services.catalogue.libraries.catchment": "9"})
    assert s.funding.trading_allowed is False
    assert s.services.catalogue["libraries"].catchment == 9.0


def test_every_problem_is_reported_with_its_path():
    with pytest.raises(ScenarioError) as err:
        Scenario().with_overrides({"councils.nope": 1, "councils.budget_cut_total": 5,
                                   "world.width": "wide"})
    paths = {p for p, _ in err.value.problems}
    assert paths == {"councils.nope", "councils.budget_cut_total", "world.width"}


def test_unknown_field_in_toml_and_malformed_toml(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[councils]\nbudget_cut = 0.3\n")
    with pytest.raises(ScenarioError, match="councils.budget_cut"):
        Scenario.from_toml(bad)
    bad.write_text("[councils\n")
    with pytest.raises(ScenarioError, match="malformed TOML"):
        Scenario.from_toml(bad)


def test_interventions_are_validated_against_the_schema():
    with pytest.raises(ScenarioError) as err:
        Scenario.from_dict({"interventions": [
            {"month": 3, "field": "world.width", "value": 3},
            {"month": 3, "field": "capacity.community_support", "value": -1},
        ]})
    assert [p for p, _ in err.value.problems] == ["interventions.0.field",
                                                   "interventions.1.value"]


def test_world_shares_must_fit():
    with pytest.raises(ScenarioError):
        Scenario().with_overrides({"world.urban_share": 0.9, "world.town_share": 0.5})


def test_every_field_has_description_and_bounds_or_type():
    for spec in field_specs():
        assert spec["description"], spec["path"]
        if spec["type"] in ("int", "float") and spec["path"] != "interventions":
            assert spec["min"] is not None and spec["max"] is not None, spec["path"]


def test_presets_load_and_unknown_preset_is_an_error():
    names = list_presets()
    assert {"baseline", "rural-county", "urban-city"} <= set(names)
    for name in names:
        assert isinstance(load_preset(name), Scenario)
    with pytest.raises(ScenarioError, match="unknown preset"):
        load_preset("atlantis")


def test_to_toml_is_valid_toml():
    assert tomllib.loads(Scenario().to_toml())["councils"]["cut_years"] == 5


def test_interventions_are_validated_once_not_each_time_one_fires(monkeypatch):
    from ecosystem import EcosystemModel
    from ecosystem.scenario import schema
    changes = [{"month": 1 + i % 12, "field": "councils.ideology", "value": (i % 5) / 10}
               for i in range(60)]
    scenario = Scenario.from_dict({"years": 1, "interventions": changes})
    checked = []
    original = schema._intervention_problems
    monkeypatch.setattr(schema, "_intervention_problems",
                        lambda base, c, months: checked.append(len(c)) or original(base, c, months))
    model = EcosystemModel(scenario.with_overrides(SMALL), rng=1)
    checked.clear()
    for _ in range(12):
        model.step()
    assert sum(checked) == 0, "firing an intervention must not re-check the whole timeline"
    assert model.params.councils.ideology == changes[-1]["value"]
    assert model.params.interventions == scenario.interventions


def test_applying_an_intervention_equals_overriding_the_field():
    base = Scenario.from_dict({"interventions": [
        {"month": 3, "field": "capacity.community_support", "value": 0}]})
    assert base.applying("councils.ideology", 0.5) \
        == base.with_overrides({"councils.ideology": 0.5})
    with pytest.raises(ScenarioError):
        base.applying("councils.ideology", 5.0)


def test_fully_keen_staff_are_accepted():
    from ecosystem import EcosystemModel
    scenario = Scenario().with_overrides({**SMALL, "councils.staff_enthusiasm": 1.0})
    model = EcosystemModel(scenario, rng=2)
    assert all(v == 1.0 for c in model.councils for v in c.staff_enthusiasm.values())


def test_run_refuses_fewer_than_one_month():
    from ecosystem import run
    with pytest.raises(ScenarioError, match="months"):
        run(Scenario(years=1), months=-5)


def test_a_catalogue_entry_changes_the_default_catalogue_not_replaces_it(tmp_path):
    path = tmp_path / "libraries.toml"
    path.write_text("[services.catalogue.libraries]\nvolunteerable = 0.8\n"
                    "[services.catalogue.parks]\nvolunteerable = 0.0\n", encoding="utf-8")
    scenario = Scenario.from_toml(path)
    catalogue = scenario.services.catalogue
    assert list(catalogue) == list(Scenario().services.catalogue)
    assert catalogue["libraries"].volunteerable == 0.8
    assert catalogue["libraries"].catchment == Scenario().services.catalogue["libraries"].catchment
    assert catalogue["parks"].volunteerable == 0.0
    new = Scenario.from_dict({"services": {"catalogue": {"museums": {"catchment": 5.0}}}})
    assert len(new.services.catalogue) == 9 and new.services.catalogue["museums"].catchment == 5.0


def test_an_empty_catalogue_set_mid_run_keeps_the_defaults():
    from ecosystem import run
    scenario = Scenario.from_dict({"years": 1, "interventions": [
        {"month": 2, "field": "services.catalogue", "value": {}}]}).with_overrides(SMALL)
    result = run(scenario, seed=3, months=4)
    assert len(result.timeseries) == 5
