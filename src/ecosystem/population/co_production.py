"""Co-production: residents of engaged places help design the services they use.

Participation follows community capacity above a threshold, with a lag (the community-led
audit and redesign come first [002:L663]); it makes a co-producible service fit need better
and lowers the demand for it [002:L663-671; L932]; where much of the provision is
hyper-local, fragmentation takes part of the better fit back [002:L932]. Co-producible
services are those residents can take part in running (a volunteerable share above zero).
"""

from __future__ import annotations

import numpy as np

from ecosystem.scenario.schema import Scenario


class CoProduction:
    """Each resident cluster's participation in co-producing its services, 0..1.

    Args:
        scenario: the scenario at month 0 (its catalogue sets which services co-produce).
        residents: number of resident clusters.
    """

    def __init__(self, scenario: Scenario, residents: int) -> None:
        self.participation = np.zeros(residents)
        self.co_producible = np.array(
            [spec.volunteerable > 0 for spec in scenario.services.catalogue.values()])

    def update(self, scenario: Scenario, capacity: np.ndarray, engaged: np.ndarray) -> None:
        """One month: participation moves towards what engagement allows.

        Args:
            scenario: the scenario in force.
            capacity: community capacity of each resident's cell.
            engaged: per resident, whether its council runs co-production this month.
        """
        strategy = scenario.strategy
        threshold = strategy.co_production_threshold
        target = np.clip((capacity - threshold) / (1 - threshold), 0.0, 1.0) * engaged
        self.participation += (target - self.participation) \
            * (1 - np.exp(-1 / strategy.co_production_lag))

    def demand_factor(self, scenario: Scenario) -> np.ndarray:
        """(services, residents) share of need left after co-production."""
        effect = scenario.strategy.co_production_demand_effect
        return 1 - effect * self.co_producible[:, None] * self.participation[None, :]

    def fit(self, scenario: Scenario, hyper_local: np.ndarray | None = None) -> np.ndarray:
        """(services, residents) factor on the quality residents experience.

        Args:
            scenario: the scenario in force.
            hyper_local: per resident, the share of its council's open units run by
                community groups; hyper-local provision fragments and takes back part of
                the gain ('fragmented provision' [002:L932]). None: no fragmentation.
        """
        strategy = scenario.strategy
        gain = strategy.co_production_fit * np.ones_like(self.participation)
        if hyper_local is not None:
            gain = gain - strategy.co_production_fragmentation * hyper_local
        return 1 + gain[None, :] * self.co_producible[:, None] * self.participation[None, :]
