"""The period the Calls & outcomes tabs show (in the corner of their tab bar): a preset or
custom from/to dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from console.services.populations import Period, Preset, preset_period
from console.views.dialogs.form import qdate

CUSTOM = "Custom…"


def qdate_to_date(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class PeriodBar(QWidget):
    """A preset (last 12 months, this year, last year, all) or custom from/to dates."""

    changed = Signal(object)  # the new Period

    def __init__(self, today: Callable[[], dt.date] = dt.date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.combo = QComboBox()
        self.combo.addItems([p.value for p in Preset] + [CUSTOM])
        self.combo.setToolTip("The calls the measures count, by the day they were received")
        self.from_edit = QDateEdit()
        self.to_edit = QDateEdit()
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.to_label = QLabel("to")
        row.addWidget(QLabel("Period"))
        row.addWidget(self.combo)
        row.addWidget(self.from_edit)
        row.addWidget(self.to_label)
        row.addWidget(self.to_edit)
        self._set_dates(self.period())
        self._show_dates(False)
        self.combo.currentTextChanged.connect(self._preset_changed)
        self.from_edit.dateChanged.connect(self._dates_changed)
        self.to_edit.dateChanged.connect(self._dates_changed)

    def period(self) -> Period:
        text = self.combo.currentText()
        if text == CUSTOM:
            start = qdate_to_date(self.from_edit.date())
            end = qdate_to_date(self.to_edit.date())
            return Period(min(start, end), max(start, end))
        return preset_period(Preset(text), self._today())

    def set_preset(self, preset: Preset | None) -> None:
        """Choose a preset (None: custom dates)."""
        self.combo.setCurrentText(CUSTOM if preset is None else preset.value)

    def set_custom(self, start: dt.date, end: dt.date) -> None:
        self.combo.blockSignals(True)
        self.combo.setCurrentText(CUSTOM)
        self.combo.blockSignals(False)
        self._show_dates(True)
        self._set_dates(Period(min(start, end), max(start, end)))
        self.changed.emit(self.period())

    def _show_dates(self, shown: bool) -> None:
        for w in (self.from_edit, self.to_label, self.to_edit):
            w.setVisible(shown)

    def _set_dates(self, period: Period) -> None:
        today = self._today()
        for edit, day in ((self.from_edit, period.start or today.replace(month=1, day=1)),
                          (self.to_edit, period.end or today)):
            edit.blockSignals(True)
            edit.setDate(qdate(day))
            edit.blockSignals(False)

    def _preset_changed(self, text: str) -> None:
        custom = text == CUSTOM
        if not custom:
            self._set_dates(self.period())
        self._show_dates(custom)
        self.changed.emit(self.period())

    def _dates_changed(self) -> None:
        if self.combo.currentText() == CUSTOM:
            self.changed.emit(self.period())
