"""Behaviour change ('nudge'): demand falls slowly, as far as residents trust the messenger.

The demand left is d(t) = 1 - effect * (1 - exp(-t / tau)) * trust (evidence.md N1): change
'is not something that happens overnight' [002:L619], and residents 'are often mistrustful
of councils' motives' [002:L617]. Using residents and members as messengers closes part of
the trust gap [002:L617]; dis-benefits provoke resistance [002:L617], which costs trust.
It removes need and closes nothing: it is 'complimentary to' provision, not an exit
[002:L619].
"""

from __future__ import annotations

import numpy as np

from ecosystem.scenario.schema import Scenario


class BehaviourChange:
    """Months of behaviour change so far, and the reduction it makes per resident.

    Args:
        scenario: the scenario at month 0 (its catalogue sets the service order).
        residents: number of resident clusters.
    """

    def __init__(self, scenario: Scenario, residents: int) -> None:
        self.services = list(scenario.services.catalogue)
        self.months = 0
        self.reduction = np.zeros(residents)

    def advance(self, scenario: Scenario, trust: np.ndarray) -> None:
        """One month: the campaign builds up while it runs and stops when it is dropped.

        Args:
            scenario: the scenario in force.
            trust: each resident's trust in the council, 0..1.
        """
        strategy = scenario.strategy
        self.months = self.months + 1 if strategy.behaviour_change else 0
        build_up = 1 - np.exp(-self.months / (12 * strategy.behaviour_change_years))
        messenger = trust + strategy.resident_messengers * (1 - trust)
        self.reduction = strategy.behaviour_change_effect * build_up * messenger

    def demand_factor(self, scenario: Scenario) -> np.ndarray:
        """(services, residents) share of need left after behaviour change."""
        targeted = np.isin(self.services, scenario.strategy.behaviour_change_services)
        return 1 - targeted[:, None] * self.reduction[None, :]

    def resistance(self, scenario: Scenario) -> np.ndarray:
        """Trust each resident loses this month to dis-benefits (0 without them)."""
        return scenario.strategy.dis_benefit_resistance * self.reduction
