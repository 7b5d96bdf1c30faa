"""Cost avoidance: each avoided outcome times the unit cost recorded for it.

    avoided ED transports = (patrol-alone ED transport rate - co-response rate)
                            x co-responses with a disposition
    ED savings            = avoided ED transports x ED visit cost
    arrests avoided       = (patrol-alone arrest rate - co-response rate) x co-responses
    custody savings       = arrests avoided x jail booking cost
    patrol time           = patrol hours returned x officer hour cost

The rates are the Outcomes page's (co-responses against in-scope calls patrol answered
alone: a comparison, not proof of cause). A term comes out negative when co-responses
end that way more often than patrol alone; it is kept, not hidden. Ambulance transports
and inpatient days are recorded but not priced here: calls do not say how a person was
transported nor how long a hold lasted, and a guessed share would be a made-up number.

Any unit cost missing, or no patrol-alone calls to compare with: unavailable, with
the reason. Works on the measures' plain numbers (`RateInputs`); outcomes_service puts
the result into its Measure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from console.data.funding_enums import UnitCostKind
from console.services.funding.edits import money
from console.services.funding.unit_costs import UnitCostRow

NEEDED = (UnitCostKind.ED_VISIT, UnitCostKind.JAIL_BOOKING, UnitCostKind.OFFICER_HOUR)
DEFINITION = (
    "Avoided ED transports \u00d7 ED visit cost + arrests avoided \u00d7 jail booking cost "
    "+ patrol hours returned \u00d7 officer hour cost. Avoided = (patrol-alone rate \u2212 "
    "co-response rate) \u00d7 co-responses with a disposition: a comparison with in-scope "
    "calls patrol answered alone, not proof of cause. Unit costs and their sources: "
    "Program \u203a Funding."
)


@dataclass(frozen=True)
class RateInputs:
    """A rate measure's numbers: co-responses ending so, out of how many, and the same
    for in-scope calls patrol answered alone."""

    hits: float
    calls: int
    patrol_hits: float
    patrol_calls: int


@dataclass(frozen=True)
class Term:
    label: str
    quantity: float  # avoided outcomes, or hours
    unit_cost: UnitCostRow
    formula: str

    @property
    def cents(self) -> int:
        return round(self.quantity * self.unit_cost.edit.amount_cents)


@dataclass(frozen=True)
class CostEstimate:
    terms: tuple[Term, ...]
    calls: int  # co-responses with a disposition
    unavailable: str | None = None

    @property
    def cents(self) -> int:
        return sum(t.cents for t in self.terms)

    @property
    def dollars(self) -> float:
        return self.cents / 100

    @property
    def breakdown(self) -> str:
        """Each term with its numbers and its unit cost's source, one line each."""
        return "\n".join(f"{t.label}: {t.formula} = {money(t.cents, whole=True)}; "
                         f"unit cost {t.unit_cost.cited}" for t in self.terms)


def _avoided(r: RateInputs) -> tuple[float, str]:
    patrol, co = r.patrol_hits / r.patrol_calls, (r.hits / r.calls if r.calls else 0.0)
    avoided = (patrol - co) * r.calls
    return avoided, (f"({patrol:.1%} \u2212 {co:.1%}) \u00d7 {r.calls:,} = {avoided:,.1f}")


def estimate(ed: RateInputs, arrests: RateInputs, patrol_hours: float,
             costs: Mapping[UnitCostKind, UnitCostRow]) -> CostEstimate:
    """The cost avoided over the calls the rates were counted on (DEFINITION)."""
    missing = [k.label for k in NEEDED if k not in costs]
    if missing:
        return CostEstimate((), ed.calls, "not available: unit costs missing for "
                            + ", ".join(missing) + " (Program \u203a Funding \u203a Unit costs)")
    if not ed.calls:
        return CostEstimate((), 0, "not available: no co-responses with a disposition in "
                                   "the period")
    if not ed.patrol_calls or not arrests.patrol_calls:
        return CostEstimate((), ed.calls, "not available: no in-scope calls answered by "
                                          "patrol alone to compare with")
    ed_n, ed_text = _avoided(ed)
    arrest_n, arrest_text = _avoided(arrests)
    hour = costs[UnitCostKind.OFFICER_HOUR]
    terms = (
        Term("ED transports avoided", ed_n, costs[UnitCostKind.ED_VISIT],
             f"{ed_text} \u00d7 {money(costs[UnitCostKind.ED_VISIT].edit.amount_cents)}"),
        Term("Arrests avoided", arrest_n, costs[UnitCostKind.JAIL_BOOKING],
             f"{arrest_text} \u00d7 {money(costs[UnitCostKind.JAIL_BOOKING].edit.amount_cents)}"),
        Term("Patrol hours returned", patrol_hours, hour,
             f"{patrol_hours:,.1f} h \u00d7 {money(hour.edit.amount_cents)}"),
    )
    return CostEstimate(terms, ed.calls)
