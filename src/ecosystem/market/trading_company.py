"""Local authority trading companies: a council's own company runs a service and trades.

A council sets up a company it wholly owns, on a business case it approves [002:L579],
to run a service's units and sell its services to other customers, such as schools and
other councils [002:L573; L581]. The units stay the council's own (the council is the sole
owner and its cabinet approves the business plan [002:L583]), so they are still counted as
council-run. What the company adds is its external trade:

* it sells to customers outside the council's own service, up to
  `funding.trading_company_external_sales` of what it is paid for that service once it has
  built its market (Shropshire: GBP 3.2m of GBP 10.2m [002:L581]), growing over
  `funding.trading_company_ramp_years`;
* a council may not trade with customers to whom it has a statutory duty [002:L575], so the
  company charges the service's own users nothing more: all its trading income is external;
* the surplus goes back to the council as a dividend (Essex Cares [002:L585]) and a loss
  falls on the council ('additional risk and the possibility of incurring losses'
  [002:L601]); the margin is drawn each year around `funding.trading_company_margin`;
* trading needs `funding.trading_allowed`: without it the company sells nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ecosystem.agents import Council
    from ecosystem.model import EcosystemModel


@dataclass
class TradingCompany:
    """A council's wholly owned trading company for one service.

    Attributes:
        council: its owner.
        service: the service whose units it runs.
        founded: month it started trading.
        margin: this year's surplus (or loss, if negative) as a share of its external sales.
        sales, dividends, losses: cumulative external sales, dividends paid to the council
            and losses the council covered (GBP k).
        trading: False once it has no open units left (it is wound up).
    """

    council: Council
    service: str
    founded: int
    margin: float
    sales: float = 0.0
    dividends: float = 0.0
    losses: float = 0.0
    trading: bool = True

    def maturity(self, month: int, ramp_years: float) -> float:
        """Share of its full external market it has won by `month` (0..1)."""
        if ramp_years <= 0:
            return 1.0
        return min(max(month - self.founded, 0) / (12 * ramp_years), 1.0)


def set_up_trading_company(model: EcosystemModel, council: Council, service: str) -> None:
    """The council puts the service's units into a new company of its own [002:L579]."""
    if any(c.trading and c.council is council and c.service == service
           for c in model.trading_companies):
        return  # it has one for this service already
    model.trading_companies.append(
        TradingCompany(council, service, model.month, _draw_margin(model)))


def trade(model: EcosystemModel) -> None:
    """Every trading company sells to its external customers for one month.

    Its sales are a share of what its own units cost to run this month; the result (its
    margin on those sales) goes to its council: a dividend if positive, a loss it covers if not.
    """
    funding = model.params.funding
    for company in [c for c in model.trading_companies if c.trading]:
        units = [u for u in company.council.units
                 if u.service == company.service and u.is_open and u.in_house]
        if not units:
            company.trading = False  # nothing left to run: the company is wound up
            continue
        if (model.month - company.founded) % 12 == 0 and model.month > company.founded:
            company.margin = _draw_margin(model)
        if not funding.trading_allowed:
            continue
        sales = funding.trading_company_external_sales * sum(u.spent for u in units) \
            * company.maturity(model.month, funding.trading_company_ramp_years)
        result = company.margin * sales
        company.sales += sales
        company.council.earn_trading(result)  # a negative result is a loss it covers
        if result >= 0:
            company.dividends += result
        else:
            company.losses -= result


def _draw_margin(model: EcosystemModel) -> float:
    funding = model.params.funding
    return float(model.rng.normal(funding.trading_company_margin,
                                  funding.trading_company_margin_sd))
