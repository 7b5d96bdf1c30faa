"""The complaint deadlines a supervisor sets: business days per step, the state whose
public holidays count, and the program's closure days."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QWidget,
)

from console.views.dialogs.complaint_forms import ServiceDialog
from console.views.tasks import TaskRunner

if TYPE_CHECKING:
    from console.services.access import Access
    from console.services.complaints.settings import DeadlineSettings

STEP_TITLES = {"acknowledge": "Acknowledge", "classify": "Classify and assign",
               "review": "Review", "decision": "Command decision", "close": "Closing letter"}


class DeadlinesDialog(ServiceDialog):
    def __init__(self, access: Access, tasks: TaskRunner, current: DeadlineSettings,
                 on_done: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__("Complaint deadlines", "Business days each step may take; weekends, "
                         "the state's public holidays and the closure days below do not "
                         "count. A change applies to steps begun after it.", tasks, on_done,
                         "Save", parent)
        self.access = access
        self.country = QLineEdit(current.country)
        self.state = QLineEdit(current.subdivision or "")
        self.state.setPlaceholderText("e.g. IL (empty: national holidays only)")
        self.form.addRow("Country", self.country)
        self.form.addRow("State", self.state)
        self.days: dict[str, QSpinBox] = {}
        for step, title in STEP_TITLES.items():
            spin = QSpinBox()
            spin.setRange(1, 250)
            spin.setValue(current.days[step])
            spin.setSuffix(" business days")
            self.days[step] = spin
            self.form.addRow(title, spin)
        self.closures = QListWidget()
        self.closures.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        self._fill(current)
        self.new_day = QDateEdit(QDate.currentDate())
        self.new_day.setCalendarPopup(True)
        self.new_day.setDisplayFormat("yyyy-MM-dd")
        self.new_label = QLineEdit()
        self.new_label.setPlaceholderText("why the office is closed")
        add, remove = QPushButton("Add"), QPushButton("Remove selected")
        add.clicked.connect(self._add)
        remove.clicked.connect(self._remove)
        row = QHBoxLayout()
        for w in (self.new_day, self.new_label, add, remove):
            row.addWidget(w)
        self.form.addRow("Closure days", self.closures)
        self.form.addRow("", row)
        self.inputs = [self.country, self.state, *self.days.values(), self.closures,
                       self.new_day, self.new_label, add, remove]

    def _fill(self, current: DeadlineSettings) -> None:
        self.closures.clear()
        for day, label in current.closures:
            item = QListWidgetItem(f"{day:%Y-%m-%d}  {label}")
            item.setData(Qt.ItemDataRole.UserRole, day.isoformat())
            self.closures.addItem(item)

    def work(self) -> Callable[[], object]:
        from console.services.complaints.settings import set_deadline_settings

        access, country, state = self.access, self.country.text(), self.state.text()
        days = {step: spin.value() for step, spin in self.days.items()}
        return lambda: set_deadline_settings(access, country, state, days)

    def _closure(self, job: Callable[[], None]) -> None:
        from console.services.complaints.settings import deadline_settings

        access = self.access

        def work(_control: object) -> DeadlineSettings:
            job()
            return deadline_settings(access)

        self.tasks.run(work, self._fill, self._failed, writes=True, owner=self)

    def _add(self) -> None:
        from console.services.complaints.settings import add_closure_day

        access, label = self.access, self.new_label.text()
        day = self.new_day.date().toPython()
        self._closure(lambda: add_closure_day(access, day, label))  # type: ignore[arg-type]

    def _remove(self) -> None:
        import datetime as dt

        from console.services.complaints.settings import remove_closure_day

        item = self.closures.currentItem()
        if item is None:
            return
        access = self.access
        day = dt.date.fromisoformat(item.data(Qt.ItemDataRole.UserRole))
        self._closure(lambda: remove_closure_day(access, day))
