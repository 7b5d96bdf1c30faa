"""A roster to XLSX in the columns the roster import reads, so an export imports back;
a second sheet lists the breaches of the rules in sentences."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from sqlalchemy import select

from console.data.models import Program, StaffMember
from console.errors import UserError
from console.private_files import replace_private_bytes
from console.services.access import Access, Action
from console.services.schedule.roster_service import load_roster
from console.services.schedule.rules import check

if TYPE_CHECKING:
    from console.services.schedule.week import WeekRoster

HEADER = ("Date", "Start", "End", "Badge", "Name", "Shift", "Leave type")


def export_xlsx(access: Access, first: dt.date, last: dt.date, path: Path) -> int:
    """Write the shifts starting from `first` to `last`, a row per person per shift (an
    open shift a row of its own without a badge); returns the rows written."""
    roster = load_roster(access, first, last)
    with access.reading(Action.VIEW_STAFF) as s:
        keys = dict(s.execute(select(StaffMember.id, StaffMember.staff_key)).tuples().all())
    people = {p.id: p.name for p in roster.staff}
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Roster"
    sheet.append(HEADER)
    rows = 0
    for shift in roster.shifts:
        if not first <= shift.starts_at.date() <= last:
            continue
        ids: tuple[int | None, ...] = shift.staff_ids or (None,)
        for staff_id in ids:
            badge = keys.get(staff_id, "") if staff_id is not None else ""
            name = people.get(staff_id, "") if staff_id is not None else "(open shift)"
            sheet.append((shift.starts_at.date(), f"{shift.starts_at:%H:%M}",
                          f"{shift.ends_at:%H:%M}", badge, name, shift.label, ""))
            rows += 1
    for column, width in zip("ABCDEFG", (12, 8, 8, 12, 28, 16, 12), strict=True):
        sheet.column_dimensions[column].width = width
    breaches = book.create_sheet("Breaches")
    breaches.append(("Rule", "Staff", "Shift", "Explanation"))
    for b in check(roster):
        breaches.append((b.rule, b.staff or "", b.shift or "", b.explanation))
    breaches.column_dimensions["D"].width = 120
    data = io.BytesIO()
    book.save(data)
    try:
        replace_private_bytes(path, data.getvalue())
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    return rows


def export_pdf(access: Access, first: dt.date, last: dt.date, path: Path) -> int:
    """The weeks (Monday to Sunday) holding `first` to `last`, a landscape page each;
    returns the pages written."""
    data, pages = roster_pdf_bytes(access, first, last)
    try:
        replace_private_bytes(path, data)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    return pages


def roster_pdf_bytes(access: Access, first: dt.date, last: dt.date) -> tuple[bytes, int]:
    """The printable roster of the weeks holding `first` to `last` and its page count."""
    from console.reports.roster_pdf import roster_pdf

    weeks, program = print_weeks(access, first, last)
    return roster_pdf(weeks, program), len(weeks)


def print_weeks(access: Access, first: dt.date, last: dt.date) -> tuple[list[WeekRoster], str]:
    """The weeks (Monday to Sunday) holding `first` to `last` and the program's name: what
    the PDF export prints and the Schedule page's print preview paints, a week a page."""
    from console.services.schedule.week import week_roster

    if last < first:
        raise UserError(f"roster print: {last} is before {first}; give the earlier day first")
    if (last - first).days > 60 * 7:
        raise UserError("roster export: give at most about a year of weeks for a PDF")
    monday = first - dt.timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        weeks.append(week_roster(access, monday))
        monday += dt.timedelta(days=7)
    with access.reading(Action.VIEW_PROGRAM) as s:
        program = s.scalar(select(Program.name).order_by(Program.id)) or "Program"
    return weeks, program
