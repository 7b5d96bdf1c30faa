"""The Schedule page's month view, drag and drop, pairs, trades, published versions and
print preview, on a copy of the demo program."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtPrintSupport import QPrinter
from sqlalchemy import delete, insert

from console.data.models import DutyAway, ShiftAssignment
from console.data.schedule_enums import DutyAwayKind
from console.views.roster_grid import BREACH_COLOUR, SHIFT_ROLE
from console.views.schedule_page import SchedulePage
from tests.test_gui_schedule import window  # noqa: F401  (the fixture)


def _page(qtbot, win) -> SchedulePage:  # type: ignore[no-untyped-def]
    """The Schedule page on a full week of the demo (its last week has one day)."""
    page = win.show_area("schedule")
    assert isinstance(page, SchedulePage)
    qtbot.waitUntil(lambda: page.view is not None, timeout=30_000)
    old = page.view
    page.previous.click()
    qtbot.waitUntil(lambda: page.view is not old, timeout=30_000)
    return page


def _reloaded(qtbot, page: SchedulePage, act) -> None:  # type: ignore[no-untyped-def]
    old = page.view
    act()
    qtbot.waitUntil(lambda: page.view is not old, timeout=30_000)


def _court_day(startup, staff_id: int, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    with startup.db.engine.begin() as conn:
        conn.execute(insert(DutyAway).values(staff_id=staff_id, day=day,
                                             kind=DutyAwayKind.COURT))


def test_dropping_a_person_on_a_shift_assigns_and_flags_the_breach(qtbot, window) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    win, startup = window
    page = _page(qtbot, win)
    week = page.view.week
    shift = week.shifts[3]
    on = {p.id for p in shift.staff}
    person = next(p for p in week.staff if p.id not in on and p.role == "Sworn officer")
    _court_day(startup, person.id, shift.starts_at.date())
    row = next(i for i in range(page.staff_list.count())
               if page.staff_list.item(i).data(SHIFT_ROLE) == person.id)
    data = page.staff_list.mimeData([page.staff_list.item(row)])
    cell = page.grid.cell_of(shift.id)
    assert cell is not None
    at = page.grid.visualItemRect(cell).center()
    event = QDropEvent(QPointF(at), Qt.DropAction.CopyAction, data,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    _reloaded(qtbot, page, lambda: page.grid.dropEvent(event))
    assert event.isAccepted()
    new = page.view.week
    assert person.id in {p.id for s in new.shifts if s.id == shift.id for p in s.staff}
    [breach] = [b for b in new.breaches if b.staff_id == person.id and b.rule == "leave"]
    assert breach.shift_id == shift.id and "(court) (leave)." in breach.explanation
    assert shift.id in page.flagged_shift_ids()
    assert page.grid.cell_of(shift.id).text().startswith("⚠ ")  # type: ignore[union-attr]


def test_a_drop_outside_a_shift_or_of_something_else_changes_nothing(qtbot, window) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from PySide6.QtCore import QMimeData

    win, _startup = window
    page = _page(qtbot, win)
    before = page.view
    text = QMimeData()
    text.setText("12")
    cell = page.grid.cell_of(page.view.week.shifts[0].id)
    assert cell is not None
    event = QDropEvent(QPointF(page.grid.visualItemRect(cell).center()),
                       Qt.DropAction.CopyAction, text, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    page.grid.dropEvent(event)
    assert not event.isAccepted()
    qtbot.wait(200)
    assert page.view is before


def test_a_shift_left_without_its_officer_is_marked_unpaired(qtbot, window) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    win, startup = window
    page = _page(qtbot, win)
    shift = next(s for s in page.view.week.shifts
                 if any(p.role == "Sworn officer" for p in s.staff)
                 and any(p.role.startswith("Mental-health") for p in s.staff))
    officer = next(p for p in shift.staff if p.role == "Sworn officer")
    with startup.db.engine.begin() as conn:
        conn.execute(delete(ShiftAssignment).where(ShiftAssignment.shift_id == shift.id,
                                                   ShiftAssignment.staff_id == officer.id))
    _reloaded(qtbot, page, page.refresh)
    pair = page.view.week.pair(shift.id)
    assert pair is not None and pair.status == "no officer" and not pair.officers
    assert shift.id in page.unpaired_shift_ids() | page.flagged_shift_ids()
    listed = [page.breaches.item(i).text() for i in range(page.breaches.count())]
    assert f"pairing: {pair.explanation}" in listed
    assert "with no co-responding officer (pairing)." in pair.explanation
    assert "without a responder-officer pair" in page.breach_title.text()


def test_the_month_view_marks_breaches_and_moves_by_month(qtbot, window) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    win, startup = window
    page = _page(qtbot, win)
    shift = page.view.week.shifts[0]
    person = shift.staff[0]
    _court_day(startup, person.id, shift.starts_at.date())
    page.month_button.click()
    qtbot.waitUntil(lambda: page.month_view is not None, timeout=30_000)
    month = page.month_view
    assert month.first == shift.starts_at.date().replace(day=1)
    assert page.month_grid.isVisibleTo(page) and not page.week_area.isVisibleTo(page)
    cell = page.month_grid.item_of(shift.starts_at.date())
    assert cell is not None
    assert cell.background().color() == BREACH_COLOUR
    assert f"⚠ {shift.starts_at:%H:%M} {shift.label}" in cell.text()
    assert "(court) (leave)" in cell.toolTip()
    assert page.week_label.text().startswith(f"<b>{month.first:%B %Y}</b>")
    old = page.month_view
    page.previous.click()
    qtbot.waitUntil(lambda: page.month_view is not old, timeout=30_000)
    assert page.month_view.first == (month.first - dt.timedelta(days=1)).replace(day=1)
    assert all(d.shifts for d in page.month_view.days), "the demo staffs every day"
    day = page.month_view.days[10].day
    _reloaded(qtbot, page, lambda: page.month_grid.day_opened.emit(day))
    assert page.view.week.monday == day - dt.timedelta(days=day.weekday())
    assert page.week_area.isVisibleTo(page) and page.week_button.isChecked()


def test_a_trade_that_breaks_a_rule_is_refused_with_the_breach(qtbot, window) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    win, startup = window
    page = _page(qtbot, win)
    dialog = page.open_trades()
    assert dialog is not None
    shift = page.view.week.shifts[2]
    dialog.shift.setCurrentIndex(dialog.shift.findData(shift.id))
    giver = shift.staff[0]
    taker = next(p for p in page.view.week.staff if p.id not in {x.id for x in shift.staff}
                 and p.role == giver.role)
    _court_day(startup, taker.id, shift.starts_at.date())
    dialog.giver.setCurrentIndex(dialog.giver.findData(giver.id))
    dialog.taker.setCurrentIndex(dialog.taker.findData(taker.id))
    dialog.request_button.click()
    qtbot.waitUntil(lambda: dialog.table.topLevelItemCount() == 1, timeout=30_000)
    assert dialog.status.text().startswith("Trade requested: ")
    dialog.table.setCurrentItem(dialog.table.topLevelItem(0))
    assert dialog.approve_button.isEnabled()
    dialog.approve_button.click()
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Trade not approved"),
                    timeout=30_000)
    assert f"{taker.name} is rostered on" in dialog.status.text()
    assert "(court) (leave)." in dialog.status.text()
    assert dialog.refuse_button.isEnabled()  # still chosen after the list is read again
    dialog.refuse_button.click()
    qtbot.waitUntil(lambda: bool(dialog.rows) and dialog.rows[0].status.value == "refused",
                    timeout=30_000)
    assert dialog.table.topLevelItem(0).text(3) == "refused"  # type: ignore[union-attr]


def test_published_versions_show_the_schedule_cut(qtbot, window) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    win, _startup = window
    page = _page(qtbot, win)
    dialog = page.open_versions()
    qtbot.waitUntil(lambda: len(dialog.rows) > 0, timeout=30_000)
    rows = dialog.rows
    assert dialog.table.topLevelItemCount() == len(rows) >= 13
    pair = [v for i, v in enumerate(rows) if any(w.first == v.first for w in rows[i + 1:])]
    [older] = pair
    newer = next(v for v in rows if v.first == older.first and v.number > older.number)
    dialog.older.setCurrentIndex(dialog.older.findData(older.number))
    dialog.newer.setCurrentIndex(dialog.newer.findData(newer.number))
    dialog.compare_button.click()
    qtbot.waitUntil(lambda: dialog.lines.count() > 0, timeout=30_000)
    lines = [dialog.lines.item(i).text() for i in range(dialog.lines.count())]
    assert any(x.startswith("- ") and "(Late)" in x for x in lines)
    assert any(x.startswith("+ ") and "12:00-20:00 (Mid)" in x for x in lines)
    assert dialog.summary.text().startswith(f"Version {newer.number} against version "
                                            f"{older.number}: ")


def test_print_preview_paints_a_week_a_page(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    import re

    win, _startup = window
    page = _page(qtbot, win)
    page.month_button.click()
    qtbot.waitUntil(lambda: page.month_view is not None, timeout=30_000)
    page.print_button.click()
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.isVisible(),
                    timeout=30_000)
    preview = page.preview
    month = page.month_view
    weeks = (month.last - (month.first - dt.timedelta(days=month.first.weekday()))).days // 7 + 1
    assert preview.pages == weeks
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "preview.pdf"))
    printer.setPageLayout(preview.roster_printer.pageLayout())
    preview._paint(printer)
    pdf = (tmp_path / "preview.pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == weeks
    width, height = map(float, re.search(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]",
                                         pdf).groups())  # type: ignore[union-attr]
    assert width > height  # landscape
    assert "roster, week of" in preview.document.toPlainText()
    assert preview.document.toPlainText().count("roster, week of") == weeks
    preview.close()


def test_dragging_a_name_to_another_shift_moves_them_and_flags_both(qtbot, window) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from console.views.roster_grid import staff_mime

    win, _startup = window
    page = _page(qtbot, win)
    week = page.view.week
    source = next(s for s in week.shifts if s.starts_at.weekday() == 1 and s.label == "Day")
    target = next(s for s in week.shifts if s.starts_at.weekday() == 1 and s.id != source.id)
    officer = next(p for p in source.staff if p.role == "Sworn officer")
    cell = page.grid.cell_of(source.id)
    assert cell is not None
    rect = page.grid.visualItemRect(cell)
    line = page.grid.fontMetrics().lineSpacing()
    lines = len(cell.text().split("\n"))
    second = rect.center().y() - lines * line / 2 + 1.5 * line  # the officer's line
    assert page.grid.person_at(QPoint(rect.center().x(), int(second))) == (source.id,
                                                                            officer.id)
    data = staff_mime(officer.id, from_shift_id=source.id)
    at = page.grid.visualItemRect(page.grid.cell_of(target.id)).center()  # type: ignore[arg-type]
    event = QDropEvent(QPointF(at), Qt.DropAction.MoveAction, data,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    _reloaded(qtbot, page, lambda: page.grid.dropEvent(event))
    new = {s.id: s for s in page.view.week.shifts}
    assert officer.id not in {p.id for p in new[source.id].staff}
    assert officer.id in {p.id for p in new[target.id].staff}
    assert page.view.week.pair(source.id).status == "no officer"  # type: ignore[union-attr]
    assert source.id in page.unpaired_shift_ids() | page.flagged_shift_ids()
    # The Day and Mid shifts overlap: the officer is now double-booked if still on Day.
    clash = [b for b in page.view.week.breaches if b.staff_id == officer.id]
    assert all(b.shift_id in page.flagged_shift_ids() for b in clash)


def test_templates_generate_open_shifts_for_the_week_shown(qtbot, window) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from console.views.roster_grid import OPEN_COLOUR

    win, _startup = window
    page = win.show_area("schedule")
    assert isinstance(page, SchedulePage)
    qtbot.waitUntil(lambda: page.view is not None, timeout=30_000)
    week = page.view.week  # the demo's last week: its Monday only
    assert {s.starts_at.date() for s in week.shifts} == {week.monday}
    dialog = page.open_templates()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.table.topLevelItemCount() == 2, timeout=30_000)
    dialog.add_button.click()  # no name
    qtbot.waitUntil(lambda: bool(dialog.status.text()), timeout=30_000)
    assert dialog.status.text() == "Shift template: give a name of 1 to 40 characters"
    old = page.view
    dialog.generate_button.click()
    qtbot.waitUntil(lambda: page.view is not old, timeout=30_000)
    assert dialog.status.text() == "12 open shifts added from the templates"
    shifts = page.view.week.shifts
    assert len(shifts) == 14 and sum(not s.staff for s in shifts) == 12
    opened = {s.id for s in shifts if not s.staff}
    assert opened <= page.grid.cells(OPEN_COLOUR)
    old = page.view
    dialog.generate_button.click()
    qtbot.waitUntil(lambda: page.view is not old, timeout=30_000)
    assert dialog.status.text() == "Every shift the templates call for is already there."


def test_taking_the_officer_off_from_the_cell_menu_leaves_the_shift_unpaired(qtbot, window) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    win, _startup = window
    page = _page(qtbot, win)
    shift = next(s for s in page.view.week.shifts
                 if any(p.role == "Sworn officer" for p in s.staff))
    officer = next(p for p in shift.staff if p.role == "Sworn officer")
    page.select_shift(shift.id)
    menu = page.cell_menu(shift.id)
    assert menu is not None
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts[0] == "Assign…"
    assert texts[1:] == [f"Take {p.name} off this shift" for p in shift.staff]
    action = next(a for a in menu.actions() if a.data() == officer.id)
    _reloaded(qtbot, page, action.trigger)
    assert officer.id not in {p.id for s in page.view.week.shifts if s.id == shift.id
                              for p in s.staff}
    assert page.view.week.pair(shift.id).status == "no officer"  # type: ignore[union-attr]
    assert shift.id in page.unpaired_shift_ids() | page.flagged_shift_ids()
