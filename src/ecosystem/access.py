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
    unit: np.ndarray  # unit that served them first (-1 if none)
    nearest_open: np.ndarray  # nearest open unit in catchment (-1 if none)
    has_access: np.ndarray  # an open unit lies within the catchment
    unit_served: np.ndarray  # need units each unit served
    unit_demand: np.ndarray  # need units that first came to each unit


def allocate(
    choices: np.ndarray, need: np.ndarray, is_open: np.ndarray, capacity: np.ndarray,
    rank: np.ndarray,
) -> Allocation:
    """Allocate unit capacity to residents.

    Args:
        choices: (residents, R) unit indices in order of distance; -1 pads (no unit).
        need: (residents,) need units of this service.
        is_open: (units,) whether each unit is open.
        capacity: (units,) need units each unit can serve this month.
        rank: (residents,) arrival order, a permutation (lower goes first).

    Returns:
        The allocation, with per-resident and per-unit arrays.
    """
    n, width = choices.shape
    units = len(is_open)
    open_ext = np.append(is_open, False)  # index -1 is the "no unit" sentinel
    open_choice = open_ext[choices]
    has_access = open_choice.any(axis=1)
    first_col = open_choice.argmax(axis=1)
    nearest_open = np.where(has_access, choices[np.arange(n), first_col], -1)
    remaining = np.append(capacity.astype(float), 0.0)
    served = np.zeros(n)
    used = np.full(n, -1, dtype=np.int64)
    demand = np.bincount(nearest_open[has_access], weights=need[has_access], minlength=units)
    active = np.flatnonzero(has_access & (need > 0))
    start = np.zeros(n, dtype=np.int64)
    cols = np.arange(width)
    for _ in range(width):
        if active.size == 0:
            break
        avail = open_choice[active] & (remaining[choices[active]] > 0)
        avail &= cols[None, :] >= start[active][:, None]
        found = avail.any(axis=1)
        active = active[found]
        col = avail[found].argmax(axis=1)
        unit = choices[active, col]
        got = _fill_in_order(unit, need[active] - served[active], rank[active], remaining)
        served[active] += got
        used[active] = np.where((used[active] < 0) & (got > 0), unit, used[active])
        start[active] = col + 1
        active = active[served[active] < need[active] * (1 - 1e-12)]
    unit_served = capacity.astype(float) - remaining[:units]
    return Allocation(served, used, nearest_open, has_access, unit_served, demand[:units])


def _fill_in_order(unit: np.ndarray, want: np.ndarray, rank: np.ndarray,
                   remaining: np.ndarray) -> np.ndarray:
    """Serve applicants up to each unit's remaining capacity, in rank order; update remaining."""
    asked = np.bincount(unit, weights=want, minlength=len(remaining))
    short = asked > remaining
    got = want.copy()
    crowded = short[unit]
    if crowded.any():
        idx = np.flatnonzero(crowded)
        order = idx[np.lexsort((rank[idx], unit[idx]))]
        u, w = unit[order], want[order]
        before = np.cumsum(w) - w
        starts = np.flatnonzero(np.r_[True, u[1:] != u[:-1]])
        offset = np.zeros(len(order))
        offset[starts] = before[starts]
        before -= np.maximum.accumulate(offset)
        got[order] = np.clip(remaining[u] - before, 0.0, w)
    remaining -= np.bincount(unit, weights=got, minlength=len(remaining))
    np.maximum(remaining, 0.0, out=remaining)
    return got


def allocate_sequential(choices, need, is_open, capacity, rank) -> np.ndarray:
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
