"""Snapshots of a run's past months, so going back to one of them is cheap.

A snapshot is the whole model (Mesa agents, grid, numpy generators, records and events)
pickled and compressed with zlib at level 1: about 1.9 MB for the baseline world (5.8 MB
pickled, 0.09 s to compress, 0.03 s to decompress). One is kept every `every` months. When
more than `limit` would be kept, every other one is let go and the spacing doubles, so a
session never holds more than `limit` snapshots however long it runs, and going back never
re-steps more than `every` - 1 months from the nearest one.

Mesa 3.5's grid cells belong to a class made for each grid, which Mesa pickles by hand but
restores as a new class for every cell, a class it cannot pickle again. `freeze` pickles
cells the same way and restores the cells of one snapshot under one class, so a model that
was restored can be pickled again.
"""

from __future__ import annotations

import contextvars
import io
import pickle
import zlib
from dataclasses import dataclass, field
from typing import Any

from mesa.discrete_space import Cell

from ecosystem import EcosystemModel

#: The cell class made for each base class while one snapshot is being restored.
_cell_classes: contextvars.ContextVar[dict[type, type] | None] = contextvars.ContextVar(
    "cell_classes", default=None)

#: Months between snapshots, to begin with.
SNAPSHOT_EVERY = 12
#: Most snapshots a session keeps: 12 x about 1.9 MB for the baseline world.
MAX_SNAPSHOTS = 12
#: zlib level: the fastest, which already shrinks a pickled model about threefold.
COMPRESSION = 1


@dataclass
class Snapshots:
    """Compressed copies of a model at months 0, `every`, 2 x `every`, ..."""

    every: int = SNAPSHOT_EVERY
    limit: int = MAX_SNAPSHOTS
    _kept: dict[int, bytes] = field(default_factory=dict, repr=False)
    _first_every: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.every < 1 or self.limit < 2:
            raise ValueError("snapshots need a spacing of 1 month or more and room for 2")
        self._first_every = self.every

    @property
    def months(self) -> list[int]:
        """The months kept, earliest first."""
        return sorted(self._kept)

    @property
    def nbytes(self) -> int:
        """Bytes the snapshots hold."""
        return sum(len(blob) for blob in self._kept.values())

    def offer(self, model: EcosystemModel) -> None:
        """Keep a copy of `model` if its month falls on the spacing and is not kept yet."""
        if model.month % self.every or model.month in self._kept:
            return
        self._kept[model.month] = freeze(model)
        if len(self._kept) > self.limit:
            self._thin()

    def _thin(self) -> None:
        """Double the spacing and let go of the snapshots off it (month 0 always stays)."""
        self.every *= 2
        self._kept = {month: blob for month, blob in self._kept.items()
                      if month % self.every == 0}

    def keep(self, month: int, frozen: bytes) -> None:
        """Keep `frozen`, a snapshot made by `freeze`, as the one of `month`."""
        self._kept[month] = frozen

    def nearest(self, month: int) -> EcosystemModel:
        """A fresh copy of the model at the latest kept month at or before `month`.

        Raises:
            LookupError: nothing is kept at or before `month`.
        """
        kept = [m for m in self._kept if m <= month]
        if not kept:
            raise LookupError(f"no snapshot at or before month {month}")
        return thaw(self._kept[max(kept)])

    def clear(self) -> None:
        """Let go of every snapshot and go back to the first spacing (a new run begins)."""
        self._kept = {}
        self.every = self._first_every

    def forget_after(self, month: int) -> None:
        """Let go of the snapshots of months after `month` (that future will be re-run)."""
        self._kept = {m: blob for m, blob in self._kept.items() if m <= month}


def freeze(model: EcosystemModel) -> bytes:
    """`model` pickled and compressed."""
    buffer = io.BytesIO()
    _ModelPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(model)
    return zlib.compress(buffer.getbuffer(), COMPRESSION)


def thaw(blob: bytes) -> EcosystemModel:
    """A new model from what `freeze` made."""
    token = _cell_classes.set({})
    try:
        return pickle.loads(zlib.decompress(blob))
    finally:
        _cell_classes.reset(token)


class _ModelPickler(pickle.Pickler):
    """A pickler that stores each grid cell as its base class and its fields."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, Cell) and type(obj).__name__ == "GridCell":
            return _grid_cell, (type(obj).__bases__[0], obj.__getstate__())
        return NotImplemented


def _grid_cell(base: type, fields: tuple[Any, dict[str, Any]]) -> Cell:
    """A grid cell of `base` with `fields`, its class shared by the snapshot's cells.

    As Mesa's `unpickle_gridcell`, which makes a class per cell.
    """
    classes = _cell_classes.get()
    if classes is None:
        classes = {}
    if base not in classes:
        classes[base] = type("GridCell", (base,), {"_mesa_properties": set(), "__slots__": ()})
    cell = classes[base]((0, 0))  # the coordinate, like every field, is set next
    for name, value in fields[1].items():
        setattr(cell, name, value)
    return cell
