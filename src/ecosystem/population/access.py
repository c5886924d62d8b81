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

#: A unit whose capacity left is below this share of what was asked of it is full: what is
#: left is rounding from summing many small amounts.
FULL = 1e-9


@dataclass(frozen=True)
class Allocation:
    """What services gave every applicant this month.

    An applicant is one resident's need for one service.
    """

    served: np.ndarray  # need units served, per applicant
    unit: np.ndarray  # unit that served them first (the number of units if none)
    unit_served: np.ndarray  # need units each unit served
    unit_demand: np.ndarray  # need units that first came to each unit
    cell_nearest: np.ndarray  # nearest open unit in catchment of each cell (-1 if none)
    cell_reach: np.ndarray  # an open unit lies within the catchment of each cell


def allocate(choices: np.ndarray, cell: np.ndarray, need: np.ndarray, is_open: np.ndarray,
             capacity: np.ndarray, rank: np.ndarray,
             take_up: np.ndarray | None = None) -> Allocation:
    """Allocate unit capacity to applicants in order of arrival.

    Applicants on one cell share their candidate units, so reach and each round's next
    unit are worked out per cell and only the filling of units is per applicant. Several
    services can be allocated at once: their units are distinct, so give each service its
    own rows of `choices`; a resident applying to every service has the same rank in each.

    Args:
        choices: (cells, R) unit indices in order of distance; -1 pads (no unit).
        cell: (applicants,) row of `choices` for each applicant.
        need: (applicants,) need units of each applicant.
        is_open: (units,) whether each unit is open.
        capacity: (units,) need units each unit can serve this month.
        rank: (applicants,) order of arrival, 0 first; the applicants of one service do
            not share a rank.
        take_up: (units,) share of need an applicant asks for at its nearest unit (charges
            put some off; the rest of their need goes unmet); None: all of it.

    Returns:
        The allocation, with per-applicant and per-unit arrays.
    """
    units, width = len(is_open), choices.shape[1]
    open_unit = np.append(is_open, False)  # index -1 is the "no unit" sentinel
    open_choice = open_unit[choices]
    cell_reach = open_choice.any(axis=1)
    cell_first = open_choice.argmax(axis=1)
    cell_nearest = np.where(cell_reach, choices[np.arange(len(choices)), cell_first], -1)
    remaining = np.append(capacity.astype(float), 0.0)
    queue = _Queue.of(rank)
    # first round: everyone goes to their nearest open unit (no reach: the empty sentinel)
    unit = np.where(cell_reach, cell_nearest, units)[cell]
    want = need * cell_reach[cell]
    if take_up is not None:
        want *= np.append(take_up, 1.0)[unit]
    served, demand, short = queue.fill(unit, want, None, remaining)
    left = np.flatnonzero(short)
    used = unit.copy()  # the unit that served them, if any
    used[left[served[left] <= 0]] = units
    left_cell = cell[left]
    start = cell_first[left_cell] + 1
    # later rounds: whoever is left tries their next nearest unit with room
    for _ in range(1, width):
        if left.size == 0:
            break
        col = _next_with_room(choices, open_unit & (remaining > 0), left_cell, start)
        found = col < width
        left, left_cell, col = left[found], left_cell[found], col[found]
        unit = choices.ravel()[left_cell * width + col]
        got, _, keep = queue.fill(unit, want[left] - served[left], left, remaining)
        served[left] += got
        used[left] = np.where((used[left] == units) & (got > 0), unit, used[left])
        left, left_cell, start = left[keep], left_cell[keep], col[keep] + 1
    unit_served = capacity.astype(float) - remaining[:units]
    return Allocation(served, used, unit_served, demand[:units], cell_nearest, cell_reach)


