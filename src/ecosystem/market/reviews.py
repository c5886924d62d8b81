"""The council's five-stage review of a service [001:L19-70] and its options.

A trigger (budget gap, provider failure or a bottom-up challenge by staff or community
[002:L200; L510]) opens a review of one service. It moves through strategic direction,
options appraisal, business case, transition and launch, each with a duration, a monthly
cost and a board gate that can stop it. At the end of options appraisal the council scores
the options it can take, boundedly rationally: cost saving, risk weighed by its risk
appetite, ideology (0 by default: provider-blind [002:L140]) and the benefits and concerns
councils report (survey Q4 and Q5 [002:L984-1008]), plus noise. External support (Delivering
Differently) shortens and sharpens stages 2 and 3 but not transition [003:L11].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ecosystem.market.options import carry_out, end_sharing

STAGES = ("strategic_direction", "options_appraisal", "business_case", "transition", "launch")
OPTIONS = ("no_change", "in_house_redesign", "decommission", "outsource", "share", "mutual",
           "community_transfer", "social_enterprise")

#: Survey Q4 benefits of external delivery (expertise 68.5%, innovation 53.4%, efficiency
#: 45.2%) and Q5 concerns (commissioner skills 49.3%, flexibility 42.5%, performance 38.4%,
#: accountability 34.2%, democratic engagement 32.9%) [002:L984-1008], as option weights.
BENEFIT = {"outsource": 0.685 * 0.3 + 0.534 * 0.2, "share": 0.452 * 0.33,
           "mutual": 0.534 * 0.2, "community_transfer": 0.411 * 0.2,
           "social_enterprise": 0.534 * 0.2, "in_house_redesign": 0.0, "decommission": 0.0,
           "no_change": 0.0}
RISK = {"no_change": 0.0, "in_house_redesign": 0.05, "decommission": 0.0,
        "outsource": 0.384 * 0.4 + 0.425 * 0.4, "share": 0.1, "mutual": 0.45,
        "community_transfer": 0.45, "social_enterprise": 0.35}
#: Closing a service costs a council politically whatever its appetite for enterprise risk:
#: reduced democratic engagement and accountability (Q5, 32.9% and 34.2%), and blame.
POLITICAL_COST = {"decommission": 0.75}
#: Where each option sits between in-house (-1) and market (+1), for the ideology term.
MARKET = {"no_change": 0.0, "in_house_redesign": -0.5, "decommission": 0.0, "outsource": 1.0,
          "share": -0.3, "mutual": 0.3, "community_transfer": 0.3, "social_enterprise": 0.5}


@dataclass
class Review:
    """One service review in progress."""

    council: object
    service: str
    trigger: str
    started: int
    stage: int = 0
    months_in_stage: int = 0
    option: str = ""
    status: str = "running"  # running, completed, stopped

    def record(self) -> dict:
        """One row of reviews.parquet."""
        stage = STAGES[min(self.stage, len(STAGES) - 1)]
        return {"council": self.council.index,  # type: ignore[attr-defined]
                "service": self.service, "trigger": self.trigger, "started": self.started,
                "stage": stage, "option": self.option, "status": self.status}


def open_review(model, council, service: str, trigger: str) -> Review | None:
    """Start a review unless one of this service is already running."""
    if any(r.service == service and r.status == "running" for r in council.reviews):
        return None
    review = Review(council, service, trigger, model.month)
    council.reviews.append(review)
    model.reviews.append(review)
    return review


def trigger_reviews(model, council) -> None:
    """Budget gap (at budget time) and bottom-up challenges (any month) open reviews."""
    councils = model.scenario.councils
    in_house = [u for u in council.units if u.is_open and not u.spec.statutory]
    if not in_house:
        return
    year_start = model.month > 1 and (model.month - 1) % 12 == 0
    if year_start and council.discretionary_factor < councils.review_trigger_gap:
        costs: dict[str, float] = {}
        for unit in in_house:
            costs[unit.service] = costs.get(unit.service, 0.0) + unit.allocation
        open_review(model, council, max(sorted(costs), key=lambda s: costs[s]), "budget_gap")
    if model.rng.random() < councils.challenge_rate:
        # challenges come from enthusiastic staff teams or strong communities [002:L200; L510]
        services = sorted({u.service for u in in_house})
        weights = np.array([council.staff_enthusiasm.get(s, 0.0) ** 4 + 0.01 for s in services])
        pick = model.rng.choice(len(services), p=weights / weights.sum())
        open_review(model, council, services[pick], "challenge")


def advance_reviews(model, council) -> None:
    """Move every running review one month on, paying its cost and passing its gates."""
    councils = model.scenario.councils
    for review in [r for r in council.reviews if r.status == "running"]:
        council.pay("reviews", councils.review_cost)
        model.ledger.reviews += councils.review_cost
        review.months_in_stage += 1
        if review.months_in_stage < _duration(model, review.stage):
            continue
        if model.rng.random() >= _gate_chance(model, review):
            review.status = "stopped"
            continue
        if STAGES[review.stage] == "options_appraisal":
            review.option = choose_option(model, council, review.service, review.trigger)
        if STAGES[review.stage] == "transition":
            carry_out(model, council, review)
        review.stage += 1
        review.months_in_stage = 0
        if review.stage == len(STAGES):
            review.status = "completed"
            model.reviews_completed[review.option] = model.reviews_completed.get(
                review.option, 0) + 1
    council.reviews = [r for r in council.reviews if r.status == "running"]


def _duration(model, stage: int) -> int:
    months = model.scenario.councils.review_stage_months[stage]
    if model.scenario.capacity.external_review_support and stage in (1, 2):
        return max(1, months // 2)
    return months


def _gate_chance(model, review: Review) -> float:
    """Board gates; stages 2 and 3 weakly done without external support fail more [002:L297]."""
    chance = model.scenario.councils.gate_pass
    if review.stage in (1, 2) and model.scenario.capacity.external_review_support:
        chance = 1.0 - 0.5 * (1.0 - chance)
    if review.option == "community_transfer" and model.scenario.capacity.community_support > 0:
        chance = max(chance, 0.95)  # supported asset transfers almost always complete
    return chance


def feasible_options(model, council, service: str) -> list[str]:
    """Options open to this council for this service."""
    spec = model.scenario.services.catalogue[service]
    options = ["no_change", "in_house_redesign", "outsource"]
    if not spec.statutory:
        options.append("decommission")
    if len(model.councils) > 1 and service not in council.shares_with:
        options.append("share")
    if council.staff_enthusiasm.get(service, 0.0) >= 0.5 * model.scenario.councils.mutual_threshold:
        options.append("mutual")  # below the threshold it is a top-down attempt, likely to fail
    if spec.volunteerable >= 0.3 and _community_capacity(model, council, service) >= 0.5:
        options.append("community_transfer")
    if spec.trading_share > 0 or spec.volunteerable > 0:
        options.append("social_enterprise")
    return options


def _risk(model, option: str) -> float:
    """An exemption from competition takes most of the risk out of a spin-out [002:L552]."""
    if option != "mutual":
        return RISK[option]
    years = model.scenario.procurement.mutual_exemption_years
    return RISK[option] * (1.0 - 0.6 * min(1.0, years / 3.0))


def choose_option(model, council, service: str, trigger: str = "") -> str:
    """Bounded rationality: the best of noisy scores, not an optimisation."""
    support = model.scenario.capacity
    pressure = 1.0 + 2.0 * (1.0 - min(council.discretionary_factor, 1.0))
    noise = 0.05 if support.external_review_support else 0.12
    best, best_score = "no_change", -np.inf
    for option in feasible_options(model, council, service):
        score = (_saving(model, option, service) * pressure + BENEFIT[option]
                 - _risk(model, option) * (1.0 - council.risk_appetite)
                 - POLITICAL_COST.get(option, 0.0)
                 + council.ideology * MARKET[option] + model.rng.normal(0.0, noise))
        if option == "mutual" and trigger == "challenge":
            score += 0.3  # a staff-led proposal has champions: mutuals grow bottom-up [002:L542]
        if score > best_score:
            best, best_score = option, score
    return best


def _saving(model, option: str, service: str) -> float:
    councils, funding = model.scenario.councils, model.scenario.funding
    spec = model.scenario.services.catalogue[service]
    return {
        "no_change": 0.0, "in_house_redesign": councils.redesign_saving,
        "decommission": 0.5, "outsource": 0.05, "share": councils.sharing_saving,
        "mutual": funding.mutual_engagement_bonus,
        "community_transfer": spec.volunteerable * funding.expected_volunteer_cover * 0.5,
        "social_enterprise": 0.03 + 0.2 * spec.trading_share,
    }[option]


def _community_capacity(model, council, service: str) -> float:
    units = [u for u in council.units if u.service == service and u.is_open]
    if not units:
        return 0.0
    layer = model.grid.community_capacity.data
    return float(np.mean([layer[u.cell.coordinate] for u in units]))


def hold_elections(model) -> None:
    """Every few years control may change: reviews stop and partnerships break [002:L367]."""
    councils = model.scenario.councils
    if model.month % (12 * councils.election_years) != 0:
        return
    for council in model.councils:
        if model.rng.random() >= councils.control_change_probability:
            continue
        council.ideology = float(np.clip(council.ideology + model.rng.normal(0.0, 0.5), -1, 1))
        for review in council.reviews:
            if model.rng.random() < 0.5:
                review.status = "stopped"
        council.reviews = [r for r in council.reviews if r.status == "running"]
        for service in list(council.shares_with):
            if model.rng.random() < 0.3:
                end_sharing(model, council, service)
