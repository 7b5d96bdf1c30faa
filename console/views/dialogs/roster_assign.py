"""Who to put on a shift, chosen from the unit's active staff (the Schedule page's Assign
dialog; dragging a person onto the shift does the same)."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from console import APP_NAME
from console.services.schedule.week import WeekRoster, WeekShift


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
