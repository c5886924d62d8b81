"""Internal transformation: an in-house redesign as a programme (evidence.md M1).

With `councils.redesign_model = "programme"` a review's choice of in-house redesign
('redesign of services or activities currently provided in-house' [000:L22]; 'systems
thinking' with improvement support such as iESE's [002:L236]) starts a programme: the
council pays `redesign_cost` of a year of the service's in-house cost when the transition
starts, and after `redesign_lead_months` the programme delivers a share of its planned
saving, or nothing. iESE argues 'GBP 5 in efficiency savings for every GBP 1 invested'
[002:L236]; the model counts what its programmes really return (`redesign_return`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ecosystem.agents import Council
from ecosystem.names import EventKind, Spending

if TYPE_CHECKING:
    from ecosystem.model import EcosystemModel
    from ecosystem.world.units import ServiceUnit

#: Beta shape `a` of the share of the planned saving a working programme delivers; `b`
#: gives the scenario's mean (assumed shape).
DELIVERY_SHAPE = 2.0
#: Years over which a council's appraisal spreads a programme's upfront cost (assumed;
#: plausible range 3 to 10).
PAYBACK_YEARS = 5


@dataclass
class TransformationProgramme:
    """One in-house redesign: its cost, when it delivers and what share of its plan."""

    council: Council
    service: str
    cost: float
    ready: int
    delivered: float  # share of the planned saving, 0 if it fails
    done: bool = False

    @property
    def saving(self) -> float:
        """The saving it brings on its service's in-house cost once delivered."""
        return self.delivered * self.council.model.params.councils.redesign_planned_saving


def expected_saving(model: EcosystemModel) -> float:
    """What an appraisal expects: the mean delivered saving less the cost spread over years."""
    councils = model.params.councils
    return councils.redesign_planned_saving * councils.redesign_delivery \
        * (1.0 - councils.redesign_failure) - councils.redesign_cost / PAYBACK_YEARS


def start_programme(model: EcosystemModel, council: Council, service: str,
                    units: list[ServiceUnit]) -> bool:
    """Pay for a redesign of `service` and set when and how much it will deliver.

    Returns:
        False if the council cannot afford the cost this month (the transition waits).
    """
    councils = model.params.councils
    cost = councils.redesign_cost * 12 * sum(u.net_cost(council) for u in units)
    if not council.afford(cost):
        return False
    council.pay(Spending.REVIEWS, cost)
    model.ledger.reviews += cost
    model.redesign_invested += cost
    rng = model.reform_rng
    delivered = 0.0 if rng.random() < councils.redesign_failure else _delivery(model)
    model.programmes.append(TransformationProgramme(
        council, service, cost, model.month + councils.redesign_lead_months, delivered))
    return True


def _delivery(model: EcosystemModel) -> float:
    mean = model.params.councils.redesign_delivery
    if mean <= 0.0 or mean >= 1.0:
        return mean
    return float(model.reform_rng.beta(DELIVERY_SHAPE, DELIVERY_SHAPE * (1 - mean) / mean))


def advance_programmes(model: EcosystemModel, council: Council) -> None:
    """Programmes due deliver (or fail); delivered ones count this month's saving."""
    for programme in (p for p in model.programmes if p.council is council):
        if not programme.done and model.month >= programme.ready:
            _deliver(model, programme)
        if programme.done and programme.delivered > 0:
            model.redesign_savings += _monthly_saving(programme)


def _deliver(model: EcosystemModel, programme: TransformationProgramme) -> None:
    programme.done = True
    council = programme.council
    if programme.delivered <= 0:
        model.redesigns_failed += 1
        why = "delivered nothing"
    else:
        council.adopt_saving(programme.service, programme.saving)
        why = (f"delivered {programme.delivered:.0%} of its plan, a saving of "
               f"{programme.saving:.1%}")
    model.record_event(EventKind.REVIEW, council.index, -1,
                       f"{programme.service}: the redesign programme {why}")


def _monthly_saving(programme: TransformationProgramme) -> float:
    """Cost this programme strips out of its service's open in-house units this month."""
    council = programme.council
    share = min(programme.saving, council.saving.get(programme.service, 0.0))
    return share * (1.0 - council.efficiency) * sum(
        u.required_cost() for u in council.units if u.service == programme.service
        and u.is_open)
