"""Signing in: the first supervisor account, the sign-in form, choosing a new password,
exporting the key. The checks run on a worker thread: Argon2 is deliberately slow."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from console.views.dialogs.form import FormDialog


class SignInDialog(FormDialog):
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


class FirstSupervisorDialog(FormDialog):
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


class ChangePasswordDialog(FormDialog):
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


class ExportKeyDialog(FormDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Export the encryption key",
            "For a second workstation that opens this database, which imports the file with "
            "the command: coresponse-console key import FILE. Give the passphrase by "
            "another channel than the file.",
            [("passphrase", "Passphrase (12+ characters)", True),
             ("confirm", "Passphrase again", True)], "Choose file…", parent)

    def check(self, values: dict[str, str]) -> str:
        return "the two passphrases differ" if values["passphrase"] != values["confirm"] else ""
