"""A council team's savings plan for the year: its levers, a priority and a review per service.

The form keeps what the team typed across the page's redraws. The dashboard keys it by the
round and the years run, so a new year (or a rewind) starts it afresh from the room's plan
for the team: the levers and priorities in force (a team that changes nothing keeps last
year's) and no review, or the plan already submitted for that year (after a rewind, the
rewound year's). Submitting calls `room.submit`; the room's problems are shown above the
button and the form keeps its values. Whether the plan is in is the room's word
(`submitted`); a submission from this page shows at once, until the room's version moves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import solara

from ecosystem.scenario.decisions import COUNCIL_LEVERS, TEAM_OPTIONS
from ecosystem.workshop.room import Room, RoomError, Seat

from .controls import lever_specs
from .wording import OPTION_WORDS, service_name

#: Priority -> the words a team picks it by.
PRIORITY_WORDS = {"protect": "protect", "as_planned": "as planned", "cut_first": "cut first"}
NO_REVIEW = "no review"
#: The schema's spec (default, bounds, choices) of each lever a team sets.
_BY_PATH = {spec["path"]: spec for group in ("capacity", "procurement")
            for spec in lever_specs(group)}
SPECS = {path: _BY_PATH[path] for path in COUNCIL_LEVERS}
REGIMES = SPECS["procurement.regime"]["choices"]
LOT_SIZES = SPECS["procurement.lot_size"]["choices"]
#: Most a team may put into one money lever, GBP k a year (the scenario's bound).
MONEY_MAX = SPECS["capacity.community_support"]["max"]


def option_words(option: str) -> str:
    """A review option as a team picks it: "outsource it"."""
    return str(OPTION_WORDS.get(option, option)).removeprefix("to ")  # type: ignore[call-overload]


def lever_defaults(levers: Mapping[str, Any]) -> dict[str, Any]:
    """The five levers a team sets, in `COUNCIL_LEVERS` order.

    Each is the value in force for its council, or the scenario's default if not given.
    """
    return {path: levers.get(path, spec["default"]) for path, spec in SPECS.items()}


def plan_of(levers: Mapping[str, Any], priorities: Mapping[str, str],
            reviews: Mapping[str, str]) -> dict[str, Any]:
    """The plan `room.submit` takes: the levers, every priority, the reviews chosen."""
    return {"levers": dict(levers), "priorities": dict(priorities),
            "reviews": {service: option for service, option in reviews.items()
                        if option and option != NO_REVIEW}}


def form_problems(levers: Mapping[str, Any]) -> list[str]:
    """What is wrong with the levers as typed, before the room is asked."""
    problems = []
    for path, words in (("capacity.community_support", "Community support"),
                        ("capacity.commissioning_training", "Commissioning training")):
        value = levers.get(path)
        if value is None or not 0 <= value <= MONEY_MAX:
            problems.append(f"{words}: a number of GBP k a year from 0 to {MONEY_MAX:,.0f}")
    return problems


@solara.component
def ServiceChoice(service: str, options: Sequence[str], priority, review):
    """One service's row: its priority and the review the team opens for it."""
    solara.Text(service_name(service).capitalize(), style={"font-weight": "bold"})
    with solara.Row(classes=["room-service-plan"], style={"flex-wrap": "nowrap"}):
        solara.v.Select(label="Priority", items=[{"text": words, "value": key}
                                                 for key, words in PRIORITY_WORDS.items()],
                        v_model=priority.value, on_v_model=priority.set, dense=True,
                        class_=f"room-priority room-priority-{service}",
                        style_="flex:1 1 0")
        solara.v.Select(label="Review", items=[{"text": NO_REVIEW, "value": NO_REVIEW}]
                        + [{"text": option_words(o), "value": str(o)} for o in options],
                        v_model=review.value, on_v_model=review.set, dense=True,
                        class_=f"room-review room-review-{service}", style_="flex:1 1 0")


@solara.component
def LeverFields(levers):
    """The team's five levers."""
    values = levers.value

    def setter(path: str):
        return lambda value: levers.set({**levers.value, path: value})

    with solara.Row(style={"flex-wrap": "wrap"}):
        solara.InputFloat("Community support (GBP k/year)",
                          value=values["capacity.community_support"],
                          on_value=setter("capacity.community_support"),
                          classes=["room-lever-community-support"])
        solara.InputFloat("Commissioning training (GBP k/year)",
                          value=values["capacity.commissioning_training"],
                          on_value=setter("capacity.commissioning_training"),
                          classes=["room-lever-commissioning-training"])
    with solara.Row(style={"flex-wrap": "wrap"}):
        solara.Select("Procurement route", values=list(REGIMES),
                      value=values["procurement.regime"],
                      on_value=setter("procurement.regime"), classes=["room-lever-regime"])
        solara.Select("Lot size", values=list(LOT_SIZES), value=values["procurement.lot_size"],
                      on_value=setter("procurement.lot_size"), classes=["room-lever-lot-size"])
    with solara.Column(classes=["room-lever-social-value"]):
        solara.SliderFloat("Social value weight", value=values["procurement.social_value_weight"],
                           min=0.0, max=0.5, step=0.05,
                           on_value=setter("procurement.social_value_weight"))


@solara.component
def TeamPlan(room: Room, seat: Seat, round_: int, version: int, services: Sequence[str],
             options: Mapping[str, Sequence[str]], plan_now: Mapping[str, Any],
             submitted: bool):
    """The plan form for `seat`'s council in year `round_`, and its Submit button.

    Args:
        room: The room.
        seat: The seat whose council the plan is for.
        round_: The year being decided.
        version: The room's version the dashboard shows (`submitted` is as of it).
        services: The council's services, a priority and a review each.
        options: Service -> the reviews it may have.
        plan_now: The team's plan as the room has it (levers, priorities, reviews).
        submitted: Whether the room holds the team's plan for `round_`.
    """
    levers = solara.use_reactive(lever_defaults(plan_now.get("levers", {})))
    priorities_now, reviews_now = plan_now.get("priorities", {}), plan_now.get("reviews", {})
    priorities = {s: solara.use_reactive(priorities_now.get(s, "as_planned")) for s in services}
    reviews = {s: solara.use_reactive(reviews_now.get(s, NO_REVIEW)) for s in services}
    problems = solara.use_reactive([])
    sent = solara.use_reactive(-1)  # the room's version this page last submitted at

    def submit() -> None:
        found = form_problems(levers.value)
        if not found:
            plan = plan_of(levers.value, {s: p.value for s, p in priorities.items()},
                           {s: r.value for s, r in reviews.items()})
            try:
                room.submit(seat.token, round_, plan)
            except RoomError as error:
                found = list(error.problems) or [str(error)]
            else:
                sent.set(version)
        problems.set(found)

    submitted = submitted or sent.value == version

    with solara.Card("Your plan for this year", classes=["room-plan"]):
        LeverFields(levers)
        for service in services:
            ServiceChoice(service, options.get(service, TEAM_OPTIONS), priorities[service],
                          reviews[service])
        if problems.value:
            solara.Error("The plan was not taken: " + "; ".join(problems.value),
                         classes=["room-plan-problems"])
        if submitted and not problems.value:
            solara.Success("Submitted — waiting for the other teams. You can change it and "
                           "submit again until the year runs.", classes=["room-submitted-note"])
        solara.Button("Submit again" if submitted else "Submit", color="primary",
                      on_click=submit, classes=["room-submit"])
