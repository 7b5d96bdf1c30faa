"""Schedule: a week (or a month) of shifts and who works them, the rules' breaches and
unpaired shifts flagged in the grid and listed in sentences, staff dragged onto shifts,
trades, published versions, print preview, and coverage of crisis demand by hour of week."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from html import escape

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.context import AppContext
from console.errors import UserError
from console.services.access import Access
from console.services.schedule import week as week_service
from console.services.schedule.coverage import Coverage, coverage
from console.services.schedule.month import MonthRoster, month_of, month_roster
from console.services.schedule.week import WeekRoster, WeekShift
from console.views import schedule_actions
from console.views.chart_box import ChartBox, import_matplotlib
from console.views.dialogs.roster_assign import AssignDialog
from console.views.page import Page
from console.views.roster_grid import (
    BREACH_COLOUR,
    SHIFT_ROLE,
    UNPAIRED_COLOUR,
    RosterGrid,
    StaffList,
)
from console.views.roster_month import MonthGrid
from console.views.tasks import TaskControl, TaskRunner, report_bug

COVERAGE_WEEKS = 12


@dataclass(frozen=True)
class ScheduleView:
    week: WeekRoster
    coverage: Coverage


def read_schedule(access: Access, monday: dt.date | None, today: dt.date) -> ScheduleView:
    if monday is None:
        monday = week_service.default_monday(access, today)
    week = week_service.week_roster(access, monday)
    sunday = week.monday + dt.timedelta(days=6)
    cover = coverage(access, sunday - dt.timedelta(weeks=COVERAGE_WEEKS) + dt.timedelta(days=1),
                     sunday)
    return ScheduleView(week, cover)


def _month_of_week(monday: dt.date) -> dt.date:
    """The month holding most of a week's days (its Thursday's, as ISO weeks count)."""
    return month_of(monday + dt.timedelta(days=3))


class SchedulePage(Page):
    title = "Schedule"
    subtitle = "Who is on, when, and whether that matches when crises happen."

    def __init__(self, ctx: AppContext, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tasks, parent)
        self.view: ScheduleView | None = None
        self.month_view: MonthRoster | None = None
        self.monday: dt.date | None = None
        self.month: dt.date | None = None
        self.dialog: AssignDialog | None = None
        self.rules_dialog: QDialog | None = None
        self.trades_dialog: QDialog | None = None
        self.versions_dialog: QDialog | None = None
        self.templates_dialog: QDialog | None = None
        self.preview: QDialog | None = None
        bar = QHBoxLayout()
        self.previous = QPushButton("◀ Previous")
        self.previous.setObjectName("previousPeriod")
        self.next = QPushButton("Next ▶")
        self.next.setObjectName("nextPeriod")
        self.week_label = QLabel("Loading…")
        self.week_label.setObjectName("weekLabel")
        for w in (self.previous, self.week_label, self.next):
            bar.addWidget(w)
        bar.addStretch(1)
        self.week_button = QPushButton("Week")
        self.week_button.setObjectName("weekMode")
        self.month_button = QPushButton("Month")
        self.month_button.setObjectName("monthMode")
        self.modes = QButtonGroup(self)
        for n, b in enumerate((self.week_button, self.month_button)):
            b.setCheckable(True)
            self.modes.addButton(b, n)
            bar.addWidget(b)
        self.week_button.setChecked(True)
        self.layout_.addLayout(bar)
        actions = QHBoxLayout()
        self.assign_button = QPushButton("Assign…")
        self.assign_button.setObjectName("assignButton")
        self.assign_button.setEnabled(False)
        self.trades_button = QPushButton("Trades…")
        self.trades_button.setObjectName("tradesButton")
        self.trades_button.setToolTip("Request, approve or refuse shift trades")
        self.versions_button = QPushButton("Published versions…")
        self.versions_button.setObjectName("versionsButton")
        self.versions_button.setToolTip("Every published roster, and what one changed from "
                                        "another")
        self.templates_button = QPushButton("Templates…")
        self.templates_button.setObjectName("templatesButton")
        self.templates_button.setToolTip("Recurring shifts, and the open shifts of the week or "
                                         "month shown generated from them")
        self.rules_button = QPushButton("Rules…")
        self.rules_button.setObjectName("rulesButton")
        self.rules_button.setToolTip("Minimum rest, maximum hours a week and a pay period")
        self.print_button = QPushButton("Print preview…")
        self.print_button.setObjectName("printButton")
        self.print_button.setToolTip("The printable roster, a week per landscape page")
        self.publish_button = QPushButton("Publish this week")
        self.publish_button.setObjectName("publishButton")
        self.publish_button.setToolTip("Keep the roster shown as the next published version "
                                       "(refused while it breaks a rule)")
        for w in (self.assign_button, self.templates_button, self.trades_button,
                  self.versions_button, self.rules_button, self.print_button):
            actions.addWidget(w)
        actions.addStretch(1)
        actions.addWidget(self.publish_button)
        self.layout_.addLayout(actions)
        self.grid = RosterGrid()
        self.staff_list = StaffList()
        staff_box = QVBoxLayout()
        staff_title = QLabel("<b>Staff</b> — drag onto a shift")
        staff_title.setWordWrap(True)
        staff_box.addWidget(staff_title)
        staff_box.addWidget(self.staff_list, 1)
        self.staff_panel = QWidget()
        self.staff_panel.setLayout(staff_box)
        staff_box.setContentsMargins(0, 0, 0, 0)
        self.staff_panel.setFixedWidth(190)
        self.staff_list.setMinimumHeight(200)
        week_area = QWidget()
        week_row = QHBoxLayout(week_area)
        week_row.setContentsMargins(0, 0, 0, 0)
        week_row.addWidget(self.grid, 1, Qt.AlignmentFlag.AlignTop)
        week_row.addWidget(self.staff_panel, 0, Qt.AlignmentFlag.AlignTop)
        self.week_area = week_area
        self.month_grid = MonthGrid()
        self.month_grid.hide()
        self.layout_.addWidget(week_area)
        self.layout_.addWidget(self.month_grid)
        self.legend = QLabel("⚠ breaks a rule (red) · ⚑ responder or officer without the "
                             "other (amber) · ○ open shift (grey). A shift lists its responder, "
                             "then its officer; in the staff list R is a responder, O an "
                             "officer, I an intern, S a supervisor.")
        self.legend.setObjectName("pageSubtitle")
        self.legend.setWordWrap(True)
        self.layout_.addWidget(self.legend)
        self.status = QLabel()
        self.status.setObjectName("scheduleStatus")
        self.status.setWordWrap(True)
        self.status.hide()
        self.layout_.addWidget(self.status)
        self.breach_title = QLabel()
        self.breach_title.setObjectName("sectionTitle")
        self.breach_title.setWordWrap(True)
        self.layout_.addWidget(self.breach_title)
        self.breaches = QListWidget()
        self.breaches.setObjectName("breachList")
        self.breaches.setWordWrap(True)
        self.layout_.addWidget(self.breaches)
        self.coverage_label = QLabel()
        self.coverage_label.setWordWrap(True)
        self.layout_.addWidget(self.coverage_label)
        suggest_bar = QHBoxLayout()
        self.suggest_button = QPushButton("Suggest moves for this week")
        self.suggest_button.setObjectName("suggestButton")
        self.suggest_button.setToolTip(
            "Shifts moved within their day (same hours, same people) to cover more of the "
            "last 12 weeks' demand, never adding a breach of the rules")
        self.suggestions = QLabel()
        self.suggestions.setObjectName("suggestions")
        self.suggestions.setWordWrap(True)
        suggest_bar.addWidget(self.suggest_button)
        suggest_bar.addWidget(self.suggestions, 1)
        self.layout_.addLayout(suggest_bar)
        self.chart = ChartBox("coverageChart", min_height=260)
        self.layout_.addWidget(self.chart)
        self.layout_.addStretch(1)  # a short month view keeps its parts together at the top
        self.previous.clicked.connect(lambda: self._move(-1))
        self.next.clicked.connect(lambda: self._move(1))
        self.modes.idClicked.connect(lambda _id: self._mode_changed())
        self.assign_button.clicked.connect(self.open_assign)
        self.suggest_button.clicked.connect(self.suggest)
        self.publish_button.clicked.connect(self.publish)
        self.rules_button.clicked.connect(self.open_rules)
        self.trades_button.clicked.connect(self.open_trades)
        self.templates_button.clicked.connect(self.open_templates)
        self.versions_button.clicked.connect(self.open_versions)
        self.print_button.clicked.connect(self.print_preview)
        self.grid.itemSelectionChanged.connect(self._selection_changed)
        self.grid.itemDoubleClicked.connect(lambda _item: self.open_assign())
        self.grid.staff_dropped.connect(self.drop_staff)
        self.grid.staff_moved.connect(self.move_staff)
        self.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.grid.customContextMenuRequested.connect(self._cell_menu)
        self.month_grid.day_opened.connect(self.open_week_of)

    # --- loading ------------------------------------------------------------------------
    @property
    def month_mode(self) -> bool:
        return self.month_button.isChecked()

    def first_activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        if self.month_mode:
            self._refresh_month()
            return
        access, monday, today = self.ctx.access, self.monday, dt.date.today()

        def work(control: TaskControl) -> ScheduleView:
            import_matplotlib()
            control.check()
            return read_schedule(access, monday, today)

        self.tasks.run(work, self._show, self._failed, owner=self)

    def _refresh_month(self) -> None:
        access, today, month, monday = self.ctx.access, dt.date.today(), self.month, self.monday

        def work(_control: TaskControl) -> MonthRoster:
            first = month or _month_of_week(
                monday or week_service.default_monday(access, today))
            return month_roster(access, first)

        self.tasks.run(work, self._show_month, self._failed, owner=self)

    def _mode_changed(self) -> None:
        month = self.month_mode
        self._show_view(1 if month else 0)
        self.publish_button.setText("Publish this month" if month else "Publish this week")
        self._week_parts(not month)
        if month:
            self.month = _month_of_week(self.monday) if self.monday is not None else None
        elif self.month is not None and self.monday is not None and \
                _month_of_week(self.monday) != self.month:
            self.monday = self.month - dt.timedelta(days=self.month.weekday())
            if self.month.weekday():
                self.monday += dt.timedelta(days=7)  # the month's first whole week
        self.status.hide()
        self.refresh()

    def open_week_of(self, day: dt.date) -> None:
        """The week holding `day`, from a double click in the month view."""
        self.monday = day - dt.timedelta(days=day.weekday())
        self.month = month_of(day)
        self.week_button.setChecked(True)
        self._show_view(0)
        self.publish_button.setText("Publish this week")
        self._week_parts(True)
        self.refresh()

    def _show_view(self, index: int) -> None:
        """The week (0) or the month (1) grid; the other is hidden and takes no room."""
        self.week_area.setVisible(index == 0)
        self.month_grid.setVisible(index == 1)

    def _week_parts(self, shown: bool) -> None:
        """What only the week view has: assigning, coverage and suggested moves."""
        for w in (self.assign_button, self.coverage_label, self.suggest_button,
                  self.suggestions, self.chart):
            w.setVisible(shown)

    def _move(self, steps: int) -> None:
        if self.month_mode:
            self.month = month_of(self.month or dt.date.today(), steps)
            self.refresh()
        elif self.view is not None:
            self.monday = self.view.week.monday + dt.timedelta(weeks=steps)
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self.week_label.setText(f"Not loaded: {exc.message}")
            return
        self.week_label.setText("The schedule could not be loaded; see the log file.")
        self.chart.fail("Coverage could not be loaded.")

    def _show(self, view: ScheduleView) -> None:
        from console.reports.schedule_charts import draw_coverage

        self.view = view
        week = view.week
        self.suggestions.clear()
        self.monday = week.monday
        sunday = week.monday + dt.timedelta(days=6)
        self.week_label.setText(f"<b>Week of {week.monday:%d %B %Y}</b> "
                                f"(to {sunday:%a %d %b})")
        self.grid.fill(week)
        self.staff_list.fill(week.staff)
        self._selection_changed()
        unpaired = [p for p in week.pairs if p.unpaired]
        self._list_breaches([f"{b.rule}: {b.explanation}" for b in week.breaches],
                            [p.explanation for p in unpaired], "this week")
        c = view.coverage
        share = "—" if c.demand_covered_share is None else f"{c.demand_covered_share:.0%}"
        worst = ", ".join(f"{u.label} ({u.calls})" for u in c.uncovered_hours[:5]) or "none"
        self.coverage_label.setText(
            f"<b>Coverage, {c.first:%d %b} to {c.last:%d %b %Y}:</b> {share} of "
            f"{c.demand_calls:,} in-scope calls came in while the unit was on shift. Staffed "
            f"{c.staffed_hours:,.0f} h, {c.after_hours_hours:,.0f} h of them after hours. "
            f"Most uncovered calls: {escape(worst)} (outlined).")
        self.chart.draw(lambda figure: draw_coverage(figure, c))

    def _show_month(self, month: MonthRoster) -> None:
        self.month_view = month
        self.month = month.first
        shifts = sum(len(d.shifts) for d in month.days)
        self.week_label.setText(
            f"<b>{month.first:%B %Y}</b> ({shifts} shifts, {month.open_shifts} open, "
            f"{month.unpaired_shifts} unpaired)")
        self.month_grid.fill(month)
        breaches = [f"{d.day:%a %d}: {b}" for d in month.days for b in d.breaches]
        unpaired = [s.pairing for d in month.days for s in d.shifts if s.unpaired]
        self._list_breaches(breaches, unpaired, "this month")

    def _list_breaches(self, breaches: list[str], unpaired: list[str], when: str) -> None:
        n, m = len(breaches), len(unpaired)
        title = (f"{n} breach{'es' * (n != 1)} of the roster rules {when}" if n
                 else f"The roster keeps every rule {when}")
        if m:
            title += f"; {m} shift{'s' * (m != 1)} without a responder-officer pair"
        self.breach_title.setText(f"<b>{escape(title)}</b>")
        self.breaches.clear()
        self.breaches.addItems(breaches + [f"pairing: {u}" for u in unpaired])
        self.breaches.setVisible(bool(n or m))
        line = self.breaches.fontMetrics().lineSpacing() + 4
        self.breaches.setFixedHeight(min(10, max(1, n + m)) * line + 8)

    # --- dialogs and actions ------------------------------------------------------------
    def open_rules(self) -> None:
        schedule_actions.open_rules(self)

    def open_trades(self) -> QDialog | None:
        return schedule_actions.open_trades(self)

    def open_templates(self) -> QDialog | None:
        return schedule_actions.open_templates(self)

    def open_versions(self) -> QDialog:
        return schedule_actions.open_versions(self)

    def shown_period(self) -> tuple[dt.date, dt.date] | None:
        if self.month_mode and self.month_view is not None:
            return self.month_view.first, self.month_view.last
        if not self.month_mode and self.view is not None:
            return self.view.week.monday, self.view.week.monday + dt.timedelta(days=6)
        return None

    def print_preview(self) -> None:
        """The printable roster of the week or month shown, in Qt's print preview."""
        schedule_actions.print_preview(self)

    def publish(self) -> None:
        schedule_actions.publish(self)

    def suggest(self) -> None:
        schedule_actions.suggest(self)

    # --- the week grid ------------------------------------------------------------------
    def flagged_shift_ids(self) -> set[int]:
        """The shifts the grid shows as breaking a rule (what a user sees highlighted)."""
        return self.grid.cells(BREACH_COLOUR)

    def unpaired_shift_ids(self) -> set[int]:
        """The shifts the grid shows without their pair (and breaking no rule)."""
        return self.grid.cells(UNPAIRED_COLOUR)

    def select_shift(self, shift_id: int) -> None:
        item = self.grid.cell_of(shift_id)
        if item is not None:
            self.grid.setCurrentItem(item)

    def _selected_shift(self) -> WeekShift | None:
        item = self.grid.currentItem()
        if item is None or self.view is None or item.data(SHIFT_ROLE) is None:
            return None
        shift_id = int(item.data(SHIFT_ROLE))
        return next((s for s in self.view.week.shifts if s.id == shift_id), None)

    def _selection_changed(self) -> None:
        self.assign_button.setEnabled(self._selected_shift() is not None)

    def open_assign(self) -> AssignDialog | None:
        shift = self._selected_shift()
        if shift is None or self.view is None:
            return None
        self.dialog = AssignDialog(shift, self.view.week, self)
        self.dialog.accepted.connect(self._assign)
        self.dialog.open()
        return self.dialog

    def _assign(self) -> None:
        dialog = self.dialog
        staff_id = dialog.staff_id() if dialog is not None else None
        if dialog is None or staff_id is None:
            return
        self.assign_to(dialog.shift.id, staff_id)

    def drop_staff(self, shift_id: int, staff_id: int) -> None:
        """A person dragged from the staff list onto a shift: assigned as by the dialog."""
        self.select_shift(shift_id)
        self.assign_to(shift_id, staff_id)

    def move_staff(self, from_shift_id: int, to_shift_id: int, staff_id: int) -> None:
        """A name dragged from one shift to another: off the first, onto the second."""
        access = self.ctx.access
        self.status.hide()
        self.select_shift(to_shift_id)
        self.tasks.run(
            lambda _c: week_service.move(access, from_shift_id, to_shift_id, staff_id),
            lambda _v: self.refresh(), self._assign_failed, writes=True, owner=self)

    def cell_menu(self, shift_id: int) -> QMenu | None:
        """Assign someone, or take someone off: what a right click on a shift offers."""
        shift = next((s for s in self.view.week.shifts if s.id == shift_id), None) \
            if self.view is not None else None
        if shift is None:
            return None
        menu = QMenu(self)
        menu.addAction("Assign…", self.open_assign)
        if shift.staff:
            menu.addSeparator()
        for person in shift.staff:
            action = menu.addAction(f"Take {person.name} off this shift")
            action.setData(person.id)
            action.triggered.connect(partial(self.take_off, shift_id, person.id))
        return menu

    def _cell_menu(self, point: QPoint) -> None:
        item = self.grid.itemAt(point)
        if item is None or item.data(SHIFT_ROLE) is None:
            return
        self.grid.setCurrentItem(item)
        menu = self.cell_menu(int(item.data(SHIFT_ROLE)))
        if menu is not None:
            menu.popup(self.grid.viewport().mapToGlobal(point))

    def take_off(self, shift_id: int, staff_id: int, *_checked: object) -> None:
        """A person taken off a shift; the week is read again and re-judged (an open or
        unpaired shift shows at once)."""
        access = self.ctx.access
        self.status.hide()
        self.tasks.run(lambda _c: week_service.unassign(access, shift_id, staff_id),
                       lambda _v: self.refresh(), self._assign_failed, writes=True,
                       owner=self)

    def assign_to(self, shift_id: int, staff_id: int) -> None:
        """Put a person on a shift (the dialog's and the drop's one path); the week is read
        again, so the rules judge the change at once."""
        access = self.ctx.access
        self.status.hide()
        self.tasks.run(lambda _c: week_service.assign(access, shift_id, staff_id),
                       lambda _v: self.refresh(), self._assign_failed, writes=True,
                       owner=self)

    def _assign_failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self.status.setText(f"Not assigned: {exc.message}")
            self.status.show()
            self.refresh()
            return
        report_bug(exc)
