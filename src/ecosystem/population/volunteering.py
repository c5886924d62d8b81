"""Volunteering and community capacity, as array code over residents and cells.

Willingness turns into hours with a say-do gap [000:L43]; it rises when a valued local
service is threatened and cannot be commanded by the council [002:L691]; effort burns out;
community capacity grows with support and decays without it, and withdrawn support leaves
resentment that lowers later volunteering [002:L693].
"""

from __future__ import annotations

import numpy as np

from ecosystem.population.residents import ResidentArrays
from ecosystem.scenario.schema import Scenario

#: Hours a month from which a resident cluster counts as volunteering (assumed).
ACTIVE_HOURS = 1.0
#: Effort above this share of a cluster's potential strains it towards burnout (assumed).
STRAIN_THRESHOLD = 0.8
#: Monthly persistence of burnout, and the weight of this month's strain (they sum to 1;
#: assumed).
BURNOUT_MEMORY, STRAIN_WEIGHT = 0.9, 0.1
#: Share of the gap to its potential a cluster's hours close each month (assumed).
HOURS_ADJUSTMENT = 0.25
#: Key people are the volunteers above this quantile of hours [002:L353] (assumed).
KEY_PERSON_QUANTILE = 0.9
#: Beta shape `a` of willingness; `b` is set so the mean is the scenario's willingness.
WILLINGNESS_SHAPE = 2.0


class VolunteerArrays:
    """Volunteer effort per resident cluster, and the unit it goes to.

    Attributes:
        willingness: latent share of households willing to volunteer (beta-distributed).
        hours: hours a month given; unit: unit served (-1 none).
        tenure: months volunteering without a break; burnout: 0..1.
        key_person: among the top tenth of volunteers by hours.
    """

    def __init__(self, scenario: Scenario, residents: ResidentArrays,
                 rng: np.random.Generator) -> None:
        self.cell_units = np.zeros((0, 0), dtype=np.int64)  # per volunteerable service
        self.cell_share = np.zeros((0, 0))  # share of a cell's effort each of them gets
        n = len(residents)
        mean = scenario.population.volunteer_willingness
        self.willingness = rng.beta(
            WILLINGNESS_SHAPE, WILLINGNESS_SHAPE * (1 - mean) / max(mean, 1e-6), n) if mean > 0 \
            else np.zeros(n)
        self.hours = np.zeros(n)
        self.unit = np.full(n, -1, dtype=np.int64)
        self.tenure = np.zeros(n, dtype=np.int64)
        self.burnout = np.zeros(n)
        self.key_person = np.zeros(n, dtype=bool)
        self.volunteerable = np.array(
            [spec.volunteerable for spec in scenario.services.catalogue.values()]
        )

    def update(self, scenario: Scenario, residents: ResidentArrays, cell_capacity: np.ndarray,
               cell_resentment: np.ndarray, unit_threat: np.ndarray,
               unit_appeal: np.ndarray) -> None:
        """One month of volunteering.

        Args:
            scenario: the scenario in force.
            residents: resident arrays (households, allocations of this month).
            cell_capacity: community capacity of each populated cell (rows of `choices`).
            cell_resentment: resentment of withdrawn support in each populated cell, 0..1.
            unit_threat: per unit, 1 if threatened (degraded), else 0.
            unit_appeal: per unit, how much volunteers are drawn to it (0 if it takes none).
        """
        pop = scenario.population
        target, cell_threat = self._choose_units(residents, unit_threat, unit_appeal)
        # what a cell's conditions make of each household's willingness, worked out per cell
        cell_factor = (cell_capacity * (1 - cell_resentment) * (1 + pop.threat_boost * cell_threat)
                       * (pop.say_do_ratio * pop.hours_per_volunteer))
        potential = residents.households * self.willingness * cell_factor[residents.cell]
        potential[target < 0] = 0.0
        strain = np.clip(self.hours / np.maximum(potential, 1e-9) - STRAIN_THRESHOLD, 0.0, 1.0)
        self.burnout = BURNOUT_MEMORY * self.burnout + STRAIN_WEIGHT * strain
        churn = pop.burnout_rate * (1 + self.burnout)
        self.hours += HOURS_ADJUSTMENT * (potential - self.hours) - churn * self.hours
        np.maximum(self.hours, 0.0, out=self.hours)
        active = self.hours >= ACTIVE_HOURS
        self.unit = np.where(active, target, -1)
        self.tenure = np.where(active, self.tenure + 1, 0)
        cutoff = np.quantile(self.hours[active], KEY_PERSON_QUANTILE) if active.any() else np.inf
        self.key_person = active & (self.hours >= cutoff)

    def _choose_units(self, residents: ResidentArrays, unit_threat: np.ndarray,
                      unit_appeal: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where each cluster's volunteering goes: its nearest volunteerable units.

        Worked out per cell (residents of a cell share their nearest units). Effort is
        shared among those units in proportion to their appeal (`cell_share`); each
        cluster's own unit, for its Volunteer agent, is the most appealing one.
        """
        appeal = np.append(unit_appeal, 0.0)  # index -1: no unit
        threatened = np.append(unit_threat, 0.0)
        volunteerable = [s for s in range(len(self.volunteerable)) if self.volunteerable[s] > 0]
        self.cell_units = residents.cell_nearest[volunteerable]
        scores = self.volunteerable[volunteerable, None] * appeal[self.cell_units]
        total = scores.sum(axis=0)
        self.cell_share = np.divide(scores, total, out=np.zeros_like(scores), where=total > 0)
        best = np.where(total > 0, self.cell_units[scores.argmax(axis=0),
                                                   np.arange(scores.shape[1])], -1)
        threat = threatened[self.cell_units].max(axis=0)
        return best[residents.cell], threat

    def hours_by_unit(self, residents: ResidentArrays, units: int) -> np.ndarray:
        """Volunteer hours each unit received this month."""
        cell_hours = np.bincount(residents.cell, weights=self.hours,
                                 minlength=self.cell_units.shape[1])
        into = self.cell_units >= 0
        return np.bincount(self.cell_units[into], weights=(self.cell_share * cell_hours)[into],
                           minlength=units)


def update_capacity(scenario: Scenario, capacity: np.ndarray, cell_council: np.ndarray,
                    support: np.ndarray) -> np.ndarray:
    """Community capacity per cell: grows with council support, decays without it.

    Args:
        scenario: the scenario in force.
        capacity: (width, height) capacity 0..1.
        cell_council: (width, height) owning council.
        support: per council, capacity-building spend (GBP k/year).
    """
    cap = scenario.capacity
    intensity = support / (support + cap.support_saturation)
    growth = cap.support_effect * intensity[cell_council] * (1 - capacity)
    return np.clip(capacity + growth - cap.capacity_decay * capacity, 0.0, 1.0)
