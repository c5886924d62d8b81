"""Shared-service arrangements (councils.sharing_model = "arrangement") [002:L411-456]."""

import numpy as np
import pytest

from ecosystem import EcosystemModel, Scenario
from ecosystem.market import shared_services
from ecosystem.market.appraisal import feasible_options
from ecosystem.market.options import carry_out
from ecosystem.names import ReviewOption
from tests.conftest import SMALL

#: Three councils on a small map; a service every council runs in-house somewhere.
ARRANGEMENT = {**SMALL, "councils.sharing_model": "arrangement"}
SERVICE = "adult_social_care"


def _model(seed: int | np.random.SeedSequence = 1, **fields) -> EcosystemModel:
    return EcosystemModel(Scenario().with_overrides({**ARRANGEMENT, **fields}), rng=seed)


def _set(model: EcosystemModel, field: str, value) -> None:
    model.params = model.params.applying(field, value)


def _in_house_cost(council, service: str) -> float:
    return sum(u.net_cost(council) for u in council.units if u.service == service and u.is_open)


def _formed_share(guarantee: bool, seeds=range(1, 9), tries: int = 25) -> float:
    """Share of proposals that form an arrangement, each proposal on a clean slate."""
    formed = 0
    for seed in seeds:
        model = _model(seed, **{"councils.sovereignty_guarantee": guarantee,
                                "councils.sharing_reach": 500.0})
        for _ in range(tries):
            formed += shared_services.propose(model, model.councils[0], SERVICE) is not None
            for council in model.councils:
                council.shares_with.clear()
                council.shared_saving.clear()
            model.arrangements.clear()
    return formed / (len(seeds) * tries)


def test_a_sovereignty_guarantee_makes_agreement_likelier():
    """The guarantee dispels the fear of takeover [002:L452], so more proposals succeed."""
    with_guarantee, without = _formed_share(True), _formed_share(False)
    assert with_guarantee > without + 0.15
    assert without > 0.05  # trust still carries some proposals without it [002:L450]


def test_low_trust_or_a_split_vision_sinks_proposals():
    """No trust between senior members, no arrangement; a failed agreement is counted."""
    model = _model(2, **{"councils.sharing_trust": 0.0, "councils.sovereignty_guarantee": True,
                         "councils.sharing_reach": 500.0})
    assert shared_services.propose(model, model.councils[0], SERVICE) is None
    assert model.sharing_agreements_failed == len(model.councils) - 1
    assert not any(c.shares_with for c in model.councils)
    # full trust but opposite ideologies: the vision term halves... to zero at the extremes
    model = _model(2, **{"councils.sharing_trust": 1.0, "councils.sovereignty_guarantee": True})
    a, b = model.councils[:2]
    a.ideology, b.ideology = -1.0, 1.0
    assert shared_services.agreement_chance(model, a, b) == pytest.approx(0.0)
    b.ideology = -1.0
    assert shared_services.agreement_chance(model, a, b) == pytest.approx(1.0)


def test_councils_too_far_apart_do_not_share():
    """'Less logic for sharing between more geographically disparate' councils [002:L448]."""
    model = _model(3, **{"councils.sharing_reach": 1.0})
    council = model.councils[0]
    assert not shared_services.within_reach(model, council)
    assert ReviewOption.SHARE not in feasible_options(model, council, SERVICE)
    assert shared_services.propose(model, council, SERVICE) is None
    near = _model(3, **{"councils.sharing_reach": 500.0})
    assert ReviewOption.SHARE in feasible_options(near, near.councils[0], SERVICE)


def test_the_saving_falls_with_distance_and_grows_with_members():
    model = _model(4, **{"councils.sharing_reach": 60.0})
    saving = shared_services.member_saving
    assert saving(model, 30.0, 3) < saving(model, 10.0, 3) < saving(model, 0.0, 3)
    assert saving(model, 60.0, 3) == 0.0
    assert saving(model, 0.0, 3) == pytest.approx(0.15 * 0.45)  # the Tri-borough's 45% [002:L444]
    assert saving(model, 0.0, 2) < saving(model, 0.0, 3)
    # the host's saving falls with its members' distance too
    host, *others = model.councils
    pair = shared_services.SharedService(SERVICE, host, [host, others[0]])
    assert shared_services.distance_to_host(pair, host) == pytest.approx(
        shared_services.seat_distance(host, others[0]))


