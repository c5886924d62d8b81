"""Residents' access to services: array code over all residents at once.

Each resident uses the nearest open unit of a service, within its catchment, that still has
capacity. Capacity is handed out in a random order of residents, as if they arrived one by
one: within a round, applicants to an over-subscribed unit are served in that order until
the unit is full, and whoever is left over tries their next nearest unit in the next round.
`allocate_sequential` is the plain one-by-one reference the tests compare against.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Allocation:
    """What one service gave every resident this month."""

    served: np.ndarray  # need units served, per resident
    unit: np.ndarray  # unit that served them first (the number of units if none)
    unit_served: np.ndarray  # need units each unit served
    unit_demand: np.ndarray  # need units that first came to each unit
    cell_nearest: np.ndarray  # nearest open unit in catchment of each cell (-1 if none)
    cell_reach: np.ndarray  # an open unit lies within the catchment of each cell


def allocate(
    choices: np.ndarray, cell: np.ndarray, need: np.ndarray, is_open: np.ndarray,
    capacity: np.ndarray, rank: np.ndarray, arrival: np.ndarray | None = None,
) -> Allocation:
    """Allocate unit capacity to residents.

    Residents on one cell share their candidate units, so reach is worked out per cell and
    only the filling of units is per resident.

    Args:
        choices: (cells, R) unit indices in order of distance; -1 pads (no unit).
        cell: (residents,) row of `choices` for each resident.
        need: (residents,) need units of this service.
        is_open: (units,) whether each unit is open.
        capacity: (units,) need units each unit can serve this month.
        rank: (residents,) arrival order, a permutation (lower goes first).
        arrival: residents in order of arrival (the inverse of `rank`), if already known.

    Returns:
        The allocation, with per-resident and per-unit arrays.
    """
    units = len(is_open)
    open_choice = np.append(is_open, False)[choices]  # index -1 is the "no unit" sentinel
    cell_reach = open_choice.any(axis=1)
    cell_first = open_choice.argmax(axis=1)
    cell_nearest = np.where(cell_reach, choices[np.arange(len(choices)), cell_first], -1)
    remaining = np.append(capacity.astype(float), 0.0)
    # first round: everyone goes to their nearest open unit (no reach: the empty sentinel)
    unit = np.where(cell_reach, cell_nearest, units)[cell]
    want = need * cell_reach[cell]
    demand = np.bincount(unit, weights=want, minlength=units + 1)
    if arrival is None:
        arrival = arrival_order(rank)
    served, queue = _fill_in_order(unit, want, arrival, remaining)
    used = unit  # only applicants to full units can come away with nothing (or too little)
    used[queue[served[queue] <= 0]] = units
    left = queue[served[queue] < want[queue] * (1 - 1e-12)]
    left = left[np.argsort(rank[left], kind="stable")]  # in arrival order from here on
    start = cell_first[cell[left]] + 1
    # later rounds: whoever is left tries their next nearest unit with room
    cols = np.arange(choices.shape[1])
    for _ in range(1, choices.shape[1]):
        if left.size == 0:
            break
        mine = choices[cell[left]]
        avail = open_choice[cell[left]] & (remaining[mine] > 0) & (cols >= start[:, None])
        found = avail.any(axis=1)
        left, mine, avail = left[found], mine[found], avail[found]
        col = avail.argmax(axis=1)
        unit = mine[np.arange(len(left)), col]
        got, _ = _fill_in_order(unit, need[left] - served[left], np.arange(len(left)),
                                remaining)
        served[left] += got
        used[left] = np.where((used[left] == units) & (got > 0), unit, used[left])
        keep = served[left] < need[left] * (1 - 1e-12)
        left, start = left[keep], col[keep] + 1
    unit_served = capacity.astype(float) - remaining[:units]
    return Allocation(served, used, unit_served, demand[:units], cell_nearest, cell_reach)


def arrival_order(rank: np.ndarray) -> np.ndarray:
    """Residents in order of arrival, from each resident's rank."""
    arrival = np.empty_like(rank)
    arrival[rank] = np.arange(len(rank))
    return arrival


def _fill_in_order(unit: np.ndarray, want: np.ndarray, arrival: np.ndarray,
                   remaining: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Serve applicants up to each unit's remaining capacity in order of arrival.

    Args:
        unit: the unit each applicant applies to.
        want: what each applicant asks for.
        arrival: applicant positions in order of arrival.
        remaining: capacity left per unit (updated in place).

    Returns:
        What each applicant gets, and the applicants to units that were full (only they can
        get less than they want).
    """
    asked = np.bincount(unit, weights=want, minlength=len(remaining))
    got = want.copy()
    crowded = asked > remaining
    queue = np.zeros(0, dtype=np.int64)
    if crowded.any():
        queue = arrival[crowded[unit][arrival]]  # applicants to full units, in arrival order
        small = np.int16 if len(remaining) < np.iinfo(np.int16).max else np.int64
        queue = queue[np.argsort(unit[queue].astype(small), kind="stable")]  # radix sort
        u, w = unit[queue], want[queue]
        before = np.cumsum(w) - w
        starts = np.flatnonzero(np.r_[True, u[1:] != u[:-1]])
        offset = np.zeros(len(queue))
        offset[starts] = before[starts]
        before -= np.maximum.accumulate(offset)
        got[queue] = np.clip(remaining[u] - before, 0.0, w)
    remaining -= np.bincount(unit, weights=got, minlength=len(remaining))
    np.maximum(remaining, 0.0, out=remaining)
    return got, queue


def allocate_sequential(choices: np.ndarray, need: np.ndarray, is_open: np.ndarray,
                        capacity: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Reference: residents one at a time in rank order, each to its nearest open unit with room.

    Slow (a Python loop per resident); for tests only. Returns need served per resident.
    """
    remaining = capacity.astype(float).copy()
    served = np.zeros(len(need))
    for i in np.argsort(rank, kind="stable"):
        for unit in choices[i]:
            if unit < 0 or not is_open[unit] or remaining[unit] <= 0:
                continue
            take = min(remaining[unit], need[i] - served[i])
            served[i] += take
            remaining[unit] -= take
            if served[i] >= need[i]:
                break
    return served


def candidate_units(
    cell_xy: np.ndarray, cell_council: np.ndarray, cell_broadband: np.ndarray,
    unit_xy: np.ndarray, unit_council: np.ndarray, unit_ids: np.ndarray,
    catchment: float, remote: float, width: int = 6,
) -> np.ndarray:
    """For each cell, up to `width` units of its own council within reach, nearest first.

    Broadband shortens the effective distance of remotely deliverable services.
    """
    dx = cell_xy[:, None, 0] - unit_xy[None, :, 0]
    dist = np.hypot(dx, cell_xy[:, None, 1] - unit_xy[None, :, 1])
    dist *= (1.0 - remote * cell_broadband)[:, None]
    dist[cell_council[:, None] != unit_council[None, :]] = np.inf
    dist[dist > catchment] = np.inf
    order = np.argsort(dist, axis=1, kind="stable")[:, :width]
    reach = np.take_along_axis(dist, order, axis=1)
    out = np.where(np.isfinite(reach), unit_ids[order], -1)
    if out.shape[1] < width:
        out = np.pad(out, ((0, 0), (0, width - out.shape[1])), constant_values=-1)
    return out
