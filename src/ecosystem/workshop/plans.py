"""A team's plan: what its form sends, checked and turned into a council's `Decision`.

A plan is a `Decision` without its month and council: ``{"levers": {...}, "priorities":
{...}, "reviews": {...}}``, each table optional. `plan_problems` lists everything wrong with
one in words a participant can act on; `decision_of` makes the decision a round fires;
`current_plan` is what a team's form starts from (the levers and priorities in force).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ecosystem.scenario.decisions import COUNCIL_LEVERS, Decision, decision_problems
from ecosystem.scenario.schema import validation_problems

if TYPE_CHECKING:
    from ecosystem.agents.council import Council
    from ecosystem.scenario.schema import Scenario

#: The tables a plan may hold.
PLAN_TABLES: tuple[str, ...] = ("levers", "priorities", "reviews")
#: Where the decision's own checks say a problem is ("decisions.0.levers.x" -> "levers.x").
_DECISION_PREFIX = "decisions.0."


def decision_month(round: int) -> int:
    """The month a round's decisions take effect: the first month of its budget year."""
    return 12 * (round - 1) + 1


def plan_problems(scenario: Scenario, council: int, plan: Any) -> list[str]:
    """Every problem with a team's `plan` for `council`, each as "where: what is wrong".

    Args:
        scenario: the room's scenario (its decisions are not consulted).
        council: the team's council index.
        plan: what the form sent (anything: it is checked, not trusted).

    Returns:
        Readable problems; empty when the plan is good.
    """
    if not isinstance(plan, Mapping):
        return [f"plan: must be a table of {', '.join(PLAN_TABLES)}, not "
                f"{type(plan).__name__}"]
    problems = [f"{key}: unknown part of a plan (parts: {', '.join(PLAN_TABLES)})"
                for key in plan if key not in PLAN_TABLES]
    tables: dict[str, dict[str, Any]] = {}
    for name in PLAN_TABLES:
        table = plan.get(name)
        table = {} if table is None else table
        if not isinstance(table, Mapping):
            problems.append(f"{name}: must be a table, not {type(table).__name__}")
            continue
        bad = [key for key in table if not isinstance(key, str)]
        problems += [f"{name}: {key!r} is not a name" for key in bad]
        tables[name] = {k: v for k, v in table.items() if isinstance(k, str)}
    decision = {"month": 1, "council": council, **tables}
    found = [(path.removeprefix(_DECISION_PREFIX), message)
             for path, message in decision_problems(_bare(scenario), [decision])]
    problems += [f"{path}: {message}" for path, message in found]
    checked = {path for path, _ in found}
    try:
        Decision.model_validate(decision)
    except ValidationError as err:
        problems += [f"{path}: {message}" for path, message in validation_problems(err)
                     if path not in checked]
    return problems


def decision_of(round: int, council: int, plan: Mapping[str, Any]) -> Decision:
    """The `Decision` a team's `plan` makes for `council` in `round` (its year's first month).

    Raises:
        pydantic.ValidationError: if the plan is malformed (check `plan_problems` first).
    """
    return Decision.model_validate({
        "month": decision_month(round), "council": council,
        **{name: dict(plan.get(name) or {}) for name in PLAN_TABLES if name in plan},
    })


def current_plan(council: Council) -> dict[str, dict[str, Any]]:
    """What a team's form starts from: the levers in force for `council` and its priorities.

    Every lever of `COUNCIL_LEVERS` is given: the council's own value where its team set
    one, the scenario's otherwise. No reviews: each round's reviews are chosen afresh.
    """
    params = council.params
    levers = {path: _plain(params.get(path)) for path in COUNCIL_LEVERS}
    return {"levers": levers, "priorities": dict(council.priorities), "reviews": {}}


def _bare(scenario: Scenario) -> Scenario:
    return scenario.model_copy(update={"interventions": (), "decisions": ()})


def _plain(value: Any) -> Any:
    """A lever's value as a form shows it (an enum as its string)."""
    return value.value if isinstance(value, Enum) else value