def _next_with_room(choices: np.ndarray, room: np.ndarray, cell: np.ndarray,
                    start: np.ndarray) -> np.ndarray:
    """For each applicant, its first candidate unit with room from column `start` on.

    Args:
        choices: (cells, R) candidate units; -1 pads.
        room: (units + 1,) whether each unit is open with capacity left (last: padding).
        cell: (applicants,) each applicant's row of `choices`.
        start: (applicants,) the first column to look at.

    Returns:
        (applicants,) column of the unit; R where no unit from `start` on has room.
    """
    width = choices.shape[1]
    if len(cell) * 2 < len(choices):  # few applicants: look at their own candidates
        ok = room[choices[cell]] & (np.arange(width) >= start[:, None])
        return np.where(ok.any(axis=1), ok.argmax(axis=1), width)
    rows = room[choices.T]  # many: work the next column with room out per cell
    col = np.full((width + 1, len(choices)), width)
    for k in range(width - 1, -1, -1):
        col[k] = np.where(rows[k], k, col[k + 1])
    return col.ravel()[start * len(choices) + cell]


@dataclass(frozen=True)
class _Queue:
    """Applicants in order of arrival, counted in blocks of arrivals.

    A unit's applicants in blocks before the one where it fills up are served in full,
    those in blocks after it get nothing, and only the applicants of that block are
    served one by one; so the order is worked out for a few applicants, not all.

    Attributes:
        rank: each applicant's order of arrival.
        block: each applicant's block (blocks of about the square root of the number of
            places).
        blocks: number of blocks.
        size: number of places in the queue (the highest rank plus one).
    """

    rank: np.ndarray
    block: np.ndarray
    blocks: int
    size: int

    @classmethod
    def of(cls, rank: np.ndarray) -> _Queue:
        """The queue of applicants with these ranks."""
        size = int(rank.max(initial=0)) + 1
        shift = size.bit_length() // 2
        return cls(rank, rank >> shift, ((size - 1) >> shift) + 1, size)

    def fill(self, unit: np.ndarray, want: np.ndarray, who: np.ndarray | None,
             remaining: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Serve applicants up to each unit's remaining capacity in order of arrival.

        Each applicant gets what it wants if the applicants to its unit who arrived before
        it leave enough, else what is left, else nothing.

        Args:
            unit: the unit each applicant applies to.
            want: what each applicant asks for.
            who: the applicants (indices into the queue; None: all of them, in order).
            remaining: capacity left per unit (updated in place).

        Returns:
            What each applicant gets, what was asked of each unit, and which applicants
            got less than they wanted.
        """
        units, blocks = len(remaining), self.blocks
        rank, block = (self.rank, self.block) if who is None else (self.rank[who],
                                                                   self.block[who])
        key = unit * blocks + block
        per_block = np.bincount(key, weights=want, minlength=units * blocks)
        through = np.cumsum(per_block.reshape(units, blocks), axis=1)
        asked = through[:, -1]
        full = asked > remaining
        if not full.any():
            remaining -= asked
            return want.copy(), asked, np.zeros(len(want), dtype=bool)
        cut = np.where(full, (through > remaining[:, None]).argmax(axis=1), blocks)
        # per (unit, block): -1 served in full, 0 where the unit fills up, 1 nothing left
        state = np.sign(np.arange(blocks) - cut[:, None]).astype(np.int8).ravel()[key]
        got = np.where(state < 0, want, 0.0)
        short = state > 0
        edge = np.flatnonzero(state == 0)
        if edge.size:
            edge = edge[np.argsort(unit[edge] * self.size + rank[edge])]  # by unit, then rank
            u, w = unit[edge], want[edge]
            before = np.cumsum(w) - w
            starts = np.flatnonzero(np.diff(u, prepend=-1))
            offset = np.zeros(len(edge))
            offset[starts] = before[starts]
            before -= np.maximum.accumulate(offset)
            before += through[u, cut[u]] - per_block[u * blocks + cut[u]]
            got[edge] = np.clip(remaining[u] - before, 0.0, w)
            short[edge] = got[edge] < w * (1 - 1e-12)
        remaining -= asked
        remaining[full | (remaining <= FULL * asked)] = 0.0  # a full unit gave all it had
        return got, asked, short


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
