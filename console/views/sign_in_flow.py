"""From an unlocked database to a signed-in user: first supervisor, sign-in, new password.

A demo database signs its demo supervisor in without asking (its people are fictional);
every other database asks. Password checks run on the worker thread: Argon2 is slow on
purpose, and the window must not freeze while it works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from console.errors import UserError
from console.views.dialogs.form import FormDialog
from console.views.dialogs.sign_in import (
    ChangePasswordDialog,
    FirstSupervisorDialog,
    SignInDialog,
)
from console.views.tasks import TaskRunner, report_bug

if TYPE_CHECKING:
    from console.data.crypto import Vault
    from console.data.engine import Database
    from console.data.identity import Identity
    from console.services.access import Access, Actor


class SignInFlow(QObject):
    """Emits `signed_in(Access)` once someone is in, or `gave_up()` if they cancel."""

    signed_in = Signal(object)
    gave_up = Signal()

    def __init__(self, parent: QWidget, tasks: TaskRunner, db: Database, vault: Vault,
                 identity: Identity) -> None:
        super().__init__(parent)
        self.parent_widget, self.tasks = parent, tasks
        self.db, self.vault, self.identity = db, vault, identity
        self.dialog: FormDialog | None = None
        self.last_username = ""

    def start(self) -> None:
        from console.services import users_service

        factory = self.db.session_factory
        if self.identity.demo:
            self.tasks.run(lambda _c: users_service.demo_sign_in(factory),
                           self._signed_in, self._refused_demo)
        else:
            self.tasks.run(lambda _c: users_service.has_users(factory), self._ask)

    def _ask(self, has_users: bool) -> None:
        from console.services import users_service

        factory, vault = self.db.session_factory, self.vault
        if has_users:
            dialog: FormDialog = SignInDialog(self.db.label, self.parent_widget,
                                               username=self.last_username)

            def submit(v: dict[str, str]) -> None:
                self.last_username = v["username"]
                self.tasks.run(
                    lambda _c: users_service.sign_in(factory, vault, v["username"],
                                                     v["password"]),
                    self._signed_in, self._refused, writes=True)
        else:
            dialog = FirstSupervisorDialog(self.db.label, self.parent_widget)

            def submit(v: dict[str, str]) -> None:
                self.tasks.run(
                    lambda _c: users_service.create_first_supervisor(
                        factory, vault, v["username"], v["display_name"], v["password"]),
                    self._signed_in, self._refused, writes=True)
        self._open(dialog, submit)

    def _open(self, dialog: FormDialog, submit: object) -> None:
        self.dialog = dialog
        dialog.on_submit = submit  # type: ignore[assignment]
        dialog.rejected.connect(self.gave_up)
        dialog.show()

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, UserError) and self.dialog is not None:
            self.dialog.show_error(exc.message)
        else:
            self._failed(exc)

    def _refused_demo(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(self.parent_widget, "Demo", exc.message)
            self.gave_up.emit()
        else:
            self._failed(exc)

    def _failed(self, exc: BaseException) -> None:
        report_bug(exc)
        if self.dialog is not None:
            self.dialog.reject()  # emits gave_up
        else:
            self.gave_up.emit()

    def _signed_in(self, actor: Actor) -> None:
        from console.services.access import Access

        if self.dialog is not None:
            self.dialog.accept()
            self.dialog = None
        access = Access(self.db.session_factory, actor, self.vault)
        if actor.must_change_password:
            self._change_password(access)
        else:
            self.signed_in.emit(access)

    def _change_password(self, access: Access) -> None:
        from dataclasses import replace

        from console.services import users_service

        dialog = ChangePasswordDialog(
            access.actor.username, self.parent_widget,
            reason="A supervisor set your password: choose your own before you go on.")

        def submit(v: dict[str, str]) -> None:
            self.tasks.run(
                lambda _c: users_service.change_own_password(access, v["old"], v["new"]),
                lambda _r: self._password_changed(
                    access.as_actor(replace(access.actor, must_change_password=False))),
                self._refused, writes=True)

        self._open(dialog, submit)

    def _password_changed(self, access: Access) -> None:
        if self.dialog is not None:
            self.dialog.accept()
            self.dialog = None
        self.signed_in.emit(access)
