"""Building blocks of the scenario schema: frozen groups and documented fields."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


def param(
    default: Any,
    description: str,
    unit: str = "",
    ge: float | None = None,
    le: float | None = None,
    source: str | None = None,
) -> Any:
    """Declare a scenario field with its description, unit, bounds and source citation."""
    extra: dict[str, Any] = {"unit": unit}
    if source:
        extra["source"] = source
    return Field(default, description=description, ge=ge, le=le, json_schema_extra=extra)


class Group(BaseModel):
    """Base of every scenario group: frozen, unknown fields forbidden."""

    model_config = ConfigDict(frozen=True, extra="forbid")
