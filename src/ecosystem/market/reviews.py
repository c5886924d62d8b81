"""The council's five-stage review of a service [001:L19-70] and its options.

A trigger (budget gap, provider failure or a bottom-up challenge by staff or community
[002:L200; L510]) opens a review of one service. It moves through strategic direction,
options appraisal, business case, transition and launch, each with a duration, a monthly
cost and a board gate that can stop it. At the end of options appraisal the council scores
the options it can take (`appraisal.py`), boundedly rationally: cost saving, risk weighed
by its risk appetite, ideology (0 by default: provider-blind [002:L140]) and the benefits
and concerns councils report (survey Q4 and Q5 [002:L984-1008]), plus noise. External
support (Delivering Differently) shortens and sharpens stages 2 and 3 but not transition
[003:L11].
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ecosystem.agents import Council
from ecosystem.market import shared_services
from ecosystem.market.appraisal import (
    TRANSFER_MIN_VOLUNTEERABLE,
    choose_option,
    community_capacity,
)
from ecosystem.market.options import carry_out
from ecosystem.names import (
    EventKind,
    ReviewOption,
    ReviewStage,
    ReviewStatus,
    ReviewTrigger,
    Spending,
)

if TYPE_CHECKING:
    from ecosystem.model import EcosystemModel
    from ecosystem.world.units import ServiceUnit

STAGES: tuple[ReviewStage, ...] = tuple(ReviewStage)
Option = ReviewOption

#: Supported community asset transfers almost always complete (assumed gate pass).
SUPPORTED_TRANSFER_GATE = 0.95
#: Share of the usual gate failure external support removes at stages 2-3 (assumed).
SUPPORTED_GATE_FAILURE_CUT = 0.5
#: Weight of staff enthusiasm in where challenges come from (power), and a floor so every
#: service can be challenged [002:L200; L510] (assumed).
CHALLENGE_ENTHUSIASM_POWER, CHALLENGE_FLOOR = 4, 0.01
#: External support makes the stages it helps this many times shorter [003:L11] (assumed).
SUPPORTED_SPEED_UP = 2
#: Stages (0-based) that external support shortens and sharpens [003:L11].
SUPPORTED_STAGES = (1, 2)
#: The transition stage (0-based), which a co-operative's many stakeholders slow [002:L534].
TRANSITION_STAGE = STAGES.index(ReviewStage.TRANSITION)


@dataclass
class Review:
    """One service review in progress."""

    council: Council
    service: str
    trigger: ReviewTrigger
    started: int
    stage: int = 0
    months_in_stage: int = 0
    option: str = ""
    status: ReviewStatus = ReviewStatus.RUNNING
    chosen: str = ""  # the option its council's team chose (scenario.decisions)

    def record(self) -> dict[str, Any]:
        """One row of reviews.parquet."""
        stage = STAGES[min(self.stage, len(STAGES) - 1)]
        return {"council": self.council.index, "service": self.service,
                "trigger": self.trigger, "started": self.started, "stage": stage,
                "option": self.option, "status": self.status}


def open_review(model: EcosystemModel, council: Council, service: str,
                trigger: ReviewTrigger) -> Review | None:
    """Start a review unless one of this service is already running."""
    if council.reviewing(service):
        return None
    review = Review(council, service, trigger, model.month)
    council.add_review(review)
    model.reviews.append(review)
    return review


def open_chosen(model: EcosystemModel, council: Council, chosen: Mapping[str, str]) -> None:
    """Its team's reviews: each service reviewed with the option the team chose.

    The review still goes through its stages, gates and costs [001:L19-70]; a service already
    under review takes the team's option if its options appraisal is still to come.
    """
    for service, option in chosen.items():
        review = open_review(model, council, service, ReviewTrigger.DECISION) or next(
            r for r in council.reviews if r.service == service)
        if review.stage <= STAGES.index(ReviewStage.OPTIONS_APPRAISAL):
            review.chosen = option
        model.record_event(EventKind.DECISION, council.index, -1,
                           f"its team chose {option} for {service}"
                           + ("" if review.chosen == option else
                              " too late: its review has passed options appraisal"))


def trigger_reviews(model: EcosystemModel, council: Council) -> None:
    """Budget gap (at budget time) and bottom-up challenges (any month) open reviews."""
    councils = model.params.councils
    in_house = [u for u in council.units if u.is_open and not u.spec.statutory]
    if not in_house:
        return
    year_start = model.month > 1 and (model.month - 1) % 12 == 0
    if year_start and council.discretionary_factor < councils.review_trigger_gap:
        costs: dict[str, float] = {}
        for unit in in_house:
            costs[unit.service] = costs.get(unit.service, 0.0) + unit.allocation
        open_review(model, council, max(sorted(costs), key=lambda s: costs[s]),
                    ReviewTrigger.BUDGET_GAP)
    if model.rng.random() < councils.challenge_rate:
        # challenges come from enthusiastic staff teams or strong communities [002:L200; L510]
        services = sorted({u.service for u in in_house})
        weights = np.array([council.staff_enthusiasm.get(s, 0.0) ** CHALLENGE_ENTHUSIASM_POWER
                            + CHALLENGE_FLOOR for s in services])
        pick = model.rng.choice(len(services), p=weights / weights.sum())
        open_review(model, council, services[pick], ReviewTrigger.CHALLENGE)
    community_challenge(model, council, in_house)


def community_challenge(model: EcosystemModel, council: Council,
                        in_house: list[ServiceUnit]) -> None:
    """The community Right to Challenge [002:L200]: likelier where capacity is high."""
    rate = model.params.capacity.right_to_challenge
    services = sorted({u.service for u in in_house
                       if u.spec.volunteerable >= TRANSFER_MIN_VOLUNTEERABLE})
    if rate <= 0 or not services:
        return
    draw = model.rng.random()
    if draw >= rate:  # capacity is at most 1: no need to average it over the area
        return
    layer = model.grid.community_capacity.data
    if draw >= rate * float(layer[model.land.council == council.index].mean()):
        return
    catalogue = model.params.services.catalogue
    weights = np.array([catalogue[s].volunteerable * community_capacity(model, council, s)
                        + CHALLENGE_FLOOR for s in services])
    pick = model.rng.choice(len(services), p=weights / weights.sum())
    open_review(model, council, services[pick], ReviewTrigger.COMMUNITY_CHALLENGE)


def advance_reviews(model: EcosystemModel, council: Council) -> None:
    """Move every running review one month on, paying its cost and passing its gates.

    Reviews pause while the council is under an emergency spending freeze.
    """
    if council.frozen:
        return
    councils = model.params.councils
    for review in [r for r in council.reviews if r.status == ReviewStatus.RUNNING]:
        if not council.afford(councils.review_cost):
            continue  # it waits for a month the council can pay for it
        council.pay(Spending.REVIEWS, councils.review_cost)
        model.ledger.reviews += councils.review_cost
        review.months_in_stage += 1
        if review.months_in_stage < _duration(model, review.stage, review.option):
            continue
        if model.rng.random() >= _gate_chance(model, review):
            review.status = ReviewStatus.STOPPED
            continue
        if STAGES[review.stage] == ReviewStage.OPTIONS_APPRAISAL:
            review.option = review.chosen or choose_option(model, council, review.service,
                                                           review.trigger)
        if STAGES[review.stage] == ReviewStage.TRANSITION and not carry_out(
                model, council, review.service, ReviewOption(review.option), review.trigger):
            continue  # the transition waits for a month the council can pay its grants
        review.stage += 1
        review.months_in_stage = 0
        if review.stage == len(STAGES):
            review.status = ReviewStatus.COMPLETED
            model.record_event(EventKind.REVIEW, council.index, -1,
                               f"{review.service}: {review.trigger} -> {review.option}")
            model.reviews_completed[review.option] = model.reviews_completed.get(
                review.option, 0) + 1
    council.drop_finished_reviews()


def hold_elections(model: EcosystemModel) -> None:
    """Every few years control may change in each council [002:L367]."""
    if model.month % (12 * model.params.councils.election_years) == 0:
        model.agents_by_type[Council].do("hold_election")
        if model.params.councils.sharing_model == "arrangement":
            shared_services.after_elections(model)


def _duration(model: EcosystemModel, stage: int, option: str = "") -> int:
    """Months a stage takes.

    External support shortens stages 2 and 3 [003:L11]; a co-operative's transition takes
    longer, with more stakeholders to agree [002:L534].
    """
    councils = model.params.councils
    months = councils.review_stage_months[stage]
    if model.params.capacity.external_review_support and stage in SUPPORTED_STAGES:
        return max(1, months // SUPPORTED_SPEED_UP)
    if option == Option.COOPERATIVE and stage == TRANSITION_STAGE:
        return int(round(months * councils.cooperative_decision_slowdown))
    return months


def _gate_chance(model: EcosystemModel, review: Review) -> float:
    """Board gates; stages 2 and 3 weakly done without external support fail more [002:L297]."""
    chance = model.params.councils.gate_pass
    if review.stage in SUPPORTED_STAGES and model.params.capacity.external_review_support:
        chance = 1.0 - SUPPORTED_GATE_FAILURE_CUT * (1.0 - chance)
    if review.option == ReviewOption.COMMUNITY_TRANSFER \
            and review.council.params.capacity.community_support > 0:
        chance = max(chance, SUPPORTED_TRANSFER_GATE)
    return chance
