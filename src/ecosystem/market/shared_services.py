"""Shared-service arrangements between councils [002:L411-456].

With `councils.sharing_model = "arrangement"` a review's choice to share a service is a
proposal to the councils within reach. Each one agrees with a chance set by the trust
between the two councils' senior politicians [002:L450], their shared vision (how close
their ideologies are) [002:L450] and, unless a sovereignty guarantee ring-fences every
member's budget and decisions [002:L452], the fear of being taken over [002:L448; L452].
The members who agree form an arrangement hosted by the one with the largest team for the
service; no tender is needed (Teckal [002:L424]). Each member saves on pooled management
[002:L444], less the further its seat is from the host's [002:L448]. When control of a
member changes at an election its new leaders must agree again, with new trust; a member
that does not leaves, and an arrangement left with one member ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ecosystem.agents import Council
from ecosystem.names import EventKind

if TYPE_CHECKING:
    from ecosystem.model import EcosystemModel

#: Beta shape `a` of trust between two councils' senior members; `b` gives the scenario's
#: mean (assumed shape).
TRUST_SHAPE = 2.0
#: Members of the Tri-borough, whose management cut `councils.sharing_management_cut` is
#: [002:L444].
DOCUMENTED_MEMBERS = 3


@dataclass
class SharedService:
    """One arrangement: a host council runs a service for its members (itself included)."""

    service: str
    host: Council
    members: list[Council] = field(default_factory=list)
    started: int = 0

    @property
    def live(self) -> bool:
        """An arrangement needs at least two members."""
        return len(self.members) >= 2


def seat_distance(a: Council, b: Council) -> float:
    """Distance between two councils' seats (km; a cell is about 1 km)."""
    return float(np.hypot(a.seat[0] - b.seat[0], a.seat[1] - b.seat[1]))


def reach_factor(model: EcosystemModel, a: Council, b: Council) -> float:
    """Share of the saving left at the distance between `a` and `b` [002:L448]."""
    return _reach(model, seat_distance(a, b))


def _reach(model: EcosystemModel, distance: float) -> float:
    return max(0.0, 1.0 - distance / model.params.councils.sharing_reach)


def member_saving(model: EcosystemModel, distance: float, size: int) -> float:
    """A member's saving on the service: pooled management [002:L444], thinned by distance.

    Args:
        model: the model (its scenario's sharing parameters).
        distance: from the member's seat to the host's; for the host, the mean distance to
            the members it serves [002:L448].
        size: members, the host included.
    """
    councils = model.params.councils
    merged = (1.0 - 1.0 / size) / (1.0 - 1.0 / DOCUMENTED_MEMBERS)
    cut = min(1.0, councils.sharing_management_cut * merged)
    return councils.sharing_management_share * cut * _reach(model, distance)


def distance_to_host(arrangement: SharedService, member: Council) -> float:
    """A member's distance to the host; the host's mean distance to its members."""
    host = arrangement.host
    if member is not host:
        return seat_distance(member, host)
    others = [seat_distance(host, m) for m in arrangement.members if m is not host]
    return float(np.mean(others)) if others else 0.0


def expected_saving(model: EcosystemModel, council: Council) -> float:
    """What a council's appraisal expects from sharing: a pair with its nearest neighbour."""
    near = [reach_factor(model, council, c) for c in model.councils if c is not council]
    councils = model.params.councils
    pair = (1.0 - 1.0 / 2) / (1.0 - 1.0 / DOCUMENTED_MEMBERS)
    return councils.sharing_management_share * min(1.0, councils.sharing_management_cut
                                                    * pair) * max(near, default=0.0)


def within_reach(model: EcosystemModel, council: Council) -> bool:
    """Whether any other council is near enough for sharing to save anything [002:L448]."""
    return any(reach_factor(model, council, c) > 0 for c in model.councils if c is not council)


def trust(model: EcosystemModel) -> np.ndarray:
    """Trust between each pair of councils' senior members, drawn when first needed."""
    if model.trust is None:
        n = len(model.councils)
        model.trust = np.ones((n, n))
        for i in range(n):
            _draw_trust(model, i)
    return model.trust


def _draw_trust(model: EcosystemModel, i: int) -> None:
    """New trust between council `i`'s leaders and every other council's [002:L450]."""
    assert model.trust is not None
    mean = model.params.councils.sharing_trust
    for j in range(len(model.councils)):
        if j == i:
            continue
        value = 1.0 if mean >= 1.0 else 0.0 if mean <= 0.0 else float(model.reform_rng.beta(
            TRUST_SHAPE, TRUST_SHAPE * (1 - mean) / mean))
        model.trust[i, j] = model.trust[j, i] = value


