"""Budget lines by fiscal year, and the program's fiscal year.

The fiscal year starts in July by default: most US cities and counties, and 46 of the
50 states, run July to June (the federal year starts in October; a program set that
way changes the setting). Fiscal years are named for the calendar year they end in:
with a July start, FY2027 runs 1 July 2026 to 30 June 2027.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.data.funding_enums import BudgetCategory
from console.data.models import BudgetLine
from console.errors import UserError
from console.services.access import Access, Action, EditConflict
from console.services.funding.edits import conflict, money, program_of
from console.services.program_scope import current_program_id_or_none, in_this_program
from console.services.settings_service import IntSetting, read_int, write_int

DEFAULT_START_MONTH = 7
FISCAL_YEAR_START = IntSetting("fiscal_year_start_month", "Fiscal year start month",
                               default=DEFAULT_START_MONTH, minimum=1, maximum=12,
                               per_program=True)


def fiscal_year_of(day: dt.date, start_month: int) -> int:
    """The fiscal year a day falls in (named for the year it ends in)."""
    return day.year + 1 if start_month > 1 and day.month >= start_month else day.year


def fiscal_year_span(year: int, start_month: int) -> tuple[dt.date, dt.date]:
    """First and last day of a fiscal year."""
    first = dt.date(year - 1 if start_month > 1 else year, start_month, 1)
    after = dt.date(first.year + 1, start_month, 1)
    return first, after - dt.timedelta(days=1)


def fiscal_year_start_month(access: Access) -> int:
    """The current program's fiscal year start month (1-12; July unless set)."""
    with access.reading(Action.VIEW_PROGRAM) as session:
        return read_int(session, FISCAL_YEAR_START)


def set_fiscal_year_start_month(access: Access, month: int) -> None:
    with access.writing(Action.EDIT_PROGRAM, "Fiscal year start month") as session:
        write_int(session, FISCAL_YEAR_START, month)


@dataclass(frozen=True)
class BudgetEdit:
    fiscal_year: int
    category: BudgetCategory
    description: str
    amount_cents: int


@dataclass(frozen=True)
class BudgetRow:
    id: int
    edit: BudgetEdit
    version: int


_LABELS = {"fiscal_year": "Fiscal year", "category": "Category",
           "description": "Description", "amount_cents": "Amount"}


def _row(line: BudgetLine) -> BudgetRow:
    return BudgetRow(line.id, BudgetEdit(line.fiscal_year, line.category, line.description,
                                         line.amount_cents), line.version)


def _check(edit: BudgetEdit) -> BudgetEdit:
    description = edit.description.strip()
    if not description:
        raise UserError("a budget line needs a description")
    if not 1990 <= edit.fiscal_year <= 2100:
        raise UserError(f"{description}: fiscal year {edit.fiscal_year} is not a year")
    if edit.amount_cents < 0:
        raise UserError(f"{description}: the amount cannot be negative")
    return BudgetEdit(edit.fiscal_year, edit.category, description, edit.amount_cents)


def budget_lines(access: Access, fiscal_year: int | None = None) -> list[BudgetRow]:
    """The current program's budget lines, newest fiscal year first, by category."""
    stmt = select(BudgetLine)
    if fiscal_year is not None:
        stmt = stmt.where(BudgetLine.fiscal_year == fiscal_year)
    order = list(BudgetCategory)
    with access.reading(Action.VIEW_PROGRAM) as session:
        program_id = current_program_id_or_none(session)
        if program_id is None:
            return []
        rows = [_row(b) for b in session.scalars(stmt.where(BudgetLine.program_id == program_id))]
    return sorted(rows, key=lambda r: (-r.edit.fiscal_year, order.index(r.edit.category),
                                       r.edit.description))


def totals(rows: list[BudgetRow]) -> dict[int, dict[BudgetCategory, int]]:
    """Cents by fiscal year and category."""
    out: dict[int, dict[BudgetCategory, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        out[r.edit.fiscal_year][r.edit.category] += r.edit.amount_cents
    return {year: dict(cats) for year, cats in out.items()}


def add_budget_line(access: Access, edit: BudgetEdit) -> int:
    edit = _check(edit)
    with access.writing(Action.EDIT_PROGRAM, f"Budget line {edit.description}") as session:
        line = BudgetLine(program_id=program_of(session), fiscal_year=edit.fiscal_year,
                          category=edit.category, description=edit.description,
                          amount_cents=edit.amount_cents)
        session.add(line)
        session.flush()
        return line.id


def _get(session: Session, line_id: int) -> BudgetLine:
    line = in_this_program(session, BudgetLine, line_id)
    if line is None:
        raise UserError(f"budget line {line_id} no longer exists")
    return line


def budget_row(access: Access, line_id: int) -> BudgetRow:
    with access.reading(Action.VIEW_PROGRAM) as session:
        return _row(_get(session, line_id))


def update_budget_line(access: Access, line_id: int, read_version: int,
                       edit: BudgetEdit) -> BudgetRow:
    """Save an edit to the version read; EditConflict (both versions) if it changed."""
    edit = _check(edit)
    label = f"Budget line {edit.description}"
    try:
        with access.writing(Action.EDIT_PROGRAM, label) as session:
            line = _get(session, line_id)
            if line.version != read_version:
                raise EditConflict(label)
            line.fiscal_year, line.category = edit.fiscal_year, edit.category
            line.description, line.amount_cents = edit.description, edit.amount_cents
            session.flush()
            return _row(line)
    except EditConflict:
        theirs = budget_row(access, line_id)
        raise conflict(access, label, "budget_line", line_id, _fields(edit),
                       _fields(theirs.edit), theirs.version) from None


def _fields(edit: BudgetEdit) -> dict[str, object]:
    out: dict[str, object] = {_LABELS[k]: getattr(edit, k) for k in _LABELS}
    out[_LABELS["amount_cents"]] = money(edit.amount_cents)
    return out


def delete_budget_line(access: Access, line_id: int, read_version: int) -> None:
    with access.writing(Action.EDIT_PROGRAM, f"Budget line {line_id}") as session:
        line = _get(session, line_id)
        if line.version != read_version:
            raise EditConflict(f"Budget line {line.description}")
        session.delete(line)
