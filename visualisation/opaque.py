"""Data handed to a widget that Reacton does not look inside.

Reacton walks every list and dict in a widget element's arguments, item by item, looking for
elements, and compares them with the last render's. A frame's data (the map's units, the
charts' columns) are thousands of items: py-spy on a playing server put two thirds of each
frame in that walk. Wrapped in `Opaque`, the data are one value to Reacton (compared by
identity, so memoise what does not change), and a trait tagged with `to_json` sends what is
inside.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import solara
from ipywidgets import widget_serialization

_default_to_json = widget_serialization["to_json"]


class Opaque:
    """`data`, which Reacton passes on without looking inside."""

    __slots__ = ("data",)

    def __init__(self, data: Any) -> None:
        """Wrap `data` (plain JSON-able lists, dicts and numbers)."""
        self.data = data


def to_json(value: Any, widget: Any) -> Any:
    """A trait's value as sent to the browser: what an `Opaque` holds, else as usual."""
    return value.data if isinstance(value, Opaque) else _default_to_json(value, widget)


def unwrapped(value: Any) -> Any:
    """What `value` holds if it is `Opaque`, else `value` (for tests and tools)."""
    return value.data if isinstance(value, Opaque) else value


def use_opaque(data: Callable[[], Any], dependencies: list[Any]) -> Opaque:
    """`Opaque(data())`, made again when `dependencies` change.

    While the data are equal to the last ones it is the same object, so a widget is not
    sent them again.
    """
    last = solara.use_ref(None)

    def make() -> Opaque:
        fresh = data()
        if last.current is None or last.current.data != fresh:
            last.current = Opaque(fresh)
        return last.current

    return solara.use_memo(make, dependencies)
