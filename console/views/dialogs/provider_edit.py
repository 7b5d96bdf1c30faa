"""Adding or editing a provider of the referral network: saved through the service, which
refuses stale versions (an edit someone else saved first opens the conflict dialog)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QPlainTextEdit,
    QWidget,
)

from console.data.referral_enums import ProviderService, VettingStatus
from console.views.dialogs.versioned_form import VersionedFormDialog
from console.views.tasks import TaskRunner

if TYPE_CHECKING:
    from console.services.access import Access
    from console.services.referrals.providers import ProviderEdit, ProviderRow

DATE_FIELDS = {"vetted_on": "Vetted on", "mou_signed_on": "MOU signed",
               "mou_renewal_due": "MOU renewal due"}


def _day(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text.strip()) if text.strip() else None


class ProviderDialog(VersionedFormDialog):
    """A new provider (`provider` None) or an edit of `provider` at the version read."""

    def __init__(self, access: Access, tasks: TaskRunner, on_saved: Callable[[], None],
                 provider: ProviderRow | None = None, parent: QWidget | None = None) -> None:
        super().__init__(
            "Edit provider" if provider else "Add a provider",
            "A service the unit refers people to. Vetting and the MOU say whether the unit "
            "may rely on it; the scorecard measures whether it answers.",
            [("name", "Name", False), ("catchment", "Catchment", False),
             ("contacts", "Contacts", False), ("hours", "Hours", False),
             ("vetted_by", "Vetted by", False), ("vetted_on", "Vetted on", False),
             ("mou_signed_on", "MOU signed", False),
             ("mou_renewal_due", "MOU renewal due", False)],
            "Save" if provider else "Add", parent)
        self.access, self.tasks, self.on_saved = access, tasks, on_saved
        self.record = provider
        self.edits["name"].setPlaceholderText("e.g. Riverside Crisis Stabilization Unit")
        self.edits["hours"].setPlaceholderText("e.g. 24/7, or weekdays 8-20")
        self.edits["contacts"].setPlaceholderText("Intake line, on-call number")
        for key in DATE_FIELDS:
            self.edits[key].setPlaceholderText("YYYY-MM-DD (blank: none)")
        services = QWidget()
        grid = QGridLayout(services)
        grid.setContentsMargins(0, 0, 0, 0)
        self.services: dict[ProviderService, QCheckBox] = {}
        for n, service in enumerate(ProviderService):
            box = QCheckBox(service.label)
            box.setObjectName(f"service_{service.value}")
            self.services[service] = box
            grid.addWidget(box, n // 3, n % 3)
        self.form.insertRow(1, "Services", services)
        self.after_hours = QCheckBox("Says it answers after hours (evenings, nights, weekends)")
        self.after_hours.setObjectName("after_hours")
        self.form.insertRow(5, "", self.after_hours)
        self.vetting = QComboBox()
        self.vetting.setObjectName("vetting")
        for status in VettingStatus:
            self.vetting.addItem(status.label, status.value)
        self.form.insertRow(6, "Vetting", self.vetting)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 3 + 12)
        self.form.addRow("Notes", self.notes)
        if provider is not None:
            self._fill(provider)
        self.on_submit = self._save

    def _fill(self, p: ProviderRow) -> None:
        for key, value in (("name", p.name), ("catchment", p.catchment),
                           ("contacts", p.contacts), ("hours", p.hours),
                           ("vetted_by", p.vetted_by)):
            self.edits[key].setText(value)
        for key in DATE_FIELDS:
            day = getattr(p, key)
            self.edits[key].setText(f"{day:%Y-%m-%d}" if day else "")
        for service, box in self.services.items():
            box.setChecked(service in p.services)
        self.after_hours.setChecked(p.after_hours)
        self.vetting.setCurrentIndex(list(VettingStatus).index(p.vetting))
        self.notes.setPlainText(p.notes)

    def check(self, values: dict[str, str]) -> str:
        if not values["name"].strip():
            return "Give the provider a name."
        for key, label in DATE_FIELDS.items():
            try:
                _day(values[key])
            except ValueError:
                return f"{label}: {values[key].strip()!r} is not a date; write YYYY-MM-DD."
        return ""

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        for widget in (*self.services.values(), self.after_hours, self.vetting, self.notes):
            widget.setEnabled(not busy)

    def edit(self) -> ProviderEdit:
        from console.services.referrals.providers import ProviderEdit

        v = self.values()
        return ProviderEdit(
            name=v["name"], services=tuple(s for s, box in self.services.items()
                                           if box.checkState() == Qt.CheckState.Checked),
            catchment=v["catchment"], contacts=v["contacts"], hours=v["hours"],
            after_hours=self.after_hours.isChecked(),
            vetting=VettingStatus(self.vetting.currentData()),
            vetted_on=_day(v["vetted_on"]), vetted_by=v["vetted_by"],
            mou_signed_on=_day(v["mou_signed_on"]),
            mou_renewal_due=_day(v["mou_renewal_due"]), notes=self.notes.toPlainText())

    def _save(self, _values: dict[str, str], version: int | None = None) -> None:
        from console.services.referrals.providers import add_provider, update_provider

        access, edit, record = self.access, self.edit(), self.record
        if record is None:
            self.tasks.run(lambda _c: add_provider(access, edit), self._saved, self._failed,
                           writes=True)
            return
        read = record.version if version is None else version
        self.tasks.run(lambda _c: update_provider(access, record.id, read, edit),
                       self._saved, self._failed, writes=True)


__all__ = ["ProviderDialog"]