def test_an_agreed_arrangement_has_a_host_cuts_cost_and_needs_no_tender():
    """Full trust, one vision, a guarantee: every council joins; no tender (Teckal [002:L424])."""
    model = _model(5, **{"councils.sharing_trust": 1.0, "councils.sovereignty_guarantee": True,
                         "councils.sharing_reach": 500.0})
    for council in model.councils:
        council.ideology = 0.0
    before = [_in_house_cost(c, SERVICE) for c in model.councils]
    tenders = len(model.tenders)
    assert carry_out(model, model.councils[0], SERVICE, ReviewOption.SHARE)
    (arrangement,) = model.arrangements
    assert set(arrangement.members) == set(model.councils)
    assert arrangement.host is max(model.councils, key=lambda c: before[c.index])
    assert len(model.tenders) == tenders
    for council, cost in zip(model.councils, before):
        assert council.shares_with[SERVICE] == arrangement.host.index
        saving = council.shared_saving[SERVICE]
        assert 0 < saving < 0.15 * 0.45  # thinned by the distance between seats
        assert _in_house_cost(council, SERVICE) == pytest.approx(cost * (1 - saving), rel=1e-9)


def test_a_change_of_control_can_break_the_arrangement_and_end_the_saving():
    """New leaders without trust do not re-agree [002:L367; L450]: the saving ends."""
    model = _model(6, **{"councils.sharing_trust": 1.0, "councils.sovereignty_guarantee": True,
                         "councils.sharing_reach": 500.0})
    for council in model.councils:
        council.ideology = 0.0
    carry_out(model, model.councils[0], SERVICE, ReviewOption.SHARE)
    (arrangement,) = model.arrangements
    host = arrangement.host
    before = _in_house_cost(host, SERVICE)
    _set(model, "councils.sharing_trust", 0.0)
    host.control_changed = True
    shared_services.after_elections(model)
    assert not arrangement.live and model.shared_services_ended == 1
    assert not any(c.shares_with or c.shared_saving for c in model.councils)
    assert _in_house_cost(host, SERVICE) > before


def test_a_trusted_arrangement_survives_a_change_of_control():
    model = _model(7, **{"councils.sharing_trust": 1.0, "councils.sovereignty_guarantee": True,
                         "councils.sharing_reach": 500.0})
    for council in model.councils:
        council.ideology = 0.0
    carry_out(model, model.councils[0], SERVICE, ReviewOption.SHARE)
    model.councils[1].control_changed = True
    shared_services.after_elections(model)
    assert model.arrangements[0].live and model.shared_services_ended == 0


def test_elections_end_arrangements_in_a_run_and_flat_runs_are_untouched():
    """Over a run, elections that change control end some arrangements; flat mode has none."""
    fields = {"councils.options_considered": ["share"], "councils.control_change_probability": 0.6,
              "councils.sharing_reach": 500.0, "councils.sovereignty_guarantee": True}
    ended, formed = [], []
    for seed in range(1, 4):
        model = _model(seed, **fields)
        model.run_for(120)
        formed.append(len(model.arrangements))
        ended.append(model.shared_services_ended)
        assert model.sharing_agreements_failed >= 0
    assert sum(formed) > 0 and sum(ended) > 0
    flat = EcosystemModel(Scenario().with_overrides({**SMALL, **fields,
                                                     "councils.sharing_model": "flat"}), rng=1)
    flat.run_for(60)
    assert flat.arrangements == [] and flat.trust is None
    assert np.isfinite(flat.records[-1]["sharing_saving_share"])


def test_a_council_already_taken_in_does_not_join_twice():
    """Its own review may choose to share after a neighbour's proposal took it in."""
    model = _model(8, **{"councils.sharing_trust": 1.0, "councils.sovereignty_guarantee": True,
                         "councils.sharing_reach": 500.0})
    for council in model.councils:
        council.ideology = 0.0
    carry_out(model, model.councils[0], SERVICE, ReviewOption.SHARE)
    for council in model.councils:
        carry_out(model, council, SERVICE, ReviewOption.SHARE)
    (arrangement,) = model.arrangements
    assert len(arrangement.members) == len(set(arrangement.members)) == len(model.councils)


def test_the_same_seed_sequence_gives_the_same_arrangements():
    """The models' own stream is a fixed child of the seed: reusing the sequence repeats it."""
    seed = np.random.SeedSequence(11)
    fields = {"councils.options_considered": ["share"], "councils.sharing_reach": 500.0}
    first, second = _model(seed, **fields), _model(seed, **fields)
    for model in (first, second):
        model.run_for(48)
    assert first.sharing_agreements_sought == second.sharing_agreements_sought
    assert first.trust is not None and second.trust is not None
    assert np.array_equal(first.trust, second.trust)
