"""Every delivery model the documents name is a mechanism in the code with a behavioural test.

The registry (`ecosystem.scenario.delivery_models`) names each model's code and test; the first test
checks both exist. The others are the behavioural tests of the baseline's own models that had
none of their own: commissioning externally, social enterprise, direct delivery, private firms.
"""

import ast
import importlib
from pathlib import Path

import pytest

from ecosystem import EcosystemModel
from ecosystem.agents import PrivateFirm, SocialEnterprise
from ecosystem.market.commissioning import fail_provider
from ecosystem.market.contracts import award, offer_contract
from ecosystem.market.options import carry_out
from ecosystem.names import ContractBasis, EventKind, OperatorKind, ReviewOption, TenderStatus
from ecosystem.scenario.delivery_models import DELIVERY_MODELS

ROOT = Path(__file__).resolve().parents[1]
DEFRA_ELEVEN = ("commissioning_externally", "social_enterprise", "partnership",
                "shared_services", "cooperative_council", "mutual_cooperative",
                "internal_transformation", "outsourcing", "direct_delivery", "private_company",
                "co_production")


def _resolves(dotted: str) -> bool:
    module, _, name = dotted.rpartition(".")
    return hasattr(importlib.import_module(module), name)


def _test_exists(node: str) -> bool:
    path, _, name = node.partition("::")
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return any(isinstance(n, ast.FunctionDef) and n.name == name for n in tree.body)


def test_every_delivery_model_names_code_and_a_test_that_exist():
    assert set(DEFRA_ELEVEN) <= set(DELIVERY_MODELS)
    for name, model in DELIVERY_MODELS.items():
        assert _resolves(model.mechanism), f"{name}: {model.mechanism} not found"
        assert _test_exists(model.test), f"{name}: {model.test} not found"
    assert len({m.mechanism for m in DELIVERY_MODELS.values()}) == len(DELIVERY_MODELS)


def _council_service(model, statutory=False):
    """A council and the in-house units of its service with most of them."""
    council = model.councils[0]
    council.headroom = 1e9
    units = [u for u in council.units if u.is_open and u.spec.statutory == statutory]
    service = max(sorted({u.service for u in units}),
                  key=lambda s: sum(u.service == s for u in units))
    return council, service, [u for u in units if u.service == service]


def test_commissioning_externally_lets_the_units_by_tender(small_scenario):
    """Each lot is tendered; a contractor runs what it wins, the council keeps the rest."""
    scenario = small_scenario.with_overrides({"councils.budget_cut_total": 0.0})
    awarded = 0
    for seed in range(1, 7):
        model = EcosystemModel(scenario, rng=seed)
        model.step()
        council, service, units = _council_service(model)
        before = len(model.tenders)
        assert carry_out(model, council, service, ReviewOption.OUTSOURCE)
        tenders = model.tenders[before:]  # the ones this review opened
        tendered = {u.index for t in tenders for u in t.units}
        assert tendered and tendered <= {u.index for u in units}
        for _ in range(max(t.closes for t in tenders) - model.month + 1):
            model.step()
        for tender in tenders:
            won = tender.status == TenderStatus.AWARDED
            assert won or tender.status == TenderStatus.NO_BID
            assert all(u.in_house != won for u in tender.units if u.is_open)
            awarded += won
    assert awarded > 0


@pytest.mark.parametrize("grant_share", [0.0, 1.0])
def test_a_social_enterprise_is_funded_by_grant_or_tender(small_scenario, grant_share):
    scenario = small_scenario.with_overrides({"funding.grant_share": grant_share})
    model = EcosystemModel(scenario, rng=3)
    model.step()
    council, service, units = _council_service(model)
    enterprises = len(model.agents_by_type.get(SocialEnterprise, ()))
    tenders = len(model.tenders)
    assert carry_out(model, council, service, ReviewOption.SOCIAL_ENTERPRISE)
    if grant_share == 1.0:  # a new enterprise takes them on by grant, no tender
        assert all(u.operator_kind == OperatorKind.SOCIAL_ENTERPRISE for u in units)
        assert all(u.contract.basis == ContractBasis.GRANT for u in units)
        assert len(model.agents_by_type[SocialEnterprise]) == enterprises + 1
        assert len(model.tenders) == tenders
    else:  # it must win them in open competition
        assert all(u.in_house and u.tender is not None for u in units)
        assert len(model.tenders) > tenders


def test_a_failed_providers_unit_comes_back_in_house(small_scenario):
    scenario = small_scenario.with_overrides({"councils.step_in_probability": 1.0})
    model = EcosystemModel(scenario, rng=3)
    model.step()
    council, _, units = _council_service(model)
    unit = units[0]
    firm = PrivateFirm(model, council.index)
    award(offer_contract(council, firm, unit, model.month))
    unit.contract.fixed = 1e-6  # no other provider would take it over at this price
    fail_provider(model, firm)
    assert unit.in_house and unit.is_open and unit.contract is None
    assert any(e["event"] == EventKind.BROUGHT_IN_HOUSE and e["unit"] == unit.index
               for e in model.events)


def test_a_private_firm_prices_its_margin_and_rural_travel(small_scenario):
    model = EcosystemModel(small_scenario, rng=3)
    firm = PrivateFirm(model, 0)
    funding = model.params.funding
    assert firm.price_markup() == pytest.approx(1 + funding.private_margin)
    rural = max(model.units, key=lambda u: model.land.rurality[u.cell.coordinate])
    urban = min(model.units, key=lambda u: model.land.rurality[u.cell.coordinate])
    assert firm.unit_cost_factor(rural) > firm.unit_cost_factor(urban) >= 1.0
    cheap = EcosystemModel(small_scenario.with_overrides({"funding.private_margin": 0.0}),
                           rng=3)
    assert PrivateFirm(cheap, 0).price_markup() == 1.0
