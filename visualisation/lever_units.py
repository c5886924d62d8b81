"""Lever values in plain units, and slider steps that are round yet keep every value.

A slider snaps whatever it is given to its grid (Vuetify rounds the value it is handed and
sends the rounded one back), so a grid that missed the default would silently change the
lever. `slider_step` therefore takes the roundest step whose grid holds both the default and
the current value: a 1-2-5 step of about a hundredth of the range when it can, a finer 1-2-5
step when the default lies off that grid, and no grid at all (0) as a last resort.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

#: Steps as fractions of a range: the roundest grid aimed for, and the finest tried.
AIMED_STEPS_PER_RANGE = 100
FINEST_STEPS_PER_RANGE = 100_000
#: How close to a grid point a value must be to count as on the grid (in steps).
GRID_TOLERANCE = 1e-6

#: Units shown as a percentage, with what follows the number.
PERCENT_UNITS = {"share": "", "probability": "", "share/year": " a year",
                 "per month": " a month", "per year": " a year", "sd": " (sd)"}
#: Units in thousands of pounds, with what follows the amount.
MONEY_UNITS = {"GBP k": "", "GBP k/year": " a year", "GBP k/month": " a month",
               "GBP k/hour": " an hour"}
#: Units counted in whole things (singular name).
COUNT_UNITS = {"years": "year", "months": "month", "providers": "provider"}


def one_two_five_below(top: float) -> Iterator[float]:
    """The 1-2-5 numbers (..., 0.1, 0.2, 0.5, 1, 2, 5, ...) from the largest <= top, down."""
    exponent = math.floor(math.log10(top))
    while True:
        for mantissa in (5, 2, 1):
            step = _clean(mantissa * 10.0 ** exponent)
            if step <= top * (1 + GRID_TOLERANCE):
                yield step
        exponent -= 1


def aimed_step(span: float) -> float:
    """The 1-2-5 step nearest (in ratio) a hundredth of `span`."""
    aim = span / AIMED_STEPS_PER_RANGE
    ladder = one_two_five_below(aim * 2.5)  # the next 1-2-5 number up is at most 2.5 times
    above = next(ladder)
    below = next(ladder)
    while below > aim * (1 + GRID_TOLERANCE):
        above, below = below, next(ladder)
    return above if above / aim < aim / below else below


def on_grid(value: float, start: float, step: float) -> bool:
    """Whether `value` is a whole number of `step`s from `start`."""
    steps = (value - start) / step
    return abs(steps - round(steps)) < GRID_TOLERANCE


def slider_step(spec: dict[str, Any], value: float | None = None,
                aim: float | None = None) -> float:
    """The roundest step whose grid (from the minimum) holds the default and `value`.

    Args:
        spec: The field's spec (`field_specs()` row).
        value: The lever's current value, kept on the grid too when given.
        aim: The step wanted (the key levers name theirs); else about a hundredth of the
            range, on the 1-2-5 ladder.

    Returns:
        1 for a whole-number field; else the first 1-2-5 step at or below `aim` whose grid
        holds both values, down to a hundred-thousandth of the range; else 0 (no grid, so
        the slider never moves a value it is given).
    """
    if spec["type"] == "int":
        return 1
    low, span = float(spec["min"]), float(spec["max"]) - float(spec["min"])
    if span <= 0:
        return 0.0
    kept = [float(spec["default"])] + ([] if value is None else [float(value)])
    for step in one_two_five_below(aim or aimed_step(span)):
        if step < span / FINEST_STEPS_PER_RANGE:
            return 0.0
        if all(on_grid(v, low, step) for v in kept):
            return step


def snap(value: float, low: float, step: float) -> float:
    """`value` on the grid of `step` from `low`, without float noise (0.29, not 0.29000004)."""
    if step <= 0:
        return float(value)
    return _clean(low + round((value - low) / step) * step)


def _clean(number: float) -> float:
    """`number` without binary noise: twelve significant digits (0.1 * 3 -> 0.3)."""
    return float(f"{number:.12g}")


def _decimals(step: float) -> int:
    """Decimals needed to write multiples of `step` (0.05 -> 2, 10 -> 0)."""
    if step <= 0:
        return 6
    for places in range(12):
        if abs(round(step, places) - step) < step * GRID_TOLERANCE:
            return places
    return 12


def plain(spec: dict[str, Any], value: Any, step: float) -> str:
    """`value` of a lever in plain units: "28 %", "GBP 150k a year", "5 years", "on".

    Args:
        spec: The field's spec (`field_specs()` row).
        value: The value to write.
        step: The control's step, which sets how many decimals are shown.
    """
    unit = spec["unit"]
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, str):
        return value
    if unit in PERCENT_UNITS:
        places = max(0, _decimals(step) - 2) if step else 1
        return f"{value * 100:.{places}f} %{PERCENT_UNITS[unit]}"
    if unit in MONEY_UNITS:
        return money(value, step) + MONEY_UNITS[unit]
    if unit in COUNT_UNITS:
        number = f"{value:.{_decimals(step) if step else 1}f}"
        return f"{number} {COUNT_UNITS[unit]}{'' if float(value) == 1 else 's'}"
    number = f"{value:.{_decimals(step) if step else 3}f}"
    return f"\u00d7{number}" if unit == "ratio" else number


def money(thousands: float, step: float) -> str:
    """An amount given in GBP thousands, as a person would say it: GBP 40k, 1.5m, 12."""
    if thousands >= 1000:
        return f"GBP {thousands / 1000:,.{max(_decimals(step / 1000 if step else 0.001), 1)}f}m"
    if thousands == 0:
        return "GBP 0"
    if thousands >= 1:
        return f"GBP {thousands:,.{_decimals(step) if step else 1}f}k"
    return f"GBP {thousands * 1000:,.{max(_decimals(step * 1000), 0) if step else 0}f}"
