"""The fixed name sets of the domain, each defined once.

They are `StrEnum`s: a member equals its string value, so results tables, TOML and
dictionaries keyed by these names read as plain text.
"""

from __future__ import annotations

from enum import StrEnum


class OperatorKind(StrEnum):
    """Who runs a unit: the council's own team or a kind of external provider."""

    COUNCIL = "council"
    PRIVATE = "private"
    MUTUAL = "mutual"
    SOCIAL_ENTERPRISE = "social_enterprise"
    COMMUNITY = "community"


#: Every operator kind, the council first.
OPERATOR_KINDS: tuple[OperatorKind, ...] = tuple(OperatorKind)
#: The external provider kinds, in the order providers are listed.
PROVIDER_KINDS: tuple[OperatorKind, ...] = OPERATOR_KINDS[1:]


class UnitStatus(StrEnum):
    """A unit's state: open at standard, degraded (below standard) or closed for good."""

    OPEN = "open"
    DEGRADED = "degraded"
    CLOSED = "closed"


class ClosureCause(StrEnum):
    """Why a unit closed."""

    DECOMMISSIONED = "decommissioned"
    UNDERFUNDED = "underfunded"
    PROVIDER_FAILURE = "provider_failure"
    BELOW_STANDARD = "below_standard"
    VOLUNTEERS_LOST = "volunteers_lost"


class ContractBasis(StrEnum):
    """How a contract pays: a block sum, per user served, or a grant."""

    BLOCK = "block"
    PER_USER = "per_user"
    GRANT = "grant"


class TenderStatus(StrEnum):
    """Where a tender stands."""

    OPEN = "open"
    AWARDED = "awarded"
    NO_BID = "no_bid"
    CANCELLED = "cancelled"


class ReviewStage(StrEnum):
    """The five stages of a service review [001:L19-70], in order."""

    STRATEGIC_DIRECTION = "strategic_direction"
    OPTIONS_APPRAISAL = "options_appraisal"
    BUSINESS_CASE = "business_case"
    TRANSITION = "transition"
    LAUNCH = "launch"


class ReviewOption(StrEnum):
    """What a review can decide for a service."""

    NO_CHANGE = "no_change"
    IN_HOUSE_REDESIGN = "in_house_redesign"
    DECOMMISSION = "decommission"
    OUTSOURCE = "outsource"
    SHARE = "share"
    MUTUAL = "mutual"
    COMMUNITY_TRANSFER = "community_transfer"
    SOCIAL_ENTERPRISE = "social_enterprise"
    JOINT_VENTURE = "joint_venture"
    OPERATIONS_CONTRACT = "operations_contract"
    TRADING_COMPANY = "trading_company"
    COOPERATIVE = "cooperative"
    PARISH_DEVOLUTION = "parish_devolution"


#: Options that hand a service to an alternative delivery model.
ALTERNATIVE_OPTIONS: tuple[ReviewOption, ...] = (
    ReviewOption.OUTSOURCE, ReviewOption.SHARE, ReviewOption.MUTUAL,
    ReviewOption.COMMUNITY_TRANSFER, ReviewOption.SOCIAL_ENTERPRISE,
    ReviewOption.JOINT_VENTURE, ReviewOption.OPERATIONS_CONTRACT,
    ReviewOption.TRADING_COMPANY, ReviewOption.COOPERATIVE,
    ReviewOption.PARISH_DEVOLUTION,
)


class Members(StrEnum):
    """Who owns and controls a mutual: its staff, or staff, users and community together."""

    STAFF = "staff"
    MULTI_STAKEHOLDER = "multi_stakeholder"


class ReviewTrigger(StrEnum):
    """What opened a review."""

    BUDGET_GAP = "budget_gap"
    PROVIDER_FAILURE = "provider_failure"
    CONTRACT_FAILURE = "contract_failure"
    CHALLENGE = "challenge"
    COMMUNITY_CHALLENGE = "community_challenge"
    DECISION = "decision"  # its team chose the option (scenario.decisions)


class ReviewStatus(StrEnum):
    """Whether a review is still running."""

    RUNNING = "running"
    COMPLETED = "completed"
    STOPPED = "stopped"


class Spending(StrEnum):
    """What a council spends on."""

    IN_HOUSE = "in_house"
    CONTRACTS = "contracts"
    SUPPORT = "support"
    PROCUREMENT = "procurement"
    REVIEWS = "reviews"
    TRAINING = "training"


class Income(StrEnum):
    """A provider's income streams."""

    CONTRACT = "contract"
    GRANT = "grant"
    TRADING = "trading"
    DONATIONS = "donations"
    INVESTMENT = "investment"
    PRECEPT = "precept"


class EventKind(StrEnum):
    """What an event in `result.events` records."""

    CLOSURE = "closure"
    CLOSURE_NOTICE = "closure_notice"
    SERVICE_LEVEL = "service_level"
    TENDER = "tender"
    PROVIDER_FAILURE = "provider_failure"
    TAKEOVER = "takeover"
    BROUGHT_IN_HOUSE = "brought_in_house"
    CONTRACT_TERMINATED = "contract_terminated"
    SPIN_OUT = "spin_out"
    ASSET_TRANSFER = "asset_transfer"
    COMMUNITY_RESCUE = "community_rescue"
    REVIEW = "review"
    SPENDING_FREEZE = "spending_freeze"
    CHARGES = "charges"
    SUBCONTRACT = "subcontract"
    ELECTION = "election"
    JOINT_VENTURE_FORMED = "joint_venture_formed"
    JOINT_VENTURE_DISSOLVED = "joint_venture_dissolved"
    OPERATIONS_RETURNED = "operations_returned"
    DECISION = "decision"
