"""A titled form dialog with a one-line error: the base of every small form here.

It only collects what was typed; the caller checks it on a worker thread and either
accepts the dialog or shows the one-line reason with `show_error`, keeping what was typed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from console import APP_NAME

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
