"""The options appraisal of a review: which options are open and how a council scores them.

At the end of options appraisal [001:L30-40] the council scores the options it can take,
boundedly rationally: cost saving weighed by money pressure, the benefits and concerns
councils report (survey Q4 and Q5 [002:L984-1008]), risk weighed by its risk appetite,
ideology (0 by default: provider-blind [002:L140]) and noise, which external support
reduces [003:L11].
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosystem.agents import Council
from ecosystem.market import shared_services, transformation
from ecosystem.market.parish_devolution import parished
from ecosystem.names import ReviewOption, ReviewTrigger
from ecosystem.world.units import sale_value

if TYPE_CHECKING:
    from ecosystem.model import EcosystemModel
    from ecosystem.scenario.catalogue import ServiceType

Option = ReviewOption

#: A trading company's benefit and risk. Benefit: the innovation of Q4, as a spin-out's: the
#: council builds 'commercial acumen' on its local expertise [002:L573; L577]. Risk: of the
#: Q5 concerns only performance (38.4%) and sustainability (11.0%) apply, weighted as
#: outsourcing's are: the council owns the company and its cabinet approves its plan
#: [002:L583], so flexibility, accountability and democratic engagement stay with it; the
#: sustainability concern is trading's 'possibility of incurring losses' [002:L601]. A
#: co-operative has a spin-out's innovation and, with residents and users among its members,
#: the 'greater engagement with the locality' (41.1%) a community transfer has: Young Lambeth
#: is run 'leveraging local knowledge and insight' [002:L484]; it takes a mutual's risk. The
#: market positions (0.2 for both) are assumed.
TRADING_COMPANY_BENEFIT, TRADING_COMPANY_RISK = 0.534 * 0.2, (0.384 + 0.110) * 0.4
COOPERATIVE_BENEFIT = 0.534 * 0.2 + 0.411 * 0.2
#: Parish devolution keeps a service with an elected, accountable body, answering the Q5
#: concerns on accountability (34.2%) and democratic engagement (32.9%) [002:L1008], and is
#: a 'positive example of cross-tier partnership working' [002:L859]; it is weighted like
#: the other local options (assumed). A parish is a public body with a precept, so less
#: risky than a community group (assumed 0.3; plausible range 0.15 to 0.45), and it sits on
#: the public side of the in-house/market scale (assumed -0.2).
PARISH_BENEFIT = (0.342 + 0.329) * 0.2
PARISH_RISK, PARISH_MARKET = 0.3, -0.2
#: Survey Q4 benefits of external delivery (expertise 68.5%, innovation 53.4%, efficiency
#: 45.2%) and Q5 concerns (commissioner skills 49.3%, flexibility 42.5%, performance 38.4%,
#: accountability 34.2%, democratic engagement 32.9%) [002:L984-1008], as option weights.
BENEFIT = {Option.OUTSOURCE: 0.685 * 0.3 + 0.534 * 0.2, Option.SHARE: 0.452 * 0.33,
           Option.MUTUAL: 0.534 * 0.2, Option.COMMUNITY_TRANSFER: 0.411 * 0.2,
           Option.SOCIAL_ENTERPRISE: 0.534 * 0.2, Option.IN_HOUSE_REDESIGN: 0.0,
           Option.DECOMMISSION: 0.0, Option.NO_CHANGE: 0.0,
           Option.JOINT_VENTURE: 0.685 * 0.3 + 0.534 * 0.2,
           Option.OPERATIONS_CONTRACT: 0.685 * 0.3 + 0.534 * 0.2,
           Option.TRADING_COMPANY: TRADING_COMPANY_BENEFIT, Option.COOPERATIVE: COOPERATIVE_BENEFIT,
           Option.PARISH_DEVOLUTION: PARISH_BENEFIT}
#: A joint venture's partners bring 'expertise, capacity or capital' [002:L359] and an
#: operations contractor expertise, as a contractor does: the outsourcing benefits above.
RISK = {Option.NO_CHANGE: 0.0, Option.IN_HOUSE_REDESIGN: 0.05, Option.DECOMMISSION: 0.0,
        Option.OUTSOURCE: 0.384 * 0.4 + 0.425 * 0.4, Option.SHARE: 0.1, Option.MUTUAL: 0.45,
        Option.COMMUNITY_TRANSFER: 0.45, Option.SOCIAL_ENTERPRISE: 0.35,
        Option.JOINT_VENTURE: 0.45, Option.OPERATIONS_CONTRACT: 0.384 * 0.4 + 0.425 * 0.4,
        Option.TRADING_COMPANY: TRADING_COMPANY_RISK, Option.COOPERATIVE: 0.45,
        Option.PARISH_DEVOLUTION: PARISH_RISK}
#: A joint venture is 'costly to establish and time-consuming to make work' and political
#: change can be fatal to it [002:L367; L369]: as risky as a spin-out (assumed). An operations
#: contract carries outsourcing's performance and flexibility concerns (Q5).
#: Closing a service costs a council politically whatever its appetite for enterprise risk:
#: reduced democratic engagement and accountability (Q5, 32.9% and 34.2%), and blame.
POLITICAL_COST = {Option.DECOMMISSION: 0.75}
#: Where each option sits between in-house (-1) and market (+1), for the ideology term.
MARKET = {Option.NO_CHANGE: 0.0, Option.IN_HOUSE_REDESIGN: -0.5, Option.DECOMMISSION: 0.0,
          Option.OUTSOURCE: 1.0, Option.SHARE: -0.3, Option.MUTUAL: 0.3,
          Option.COMMUNITY_TRANSFER: 0.3, Option.SOCIAL_ENTERPRISE: 0.5,
          Option.JOINT_VENTURE: 0.5, Option.OPERATIONS_CONTRACT: 0.8,
          Option.TRADING_COMPANY: 0.2, Option.COOPERATIVE: 0.2,
          Option.PARISH_DEVOLUTION: PARISH_MARKET}
#: A joint venture is part-owned by the council [002:L381], and an operations contract keeps
#: the council's ownership [000:L23]: both nearer in-house than outsourcing (assumed).
#: Expected cost saving of options whose saving is not a scenario field (assumed): closing
#: saves half a service's cost net of wind-down; outsourcing a little; a social enterprise a
#: little plus part of what it can earn by trading; a community transfer half of the
#: volunteers' expected cover.
DECOMMISSION_SAVING = 0.5
OUTSOURCE_SAVING = 0.05
ENTERPRISE_SAVING, ENTERPRISE_TRADING_SAVING = 0.03, 0.2
TRANSFER_COVER_SAVING = 0.5
#: Years of a building's running cost a council weighs its one-off sale against when it
#: appraises a transfer (assumed; plausible range 3 to 10).
RECEIPT_HORIZON_YEARS = 5
#: A proposal from staff or a community has champions: mutuals grow bottom-up [002:L542], and
#: a community's challenge is a bid to run the service itself [002:L200] (assumed bonus).
CHALLENGE_BONUS = 0.3
#: Which option each kind of challenge champions.
CHAMPIONED: dict[str, ReviewOption] = {ReviewTrigger.CHALLENGE: ReviewOption.MUTUAL,
              ReviewTrigger.COMMUNITY_CHALLENGE: ReviewOption.COMMUNITY_TRANSFER}
#: Money pressure: a fully cut budget triples the weight of savings (assumed).
PRESSURE_WEIGHT = 2.0
#: Noise in option scores without and with external support [003:L11] (assumed).
APPRAISAL_NOISE, SUPPORTED_APPRAISAL_NOISE = 0.12, 0.05
#: Staff enthusiasm below which a mutual is not even considered, relative to the mutual
#: threshold; between it and the threshold a spin-out is a top-down attempt [002:L542].
MUTUAL_CONSIDERED_FROM = 0.5
#: Community transfers are considered where volunteers can do this much of the work and
#: community capacity is at least this high (assumed).
TRANSFER_MIN_VOLUNTEERABLE, TRANSFER_MIN_CAPACITY = 0.3, 0.5
#: Exemption years over which the risk of a spin-out falls, and the most it falls [002:L552].
EXEMPTION_RISK_YEARS, EXEMPTION_RISK_CUT = 3.0, 0.6


def feasible_options(model: EcosystemModel, council: Council, service: str,
                     trigger: str = "") -> list[ReviewOption]:
    """Options open to this council for this service.

    A council alone considers a mutual only where staff show some enthusiasm, and a
    community transfer only where community capacity is high; external support brings 'a
    strategic review of all available options' [004:L43], so a supported appraisal weighs
    them wherever the service allows (whether they then succeed is decided when they are
    carried out). A community's challenge always puts community transfer on the table.
    A trading company needs the power to trade (`funding.trading_allowed`) [002:L575]; a
    co-operative needs members, so community capacity near the units, unless supported.
    Parish devolution is open for a discretionary service the council runs in parished
    towns and villages. Only the options the scenario lists in
    `councils.options_considered` are weighed.
    """
    spec = model.params.services.catalogue[service]
    supported = model.params.capacity.external_review_support
    options = [Option.NO_CHANGE, Option.IN_HOUSE_REDESIGN, Option.OUTSOURCE]
    if not spec.statutory:
        options.append(Option.DECOMMISSION)
    if len(model.councils) > 1 and service not in council.shares_with and (
            model.params.councils.sharing_model == "flat"
            or shared_services.within_reach(model, council)):
        options.append(Option.SHARE)
    threshold = MUTUAL_CONSIDERED_FROM * model.params.councils.mutual_threshold
    if supported or council.staff_enthusiasm.get(service, 0.0) >= threshold:
        options.append(Option.MUTUAL)  # below the threshold: a top-down attempt, likely to fail
    if spec.volunteerable >= TRANSFER_MIN_VOLUNTEERABLE and (
            supported or trigger == ReviewTrigger.COMMUNITY_CHALLENGE
            or community_capacity(model, council, service) >= TRANSFER_MIN_CAPACITY):
        options.append(Option.COMMUNITY_TRANSFER)
    if spec.trading_share > 0 or spec.volunteerable > 0:
        options.append(Option.SOCIAL_ENTERPRISE)
    options += [Option.JOINT_VENTURE, Option.OPERATIONS_CONTRACT]
    if model.params.funding.trading_allowed:  # trading needs the power to trade [002:L575]
        options.append(Option.TRADING_COMPANY)
    if supported or community_capacity(model, council, service) \
            >= model.params.councils.cooperative_min_capacity:
        options.append(Option.COOPERATIVE)  # members: users and residents [002:L484]
    if Option.PARISH_DEVOLUTION in model.params.councils.options_considered \
            and not spec.statutory and any(
                parished(model, u) for u in council.units if u.service == service):
        options.append(Option.PARISH_DEVOLUTION)
    considered = model.params.councils.options_considered
    return [o for o in options if o == Option.NO_CHANGE or o in considered]


def _risk(model: EcosystemModel, option: ReviewOption) -> float:
    """An exemption from competition takes most of the risk out of a spin-out [002:L552]."""
    if option not in (Option.MUTUAL, Option.COOPERATIVE):
        return RISK[option]
    years = model.params.procurement.mutual_exemption_years
    return RISK[option] * (1.0 - EXEMPTION_RISK_CUT * min(1.0, years / EXEMPTION_RISK_YEARS))


def choose_option(model: EcosystemModel, council: Council, service: str,
                  trigger: str = "") -> ReviewOption:
    """Bounded rationality: the best of noisy scores, not an optimisation."""
    support = model.params.capacity
    pressure = 1.0 + PRESSURE_WEIGHT * (1.0 - min(council.discretionary_factor, 1.0))
    noise = SUPPORTED_APPRAISAL_NOISE if support.external_review_support else APPRAISAL_NOISE
    best, best_score = Option.NO_CHANGE, -np.inf
    for option in feasible_options(model, council, service, trigger):
        score = (_saving(model, option, service, council) * pressure + BENEFIT[option]
                 - _risk(model, option) * (1.0 - council.risk_appetite)
                 - POLITICAL_COST.get(option, 0.0)
                 + council.ideology * MARKET[option] + model.rng.normal(0.0, noise))
        if CHAMPIONED.get(trigger) == option:
            score += CHALLENGE_BONUS
        if score > best_score:
            best, best_score = option, score
    return best


def _saving(model: EcosystemModel, option: ReviewOption, service: str,
            council: Council | None = None) -> float:
    """The cost saving `council`'s appraisal expects of `option` (default: the first council).

    See `councils.sharing_model` and `councils.redesign_model` for sharing and redesign.
    """
    councils, funding = model.params.councils, model.params.funding
    spec = model.params.services.catalogue[service]
    if option == Option.SHARE and councils.sharing_model == "arrangement":
        return shared_services.expected_saving(model, council or model.councils[0])
    if option == Option.IN_HOUSE_REDESIGN and councils.redesign_model == "programme":
        return transformation.expected_saving(model)
    return {
        Option.NO_CHANGE: 0.0, Option.IN_HOUSE_REDESIGN: councils.redesign_saving,
        Option.DECOMMISSION: DECOMMISSION_SAVING, Option.OUTSOURCE: OUTSOURCE_SAVING,
        Option.SHARE: councils.sharing_saving, Option.MUTUAL: funding.mutual_engagement_bonus,
        Option.COMMUNITY_TRANSFER: spec.volunteerable * funding.expected_volunteer_cover
        * TRANSFER_COVER_SAVING - _receipt_forgone(model, spec),
        Option.SOCIAL_ENTERPRISE:
            ENTERPRISE_SAVING + ENTERPRISE_TRADING_SAVING * spec.trading_share,
        Option.JOINT_VENTURE: councils.joint_venture_promised_saving,
        Option.OPERATIONS_CONTRACT: OUTSOURCE_SAVING,
        Option.TRADING_COMPANY:
            funding.trading_company_external_sales * funding.trading_company_margin,
        Option.COOPERATIVE: funding.mutual_engagement_bonus,
        Option.PARISH_DEVOLUTION: (1.0 - model.params.parishes.budget_share)
        - _receipt_forgone(model, spec),
    }[option]


def _receipt_forgone(model: EcosystemModel, spec: ServiceType) -> float:
    """The sale a transfer of a building forgoes, as a share of its running cost over the horizon.

    'A noticeable drawback of community asset transfer' is that it conflicts with
    maximising capital receipts [002:L681]: the council weighs the sale it gives up.
    """
    full = spec.fixed_cost + spec.cost_per_user * spec.site_capacity
    return sale_value(model.params.councils.capital_receipt, spec) \
        / (12 * RECEIPT_HORIZON_YEARS * max(full, 1e-9))


def community_capacity(model: EcosystemModel, council: Council, service: str) -> float:
    """Mean community capacity at the council's open units of `service` (0 if none)."""
    units = [u for u in council.units if u.service == service and u.is_open]
    if not units:
        return 0.0
    layer = model.grid.community_capacity.data
    return float(np.mean([layer[u.cell.coordinate] for u in units]))
