"""A titled form dialog with a one-line error: the base of every small form here.

It only collects what was typed; the caller checks it on a worker thread and either
accepts the dialog or shows the one-line reason with `show_error`, keeping what was typed.
SavingDialog does that for a form whose OK saves through a service; date_edit and picked
are the date field every form uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from console import APP_NAME
from console.errors import UserError
from console.views.tasks import report_bug

if TYPE_CHECKING:
    from console.services.access import Access
    from console.views.tasks import TaskRunner

Submit = Callable[[dict[str, str]], None]


class FormDialog(QDialog):
    """A titled form with an error line; `submitted` gets the fields when OK is pressed."""

    def __init__(self, title: str, intro: str, fields: list[tuple[str, str, bool]],
                 ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME} — {title}")
        self.setModal(True)
        self.setMinimumWidth(440)
        box = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("dialogTitle")
        box.addWidget(heading)
        if intro:
            text = QLabel(intro)
            text.setWordWrap(True)
            text.setObjectName("dialogIntro")
            box.addWidget(text)
        self.form = form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        for key, label, secret in fields:
            edit = QLineEdit()
            edit.setObjectName(key)
            if secret:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            form.addRow(label, edit)
            self.edits[key] = edit
        box.addLayout(form)
        self.error = QLabel("")
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        box.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        box.addWidget(self.buttons)
        self.on_submit: Submit | None = None

    def values(self) -> dict[str, str]:
        return {key: edit.text() for key, edit in self.edits.items()}

    def _submit(self) -> None:
        values = self.values()
        problem = self.check(values)
        if problem:
            self.show_error(problem)
            return
        self.set_busy(True)
        if self.on_submit is not None:
            self.on_submit(values)

    def check(self, values: dict[str, str]) -> str:
        """A reason the form cannot be sent as it is, or ''."""
        return ""

    def set_busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)
        for edit in self.edits.values():
            edit.setEnabled(not busy)
        if busy:
            self.error.hide()

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.error.setText(message)
        self.error.show()
        self.adjustSize()  # grow for the message rather than squeeze the wrapped intro
        secrets = [e for e in self.edits.values()
                   if e.echoMode() == QLineEdit.EchoMode.Password]
        for edit in secrets:  # typed again, all of them: a mismatch may be in any
            edit.clear()
        if secrets:
            secrets[0].setFocus()


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def date_edit(name: str, day: dt.date) -> QDateEdit:
    edit = QDateEdit(qdate(day))
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def picked(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


class SavingDialog(FormDialog):
    """A form whose OK runs `work(access)` on the writer; a UserError stays in the form."""

    def __init__(self, title: str, intro: str, access: Access, tasks: TaskRunner,
                 on_saved: Callable[[], None], parent: QWidget | None) -> None:
        super().__init__(title, intro, [], "Save", parent)
        self.access, self.tasks, self.on_saved = access, tasks, on_saved
        self.on_submit = lambda _v: self._run()

    def work(self, access: Access) -> Any:
        raise NotImplementedError

    def _run(self) -> None:
        access = self.access
        self.tasks.run(lambda _c: self.work(access), self._saved, self._failed, writes=True)

    def _saved(self, _result: object) -> None:
        self.accept()
        self.on_saved()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self.show_error(exc.message)
        else:
            self.show_error("could not save; the details are in the log")
            report_bug(exc)
