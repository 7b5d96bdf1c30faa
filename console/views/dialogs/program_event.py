"""Adding or editing a program event: saved through the service, which refuses stale
versions (an edit someone else saved first opens the conflict dialog)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from console.data.enums import VISIBILITY_EVENTS, EventKind
from console.views.dialogs.form import qdate
from console.views.dialogs.versioned_form import VersionedFormDialog
from console.views.tasks import TaskRunner

if TYPE_CHECKING:
    from console.services.access import Access
    from console.services.program_service import EventEdit, ProgramEventRow

TITLE_LIMIT = 200
VISIBILITY_NOTE = "Visibility work: the visibility warning counts it."
STRUCTURAL_NOTE = "Structural change: drawn on every warning's chart."
OTHER_NOTE = "Kept in the history; neither counted nor drawn."


def visibility_kinds() -> str:
    """The kinds that count as visibility work, by label, in the enum's order."""
    return ", ".join(k.label for k in EventKind if k in VISIBILITY_EVENTS)


class ProgramEventDialog(VersionedFormDialog):
    """A new event (`event` None) or an edit of `event` at the version it was read."""

    def __init__(self, access: Access, tasks: TaskRunner, on_saved: Callable[[], None],
                 event: ProgramEventRow | None = None, parent: QWidget | None = None) -> None:
        title = "Edit program event" if event else "Add a program event"
        super().__init__(title, "Visibility work given to patrol, which the visibility warning "
                         f"counts ({visibility_kinds()}), or a structural change to the "
                         "unit (an office move, a schedule change, a new leader).",
                         [("title", "Title", False)], "Save" if event else "Add", parent)
        self.access, self.tasks, self.on_saved = access, tasks, on_saved
        self.record = event
        self.date = QDateEdit()
        self.date.setObjectName("occurred_on")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        day = event.occurred_on if event else dt.date.today()
        self.date.setDate(qdate(day))
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind in EventKind:
            suffix = "  (visibility work)" if kind in VISIBILITY_EVENTS else ""
            self.kind.addItem(kind.label + suffix, kind.value)
        self.kind.setCurrentIndex(list(EventKind).index(event.kind) if event else 0)
        self.kind_note = QLabel("")
        self.kind_note.setObjectName("muted")
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 4 + 12)
        self.notes.setPlaceholderText("Who attended, where, anything worth keeping")
        kind_box = QWidget()  # the note right under the kind it explains
        kind_rows = QVBoxLayout(kind_box)
        kind_rows.setContentsMargins(0, 0, 0, 0)
        kind_rows.setSpacing(2)
        kind_rows.addWidget(self.kind)
        kind_rows.addWidget(self.kind_note)
        self.form.insertRow(0, "Date", self.date)
        self.form.insertRow(1, "Kind", kind_box)
        self.form.addRow("Notes", self.notes)
        title_edit = self.edits["title"]
        title_edit.setMaxLength(TITLE_LIMIT)
        title_edit.setPlaceholderText("e.g. Roll-call briefing, North precinct night shift")
        if event is not None:
            title_edit.setText(event.title)
            self.notes.setPlainText(event.notes)
        self._kind_changed()
        self.on_submit = self._save

    def _kind_changed(self) -> None:
        kind = EventKind(self.kind.currentData())
        self.kind_note.setText(VISIBILITY_NOTE if kind.is_visibility else
                               STRUCTURAL_NOTE if kind.is_structural else OTHER_NOTE)

    def check(self, values: dict[str, str]) -> str:
        title = values["title"].strip()
        if not title:
            return "Give the event a title: what took place, in a few words."
        if self.day() > dt.date.today() + dt.timedelta(days=366):
            return "The date is more than a year ahead: check the year."
        return ""

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        for widget in (self.date, self.kind, self.notes):
            widget.setEnabled(not busy)

    def day(self) -> dt.date:
        day = self.date.date().toPython()
        assert isinstance(day, dt.date)
        return day

    def edit(self) -> EventEdit:
        from console.services.program_service import EventEdit

        return EventEdit(self.day(), EventKind(self.kind.currentData()), self.edits["title"].text(),
                         self.notes.toPlainText())

    def _save(self, _values: dict[str, str], version: int | None = None) -> None:
        from console.services.program_service import add_program_event, update_program_event

        access, edit, event = self.access, self.edit(), self.record
        if event is None:
            self.tasks.run(lambda _c: add_program_event(access, edit.occurred_on, edit.kind,
                                                        edit.title, edit.notes),
                           self._saved, self._failed, writes=True)
            return
        read = event.version if version is None else version
        self.tasks.run(lambda _c: update_program_event(access, event.id, read, edit),
                       self._saved, self._failed, writes=True)


__all__ = ["ProgramEventDialog", "visibility_kinds"]
