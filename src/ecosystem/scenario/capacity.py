"""The scenario's capacity-building levers: support for community groups and volunteers.

Every field declares its description, unit, bounds and, where one exists, its source.
"""

from __future__ import annotations

from ecosystem.scenario.parameters import Group, param


class Capacity(Group):
    """Capacity building: community support and its withdrawal."""

    community_support: float = param(
        40.0, "Each council's yearly spend on community capacity building (councils have 'a "
        "key role to play in community capacity building' [002:L693]). A check: the national "
        "GBP 11.5m Right to Challenge and GBP 19m Right to Bid programmes [002:L677] come to "
        "about GBP 33k and 54k per English council in all (353 councils [002:L422]). Assumed "
        "number; plausible range 10 to 150.", "GBP k/year",
        0.0, 5000.0, "[002:L422; L677; L693]",
    )
    support_effect: float = param(
        0.03, "Monthly capacity growth at full support. Assumed; plausible range 0.01 to 0.06.",
        "per month", 0.0, 0.5,
    )
    support_saturation: float = param(
        100.0, "Support per year at which the effect is half its maximum. Assumed; plausible "
        "range 30 to 300.", "GBP k/year",
        1.0, 1e4,
    )
    capacity_decay: float = param(
        0.006, "Monthly decay of community capacity without support: when support 'is "
        "withdrawn then problems can emerge' [002:L693]. Assumed number (about 7% a year); "
        "plausible range 0.002 to 0.02.", "per month", 0.0, 0.2,
        "[002:L693]",
    )
    support_grant_share: float = param(
        0.5, "Share of community support paid as grants to the council's community groups; "
        "the rest builds capacity ('community capacity building and infrastructure support "
        "for the local third sector' [002:L693]). Assumed number; plausible range 0.2 to 0.8.",
        "share", 0.0, 1.0, "[002:L693]",
    )
    key_person_replacement: float = param(
        0.15, "Monthly chance a group that lost its key person finds another, at full community "
        "capacity: groups rely on 'a small number of individuals' [002:L353]. Assumed number; "
        "plausible range 0.05 to 0.3.", "per month", 0.0, 1.0, "[002:L353]",
    )
    commissioning_training: float = param(
        0.0, "Each council's yearly spend on commissioning training; raises commissioning skill "
        "(skill is probably 'the greatest single determinant' of success [002:L819], and there "
        "is 'an urgent need to strengthen' it [002:L827]). 0 in the baseline: the Commissioning "
        "Academy had only been announced [002:L815].",
        "GBP k/year", 0.0, 5000.0, "[002:L815; L819; L827]",
    )
    provider_support: float = param(
        0.0, "Each council's yearly support to providers under three years old: new mutuals "
        "may need resourcing 'before they are able to fully stand on their feet' [002:L540]. 0 "
        "in the baseline (the seeds name no such programme). Assumed; plausible range 0 to 200.",
        "GBP k/year", 0.0, 5000.0, "[002:L540]",
    )
    external_review_support: bool = param(
        False, "Delivering Differently style help: shortens and improves options appraisal and "
        "business case (stages 2 and 3), not transition: the advice 'does not include support "
        "to actually implement the chosen solution' [003:L11]. Off in the baseline: the "
        "programme supported 10 councils [003:L7].", "", None, None, "[003:L7; L11]",
    )
    training_effect: float = param(
        0.01, "Monthly rise in commissioning skill at saturating training spend. Assumed; "
        "plausible range 0.002 to 0.03.",
        "per month", 0.0, 0.2,
    )
    withdrawal_resentment: float = param(
        0.3, "Drop in willingness to volunteer when support is withdrawn ('resentment and "
        "disillusion' [002:L693]). Assumed number; plausible range 0.1 to 0.5.", "share",
        0.0, 1.0, "[002:L693]",
    )
    resentment_recovery: float = param(
        0.02, "Monthly recovery from resentment. Assumed (resentment halves in about three "
        "years); plausible range 0.01 to 0.1.", "per month", 0.0, 1.0,
    )
    community_rescue: float = param(
        0.04, "Chance per month that a community group forms to save a threatened volunteerable "
        "unit, at full local capacity: volunteering arises from 'the desire to preserve "
        "services and local assets considered valuable by the community' [002:L691]. Assumed "
        "number; plausible range 0.01 to 0.1.", "per month", 0.0, 1.0, "[002:L691]",
    )
    right_to_challenge: float = param(
        0.005, "Chance per month, at full community capacity across a council's area, that "
        "a community group uses the 'Right to Challenge' to 'bid to take over and run a local "
        "service themselves' [002:L200]: it opens a review of a volunteerable service in which "
        "community transfer is always weighed and has the group as its champion. Capacity "
        "building raises the chance (the right had an GBP 11.5m support programme "
        "[002:L677]). Assumed number (the right was little used); plausible range 0 to 0.05.",
        "per month", 0.0, 1.0, "[002:L200; L677]",
    )
    lease_upkeep: float = param(
        0.5, "Share of a transferred building's running cost (its fixed cost) the community "
        "group funds itself once it holds the lease, from donations, trading and support "
        "grants, rather than from the council's grant: a transfer 'on a long lease' "
        "[002:L681] hands over the building's upkeep, and running costs are the risk that "
        "brings such transfers down (evidence.md M12). A group that cannot meet it goes "
        "under and the lease reverts to the council. Assumed number; plausible range 0 to 1.",
        "share", 0.0, 1.0, "[002:L681]",
    )
    rescue_funding_gap: float = param(
        0.5, "Share of its costs a group saving a threatened unit will find itself "
        "(volunteers, donations) rather than from the council ('voluntary contributions, "
        "mutual self-help' [002:L691]). Assumed number; plausible range 0.2 to 0.8.", "share",
        0.0, 1.0, "[002:L691]",
    )
