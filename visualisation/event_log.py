"""The model's events sorted for the feed and the inspector, kept up to date as the run moves.

`model.events` grows by a few rows a month and reaches thousands in a long run. `EventLog`
reads each row once, when it first sees it, and files its position by kind group, by
council and by unit; a frame then reads only the rows it shows. Each model has one log
(`event_log`), shared by every component that shows its events and dropped with the model.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import weakref
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ecosystem import EcosystemModel
from ecosystem.names import EventKind

#: The trainer's and the scenario's lever changes, shown beside the model's events.
LEVER_CHANGES = "levers"
#: Kind groups the feed filters by: key -> (label, event kinds). Every kind is in one group.
GROUPS: dict[str, tuple[str, tuple[EventKind, ...]]] = {
    "cuts": ("Closures and cuts", (EventKind.CLOSURE, EventKind.CLOSURE_NOTICE,
                                   EventKind.SERVICE_LEVEL, EventKind.SPENDING_FREEZE,
                                   EventKind.CHARGES)),
    "contracts": ("Tenders and contracts", (EventKind.TENDER, EventKind.CONTRACT_TERMINATED,
                                            EventKind.SUBCONTRACT,
                                            EventKind.JOINT_VENTURE_FORMED)),
    "failures": ("Failures and takeovers", (EventKind.PROVIDER_FAILURE, EventKind.TAKEOVER,
                                            EventKind.BROUGHT_IN_HOUSE,
                                            EventKind.JOINT_VENTURE_DISSOLVED,
                                            EventKind.OPERATIONS_RETURNED)),
    "community": ("Community", (EventKind.SPIN_OUT, EventKind.ASSET_TRANSFER,
                                EventKind.COMMUNITY_RESCUE)),
    "politics": ("Reviews and elections", (EventKind.REVIEW, EventKind.ELECTION,
                                                      EventKind.DECISION)),
    LEVER_CHANGES: ("Lever changes", ()),
}
GROUP_OF = {kind: key for key, (_, kinds) in GROUPS.items() for kind in kinds}
#: Group of an event kind the feed does not know yet.
OTHER = "cuts"


@dataclass(frozen=True)
class FeedRow:
    """One row of the feed; rows sort by month, then by the order they happened in.

    Attributes:
        month: month it happened (a lever change: the month it takes effect).
        order: position in `model.events`; -1 for a lever change (it fires at the start of
            its month, before that month's events).
        group: kind group key (`GROUPS`).
        council: council index, or -1 for every council (a lever change).
        source: the event row, or the lever change {month, field, value}.
        by_trainer: a lever change made in the app (False: the scenario's own).
    """

    month: int
    order: int
    group: str = ""
    council: int = -1
    source: Mapping[str, Any] | None = None
    by_trainer: bool = False


class EventLog:
    """Positions in `model.events`, by (group, council) and by unit, read incrementally."""

    def __init__(self) -> None:
        self._events: Sequence[Mapping[str, Any]] = ()
        self._seen = 0
        self._lock = threading.Lock()
        self.by_group: dict[tuple[str, int], list[int]] = defaultdict(list)
        self.by_unit: dict[int, list[int]] = defaultdict(list)

    def update(self, events: Sequence[Mapping[str, Any]]) -> EventLog:
        """Read the rows added since the last update (all of them if `events` was replaced)."""
        with self._lock:
            if events is not self._events or len(events) < self._seen:
                self._events, self._seen = events, 0
                self.by_group.clear()
                self.by_unit.clear()
            end = len(events)
            for position in range(self._seen, end):
                self._file(position, events[position])
            self._seen = end
        return self

    def _file(self, position: int, event: Mapping[str, Any]) -> None:
        group = GROUP_OF.get(event["event"], OTHER)
        self.by_group[group, int(event["council"])].append(position)
        self.by_group[group, -1].append(position)
        if int(event["unit"]) >= 0:
            self.by_unit[int(event["unit"])].append(position)

    def count(self, group: str, council: int = -1) -> int:
        """Events of `group` so far, of one council (-1: every council)."""
        return len(self.by_group.get((group, council), ()))

    def latest(self, groups: Iterable[str], council: int, limit: int) -> list[FeedRow]:
        """The newest `limit` events of `groups` and `council` (-1: all), newest first."""
        lists = [self.by_group.get((g, council), []) for g in groups]
        positions = heapq.merge(*(reversed(p[-limit:]) for p in lists), reverse=True)
        return [self.row(p) for p in itertools.islice(positions, limit)]

    def row(self, position: int) -> FeedRow:
        """The feed row of the event at `position`."""
        event = self._events[position]
        return FeedRow(int(event["month"]), position, GROUP_OF.get(event["event"], OTHER),
                       int(event["council"]), event)

    def of_unit(self, unit: int) -> list[Mapping[str, Any]]:
        """The events of one unit, newest first."""
        return [self._events[p] for p in reversed(self.by_unit.get(unit, ()))]


_LOGS: weakref.WeakKeyDictionary[EcosystemModel, EventLog] = weakref.WeakKeyDictionary()
_LOGS_LOCK = threading.Lock()


def event_log(model: EcosystemModel) -> EventLog:
    """The model's event log, brought up to date (made on first use, dropped with the model)."""
    with _LOGS_LOCK:
        log = _LOGS.get(model)
        if log is None:
            log = _LOGS[model] = EventLog()
    return log.update(model.events)


def lever_rows(changes: Iterable[Mapping[str, Any]], interventions: Iterable[Any],
               month: int) -> list[FeedRow]:
    """The trainer's lever changes, and the scenario's interventions reached by `month`."""
    rows = [FeedRow(int(c["month"]), -1, LEVER_CHANGES, -1, c, True) for c in changes]
    for change in interventions:
        if change.month <= month:
            source = {"month": change.month, "field": change.field, "value": change.value}
            rows.append(FeedRow(change.month, -1, LEVER_CHANGES, -1, source, False))
    return rows


def newest_first(events: list[FeedRow], levers: list[FeedRow], limit: int) -> list[FeedRow]:
    """Events (newest first) and lever changes merged, newest first, at most `limit`."""
    ordered = sorted(levers, key=lambda r: (r.month, r.by_trainer), reverse=True)
    merged: Iterator[FeedRow] = heapq.merge(events, ordered,
                                            key=lambda r: (r.month, r.order), reverse=True)
    return list(itertools.islice(merged, limit))
