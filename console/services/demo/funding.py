"""The demo program's money: four funding sources (the state crisis grant ends within
six months of the demo's last day, its renewal pending), budget lines for three fiscal
years and unit costs with their sources.

Dates follow the demo's end date (today by default), so the cliff is always ahead of
whoever opens the demo. No random numbers: the same end date writes the same rows.
The sources named are Port Alder's, as invented as the city.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.data.funding_enums import BudgetCategory, FundingKind, RenewalStatus, UnitCostKind
from console.data.models import BudgetLine, FundedPosition, FundingSource, Position, UnitCost
from console.services.demo.timeline import DemoTimeline
from console.services.funding.budget import DEFAULT_START_MONTH, fiscal_year_of

# Days after the demo's end before the state grant's term runs out (then to the month's
# end): 110-140 days, a warning (within 180) and not yet critical (90); the day before
# the leadership change (150 days before the end) it is 260 days or more away.
GRANT_ENDS_AFTER = timedelta(days=110)


def month_end(day: date) -> date:
    first_next = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def write_funding(session: Session, tl: DemoTimeline, program_id: int) -> None:
    positions = session.execute(select(Position.id, Position.funding_source)
                                .where(Position.program_id == program_id)
                                .order_by(Position.id)).tuples().all()
    by_line: dict[str, list[int]] = {}
    for pid, line in positions:
        by_line.setdefault(line or "", []).append(pid)
    general = FundingSource(
        program_id=program_id, name="City of Port Alder general fund",
        kind=FundingKind.GENERAL_FUND, annual_cents=95_500_000, start_on=tl.start,
        end_on=None, notes="Appropriated each fiscal year in the police and city budgets.")
    county = FundingSource(
        program_id=program_id, name="Alder County behavioral-health contract",
        kind=FundingKind.COUNTY, annual_cents=6_000_000, start_on=tl.start,
        end_on=month_end(tl.end + timedelta(days=450)), renewal=RenewalStatus.NONE,
        notes="Pays half of the clinical program manager; contract 24-117.")
    state = FundingSource(
        program_id=program_id, name="State crisis response grant",
        kind=FundingKind.STATE, annual_cents=18_500_000, start_on=tl.start,
        end_on=month_end(tl.end + GRANT_ENDS_AFTER), renewal=RenewalStatus.PENDING,
        notes="Two responder positions and training; renewal application submitted, "
              "decision expected after the state budget passes.")
    partner = FundingSource(
        program_id=program_id, name="Port Alder State University practicum stipends",
        kind=FundingKind.PARTNER, annual_cents=2_400_000, start_on=tl.start,
        end_on=month_end(tl.end + timedelta(days=600)), renewal=RenewalStatus.NONE,
        notes="Two graduate practicum seats a year under the field-education agreement.")
    shares = {
        general: [(p, 100) for line in ("City general fund", "Police general fund")
                  for p in by_line.get(line, [])]
        + [(p, 50) for p in by_line.get("Behavioral-health contract", [])],
        county: [(p, 50) for p in by_line.get("Behavioral-health contract", [])],
        state: [(p, 100) for p in by_line.get("State crisis grant", [])],
        partner: [(p, 100) for p in by_line.get("Partner university stipend", [])],
    }
    for source, paid in shares.items():
        source.positions = [FundedPosition(position_id=p, share_percent=s) for p, s in paid]
        session.add(source)
    session.add_all(_budget_lines(tl, program_id))
    session.add_all(_unit_costs(tl, program_id))
    session.flush()


def _budget_lines(tl: DemoTimeline, program_id: int) -> list[BudgetLine]:
    now = fiscal_year_of(tl.end, DEFAULT_START_MONTH)
    lines: list[BudgetLine] = []
    for back, growth in ((2, 0.94), (1, 0.97), (0, 1.0)):
        for category, text, dollars in (
            (BudgetCategory.PERSONNEL, "Salaries and benefits, 11 positions", 1_185_000),
            (BudgetCategory.PERSONNEL, "Graduate practicum stipends", 24_000),
            (BudgetCategory.TRAINING, "Crisis intervention team training for patrol", 18_500),
            (BudgetCategory.VEHICLES, "Two unmarked response vehicles (lease)", 41_600),
            (BudgetCategory.OTHER, "Phones, laptops and field supplies", 14_200),
        ):
            lines.append(BudgetLine(program_id=program_id, fiscal_year=now - back,
                                    category=category, description=text,
                                    amount_cents=round(dollars * growth) * 100))
    return lines


def _unit_costs(tl: DemoTimeline, program_id: int) -> list[UnitCost]:
    checked = tl.end - timedelta(days=41)
    year = tl.end.year
    rows = (
        (UnitCostKind.ED_VISIT, 248_000, year - 1,
         "Port Alder Regional Medical Center cost report, behavioral-health ED visits "
         "(average cost per visit)"),
        (UnitCostKind.INPATIENT_DAY, 165_000, year - 1,
         "State Department of Health psychiatric inpatient per-diem schedule"),
        (UnitCostKind.JAIL_BOOKING, 46_500, year - 1,
         "Alder County Sheriff's Office jail booking and first-day cost study"),
        (UnitCostKind.OFFICER_HOUR, 7_840, year,
         "City of Port Alder budget office: patrol officer hour, fully loaded"),
        (UnitCostKind.AMBULANCE_TRANSPORT, 121_000, year - 1,
         "Alder County EMS fee schedule, advanced life support emergency transport"),
    )
    return [UnitCost(program_id=program_id, kind=kind, amount_cents=cents, source=source,
                     year=y, checked_on=checked, notes="Demo figure.")
            for kind, cents, y, source in rows]
