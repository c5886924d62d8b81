"""Strategic partnership through a joint venture, and its dissolution back in-house.

A review can choose to form a joint venture (JV) with private partners for a service
[002:L355-409]. The council takes a minority stake (Salford 19.9% [002:L381]) and contracts
the venture, without a tender, for the service's units on a long term (Salford 12 years
[002:L381]) at a price cut by the promised savings, whose risk the partners carry
[002:L381]. The council recoups its stake's share of the venture's profits (gain share
[002:L359]). A venture that fails to achieve the savings makes losses; past a tolerance it is
dissolved, and so, with a chance, after a change of political control, which 'can be as fatal
... as a failure to achieve savings' [002:L367]. On dissolution the services come back
in-house at a cost, less where staff were seconded (Southwest One [002:L409]).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ecosystem.agents import Council, JointVentureCompany
from ecosystem.market.contracts import Contract, award, bring_in_house, offer_contract
from ecosystem.names import ContractBasis, EventKind, OperatorKind, Spending
from ecosystem.world.units import ServiceUnit

if TYPE_CHECKING:
    from ecosystem.model import EcosystemModel

#: Cost of setting a venture up, in months of its services' cost: partnerships are 'costly to
#: establish' [002:L369]. Assumed; plausible range 0.5 to 3.
SETUP_MONTHS = 1.0
#: Share of the reversal cost left where staff were seconded, not transferred: they are 'not
#: too difficult to bring back in house' [002:L409]. Assumed; plausible range 0.25 to 0.75.
SECONDED_REVERSAL_SHARE = 0.5
#: Months of the services' cost the partners put in as the venture's opening capital, as
#: for a tender's entrants (assumed).
OPENING_CAPITAL_MONTHS = 3.0
#: Why a venture was dissolved: a failure to achieve savings, or a change of control
#: [002:L367].
SHORTFALL, CONTROL_CHANGE = "savings_shortfall", "change_of_control"


@dataclass
class JointVenture:
    """One council's joint venture for one service, and its account of savings.

    Attributes:
        council: the council that co-owns it.
        company: the venture's company (a provider).
        contracts: its contracts with the council.
        formed, ends: month formed and month its contracts end.
        promised, delivered: savings promised and delivered to the council so far (GBP k):
            promised is the promised share of what its units would cost in-house, month by
            month; delivered is what they would cost less what the council paid, plus gain
            share, less the cost of bringing them back.
        gain_share: profits paid to the council so far (GBP k).
        losses: losses its partners carry (GBP k; at dissolution once dissolved).
        dissolved_at, cause: month it was dissolved and why (SHORTFALL or CONTROL_CHANGE;
            None and "" while it stands).
        units: the units it was formed for.
        baseline: per unit index, what the council spent on it in-house the month before
            (net of trading and volunteers) and its modelled in-house cost then.
    """

    council: Council
    company: JointVentureCompany
    contracts: list[Contract]
    formed: int
    ends: int
    promised: float = 0.0
    delivered: float = 0.0
    gain_share: float = 0.0
    losses: float = 0.0
    dissolved_at: int | None = None
    cause: str = ""
    units: list[ServiceUnit] = field(default_factory=list)
    baseline: dict[int, tuple[float, float]] = field(default_factory=dict)

    def would_cost(self, unit: ServiceUnit) -> float:
        """What `unit` would cost the council in-house this month.

        What the council spent on it before the venture, scaled by the change in its
        modelled in-house cost since (demand and service level).
        """
        spent, modelled = self.baseline[unit.index]
        return spent * unit.net_cost(self.council) / max(modelled, 1e-9)

    def live(self) -> list[Contract]:
        """Its contracts still running its units."""
        return [c for c in self.contracts if c.unit.contract is c and c.unit.is_open]


def form_joint_venture(model: EcosystemModel, council: Council,
                       units: list[ServiceUnit]) -> bool:
    """A review chose a joint venture: set it up and contract it for `units`.

    Returns:
        False if the council cannot afford the set-up cost this month (the transition waits).
    """
    councils = model.params.councils
    baseline = {u.index: (u.council_cost, u.net_cost(council)) for u in units}
    monthly = sum(spent for spent, _ in baseline.values())
    setup = SETUP_MONTHS * monthly
    if not council.afford(setup):
        return False
    council.pay(Spending.PROCUREMENT, setup)
    model.ledger.procurement += setup
    company = JointVentureCompany(model, council.index)
    company.enter(units[0].service, 12 * monthly)
    company.endow(OPENING_CAPITAL_MONTHS * monthly)
    months = int(round(councils.joint_venture_years * 12))
    contracts = [_contract(model, council, company, u, baseline[u.index][0], months)
                 for u in units]
    company.council_turnover = sum(c.monthly_value for c in contracts)
    model.joint_ventures.append(JointVenture(council, company, contracts, model.month,
                                             model.month + months, units=list(units),
                                             baseline=baseline))
    for unit in units:
        model.record_event(EventKind.JOINT_VENTURE_FORMED, council.index, unit.index,
                           f"a joint venture, the council holding "
                           f"{councils.joint_venture_stake:.1%}, promising "
                           f"{councils.joint_venture_promised_saving:.0%} savings",
                           OperatorKind.PRIVATE)
    return True


def _contract(model: EcosystemModel, council: Council, company: JointVentureCompany,
              unit: ServiceUnit, spent: float, months: int) -> Contract:
    """The venture's contract for `unit`: what it cost in-house (`spent`) less the promise."""
    contract = offer_contract(council, company, unit, model.month)
    assert contract is not None  # no budget given: always offered
    price = (1.0 - model.params.councils.joint_venture_promised_saving) * spent
    if contract.basis == ContractBasis.PER_USER:
        contract.rate = price / max(unit.served, 1.0)
    else:
        contract.fixed = price
    contract.end = model.month + months
    contract.exempt = True  # no tender: the partners were chosen in setting it up
    award(contract)
    return contract


