"""Funding records through their services: sources and the positions they pay, budget
lines and the fiscal year, unit costs; edit conflicts, refusals, permissions, the audit."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import access_for, program_access_for, program_database
from sqlalchemy import func, insert, select

from console.__main__ import main
from console.data.engine import Database, open_database, sqlite_url
from console.data.enums import StaffRole, UserRole
from console.data.funding_enums import BudgetCategory, FundingKind, RenewalStatus, UnitCostKind
from console.data.models import AuditEntry, FundedPosition, Position
from console.errors import UserError
from console.services.access import Access, Actor, EditConflict, PermissionDenied
from console.services.funding import budget, sources, unit_costs
from console.services.funding.edits import money, parse_money
from console.services.funding.overview import funding_overview

D = dt.date


def add_positions(access: Access, *titles: str) -> list[int]:
    from console.services.access import Action

    with access.writing(Action.EDIT_STAFF) as s:
        for i, title in enumerate(titles, start=1):
            s.connection().execute(insert(Position).values(
                id=i, program_id=1, title=title, role=StaffRole.MH_RESPONDER,
                authorized_on=D(2024, 1, 1)))
    return list(range(1, len(titles) + 1))


@pytest.fixture
def access(db: Database, tmp_path: Path) -> Access:
    a = program_access_for(db, tmp_path)
    add_positions(a, "Responder A", "Responder B", "Clinical manager")
    return a


def grant(**kw: object) -> sources.SourceEdit:
    base: dict[str, object] = dict(
        name="State crisis grant", kind=FundingKind.STATE, annual_cents=18_500_000,
        start_on=D(2024, 7, 1), end_on=D(2027, 3, 15), renewal=RenewalStatus.PENDING,
        notes="renewal asked", positions=((1, 100), (3, 50)))
    base.update(kw)
    return sources.SourceEdit(**base)  # type: ignore[arg-type]


def test_a_source_and_the_positions_it_pays(access: Access) -> None:
    sid = sources.add_source(access, grant())
    (row,) = sources.list_sources(access)
    assert row.id == sid and row.edit.end_on == D(2027, 3, 15)
    assert [(p.title, p.share_percent) for p in row.paid] == [
        ("Responder A", 100), ("Clinical manager", 50)]
    # Positions alone changed: the version moves too, the links follow the edit.
    saved = sources.update_source(access, sid, row.version, grant(positions=((2, 100),)))
    assert saved.version == row.version + 1
    assert [p.title for p in saved.paid] == ["Responder B"]
    with access.reading(sources.Action.VIEW_PROGRAM) as s:
        assert s.scalar(select(func.count()).select_from(FundedPosition)) == 1
        tables = set(s.scalars(select(AuditEntry.table_name)))
    assert {"funding_source", "funded_position"} <= tables


def test_the_staffing_table_names_the_sources_paying_each_position(access: Access) -> None:
    """The sources linked on the funding page, on the day asked (a source is paying from
    its start to its end; a pending renewal pays nothing past the end); a position with
    none keeps the note typed on it, marked as a note."""
    from console.services.access import Action
    from console.services.staffing_service import positions_on

    sources.add_source(access, grant())  # A 100%, clinical manager 50%; ends 15 Mar 2027
    sources.add_source(access, grant(name="County contract", kind=FundingKind.COUNTY,
                                     end_on=None, renewal=RenewalStatus.NONE,
                                     positions=((3, 50),)))
    with access.writing(Action.EDIT_STAFF) as s:
        s.connection().execute(Position.__table__.update().where(Position.id == 2)
                               .values(funding_source="Police overtime line"))

    def funding(day: dt.date) -> list[str | None]:
        return [r.funding for r in positions_on(access, day)]

    assert funding(D(2026, 1, 1)) == [
        "State crisis grant", "Police overtime line (noted; no source linked)",
        "County contract 50%, State crisis grant 50%"]
    assert funding(D(2027, 3, 15))[0] == "State crisis grant"  # its last day
    assert funding(D(2027, 3, 16)) == [
        None, "Police overtime line (noted; no source linked)", "County contract 50%"]
    assert funding(D(2024, 6, 30))[0] is None  # before it started


def test_refusals_change_nothing(access: Access) -> None:
    sources.add_source(access, grant())
    for bad, why in (
        (grant(name="  "), "needs a name"),
        (grant(name="B", end_on=D(2024, 1, 1)), "before it starts"),
        (grant(name="B", positions=((1, 0),)), "1-100%"),
        (grant(name="B", positions=((9, 50),)), "not one of this program's"),
        (grant(), "already exists"),
        # Responder A is paid 100% by the grant until 15 Mar 2027.
        (grant(name="County", start_on=D(2027, 1, 1), end_on=None, positions=((1, 10),)),
         "would be paid 110% from 2027-01-01"),
    ):
        with pytest.raises(UserError, match=why):
            sources.add_source(access, bad)
    assert len(sources.list_sources(access)) == 1
    # From the day after the grant ends, another source may pay all of it.
    sources.add_source(access, grant(name="County", start_on=D(2027, 3, 16), end_on=None,
                                     positions=((1, 100),)))


def test_a_second_save_is_a_conflict_with_both_versions(db: Database, tmp_path: Path) -> None:
    sergeant = program_access_for(db, tmp_path)
    add_positions(sergeant, "Responder A", "Responder B")
    director = access_for(db, tmp_path, Actor("dir.chen", UserRole.DIRECTOR, "Dir. Chen"))
    sid = sources.add_source(sergeant, grant(positions=((1, 100),)))
    seen = sources.source_row(director, sid)
    sources.update_source(sergeant, sid, seen.version, grant(renewal=RenewalStatus.RENEWED,
                                                             positions=((1, 100),)))
    with pytest.raises(EditConflict) as caught:
        sources.update_source(director, sid, seen.version,
                              grant(end_on=D(2027, 6, 30), positions=((1, 100), (2, 100))))
    c = caught.value
    assert c.saved_by == "sgt.rivera" and c.theirs_version == seen.version + 1
    assert ("Renewal", "Pending", "Renewed") in c.fields
    assert ("Ends", "2027-06-30", "2027-03-15") in c.fields
    assert ("Positions paid", "Responder A 100%, #2 100%", "Responder A 100%") in c.fields
    assert sources.source_row(sergeant, sid).edit.renewal is RenewalStatus.RENEWED
    # Saving over theirs, knowingly.
    final = sources.update_source(director, sid, c.theirs_version,
                                  grant(end_on=D(2027, 6, 30), positions=((1, 100),)))
    assert final.edit.end_on == D(2027, 6, 30)


def test_budget_lines_and_the_fiscal_year(access: Access) -> None:
    assert budget.fiscal_year_start_month(access) == 7  # July unless set
    assert budget.fiscal_year_of(D(2026, 6, 30), 7) == 2026
    assert budget.fiscal_year_of(D(2026, 7, 1), 7) == 2027
    assert budget.fiscal_year_span(2027, 10) == (D(2026, 10, 1), D(2027, 9, 30))
    assert budget.fiscal_year_span(2027, 1) == (D(2027, 1, 1), D(2027, 12, 31))
    budget.set_fiscal_year_start_month(access, 10)
    assert budget.fiscal_year_start_month(access) == 10
    with pytest.raises(UserError, match="Fiscal year start month: 13 is out of range"):
        budget.set_fiscal_year_start_month(access, 13)
    first = budget.add_budget_line(access, budget.BudgetEdit(
        2027, BudgetCategory.PERSONNEL, "Salaries", 118_500_000))
    budget.add_budget_line(access, budget.BudgetEdit(2027, BudgetCategory.VEHICLES, "Lease",
                                                     4_160_000))
    budget.add_budget_line(access, budget.BudgetEdit(2026, BudgetCategory.PERSONNEL, "Salaries",
                                                     111_000_000))
    rows = budget.budget_lines(access)
    assert [(r.edit.fiscal_year, r.edit.category) for r in rows] == [
        (2027, BudgetCategory.PERSONNEL), (2027, BudgetCategory.VEHICLES),
        (2026, BudgetCategory.PERSONNEL)]
    assert budget.totals(rows)[2027] == {BudgetCategory.PERSONNEL: 118_500_000,
                                         BudgetCategory.VEHICLES: 4_160_000}
    seen = budget.budget_row(access, first)
    budget.update_budget_line(access, first, seen.version, budget.BudgetEdit(
        2027, BudgetCategory.PERSONNEL, "Salaries and benefits", 120_000_000))
    with pytest.raises(EditConflict) as caught:
        budget.update_budget_line(access, first, seen.version, budget.BudgetEdit(
            2027, BudgetCategory.PERSONNEL, "Salaries", 1))
    assert ("Amount", "$0.01", "$1,200,000.00") in caught.value.fields
    with pytest.raises(UserError, match="needs a description"):
        budget.add_budget_line(access, budget.BudgetEdit(2027, BudgetCategory.OTHER, " ", 1))


def test_unit_costs(access: Access) -> None:
    edit = unit_costs.UnitCostEdit(UnitCostKind.ED_VISIT, 248_000, "Regional cost report",
                                   2025, D(2026, 5, 1))
    cid = unit_costs.add_unit_cost(access, edit)
    with pytest.raises(UserError, match="already recorded"):
        unit_costs.add_unit_cost(access, edit)
    with pytest.raises(UserError, match="a source"):
        unit_costs.add_unit_cost(access, unit_costs.UnitCostEdit(
            UnitCostKind.JAIL_BOOKING, 46_500, " ", 2025, D(2026, 5, 1)))
    with pytest.raises(UserError, match="more than zero"):
        unit_costs.add_unit_cost(access, unit_costs.UnitCostEdit(
            UnitCostKind.JAIL_BOOKING, 0, "Sheriff", 2025, D(2026, 5, 1)))
    (row,) = unit_costs.unit_costs(access)
    assert row.cited == "$2,480.00 (2025; Regional cost report, checked 2026-05-01)"
    unit_costs.update_unit_cost(access, cid, row.version, unit_costs.UnitCostEdit(
        UnitCostKind.ED_VISIT, 251_000, "Regional cost report FY2026", 2026, D(2026, 6, 1)))
    with pytest.raises(EditConflict) as caught:
        unit_costs.update_unit_cost(access, cid, row.version, edit)
    assert ("Year", "2025", "2026") in caught.value.fields


@pytest.mark.parametrize("role", [UserRole.RESPONDER, UserRole.ANALYST, UserRole.REVIEWER])
def test_only_directors_and_supervisors_edit_money(db: Database, tmp_path: Path,
                                                   role: UserRole) -> None:
    program_access_for(db, tmp_path)
    other = access_for(db, tmp_path, Actor("x", role, "X"))
    edit = unit_costs.UnitCostEdit(UnitCostKind.OFFICER_HOUR, 7_840, "Budget office", 2026,
                                   D(2026, 5, 1))
    with pytest.raises(PermissionDenied):
        unit_costs.add_unit_cost(other, edit)
    with pytest.raises(PermissionDenied):
        sources.add_source(other, grant(positions=()))
    assert unit_costs.unit_costs(other) == []  # reading is everyone's
    director = access_for(db, tmp_path, Actor("d", UserRole.DIRECTOR, "D"))
    unit_costs.add_unit_cost(director, edit)


def test_money_as_typed() -> None:
    assert parse_money("$1,250.5", "x") == 125_050
    assert parse_money("78.40", "x") == 7_840 and parse_money("1250", "x") == 125_000
    for bad in ("12,50", "1.234", "-5", "abc", ""):
        with pytest.raises(UserError, match="not an amount"):
            parse_money(bad, "Amount")
    assert money(-156_000) == "\u2212$1,560.00" and money(125_049, whole=True) == "$1,250"


def test_funding_command_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = program_database(tmp_path / "p.sqlite")
    database = open_database(sqlite_url(path), create=False)
    try:
        from console.data.identity import unlock

        a = Access(database.session_factory, Actor.system("t"), unlock(database).vault)
        add_positions(a, "Responder A", "Responder B")
        sources.add_source(a, grant(positions=((1, 100),)))
        sources.add_source(a, grant(name="City general fund", kind=FundingKind.GENERAL_FUND,
                                    end_on=None, renewal=RenewalStatus.NONE,
                                    positions=((2, 100),)))
        unit_costs.add_unit_cost(a, unit_costs.UnitCostEdit(
            UnitCostKind.JAIL_BOOKING, 46_500, "Sheriff's study", 2025, D(2026, 5, 1)))
        assert funding_overview(a, D(2026, 12, 1)).runway.days == 104
    finally:
        database.dispose()
    assert main(["--db", str(path), "funding", "--as-of", "2026-12-01", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [s["name"] for s in out["sources"]] == ["State crisis grant", "City general fund"]
    assert out["sources"][1]["end"] is None
    assert out["runway"]["ends_on"] == "2027-03-15" and out["runway"]["days"] == 104
    assert out["runway"]["months"] == 3.4 and out["runway"]["ends_on_if_pending_granted"] is None
    assert out["runway"]["first_to_lose"] == ["Responder A"]
    assert out["cliffs"] == [{"source": "State crisis grant", "end": "2027-03-15", "days": 104,
                              "severity": "warning", "renewal": "pending",
                              "positions": ["Responder A (100%)"]}]
    assert main(["--db", str(path), "funding", "--as-of", "2026-12-20"]) == 0
    text = capsys.readouterr().out
    assert "Runway: 2.8 months (85 days)" in text and "critical  State crisis grant" in text
    assert main(["--db", str(path), "unit-costs", "--json"]) == 0
    (cost,) = json.loads(capsys.readouterr().out)
    assert cost == {"kind": "jail_booking", "label": "Jail booking", "amount": 465.0,
                    "source": "Sheriff's study", "year": 2025, "checked_on": "2026-05-01",
                    "notes": ""}
