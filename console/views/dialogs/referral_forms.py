"""Recording a referral from a call, editing it as news arrives, and the unit's follow-up
contacts: saved through services/referrals/records.py, which checks everything again
(an edit someone else saved first opens the conflict dialog)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from console.data.referral_enums import ReferralKind, ReferralResult
from console.views.dialogs.form import FormDialog
from console.views.dialogs.versioned_form import VersionedFormDialog
from console.views.tasks import TaskRunner, report_bug

if TYPE_CHECKING:
    from console.services.access import Access
    from console.services.referrals.records import (
        ProviderChoice,
        ReferralEdit,
        ReferralRecord,
    )

CONTACT = (("Not recorded", None), ("Yes: reached at the handoff", True),
           ("No: not reached", False))


def _when_edit(value: dt.datetime, name: str) -> QDateTimeEdit:
    edit = QDateTimeEdit()
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setDateTime(_qt(value))
    return edit


def _qt(value: dt.datetime) -> QDateTime:
    return QDateTime(value.year, value.month, value.day, value.hour, value.minute, 0)


def _when(edit: QDateTimeEdit) -> dt.datetime:
    value = edit.dateTime().toPython()
    assert isinstance(value, dt.datetime)
    return value.replace(second=0, microsecond=0)


def _notes(placeholder: str) -> QPlainTextEdit:
    notes = QPlainTextEdit()
    notes.setObjectName("notes")
    notes.setTabChangesFocus(True)
    notes.setFixedHeight(notes.fontMetrics().lineSpacing() * 4 + 12)
    notes.setPlaceholderText(placeholder)
    return notes


def _follow_ups(record: ReferralRecord) -> str:
    """The unit's follow-up contacts so far, in a sentence."""
    contacts = record.follow_ups
    if not contacts:
        return "No follow-up contact recorded yet."
    reached = sum(1 for c in contacts if c.reached)
    last = contacts[-1]
    return (f"{len(contacts)} follow-up contact(s), {reached} reaching the person; the last "
            f"on {last.contacted_at:%Y-%m-%d %H:%M}"
            + (f" by {last.staff}" if last.staff else "") + (f": {last.note}" if last.note
                                                             else "."))