def manage_joint_ventures(model: EcosystemModel) -> None:
    """Each venture in its term: account for savings, pay gain share, dissolve if it must.

    The savings promised keep accruing over the term of a dissolved venture, so promised and
    delivered savings compare over the same months.
    """
    councils = model.params.councils
    for venture in [v for v in model.joint_ventures if model.month < v.ends]:
        _promise(model, venture)
        if venture.dissolved_at is not None:
            continue
        _account(model, venture)
        company = venture.company
        venture.losses = company.losses
        tolerance = councils.joint_venture_loss_tolerance * 12 * company.council_turnover
        if company.losses > tolerance:
            dissolve(model, venture, SHORTFALL, f"losses of GBP {company.losses:,.0f}k: the "
                     "promised savings were not achieved")
        elif venture.council.control_changed_at == model.month \
                and model.rng.random() < councils.joint_venture_break_on_change:
            dissolve(model, venture, CONTROL_CHANGE, "a change of political control")
        elif not venture.live():
            venture.ends = model.month  # its units went elsewhere: it has no work left


def _promise(model: EcosystemModel, venture: JointVenture) -> None:
    """This month's promised savings: the promised share of its units' in-house cost."""
    promise = model.params.councils.joint_venture_promised_saving
    venture.promised += promise * sum(venture.would_cost(u) for u in venture.units
                                      if u.is_open)


def _account(model: EcosystemModel, venture: JointVenture) -> None:
    """This month's savings delivered, and the council's gain share."""
    live = venture.live()
    for contract in live:
        venture.delivered += venture.would_cost(contract.unit) - contract.unit.council_cost
    company = venture.company
    profit = company.monthly_income - company.costs
    if profit > 0 and company.reserves + profit >= 0 and live:
        share = model.params.councils.joint_venture_stake * profit
        company.incur(share)
        venture.council.receive_gain_share(share)
        venture.gain_share += share
        venture.delivered += share


def dissolve(model: EcosystemModel, venture: JointVenture, cause: str, why: str) -> None:
    """The venture is dissolved: its units come back in-house, at a cost [002:L409].

    Args:
        model: the model.
        venture: the venture to dissolve.
        cause: SHORTFALL or CONTROL_CHANGE.
        why: the circumstances, for the events.
    """
    councils, council = model.params.councils, venture.council
    live = venture.live()
    months = councils.joint_venture_reversal_months * (
        SECONDED_REVERSAL_SHARE if councils.joint_venture_staff_seconded else 1.0)
    cost = months * sum(venture.would_cost(c.unit) for c in live)
    council.pay(Spending.IN_HOUSE, cost)
    model.ledger.in_house_costs += cost
    venture.delivered -= cost
    for contract in live:
        model.record_event(EventKind.JOINT_VENTURE_DISSOLVED, council.index,
                           contract.unit.index, f"dissolved after {why}; brought back "
                           f"in-house at a cost of GBP {cost:,.0f}k", OperatorKind.PRIVATE)
        bring_in_house(council, contract.unit)
    venture.dissolved_at, venture.cause = model.month, cause
