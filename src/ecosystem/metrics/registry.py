"""The metric registry: each metric's name, meaning, formula, unit and function."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ecosystem.model import EcosystemModel


@dataclass(frozen=True)
class Metric:
    """One output: its name, meaning, formula, unit and the function computing it."""

    name: str
    description: str
    formula: str
    unit: str
    fn: Callable[[EcosystemModel], float]


METRICS: dict[str, Metric] = {}


def metric(name: str, description: str, formula: str,
           unit: str = "share") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register `fn` as metric `name`."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        METRICS[name] = Metric(name, description, formula, unit, fn)
        return fn

    return register


def ratio(a: float, b: float) -> float:
    """A / b, or 0 where b is not positive."""
    return a / b if b > 0 else 0.0


def household_mean(values: np.ndarray, households: np.ndarray) -> float:
    """The mean of a cell layer weighted by households per cell (0 where there are none)."""
    return ratio(float((values * households).sum()), float(households.sum()))
