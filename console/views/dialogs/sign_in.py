"""Signing in: the first supervisor account, the sign-in form, choosing a new password.

Each dialog only collects what was typed; the caller checks it on a worker thread
(Argon2 is deliberately slow) and either accepts the dialog or shows the one-line reason
with `show_error`, keeping what was typed.
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


class _FormDialog(QDialog):
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
        for edit in self.edits.values():
            if edit.echoMode() == QLineEdit.EchoMode.Password:
                edit.clear()
                edit.setFocus()
                break


class SignInDialog(_FormDialog):
    def __init__(self, database: str, parent: QWidget | None = None,
                 username: str = "") -> None:
        super().__init__("Sign in", f"Database: {database}",
                         [("username", "User name", False), ("password", "Password", True)],
                         "Sign in", parent)
        self.edits["username"].setText(username)
        (self.edits["password"] if username else self.edits["username"]).setFocus()

    def check(self, values: dict[str, str]) -> str:
        return "" if values["username"].strip() and values["password"] else \
            "enter your user name and password"


class FirstSupervisorDialog(_FormDialog):
    def __init__(self, database: str, parent: QWidget | None = None) -> None:
        super().__init__(
            "Create the supervisor account",
            f"{database} has no users yet. The first account belongs to the ranking sworn "
            "supervisor who owns the unit: it can add everyone else.",
            [("display_name", "Full name", False), ("username", "User name", False),
             ("password", "Password (10+ characters)", True),
             ("confirm", "Password again", True)],
            "Create account", parent)

    def check(self, values: dict[str, str]) -> str:
        if values["password"] != values["confirm"]:
            return "the two passwords differ"
        return ""


class ChangePasswordDialog(_FormDialog):
    def __init__(self, username: str, parent: QWidget | None = None,
                 reason: str = "") -> None:
        super().__init__(
            "Choose a new password",
            reason or f"Choose a new password for {username}.",
            [("old", "Current password", True), ("new", "New password (10+ characters)", True),
             ("confirm", "New password again", True)],
            "Change password", parent)

    def check(self, values: dict[str, str]) -> str:
        return "the two new passwords differ" if values["new"] != values["confirm"] else ""


class ExportKeyDialog(_FormDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Export the encryption key",
            "For a second workstation that opens this database: it imports the file with "
            "`coresponse-console key import FILE`. Give the passphrase by another channel.",
            [("passphrase", "Passphrase (12+ characters)", True),
             ("confirm", "Passphrase again", True)], "Choose file…", parent)

    def check(self, values: dict[str, str]) -> str:
        return "the two passphrases differ" if values["passphrase"] != values["confirm"] else ""