def agreement_chance(model: EcosystemModel, a: Council, b: Council) -> float:
    """Chance two councils' leaders agree to share: trust, a shared vision, no fear [002:L450].

    The vision gap is half the distance between their ideologies; without a sovereignty
    guarantee the fear of takeover sinks a share of proposals [002:L452].
    """
    councils = model.params.councils
    vision = 1.0 - abs(a.ideology - b.ideology) / 2.0
    fear = 0.0 if councils.sovereignty_guarantee else councils.sharing_takeover_fear
    return float(trust(model)[a.index, b.index]) * vision * (1.0 - fear)


def agree(model: EcosystemModel, a: Council, b: Council, service: str) -> bool:
    """Whether `a` and `b` agree; every request is counted, a failure recorded too."""
    model.sharing_agreements_sought += 1
    if model.reform_rng.random() < agreement_chance(model, a, b):
        return True
    model.sharing_agreements_failed += 1
    model.record_event(EventKind.REVIEW, a.index, -1,
                       f"{service}: council {b.index} did not agree to share (trust "
                       f"{trust(model)[a.index, b.index]:.2f})")
    return False


def propose(model: EcosystemModel, council: Council, service: str) -> SharedService | None:
    """A review chose to share: join the service's arrangement or form one with neighbours.

    Returns:
        The arrangement it is now in, or None if no council within reach agreed.
    """
    if service in council.shares_with:  # another council's proposal took it in meanwhile
        return next((a for a in model.arrangements if a.service == service
                     and council in a.members), None)
    existing = [a for a in model.arrangements if a.service == service and a.live
                and reach_factor(model, council, a.host) > 0]
    if existing:
        arrangement = min(existing, key=lambda a: seat_distance(council, a.host))
        if not agree(model, council, arrangement.host, service):
            return None
        arrangement.members.append(council)
        _settle(model, arrangement)
        return arrangement
    partners = sorted((c for c in model.councils if c is not council
                       and service not in c.shares_with
                       and reach_factor(model, council, c) > 0),
                      key=lambda c: seat_distance(council, c))
    members = [council] + [c for c in partners if agree(model, council, c, service)]
    if len(members) < 2:
        return None
    host = max(members, key=lambda c: (_team_cost(c, service), -c.index))
    arrangement = SharedService(service, host, members, model.month)
    model.arrangements.append(arrangement)
    _settle(model, arrangement)
    return arrangement


def _team_cost(council: Council, service: str) -> float:
    """Monthly cost of a council's in-house team for `service`: the biggest hosts it."""
    return sum(u.net_cost(council) for u in council.units if u.service == service and u.is_open)


def _settle(model: EcosystemModel, arrangement: SharedService) -> None:
    """Set each member's link to the host and its saving for the arrangement's size."""
    size = len(arrangement.members)
    for member in arrangement.members:
        member.shares_with[arrangement.service] = arrangement.host.index
        member.shared_saving[arrangement.service] = member_saving(
            model, distance_to_host(arrangement, member), size)
    names = ", ".join(str(m.index) for m in arrangement.members)
    model.record_event(EventKind.REVIEW, arrangement.host.index, -1,
                       f"{arrangement.service}: council {arrangement.host.index} hosts a "
                       f"shared service for councils {names}")


def _leave(member: Council, service: str) -> None:
    member.shares_with.pop(service, None)
    member.shared_saving.pop(service, None)


def after_elections(model: EcosystemModel) -> None:
    """Members whose control changed re-agree with new leaders, or leave [002:L367; L450]."""
    changed = [c for c in model.councils if c.control_changed]
    if not changed:
        return
    if model.trust is not None:  # new leaders: new trust with every other council
        for council in changed:
            _draw_trust(model, council.index)
    for arrangement in [a for a in model.arrangements if a.live]:
        for council in changed:
            if council in arrangement.members:
                _reagree(model, arrangement, council)
        if arrangement.live:
            _settle(model, arrangement)
        else:
            for member in arrangement.members:
                _leave(member, arrangement.service)
            arrangement.members.clear()
            model.shared_services_ended += 1
            model.record_event(EventKind.ELECTION, arrangement.host.index, -1,
                               f"the shared {arrangement.service} service ended")


def _reagree(model: EcosystemModel, arrangement: SharedService, council: Council) -> None:
    """After a change of control: a member re-agrees with the host; a host with each member."""
    if council is arrangement.host:
        for member in [m for m in arrangement.members if m is not council]:
            if council in arrangement.members and not agree(
                    model, council, member, arrangement.service):
                arrangement.members.remove(member)
                _leave(member, arrangement.service)
    elif not agree(model, council, arrangement.host, arrangement.service):
        arrangement.members.remove(council)
        _leave(council, arrangement.service)
