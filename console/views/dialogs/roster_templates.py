"""Shift templates: the recurring shifts (start, length, days, what someone on them must
hold), a new one added, and the open shifts of the period shown generated from them, to
staff in the grid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTimeEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console import APP_NAME
from console.errors import UserError
from console.services.access import Access
from console.services.schedule import templates as template_service
from console.services.schedule.templates import Template
from console.views.tasks import TaskRunner, report_bug

DAY_LETTERS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class TemplatesDialog(QDialog):
    def __init__(self, access: Access, tasks: TaskRunner, first: dt.date, last: dt.date,
                 changed: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.access, self.tasks, self.changed = access, tasks, changed
        self.first, self.last = first, last
        self.rows: list[Template] = []
        self.setWindowTitle(f"{APP_NAME} — Shift templates")
        self.resize(720, 520)
        box = QVBoxLayout(self)
        self.table = QTreeWidget()
        self.table.setObjectName("templateTable")
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels(["Name", "Start", "Hours", "Days", "Someone must hold"])
        box.addWidget(self.table, 1)
        generate = QHBoxLayout()
        self.generate_button = QPushButton(
            f"Generate open shifts for {first:%d %b} to {last:%d %b %Y}")
        self.generate_button.setObjectName("generateShifts")
        self.generate_button.setToolTip("A shift from every template on each of its days; "
                                        "shifts already there are left as they are")
        generate.addWidget(self.generate_button)
        generate.addStretch(1)
        box.addLayout(generate)
        self.status = QLabel()
        self.status.setObjectName("templateStatus")
        self.status.setWordWrap(True)
        box.addWidget(self.status)
        group = QGroupBox("Add a template")
        form = QFormLayout(group)
        self.name = QLineEdit()
        self.name.setObjectName("templateName")
        self.name.setMaxLength(40)
        self.start = QTimeEdit(QTime(8, 0))
        self.start.setDisplayFormat("HH:mm")
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0.5, 24)
        self.hours.setSingleStep(0.5)
        self.hours.setValue(8)
        days = QHBoxLayout()
        self.days = [QCheckBox(d) for d in DAY_LETTERS]
        for i, check in enumerate(self.days):
            check.setChecked(i < 5)
            days.addWidget(check)
        self.requires = QLineEdit()
        self.requires.setPlaceholderText("e.g. solo follow-up (comma-separated; optional)")
        self.add_button = QPushButton("Add template")
        self.add_button.setObjectName("addTemplate")
        form.addRow("Name", self.name)
        form.addRow("Start", self.start)
        form.addRow("Hours", self.hours)
        form.addRow("Days", days)
        form.addRow("Someone must hold", self.requires)
        form.addRow("", self.add_button)
        box.addWidget(group)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        box.addWidget(close)
        self.add_button.clicked.connect(self.add)
        self.generate_button.clicked.connect(self.generate)
        self.reload()

    def reload(self) -> None:
        access = self.access
        self.tasks.run(lambda _c: template_service.templates(access), self._fill,
                       self._failed, owner=self)

    def _fill(self, rows: list[Template]) -> None:
        self.rows = rows
        self.table.clear()
        for t in rows:
            days = " ".join(d for d, on in zip(DAY_LETTERS, t.days, strict=True) if on == "x")
            self.table.addTopLevelItem(QTreeWidgetItem([
                t.label, f"{t.start:%H:%M}", f"{t.hours:g}", days, ", ".join(t.requires)]))
        for column in range(self.table.columnCount()):
            self.table.resizeColumnToContents(column)
        self.generate_button.setEnabled(bool(rows))

    def add(self) -> None:
        access, label = self.access, self.name.text()
        qt = self.start.time()
        start, hours = dt.time(qt.hour(), qt.minute()), self.hours.value()
        days = "".join("x" if c.isChecked() else "-" for c in self.days)
        requires = tuple(r.strip() for r in self.requires.text().split(",") if r.strip())
        self.tasks.run(
            lambda _c: template_service.add_template(access, label, start, hours, days,
                                                     requires),
            lambda _v: self._done(f"Template {label.strip()!r} added."), self._failed,
            writes=True, owner=self)

    def generate(self) -> None:
        access, first, last = self.access, self.first, self.last

        def done(added: int) -> None:
            self._done(f"{added} open shift{'s' * (added != 1)} added from the templates"
                       if added else "Every shift the templates call for is already there.")
            self.changed()

        self.tasks.run(lambda _c: template_service.generate(access, first, last), done,
                       self._failed, writes=True, owner=self)

    def _done(self, text: str) -> None:
        self.status.setText(text)
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self.status.setText(exc.message[0].upper() + exc.message[1:])
            return
        report_bug(exc)
