"""Everything the Funding section and the `funding` command show, in one call."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from console.services.access import Access, Action
from console.services.funding import budget, sources, unit_costs
from console.services.funding.runway import Funding, Runway, read_funding


@dataclass(frozen=True)
class FundingOverview:
    as_of: dt.date
    sources: tuple[sources.SourceRow, ...]
    runway: Runway
    funding: Funding  # the rows the runway was computed from (for the chart)
    budget: tuple[budget.BudgetRow, ...]
    fiscal_start_month: int
    unit_costs: tuple[unit_costs.UnitCostRow, ...]

    @property
    def fiscal_year(self) -> int:
        return budget.fiscal_year_of(self.as_of, self.fiscal_start_month)


def funding_overview(access: Access, as_of: dt.date | None = None) -> FundingOverview:
    """The sources, the runway and cliffs as of a day (default today), the budget lines,
    the fiscal year setting and the unit costs of the current program."""
    day = as_of or dt.date.today()
    with access.reading(Action.VIEW_PROGRAM) as session:
        funding = read_funding(session)
    return FundingOverview(
        day, tuple(sources.list_sources(access)), funding.runway(day), funding,
        tuple(budget.budget_lines(access)), budget.fiscal_year_start_month(access),
        tuple(unit_costs.unit_costs(access)))
