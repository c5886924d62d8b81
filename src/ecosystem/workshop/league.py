"""The league table of a workshop: how each council's area is doing, from a model's state.

The same measures as the area-wide metrics (`docs/metrics.md`), each taken over one
council's units or residents: survival of the units it is responsible for, coverage of need
in its urban and rural parts, unmet need, its spend against its budget this year, and its
residents' satisfaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosystem.names import UnitStatus

if TYPE_CHECKING:
    from ecosystem.model import EcosystemModel

#: The league table's measures: key -> (heading, whether more is better).
MEASURES: dict[str, tuple[str, bool]] = {
    "survival": ("Services surviving", True),
    "coverage_urban": ("Coverage, urban", True),
    "coverage_rural": ("Coverage, rural", True),
    "unmet_need": ("Unmet need", False),
    "spend_vs_budget": ("Spend / budget", False),
    "satisfaction": ("Satisfaction", True),
}


def council_name(index: int) -> str:
    """A council as a room is shown it: counted from 1 ("Council 1" is the model's 0)."""
    return f"Council {index + 1}"


def council_rows(model: EcosystemModel) -> list[dict[str, float]]:
    """One row per council: its index, the `MEASURES`, and its budget and reserves (GBP k)."""
    res = model.residents
    need, served = res.need, res.served
    reach = _resident_reach(model)
    rows = []
    for council in model.councils:
        mine = res.council == council.index
        units = [u for u in model.units if u.council_id == council.index]
        row = {
            "council": float(council.index),
            "survival": _ratio(sum(u.status == UnitStatus.OPEN for u in units), len(units)),
            "coverage_urban": _coverage(need, reach, mine & ~res.rural),
            "coverage_rural": _coverage(need, reach, mine & res.rural),
            "unmet_need": 1.0 - _ratio(float(served[:, mine].sum()), float(need[:, mine].sum())),
            "spend_vs_budget": _ratio(council.year_spend, council.budget),
            "satisfaction": float(np.average(res.satisfaction[mine],
                                             weights=res.households[mine]))
            if mine.any() else 0.0,
            "budget": float(council.budget),
            "reserves": float(council.reserves),
        }
        rows.append(row)
    return rows


def _resident_reach(model: EcosystemModel) -> np.ndarray | None:
    """(services, residents): whether an open unit is within reach of each resident."""
    res = model.residents
    if res.allocation is None:
        return None
    return res.allocation.cell_reach.reshape(len(res.services), -1)[:, res.cell]


def _coverage(need: np.ndarray, reach: np.ndarray | None, mask: np.ndarray) -> float:
    if reach is None or not mask.any():
        return 0.0
    return _ratio(float((need[:, mask] * reach[:, mask]).sum()), float(need[:, mask].sum()))


def _ratio(a: float, b: float) -> float:
    return float(a) / float(b) if b else 0.0
