"""Menu actions of the trust layer: backups, locking, signing out, passwords, the audit trail.

An action is shown only to roles whose services would allow it (the services refuse
anyway). Long work (a backup, a restore) runs on the worker with progress and Cancel.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QMessageBox, QProgressDialog

from console import APP_NAME
from console.errors import UserError
from console.views.tasks import Cancelled, TaskControl, report_bug

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from collections.abc import Callable

    from console.context import AppContext
    from console.data.audit import ChainCheck
    from console.services.access import Action
    from console.views.main_window import MainWindow


class TrustActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ctx: AppContext | None = None
        # (action, permission name or "" for anyone signed in)
        self._gated: list[tuple[QAction, str]] = []

    def _action(self, text: str, slot: object, permission: str = "",
                shortcut: QKeySequence | str | None = None) -> QAction:
        action = QAction(text, self.window)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.setVisible(False)
        self._gated.append((action, permission))
        return action

    def add_file_actions(self, menu: QMenu) -> None:
        menu.addAction(self._action("&Back up now…", self.backup, "BACKUP"))
        menu.addAction(self._action("&Restore from backup…", self.restore, "RESTORE"))
        menu.addSeparator()
        menu.addAction(self._action("&Lock", self.window.lock, "", "Ctrl+L"))
        menu.addAction(self._action("Sign &out", self.window.sign_out))
        menu.addSeparator()

    def add_tools_menu(self, menu: QMenu) -> None:
        menu.addAction(self._action("&Users…", self.users, "MANAGE_USERS"))
        menu.addAction(self._action("&Audit trail…", self.audit_trail, "VIEW_AUDIT"))
        menu.addAction(self._action("&Idle lock…", self.idle_lock, "EDIT_SETTINGS"))
        menu.addAction(self._action("&Export encryption key…", self.export_key, "MANAGE_KEYS"))
        menu.addAction(self._action("&Change my password…", self.change_password))

    def attach(self, ctx: AppContext) -> None:
        from console.services.access import Action

        self.ctx = ctx
        for action, permission in self._gated:
            action.setVisible(not permission or ctx.access.allows(Action[permission]))
        self._start_idle_lock()
        self._check_trail_head()
        # Demo data is fictional and rewritten in a minute: no daily copies of it.
        if ctx.db.sqlite_path is not None and not ctx.demo and ctx.access.allows(Action.BACKUP):
            self._auto_backup()

    def detach(self) -> None:
        self.ctx = None
        for action, _permission in self._gated:
            action.setVisible(False)

    # -- idle lock ------------------------------------------------------------------
    def _start_idle_lock(self) -> None:
        from console.services.settings_service import IDLE_LOCK_MINUTES, get_int

        assert self.ctx is not None
        access = self.ctx.access
        self.window.tasks.run(lambda _c: get_int(access, IDLE_LOCK_MINUTES),
                              self.window.idle.set_minutes)

    def idle_lock(self) -> None:
        from console.services.settings_service import IDLE_LOCK_MINUTES, set_int

        assert self.ctx is not None
        s = IDLE_LOCK_MINUTES
        minutes, ok = QInputDialog.getInt(
            self.window, APP_NAME, "Lock every workstation's window after this many idle "
            "minutes:", self.window.idle.minutes or s.default, s.minimum, s.maximum)
        if not ok:
            return
        access = self.ctx.access
        self._run(lambda _c: set_int(access, s, minutes),
                  lambda _r: self.window.idle.set_minutes(minutes))

    # -- passwords ------------------------------------------------------------------
    def change_password(self) -> None:
        from console.services.users_service import change_own_password
        from console.views.dialogs.sign_in import ChangePasswordDialog

        assert self.ctx is not None
        access = self.ctx.access
        dialog = ChangePasswordDialog(access.actor.username, self.window)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserError):
                dialog.show_error(exc.message)
            else:
                dialog.reject()
                report_bug(exc)

        def submit(v: dict[str, str]) -> None:
            self.window.tasks.run(lambda _c: change_own_password(access, v["old"], v["new"]),
                                  lambda _r: dialog.accept(), failed, writes=True)

        dialog.on_submit = submit
        dialog.show()

    # -- the data key -----------------------------------------------------------------
    def export_key(self) -> None:
        """Write the key for a second workstation, protected by a passphrase."""
        from console.views.dialogs.sign_in import ExportKeyDialog

        assert self.ctx is not None
        dialog = ExportKeyDialog(self.window)

        def submit(v: dict[str, str]) -> None:
            assert self.ctx is not None
            name = f"{self.ctx.identity.database_uuid[:8]}.coresponse-key"
            target, _ = QFileDialog.getSaveFileName(dialog, "Save the key file", name)
            if not target:
                dialog.set_busy(False)
                return
            self.export_key_to(Path(target), v["passphrase"], dialog)

        dialog.on_submit = submit
        dialog.show()

    def export_key_to(self, target: Path, passphrase: str, dialog: object = None) -> None:
        from console.services.key_service import export_key_file

        assert self.ctx is not None
        access, identity = self.ctx.access, self.ctx.identity

        def work(_c: TaskControl) -> None:
            export_key_file(access, identity, passphrase, target)

        def done(_: object) -> None:
            if dialog is not None:
                dialog.accept()  # type: ignore[attr-defined]
            self.window.statusBar().showMessage(f"Encryption key written to {target}", 30_000)

        def failed(exc: BaseException) -> None:
            if dialog is not None and isinstance(exc, UserError):
                dialog.show_error(exc.message)  # type: ignore[attr-defined]
            else:
                self._failed(exc)

        self.window.tasks.run(work, done, failed, writes=True)

    # -- users ----------------------------------------------------------------------
    def users(self) -> None:
        from console.views.dialogs.users import UsersDialog

        assert self.ctx is not None
        UsersDialog(self.ctx.access, self.window.tasks, self.window).show()

    # -- audit trail ----------------------------------------------------------------
    def audit_trail(self) -> None:
        from console.views.dialogs.audit_trail import AuditTrailDialog

        assert self.ctx is not None
        AuditTrailDialog(self.ctx.access, self.window.tasks, self.window).show()

    def _check_trail_head(self) -> None:
        """At sign-in, for everyone: a trail that ends before the newest entry this
        workstation saw lost entries, and whoever signs in should know (a cheap check;
        Verify chain recomputes it all)."""
        from console.services import audit_service

        assert self.ctx is not None
        access = self.ctx.access

        def done(check: ChainCheck) -> None:
            if check.ok:
                return
            problem = check.problem
            log.warning("audit trail check at sign-in: %s", problem)
            box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME,
                              f"The audit trail was altered: {problem}. Tell the unit's "
                              "supervisor; Tools › Audit trail… › Verify chain says more.",
                              parent=self.window)
            box.setObjectName("trailAlteredMessage")
            box.open()

        self.window.tasks.run(lambda _c: audit_service.check_head(access), done,
                              self._quiet_failure("Audit trail not checked"))

    # -- backups --------------------------------------------------------------------
    def _auto_backup(self) -> None:
        """The daily rotating backup, quietly, a moment after sign-in."""
        from console.services import backup_service

        assert self.ctx is not None
        access, db = self.ctx.access, self.ctx.db

        def done(path: Path | None) -> None:
            if path is not None:
                self.window.statusBar().showMessage(f"Automatic backup written: {path}", 8000)

        self.window.tasks.run(
            lambda _c: backup_service.auto_backup(access, db, backup_service.backups_dir()),
            done, self._quiet_failure("Automatic backup failed"))

    def _quiet_failure(self, what: str) -> Callable[[BaseException], None]:
        """For work started at sign-in that nobody asked for: a user error goes to the
        status bar after `what`, a bug to the crash dialog as well."""

        def failed(exc: BaseException) -> None:
            message = exc.message if isinstance(exc, UserError) else "see the log"
            if not isinstance(exc, UserError):
                report_bug(exc)
            self.window.statusBar().showMessage(f"{what}: {message}", 15000)

        return failed

    def backup(self) -> None:
        from console.services import backup_service

        assert self.ctx is not None
        db = self.ctx.db
        if db.sqlite_path is None:
            self._on_the_server("backed up")
            return
        folder = backup_service.backups_dir()
        name = f"{db.sqlite_path.stem}-{dt.datetime.now():%Y%m%d-%H%M%S}.sqlite"
        target, _ = QFileDialog.getSaveFileName(self.window, "Back up the database",
                                                str(folder / name), "Console backup (*.sqlite)")
        if target:
            self.backup_to(Path(target))

    def backup_to(self, target: Path) -> None:
        """Write a backup with progress and Cancel; the status bar says where it went."""
        from console.services import backup_service

        assert self.ctx is not None
        access, db = self.ctx.access, self.ctx.db

        def work(control: TaskControl) -> object:
            return backup_service.backup_database(
                access, db, target, progress=control.progress,
                cancelled=lambda: control.cancelled)

        def done(info: object) -> None:
            size = getattr(info, "size_bytes", 0) / 1e6
            self.window.statusBar().showMessage(
                f"Backup written to {target} ({size:.1f} MB)", 30_000)

        self._with_progress("Backing up…", work, done)

    def restore(self) -> None:
        from console.services import backup_service

        assert self.ctx is not None
        db = self.ctx.db
        if db.sqlite_path is None:
            self._on_the_server("restored")
            return
        source, _ = QFileDialog.getOpenFileName(
            self.window, "Restore from a backup", str(backup_service.backups_dir()),
            "Console backup (*.sqlite);;All files (*)")
        if not source:
            return
        answer = QMessageBox.warning(
            self.window, APP_NAME,
            f"Replace everything in {db.label} with the backup {source}?\n\n"
            "A copy of the current database is kept beside it first.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_from(Path(source))

    def restore_from(self, source: Path) -> None:
        """Restore (after a safety copy of the live file), then ask who signs in next."""
        from console.services import backup_service

        assert self.ctx is not None
        access, db = self.ctx.access, self.ctx.db

        def restored(result: object) -> None:
            self.window.sign_out()
            self.window.statusBar().showMessage(
                f"Restored from {source}. The database as it was is kept in "
                f"{getattr(result, 'safety_copy', '')}.", 60_000)

        self._with_progress("Restoring…",
                            lambda _c: backup_service.restore_backup(access, db, source),
                            restored)

    def _on_the_server(self, done: str) -> None:
        QMessageBox.information(self.window, APP_NAME, f"A shared server is {done} on the "
                                "server itself (pg_dump); see docs/backups.md.")

    # -- helpers --------------------------------------------------------------------
    def _run(self, work: object, then: object) -> None:
        self.window.tasks.run(work, then, self._failed, writes=True)  # type: ignore[arg-type]

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            return
        if isinstance(exc, UserError):
            QMessageBox.warning(self.window, APP_NAME, exc.message)
        else:
            report_bug(exc)

    def _with_progress(self, text: str, work: object, then: object) -> None:
        dialog = QProgressDialog(text, "Cancel", 0, 100, self.window)
        dialog.setWindowTitle(APP_NAME)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(500)

        def progress(done: int, total: int, label: str) -> None:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(done)
            if label:
                dialog.setLabelText(label)

        def finished(result: object) -> None:
            dialog.close()
            then(result)  # type: ignore[operator]

        def failed(exc: BaseException) -> None:
            dialog.close()
            self._failed(exc)

        handle = self.window.tasks.run(work, finished, failed, progress,  # type: ignore[arg-type]
                                       writes=True)
        dialog.canceled.connect(handle.cancel)


__all__ = ["Action", "TrustActions"]
