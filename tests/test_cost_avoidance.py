"""Cost avoidance priced from the unit costs, on hand-computed cases; the Outcomes
page's measure shows the formula and the sources, or why it is not available."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import access_for
from test_outcomes import twelve_calls

from console.data.engine import Database
from console.data.funding_enums import UnitCostKind
from console.services.access import Access
from console.services.funding import unit_costs
from console.services.funding.cost_avoidance import RateInputs, estimate
from console.services.funding.unit_costs import UnitCostEdit, UnitCostRow
from console.services.outcomes_service import COST, Kind, outcome_report
from console.services.populations import Period

D = dt.date


def cost(kind: UnitCostKind, cents: int, source: str = "a study") -> UnitCostRow:
    return UnitCostRow(1, UnitCostEdit(kind, cents, source, 2025, D(2026, 5, 1)), 1)


COSTS = {c.kind: c for c in (cost(UnitCostKind.ED_VISIT, 248_000, "hospital cost report"),
                             cost(UnitCostKind.JAIL_BOOKING, 46_500, "sheriff's study"),
                             cost(UnitCostKind.OFFICER_HOUR, 7_840, "budget office"))}


def test_a_hand_computed_estimate() -> None:
    # ED: patrol alone 9 of 60 (15%), co-responses 2 of 40 (5%): (0.15 - 0.05) x 40 = 4
    # avoided x $2,480 = $9,920. Arrests: 6 of 60 (10%) against 1 of 40 (2.5%):
    # 0.075 x 40 = 3 x $465 = $1,395. Patrol hours: 52.5 x $78.40 = $4,116.
    est = estimate(RateInputs(2, 40, 9, 60), RateInputs(1, 40, 6, 60), 52.5, COSTS)
    assert est.unavailable is None and est.calls == 40
    assert [t.cents for t in est.terms] == [992_000, 139_500, 411_600]
    assert est.cents == 1_543_100 and est.dollars == 15_431.0
    lines = est.breakdown.splitlines()
    assert lines[0] == ("ED transports avoided: (15.0% \u2212 5.0%) \u00d7 40 = 4.0 \u00d7 "
                        "$2,480.00 = $9,920; unit cost $2,480.00 (2025; hospital cost "
                        "report, checked 2026-05-01)")
    assert "sheriff's study" in lines[1] and "52.5 h \u00d7 $78.40 = $4,116" in lines[2]


def test_never_a_made_up_number() -> None:
    partial = {k: v for k, v in COSTS.items() if k is not UnitCostKind.JAIL_BOOKING}
    est = estimate(RateInputs(2, 40, 9, 60), RateInputs(1, 40, 6, 60), 52.5, partial)
    assert est.terms == () and "Jail booking" in (est.unavailable or "")
    no_patrol = estimate(RateInputs(2, 40, 0, 0), RateInputs(1, 40, 0, 0), 52.5, COSTS)
    assert "patrol alone" in (no_patrol.unavailable or "")
    nobody = estimate(RateInputs(0, 0, 9, 60), RateInputs(0, 0, 6, 60), 0, COSTS)
    assert "no co-responses" in (nobody.unavailable or "")


@pytest.fixture
def access(db: Database, tmp_path: Path) -> Access:
    return access_for(db, tmp_path)


def test_the_outcomes_measure_on_twelve_calls(access: Access) -> None:
    twelve_calls(access)
    assert "unit costs missing" in (outcome_report(access, Period()).measure(COST).unavailable
                                    or "")
    for kind, cents in ((UnitCostKind.ED_VISIT, 200_000), (UnitCostKind.JAIL_BOOKING, 45_000),
                        (UnitCostKind.OFFICER_HOUR, 8_000)):
        unit_costs.add_unit_cost(access, UnitCostEdit(kind, cents, f"{kind.value} source",
                                                      2025, D(2026, 5, 1)))
    m = outcome_report(access, Period()).measure(COST)
    # test_outcomes: ED 1 of 5 co-responses against 0 of 3 patrol alone -> (0 - 0.2) x 5 =
    # -1 ED transport (-$2,000); arrests 1 of 5 against 1 of 3 -> (1/3 - 1/5) x 5 = 2/3
    # x $450 = $300; patrol hours 1.75 x $80 = $140. Total -$1,560: kept, not hidden.
    assert m.available and m.kind is Kind.MONEY
    assert m.value == pytest.approx(-1_560.0) and m.denominator == 5
    assert "ed_visit source" in m.note and "\u00d7 $450.00" in m.note
    assert "jail booking cost" in m.definition