class ReferralDialog(VersionedFormDialog):
    """A new referral on a call (`record` None) or an edit of `record` at its version."""

    def __init__(self, access: Access, tasks: TaskRunner, on_saved: Callable[[], None],
                 providers: list[ProviderChoice], *, call_id: int | None = None,
                 incident: str = "", received: dt.datetime | None = None,
                 record: ReferralRecord | None = None, parent: QWidget | None = None) -> None:
        incident = record.incident_number if record else incident
        title = "Edit referral" if record else "Record referral"
        intro = (f"Call {incident}: the person on the call is referred. A warm handoff "
                 "connects them to the provider in real time; information only hands over "
                 "how to reach it. Notes are encrypted.")
        if record is not None:
            intro += " " + _follow_ups(record)
        super().__init__(title, intro, [], "Save" if record else "Record", parent)
        self.setMinimumWidth(520)
        self.access, self.tasks, self.on_saved = access, tasks, on_saved
        self.record, self.call_id = record, call_id
        self.provider = QComboBox()
        self.provider.setObjectName("provider")
        self.provider.setEditable(True)
        self.provider.setToolTip("Choose a provider, or type a new name: it is added, "
                                 "not yet vetted")
        for choice in providers:
            vetted = "" if choice.vetting.value == "vetted" else f"  ({choice.vetting.label})"
            self.provider.addItem(choice.name + vetted, choice.id)
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind in ReferralKind:
            self.kind.addItem(kind.label, kind.value)
        start = record.referred_at if record else (received or dt.datetime.now())
        self.referred = _when_edit(start, "referred_at")
        self.contact = QComboBox()
        self.contact.setObjectName("contact_made")
        for label, value in CONTACT:
            self.contact.addItem(label, value)
        self.attempts = QSpinBox()
        self.attempts.setObjectName("contact_attempts")
        self.attempts.setRange(0, 99)
        self.served = QCheckBox("Served")
        self.served.setObjectName("served")
        self.first_service = _when_edit(start, "first_service_at")
        self.served.toggled.connect(self.first_service.setEnabled)
        service_row = QWidget()
        row = QHBoxLayout(service_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.served)
        row.addWidget(self.first_service, 1)
        self.result_box = QComboBox()
        self.result_box.setObjectName("result")
        for result in ReferralResult:
            self.result_box.addItem(result.label, result.value)
        self.notes = _notes("What was agreed, what the provider said (encrypted)")
        for label, widget in (("Provider", self.provider), ("Kind", self.kind),
                              ("Referred at", self.referred), ("Contact made", self.contact),
                              ("Attempts", self.attempts), ("First service", service_row),
                              ("Result", self.result_box), ("Outcome notes", self.notes)):
            self.form.addRow(label, widget)
        if record is not None:
            self._fill(record)
        else:  # no provider chosen for the user: a wrong default is too easy to keep
            self.provider.setCurrentIndex(-1)
            line = self.provider.lineEdit()
            if line is not None:
                line.setPlaceholderText("Choose or type a provider")
            self.first_service.setEnabled(False)
        self.on_submit = self._save

    def _fill(self, record: ReferralRecord) -> None:
        index = self.provider.findData(record.provider_id)
        if index < 0:
            self.provider.addItem(record.provider, record.provider_id)
            index = self.provider.count() - 1
        self.provider.setCurrentIndex(index)
        self.kind.setCurrentIndex(list(ReferralKind).index(record.kind))
        self.contact.setCurrentIndex([v for _, v in CONTACT].index(record.contact_made))
        self.attempts.setValue(record.contact_attempts)
        self.served.setChecked(record.first_service_at is not None)
        self.first_service.setEnabled(record.first_service_at is not None)
        if record.first_service_at is not None:
            when = record.first_service_at
            self.first_service.setDateTime(_qt(when))
        self.result_box.setCurrentIndex(list(ReferralResult).index(record.result))
        self.notes.setPlainText(record.outcome_notes)

    def check(self, values: dict[str, str]) -> str:
        if not self.provider.currentText().strip():
            return "Choose the provider, or type its name."
        return ""

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        for widget in (self.provider, self.kind, self.referred, self.contact, self.attempts,
                       self.served, self.result_box, self.notes):
            widget.setEnabled(not busy)
        self.first_service.setEnabled(not busy and self.served.isChecked())

    def edit(self) -> ReferralEdit:
        from console.services.referrals.records import ReferralEdit

        index = self.provider.currentIndex()
        typed = self.provider.currentText().strip()
        chosen = self.provider.itemData(index) if index >= 0 and \
            self.provider.itemText(index) == typed else None
        return ReferralEdit(
            chosen if isinstance(chosen, int) else typed.split("  (")[0],
            ReferralKind(self.kind.currentData()), _when(self.referred),
            contact_made=self.contact.currentData(), contact_attempts=self.attempts.value(),
            first_service_at=_when(self.first_service) if self.served.isChecked() else None,
            result=ReferralResult(self.result_box.currentData()),
            outcome_notes=self.notes.toPlainText())

    def _save(self, _values: dict[str, str], version: int | None = None) -> None:
        from console.services.referrals.records import record_referral, update_referral

        access, edit, record = self.access, self.edit(), self.record
        if record is None:
            call_id = self.call_id
            assert call_id is not None
            self.tasks.run(lambda _c: record_referral(access, call_id, edit),
                           self._saved, self._failed, writes=True)
            return
        read = record.version if version is None else version
        self.tasks.run(lambda _c: update_referral(access, record.id, read, edit),
                       self._saved, self._failed, writes=True)


class FollowUpDialog(FormDialog):
    """The unit's follow-up contact (or attempt) with a person referred."""

    def __init__(self, access: Access, tasks: TaskRunner, on_saved: Callable[[], None],
                 referral_id: int, about: str, parent: QWidget | None = None) -> None:
        super().__init__("Record follow-up", f"{about}. Record each contact or attempt; "
                         "the note is encrypted.", [], "Record", parent)
        self.access, self.tasks, self.on_saved = access, tasks, on_saved
        self.referral_id = referral_id
        self.when = _when_edit(dt.datetime.now(), "contacted_at")
        self.reached = QCheckBox("Reached the person")
        self.reached.setObjectName("reached")
        self.note = _notes("How they are doing; whether the provider has seen them")
        self.form.addRow("When", self.when)
        self.form.addRow("", self.reached)
        self.form.addRow("Note", self.note)
        self.on_submit = self._save

    def _save(self, _values: dict[str, str]) -> None:
        from console.errors import UserError
        from console.services.referrals.records import add_follow_up

        access, rid = self.access, self.referral_id
        when, reached, note = _when(self.when), self.reached.isChecked(), self.note.toPlainText()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserError):
                self.show_error(exc.message)
                return
            self.show_error("could not save; the details are in the log")
            report_bug(exc)

        def saved(_result: object) -> None:
            self.accept()
            self.on_saved()

        self.tasks.run(lambda _c: add_follow_up(access, rid, when, reached, note), saved,
                       failed, writes=True)
