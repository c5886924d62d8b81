"""A council's own decisions (`scenario.decisions`): its own levers and service priorities.

A council with no decisions of its own reads the scenario's levers (`params` is
`model.params`); once a decision sets a lever for it, it reads the scenario with its own
values in place, re-made whenever an intervention changes the scenario.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from ecosystem.names import EventKind
from ecosystem.scenario.decisions import PRIORITY_CUT, Decision

if TYPE_CHECKING:
    from ecosystem.model import EcosystemModel
    from ecosystem.scenario.schema import Scenario


class Decider(Protocol):
    """What its own decisions read and set on the council they are part of (`Council`)."""

    model: EcosystemModel
    index: int
    own_levers: dict[str, Any]
    priorities: dict[str, str]
    _own_params: tuple[Scenario, Scenario] | None


class OwnDecisions:
    """A council's own levers and priorities: the methods `Council` takes from it."""

    _own_params: tuple[Scenario, Scenario] | None

    @property
    def params(self: Decider) -> Scenario:
        """The scenario as this council reads it: the model's, with its own levers set."""
        scenario = self.model.params
        if not self.own_levers:
            return scenario
        cached = self._own_params
        if cached is not None and cached[0] is scenario:
            return cached[1]
        own = scenario
        for path, value in self.own_levers.items():
            own = own.applying(path, value)
        self._own_params = (scenario, own)
        return own

    def decide(self: Decider, decision: Decision) -> None:
        """Take its team's `decision`: set its levers and service priorities.

        The reviews it chose are opened by the market (`reviews.open_chosen`).
        """
        if decision.levers:
            self.own_levers = {**self.own_levers, **decision.levers}
            self._own_params = None
        for service, priority in decision.priorities.items():
            if priority == "as_planned":
                self.priorities.pop(service, None)
            else:
                self.priorities[service] = priority
        changes = [f"{path.split('.')[-1]} = {value}" for path, value in decision.levers.items()]
        changes += [f"{service}: {priority}" for service, priority in decision.priorities.items()]
        if changes:
            self.model.record_event(EventKind.DECISION, self.index, -1,
                                    "its team decided: " + "; ".join(changes))

    def priority_cut(self: Decider, service: str) -> float:
        """How much of the savings plan's cut `service` takes, relative to its value alone."""
        return PRIORITY_CUT.get(self.priorities.get(service, ""), 1.0)
