"""Plain words for what the model records: units, places, operators, events and lever changes.

Every sentence is written for a council officer: the month, the council, the unit's service
and place (urban or rural), what happened and why. The `why` of each event is the text the
model wrote where it recorded the event (`EcosystemModel.record_event`); it is kept, with the
model's names (`budget_gap`, `social_enterprise`) put into words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from ecosystem import EcosystemModel
from ecosystem.names import (
    PROVIDER_KINDS,
    ClosureCause,
    EventKind,
    OperatorKind,
    ReviewOption,
    ReviewTrigger,
)
from ecosystem.scenario import field_specs
from ecosystem.world.landscape import RURAL_CLASSES, SETTLEMENT_NAMES
from ecosystem.world.units import ServiceUnit

#: One unit of each service of the built-in catalogue, in words (others: "<service> unit").
UNIT_NOUNS = {"adult_social_care": "adult social care team", "libraries": "library",
              "youth_services": "youth service", "day_opportunities": "day centre",
              "parks": "park", "waste_collection": "waste collection round",
              "leisure_centres": "leisure centre",
              "community_transport": "community transport scheme"}
#: Settlement class (`ecosystem.world.landscape`) -> the kind of place, in words.
SETTLEMENT_WORDS = {"urban": "urban core", "town": "market town", "village": "village",
                    "sparse": "sparse countryside"}
#: Operator kind -> who it is, in words.
OPERATOR_WORDS = {OperatorKind.COUNCIL: "the council's own team",
                  OperatorKind.PRIVATE: "private firm", OperatorKind.MUTUAL: "staff mutual",
                  OperatorKind.SOCIAL_ENTERPRISE: "social enterprise",
                  OperatorKind.COMMUNITY: "community group"}
CAUSE_WORDS = {ClosureCause.DECOMMISSIONED: "decommissioned by the council",
               ClosureCause.UNDERFUNDED: "underfunded",
               ClosureCause.PROVIDER_FAILURE: "its provider failed",
               ClosureCause.BELOW_STANDARD: "below standard for too long",
               ClosureCause.VOLUNTEERS_LOST: "its volunteers were lost"}
TRIGGER_WORDS = {ReviewTrigger.BUDGET_GAP: "a budget gap",
                 ReviewTrigger.PROVIDER_FAILURE: "a provider's failure",
                 ReviewTrigger.CONTRACT_FAILURE: "a failed contract",
                 ReviewTrigger.CHALLENGE: "a challenge from a provider",
                 ReviewTrigger.COMMUNITY_CHALLENGE: "a community challenge"}
OPTION_WORDS = {ReviewOption.NO_CHANGE: "to change nothing",
                ReviewOption.IN_HOUSE_REDESIGN: "to redesign it in-house",
                ReviewOption.DECOMMISSION: "to close it",
                ReviewOption.OUTSOURCE: "to outsource it",
                ReviewOption.SHARE: "to share it with a neighbouring council",
                ReviewOption.MUTUAL: "to spin it out as a staff mutual",
                ReviewOption.COMMUNITY_TRANSFER: "to transfer it to the community",
                ReviewOption.SOCIAL_ENTERPRISE: "to hand it to a social enterprise",
                ReviewOption.JOINT_VENTURE: "to form a joint venture with a private partner",
                ReviewOption.OPERATIONS_CONTRACT:
                    "to contract out its operation while keeping its ownership",
                ReviewOption.TRADING_COMPANY: "to run it through its own trading company",
                ReviewOption.COOPERATIVE: "to hand it to a co-operative of staff, users "
                "and residents",
                ReviewOption.PARISH_DEVOLUTION: "to devolve it to parish and town councils"}
#: What happened to a unit, by event kind: `{unit}` is the unit, `{operator}` the provider kind.
UNIT_EVENTS = {
    EventKind.CLOSURE: "{unit} closed",
    EventKind.CLOSURE_NOTICE: "{unit} was given notice of closure",
    EventKind.SERVICE_LEVEL: "{unit} had its hours changed",
    EventKind.TENDER: "{unit} went out to tender",
    EventKind.TAKEOVER: "{unit} was taken over by a {operator}",
    EventKind.BROUGHT_IN_HOUSE: "{unit} was brought back in-house from a {operator}",
    EventKind.CONTRACT_TERMINATED: "the council ended the contract of a {operator} for {unit}",
    EventKind.SPIN_OUT: "{unit} was spun out to a staff mutual",
    EventKind.ASSET_TRANSFER: "{unit} was transferred to a community group",
    EventKind.COMMUNITY_RESCUE: "{unit} was rescued by a community group",
    EventKind.SUBCONTRACT: "part of the work on {unit} was subcontracted",
    EventKind.JOINT_VENTURE_FORMED: "{unit} went to a joint venture with a private partner",
    EventKind.JOINT_VENTURE_DISSOLVED: "{unit} came back in-house when its joint venture "
                                       "was dissolved",
    EventKind.OPERATIONS_RETURNED: "{unit} returned to the council that owns it from a "
                                   "{operator} operator",
}
#: What a council did, or what happened in its area, by event kind.
COUNCIL_EVENTS = {
    EventKind.PROVIDER_FAILURE: "a {operator} based in the council's area failed",
    EventKind.REVIEW: "the council completed a review",
    EventKind.SPENDING_FREEZE: "the council froze spending",
    EventKind.CHARGES: "the council brought in charges",
    EventKind.ELECTION: "the council held an election",
    EventKind.DECISION: "the council's team made its decisions",
}
REVIEW_WHY = re.compile(r"^(?P<service>\w+): (?P<trigger>\w+) -> (?P<option>\w+)$")


def council_name(index: int) -> str:
    """A council as people are shown it: counted from 1 ("council 1" is the model's 0)."""
    return f"council {index + 1}"


def service_name(service: str) -> str:
    """A service's plain name, e.g. "adult social care"."""
    return service.replace("_", " ")


def unit_noun(service: str) -> str:
    """One unit of `service` in words, e.g. "library"."""
    return UNIT_NOUNS.get(service, f"{service_name(service)} unit")


def operator_words(kind: str) -> str:
    """Who an operator kind is, in words ("" for no operator)."""
    return OPERATOR_WORDS.get(kind, kind.replace("_", " "))  # type: ignore[call-overload]


def settlement_of(model: EcosystemModel, unit: ServiceUnit) -> tuple[str, bool]:
    """The kind of place of the unit's cell ("village"), and whether it counts as rural."""
    settlement = int(model.land.settlement[unit.cell.coordinate])
    name = SETTLEMENT_NAMES[settlement]
    return SETTLEMENT_WORDS.get(name, name), settlement in RURAL_CLASSES


def place(model: EcosystemModel, unit: ServiceUnit) -> str:
    """Where the unit is: "in a village (rural) at (12, 30)"; an area service "for ... around"."""
    settlement, rural = settlement_of(model, unit)
    x, y = unit.cell.coordinate
    article = "" if settlement.startswith("sparse") else \
        "an " if settlement[0] in "aeiou" else "a "
    where, near = ("in", "at") if unit.spec.building else ("for", "around")
    return f"{where} {article}{settlement} ({'rural' if rural else 'urban'}) {near} ({x}, {y})"


def unit_phrase(model: EcosystemModel, index: int) -> str:
    """The unit as a sentence names it: "the library in a village (rural) at (12, 30)"."""
    unit = model.units[index]
    return f"the {unit_noun(unit.service)} {place(model, unit)}"


def unit_label(model: EcosystemModel, unit: ServiceUnit) -> str:
    """A short label to pick the unit by, e.g. "Library, council 2, village (rural), (12, 30)"."""
    settlement, rural = settlement_of(model, unit)
    x, y = unit.cell.coordinate
    return (f"{capitalised(unit_noun(unit.service))}, {council_name(unit.council_id)}, "
            f"{settlement} ({'rural' if rural else 'urban'}), ({x}, {y})")


def capitalised(text: str) -> str:
    """`text` with its first letter a capital."""
    return text[:1].upper() + text[1:]


def plain(text: str) -> str:
    """The model's names in a why-text put into words."""
    for kind in PROVIDER_KINDS:
        words = operator_words(kind)
        for before, after in ((f"to a {kind} (", f"to a {words} ("),
                              (f"a local {kind}", f"a local {words}"),
                              (f"its {kind} provider", f"its {words}")):
            text = text.replace(before, after)
    return text.replace("_", " ").replace(" -> ", " chose ")


def because(event: Mapping[str, Any]) -> str:
    """Why it happened, in words."""
    why, kind = str(event["why"]), event["event"]
    if kind == EventKind.CLOSURE:
        cause, _, circumstances = why.partition(": ")
        words = CAUSE_WORDS.get(cause, cause)  # type: ignore[call-overload]
        return f"{words} ({plain(circumstances)})" if circumstances else words
    match = REVIEW_WHY.match(why) if kind == EventKind.REVIEW else None
    if match:
        trigger, option = match["trigger"], match["option"]
        return (f"the review of {service_name(match['service'])}, opened by "
                f"{TRIGGER_WORDS.get(trigger, plain(trigger))}, "  # type: ignore[call-overload]
                f"chose {OPTION_WORDS.get(option, plain(option))}")  # type: ignore[call-overload]
    return plain(why)


def what_happened(model: EcosystemModel, event: Mapping[str, Any]) -> str:
    """What happened, without the month and council: "the library ... closed: underfunded"."""
    kind, unit = event["event"], int(event["unit"])
    operator = operator_words(str(event["provider_kind"])) or "provider"
    if unit >= 0 and kind in UNIT_EVENTS:
        what = UNIT_EVENTS[kind].format(unit=unit_phrase(model, unit), operator=operator)
    elif kind in COUNCIL_EVENTS:
        what = COUNCIL_EVENTS[kind].format(operator=operator)
    else:  # a kind this module does not know yet: say it as the model names it
        about = f" about {unit_phrase(model, unit)}" if unit >= 0 else ""
        what = f"{service_name(str(kind))}{about}"
    why = because(event)
    return capitalised(f"{what}: {why}" if why else what)


def event_sentence(model: EcosystemModel, event: Mapping[str, Any]) -> str:
    """One event as a sentence: "Month 37, council 2: The library ... closed: underfunded."."""
    return f"Month {event['month']}, {council_name(int(event['council']))}: " \
        f"{what_happened(model, event)}."


@cache
def _lever_units() -> dict[str, str]:
    return {spec["path"]: spec["unit"] for spec in field_specs()}


def lever_value(path: str, value: Any) -> str:
    """A lever's value in words, with its unit: "0.5 (share)", "on", "simplified"."""
    if isinstance(value, bool):
        return "on" if value else "off"
    text = f"{value:,.4g}" if isinstance(value, float) else str(value)
    unit = _lever_units().get(path, "")
    return f"{text} ({unit})" if unit and isinstance(value, int | float) else text


def lever_name(path: str) -> str:
    """A lever's path in words: "councils: budget cut total"."""
    group, _, name = path.partition(".")
    return f"{group}: {name.replace('.', ', ').replace('_', ' ')}" if name else path


def lever_sentence(change: Mapping[str, Any], by_trainer: bool) -> str:
    """A lever change as a sentence; `by_trainer`: made in the app, else the scenario's own."""
    who = "The trainer set" if by_trainer else "The scenario sets"
    return (f"Month {change['month']}, all councils: {who} {lever_name(str(change['field']))} "
            f"to {lever_value(str(change['field']), change['value'])}.")
