"""Schedule: a week of shifts and who works them, the rules' breaches flagged in the grid
and listed in sentences, and coverage of crisis demand by hour of week."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console import APP_NAME
from console.context import AppContext
from console.errors import UserError
from console.services.access import Access
from console.services.schedule import week as week_service
from console.services.schedule.coverage import Coverage, coverage
from console.services.schedule.week import WeekRoster, WeekShift
from console.views.chart_box import ChartBox, import_matplotlib
from console.views.page import Page
from console.views.tasks import TaskControl, TaskRunner

BREACH_COLOUR = QColor("#fbe3e1")
COVERAGE_WEEKS = 12
SHIFT_ROLE = Qt.ItemDataRole.UserRole


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


class AssignDialog(QDialog):
    """Who to put on a shift: the unit's active staff, the people already on it left out."""

    def __init__(self, shift: WeekShift, week: WeekRoster, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shift = shift
        self.setWindowTitle(f"{APP_NAME} — Assign to a shift")
        self.setModal(True)
        box = QVBoxLayout(self)
        on = ", ".join(p.name for p in shift.staff) or "no one yet"
        intro = QLabel(f"<b>{shift.starts_at:%A %d %B} {escape(shift.slot)}</b><br>On it: "
                       f"{escape(on)}. The rules judge the change; a breach is shown, "
                       "not refused.")
        intro.setWordWrap(True)
        box.addWidget(intro)
        self.person = QComboBox()
        self.person.setObjectName("assignPerson")
        taken = {p.id for p in shift.staff}
        for p in week.staff:
            if p.id not in taken:
                self.person.addItem(f"{p.name} ({p.role})", p.id)
        box.addWidget(self.person)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Assign")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)

    def staff_id(self) -> int | None:
        value = self.person.currentData()
        return int(value) if value is not None else None


class SchedulePage(Page):
    title = "Schedule"
    subtitle = "Who is on, when, and whether that matches when crises happen."

    def __init__(self, ctx: AppContext, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tasks, parent)
        self.view: ScheduleView | None = None
        self.monday: dt.date | None = None
        self.dialog: AssignDialog | None = None
        bar = QHBoxLayout()
        self.previous = QPushButton("◀ Previous week")
        self.next = QPushButton("Next week ▶")
        self.week_label = QLabel("Loading…")
        self.week_label.setObjectName("weekLabel")
        self.assign_button = QPushButton("Assign…")
        self.assign_button.setObjectName("assignButton")
        self.assign_button.setEnabled(False)
        for w in (self.previous, self.week_label, self.next):
            bar.addWidget(w)
        bar.addStretch(1)
        self.publish_button = QPushButton("Publish this week")
        self.publish_button.setObjectName("publishButton")
        self.publish_button.setToolTip("Keep this week's roster as the next published version "
                                       "(refused while it breaks a rule)")
        self.rules_button = QPushButton("Rules…")
        self.rules_button.setObjectName("rulesButton")
        self.rules_button.setToolTip("Minimum rest, maximum hours a week and a pay period")
        bar.addWidget(self.rules_button)
        bar.addWidget(self.publish_button)
        bar.addWidget(self.assign_button)
        self.layout_.addLayout(bar)
        self.grid = QTableWidget(0, 7)
        self.grid.setObjectName("weekGrid")
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.setWordWrap(True)
        self.layout_.addWidget(self.grid)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()
        self.layout_.addWidget(self.status)
        self.breach_title = QLabel()
        self.breach_title.setObjectName("sectionTitle")
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
        self.previous.clicked.connect(lambda: self._move(-1))
        self.next.clicked.connect(lambda: self._move(1))
        self.assign_button.clicked.connect(self.open_assign)
        self.suggest_button.clicked.connect(self.suggest)
        self.publish_button.clicked.connect(self.publish)
        self.rules_button.clicked.connect(self.open_rules)
        self.rules_dialog: QDialog | None = None
        self.grid.itemSelectionChanged.connect(self._selection_changed)
        self.grid.itemDoubleClicked.connect(lambda _item: self.open_assign())

    def first_activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        access, monday, today = self.ctx.access, self.monday, dt.date.today()

        def work(control: TaskControl) -> ScheduleView:
            import_matplotlib()
            control.check()
            return read_schedule(access, monday, today)

        self.tasks.run(work, self._show, self._failed, owner=self)

    def _move(self, weeks: int) -> None:
        if self.view is not None:
            self.monday = self.view.week.monday + dt.timedelta(weeks=weeks)
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
        self._fill_grid(week)
        n = len(week.breaches)
        self.breach_title.setText(
            f"<b>{n} breach{'es' * (n != 1)} of the roster rules this week</b>" if n
            else "<b>This week's roster keeps every rule</b>")
        self.breaches.clear()
        for b in week.breaches:
            self.breaches.addItem(f"{b.rule}: {b.explanation}")
        self.breaches.setVisible(bool(week.breaches))
        line = self.breaches.fontMetrics().lineSpacing() + 4
        self.breaches.setFixedHeight(min(10, max(1, len(week.breaches))) * line + 8)
        c = view.coverage
        share = "—" if c.demand_covered_share is None else f"{c.demand_covered_share:.0%}"
        worst = ", ".join(f"{u.label} ({u.calls})" for u in c.uncovered_hours[:5]) or "none"
        self.coverage_label.setText(
            f"<b>Coverage, {c.first:%d %b} to {c.last:%d %b %Y}:</b> {share} of "
            f"{c.demand_calls:,} in-scope calls came in while the unit was on shift. Staffed "
            f"{c.staffed_hours:,.0f} h, {c.after_hours_hours:,.0f} h of them after hours. "
            f"Most uncovered calls: {escape(worst)} (outlined).")
        self.chart.draw(lambda figure: draw_coverage(figure, c))

    def open_rules(self) -> None:
        from console.services.schedule.settings import RULE_SETTINGS
        from console.services.settings_service import get_int
        from console.views.dialogs.roster_rules import RosterRulesDialog

        access = self.ctx.access

        def show(values: dict[str, int]) -> None:
            self.rules_dialog = RosterRulesDialog(access, self.tasks, values, self.refresh,
                                                  self)
            self.rules_dialog.open()

        self.tasks.run(lambda _c: {s.key: get_int(access, s) for s in RULE_SETTINGS}, show,
                       owner=self)

    def publish(self) -> None:
        if self.view is None:
            return
        from console.services.schedule.versions import publish

        access, first = self.ctx.access, self.view.week.monday
        last = first + dt.timedelta(days=6)
        self.publish_button.setEnabled(False)

        def done(number: int) -> None:
            self.publish_button.setEnabled(True)
            self.status.setText(f"Published the week of {first:%d %B} as roster version "
                                f"{number}.")
            self.status.show()

        def failed(exc: BaseException) -> None:
            self.publish_button.setEnabled(True)
            if not isinstance(exc, UserError):
                from console.views.tasks import report_bug

                report_bug(exc)
                return
            self.status.setText(exc.message[0].upper() + exc.message[1:])
            self.status.show()

        self.tasks.run(lambda _c: publish(access, first, last, dt.datetime.now()), done,
                       failed, writes=True, owner=self)

    def suggest(self) -> None:
        if self.view is None:
            return
        from console.services.schedule.optimizer import Suggestion, suggest_moves

        access, first = self.ctx.access, self.view.week.monday
        self.suggest_button.setEnabled(False)
        self.suggestions.setText("Looking for moves…")

        def done(moves: list[Suggestion]) -> None:
            self.suggest_button.setEnabled(True)
            self.suggestions.setText(
                "<br>".join(escape(m.sentence[0].upper() + m.sentence[1:]) for m in moves)
                or "No move of a shift within its day covers more demand under the rules.")

        def failed(exc: BaseException) -> None:
            self.suggest_button.setEnabled(True)
            self.suggestions.setText("No suggestions: see the log file.")

        self.tasks.run(lambda _c: suggest_moves(access, first, first + dt.timedelta(days=6)),
                       done, failed, owner=self)

    def _fill_grid(self, week: WeekRoster) -> None:
        flagged: dict[int, list[str]] = {}
        for b in week.breaches:
            if b.shift_id is not None:
                flagged.setdefault(b.shift_id, []).append(b.explanation)
        slots = sorted({s.slot for s in week.shifts})
        self.grid.clear()
        self.grid.setRowCount(len(slots))
        self.grid.setHorizontalHeaderLabels(
            [f"{week.monday + dt.timedelta(days=d):%a %d}" for d in range(7)])
        self.grid.setVerticalHeaderLabels(slots)
        for s in week.shifts:
            row, col = slots.index(s.slot), (s.starts_at.date() - week.monday).days
            names = "\n".join(p.name for p in s.staff) or "(open shift)"
            item = self.grid.item(row, col)
            if item is not None:  # two shifts of one slot on a day: shown together
                names = f"{item.text()}\n{names}"
            item = QTableWidgetItem(names)
            item.setData(SHIFT_ROLE, s.id)
            problems = flagged.get(s.id)
            if problems:
                item.setBackground(QBrush(BREACH_COLOUR))
                item.setText(f"⚠ {names}")
                item.setToolTip("\n".join(problems))
            self.grid.setItem(row, col, item)
        self.grid.resizeRowsToContents()
        rows = sum(self.grid.rowHeight(r) for r in range(self.grid.rowCount()))
        self.grid.setFixedHeight(max(120, rows + self.grid.horizontalHeader().height() + 4))
        self._selection_changed()

    def flagged_shift_ids(self) -> set[int]:
        """The shifts the grid shows as breaking a rule (what a user sees highlighted)."""
        out = set()
        for r in range(self.grid.rowCount()):
            for c in range(self.grid.columnCount()):
                item = self.grid.item(r, c)
                if item is not None and item.background().color() == BREACH_COLOUR:
                    out.add(int(item.data(SHIFT_ROLE)))
        return out

    def select_shift(self, shift_id: int) -> None:
        for r in range(self.grid.rowCount()):
            for c in range(self.grid.columnCount()):
                item = self.grid.item(r, c)
                if item is not None and item.data(SHIFT_ROLE) == shift_id:
                    self.grid.setCurrentItem(item)
                    return

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
        access, shift_id = self.ctx.access, dialog.shift.id
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
        from console.views.tasks import report_bug

        report_bug(exc)
