import tomllib

import pytest

from ecosystem import Scenario, ScenarioError
from ecosystem.scenario import field_specs
from ecosystem.scenario.presets import list_presets, load_preset


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
