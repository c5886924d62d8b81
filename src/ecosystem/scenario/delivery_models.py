"""The delivery models the documents name, each mapped to the mechanism that carries it.

Defra found eleven models 'used in a variety of combinations' [000:L13-26]; Local
Partnerships [001:L30-40] and Localis (chapters 5 and 6) add trading companies, parish
devolution, community budgets and behaviour change. Each entry names the code that carries
the model out, how a scenario switches it on, and the test that shows its behaviour; a test
checks that both still exist, so this table cannot drift from the code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DeliveryModel:
    """One delivery model: its name in the documents and where the model carries it."""

    label: str
    source: str
    mechanism: str
    switch: str
    test: str


#: Every delivery model a case may name, the eleven of Defra's typology first.
DELIVERY_MODELS: dict[str, DeliveryModel] = {
    "commissioning_externally": DeliveryModel(
        "Commissioning services externally", "[000:L16; 002:L285-327]",
        "ecosystem.market.procurement.open_tenders", "review option `outsource` (baseline)",
        "tests/test_delivery_models.py::test_commissioning_externally_lets_the_units_by_tender"),
    "social_enterprise": DeliveryModel(
        "Social enterprise", "[000:L17; 002:L333-337]",
        "ecosystem.market.options.set_up_social_enterprise",
        "review option `social_enterprise` (baseline)",
        "tests/test_delivery_models.py::test_a_social_enterprise_is_funded_by_grant_or_tender"),
    "partnership": DeliveryModel(
        "Partnership, joint venture", "[000:L18; 002:L355-409]",
        "ecosystem.market.joint_ventures.form_joint_venture", "review option `joint_venture`",
        "tests/test_joint_ventures.py::"
        "test_a_venture_that_misses_its_savings_makes_losses_and_is_dissolved"),
    "shared_services": DeliveryModel(
        "Shared services", "[000:L19; 002:L411-456]",
        "ecosystem.market.shared_services.propose",
        "review option `share` with `councils.sharing_model = \"arrangement\"`",
        "tests/test_shared_services.py::test_a_sovereignty_guarantee_makes_agreement_likelier"),
    "cooperative_council": DeliveryModel(
        "Co-operative councils", "[000:L20; 002:L458-504]",
        "ecosystem.scenario.strategies.enact", "`strategy.cooperative_council`",
        "tests/test_strategies.py::"
        "test_a_cooperative_council_trains_members_builds_capacity_and_enthuses_staff"),
    "mutual_cooperative": DeliveryModel(
        "Mutuals and co-operatives", "[000:L21; 002:L506-567]",
        "ecosystem.market.options.form_cooperative",
        "review options `mutual` (baseline) and `cooperative`",
        "tests/test_trading_company_and_cooperative.py::"
        "test_a_cooperatives_units_reach_higher_quality_than_a_staff_mutuals"),
    "internal_transformation": DeliveryModel(
        "Internal transformation", "[000:L22; 002:L236]",
        "ecosystem.market.transformation.start_programme",
        "review option `in_house_redesign` with `councils.redesign_model = \"programme\"`",
        "tests/test_transformation.py::"
        "test_a_programme_costs_upfront_and_saves_only_after_its_lead_time"),
    "outsourcing": DeliveryModel(
        "Outsourcing", "[000:L23; 002:L299]",
        "ecosystem.market.operations_contracts.contract_out_operations",
        "review option `operations_contract`",
        "tests/test_joint_ventures.py::"
        "test_an_operator_failing_returns_the_unit_to_the_council_that_owns_it"),
    "direct_delivery": DeliveryModel(
        "Direct delivery by the council", "[000:L24; 002:L236; L409]",
        "ecosystem.market.contracts.bring_in_house",
        "`councils.step_in_probability`, `councils.ideology` < 0 (baseline)",
        "tests/test_delivery_models.py::test_a_failed_providers_unit_comes_back_in_house"),
    "private_company": DeliveryModel(
        "Private companies", "[000:L25; 002:L293]", "ecosystem.agents.PrivateFirm",
        "private firms bid in every tender (baseline)",
        "tests/test_delivery_models.py::test_a_private_firm_prices_its_margin_and_rural_travel"),
    "co_production": DeliveryModel(
        "Co-production", "[000:L26; 002:L659-671]",
        "ecosystem.population.co_production.CoProduction", "`strategy.co_production`",
        "tests/test_strategies.py::"
        "test_co_production_lowers_need_and_raises_fit_only_for_co_producible_services"),
    "trading_company": DeliveryModel(
        "Local authority trading company", "[001:L34; 002:L571-601]",
        "ecosystem.market.trading_company.set_up_trading_company",
        "review option `trading_company`",
        "tests/test_trading_company_and_cooperative.py::"
        "test_a_trading_company_sells_to_outsiders_and_pays_its_margin_to_the_council"),
    "parish_devolution": DeliveryModel(
        "Parish and town councils", "[002:L260; L859]",
        "ecosystem.market.parish_devolution.devolve_to_parishes",
        "review option `parish_devolution`",
        "tests/test_parish_devolution.py::"
        "test_the_share_of_units_parishes_take_follows_their_capacity"),
    "two_tier": DeliveryModel(
        "Two-tier areas: county and districts", "[002:L448]",
        "ecosystem.world.units.two_tier", "`world.two_tier`",
        "tests/test_two_tier.py::"
        "test_separate_budgets_move_the_statutory_pressure_from_districts_to_the_county"),
    "community_budget": DeliveryModel(
        "Community budgets", "[002:L130; L206; L720-756]",
        "ecosystem.market.community_budget.CommunityBudget", "`strategy.community_budget`",
        "tests/test_strategies.py::"
        "test_pooling_grows_with_trust_and_shrinks_with_strings_and_silos"),
    "behaviour_change": DeliveryModel(
        "Behaviour change, nudge", "[002:L603-619]",
        "ecosystem.population.behaviour_change.BehaviourChange", "`strategy.behaviour_change`",
        "tests/test_strategies.py::test_behaviour_change_builds_up_slowly_and_scales_with_trust"),
    "community_asset_transfer": DeliveryModel(
        "Community asset transfer", "[002:L673-681]",
        "ecosystem.market.options.transfer_to_community",
        "review option `community_transfer` (baseline)",
        "tests/test_routes_in.py::test_a_building_is_transferred_on_a_lease_the_group_upkeeps"),
}
