"""User accounts for supervisors: add, disable or enable, reset a password."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console import APP_NAME
from console.data.enums import UserRole
from console.errors import UserError
from console.views.dialogs.form import FormDialog
from console.views.record_table import RecordTable
from console.views.record_table_model import Column
from console.views.tasks import TaskRunner, report_bug

if TYPE_CHECKING:
    from console.services.access import Access
    from console.services.users_service import UserInfo


def _state(u: UserInfo) -> str:
    if not u.active:
        return "Disabled"
    if u.locked_until is not None:
        return f"Locked until {u.locked_until:%H:%M}"
    return "Must choose a password" if u.must_change_password else "Active"


COLUMNS: list[Column[Any]] = [
    Column("User name", lambda u: u.username),
    Column("Name", lambda u: u.display_name),
    Column("Role", lambda u: u.role.label),
    Column("State", _state, alert=lambda u: not u.active),
    Column("Last sign-in", lambda u: u.last_login_at),
]


class AddUserDialog(FormDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Add a user", "They choose their own password at first sign-in.",
                         [("display_name", "Full name", False), ("username", "User name", False),
                          ("password", "First password (10+ characters)", True)],
                         "Add user", parent)
        self.role = QComboBox()
        for role in UserRole:
            self.role.addItem(role.label, role)
        self.role.setCurrentIndex(list(UserRole).index(UserRole.RESPONDER))
        self.form.addRow("Role", self.role)


class ResetPasswordDialog(FormDialog):
    def __init__(self, username: str, parent: QWidget | None = None) -> None:
        super().__init__(f"Reset the password of {username}",
                         "The lock-out is lifted; they choose their own at next sign-in.",
                         [("password", "New password (10+ characters)", True)],
                         "Reset password", parent)


class UsersDialog(QDialog):
    def __init__(self, access: Access, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.access, self.tasks = access, tasks
        self.setWindowTitle(f"{APP_NAME} — Users")
        self.resize(860, 480)
        box = QVBoxLayout(self)
        title = QLabel("Users")
        title.setObjectName("dialogTitle")
        box.addWidget(title)
        self.table = RecordTable(COLUMNS, stretch=1)
        box.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton("Add user…")
        self.add_button.clicked.connect(self.add)
        self.toggle_button = QPushButton("Disable")
        self.toggle_button.clicked.connect(self.toggle)
        self.reset_button = QPushButton("Reset password…")
        self.reset_button.clicked.connect(self.reset)
        for b in (self.add_button, self.toggle_button, self.reset_button):
            row.addWidget(b)
        row.addStretch(1)
        box.addLayout(row)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._buttons())
        self.refresh()

    def selected(self) -> UserInfo | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        user: UserInfo = self.table.source.rows[self.table.proxy.mapToSource(index).row()]
        return user

    def _buttons(self) -> None:
        user = self.selected()
        self.toggle_button.setEnabled(user is not None)
        self.reset_button.setEnabled(user is not None)
        self.toggle_button.setText("Enable" if user is not None and not user.active
                                   else "Disable")

    def refresh(self) -> None:
        from console.services.users_service import list_users

        access = self.access
        self.tasks.run(lambda _c: list_users(access), self._show, owner=self)

    def _show(self, users: list[UserInfo]) -> None:
        self.table.set_rows(users)
        self._buttons()

    def _write(self, work: Any, dialog: FormDialog | None = None) -> None:
        def done(_: object) -> None:
            if dialog is not None:
                dialog.accept()
            self.refresh()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserError):
                if dialog is not None:
                    dialog.show_error(exc.message)
                else:
                    from PySide6.QtWidgets import QMessageBox

                    QMessageBox.warning(self, APP_NAME, exc.message)
            else:
                report_bug(exc)

        self.tasks.run(work, done, failed, writes=True, owner=self)

    def add(self) -> None:
        from console.services.users_service import add_user

        dialog = AddUserDialog(self)
        access = self.access

        def submit(v: dict[str, str]) -> None:
            role = UserRole(dialog.role.currentData())
            self._write(lambda _c: add_user(access, v["username"], v["display_name"], role,
                                            v["password"]), dialog)

        dialog.on_submit = submit
        dialog.show()

    def toggle(self) -> None:
        from console.services.users_service import set_active

        user, access = self.selected(), self.access
        if user is not None:
            self._write(lambda _c: set_active(access, user.username, not user.active))

    def reset(self) -> None:
        from console.services.users_service import reset_password

        user, access = self.selected(), self.access
        if user is None:
            return
        dialog = ResetPasswordDialog(user.username, self)
        dialog.on_submit = lambda v: self._write(
            lambda _c: reset_password(access, user.username, v["password"]), dialog)
        dialog.show()
