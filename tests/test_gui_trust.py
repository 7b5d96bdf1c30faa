"""Signing in, the first supervisor, the idle lock, the audit trail and the conflict dialog."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QPushButton, QTableWidget
from test_gui import copy_demo

from console.app import Startup
from console.data import migrate
from console.data.engine import open_database, sqlite_url
from console.data.enums import EventKind
from console.data.identity import unlock
from console.data.location import DatabaseLocation
from console.services import program_service, users_service
from console.services.access import Actor
from console.services.staffing_service import StaffEdit, staff_detail, update_staff_member
from console.views.dialogs.audit_trail import AuditTrailDialog
from console.views.dialogs.conflict import ConflictDialog
from console.views.dialogs.sign_in import FirstSupervisorDialog, SignInDialog
from console.views.dialogs.staff_edit import StaffEditDialog
from console.views.main_window import MainWindow
from console.views.tasks import TaskRunner

PASSWORD = "correct horse battery"


def _start(qtbot, path: Path):  # type: ignore[no-untyped-def]
    location = DatabaseLocation(path=path)
    tasks = TaskRunner()
    win = MainWindow(tasks, label=location.label)
    qtbot.addWidget(win)
    startup = Startup(win, tasks, location, area=None, demo=False)
    win.first_painted.connect(startup.open_database)
    win.show()
    return win, tasks, startup


def _dialog(qtbot, kind: type):  # type: ignore[no-untyped-def]
    found: list[object] = []

    def visible() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, kind) and w.isVisible()]
        return bool(found)

    qtbot.waitUntil(visible, timeout=20_000)
    return found[0]


@pytest.fixture
def started(qtbot, tmp_path: Path, secret_service: str):  # type: ignore[no-untyped-def]
    """A function starting the console on a real database (its key in the Secret Service)."""
    running: list[tuple[TaskRunner, Startup]] = []

    def start(path: Path) -> MainWindow:
        win, tasks, startup = _start(qtbot, path)
        running.append((tasks, startup))
        return win

    yield start
    for tasks, startup in running:
        tasks.wait()
        if startup.db is not None:
            startup.db.dispose()


def test_first_start_asks_for_the_supervisor_account(qtbot, started, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    win = started(tmp_path / "new.sqlite")
    dialog = _dialog(qtbot, FirstSupervisorDialog)
    for key, text in (("display_name", "Sgt. Dana Rivera"), ("username", "sgt.rivera"),
                      ("password", PASSWORD), ("confirm", "something else")):
        dialog.edits[key].setText(text)
    dialog._submit()
    assert dialog.error.isVisibleTo(dialog) and "differ" in dialog.error.text()
    dialog.edits["password"].setText(PASSWORD)
    dialog.edits["confirm"].setText(PASSWORD)
    with qtbot.waitSignal(win.ready, timeout=20_000):
        dialog._submit()
    assert win.ctx is not None and win.ctx.access.actor.username == "sgt.rivera"
    assert not win.ctx.demo and "DEMO" not in win.windowTitle()


def test_sign_in_refuses_a_wrong_password_then_opens(qtbot, started, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "unit.sqlite"
    db = open_database(sqlite_url(path))
    migrate.upgrade(db)
    vault = unlock(db).vault  # the key goes to the Secret Service, as on a workstation
    users_service.create_first_supervisor(db.session_factory, vault, "sgt.rivera",
                                          "Sgt. Dana Rivera", PASSWORD)
    db.dispose()
    win = started(path)
    dialog = _dialog(qtbot, SignInDialog)
    assert win.ctx is None and not win.nav.isEnabled()
    dialog.edits["username"].setText("sgt.rivera")
    dialog.edits["password"].setText("not my password")
    dialog._submit()
    qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog), timeout=10_000)
    assert dialog.error.text() == "wrong user name or password"
    assert dialog.edits["password"].text() == ""  # cleared, the name kept
    assert dialog.edits["username"].text() == "sgt.rivera"
    dialog.edits["password"].setText(PASSWORD)
    with qtbot.waitSignal(win.ready, timeout=20_000):
        dialog._submit()
    assert win.ctx is not None and win.ctx.user == "Sgt. Dana Rivera"


@pytest.fixture
def demo_window(qtbot, demo_db_path: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    win, tasks, startup = _start(qtbot, copy_demo(demo_db_path, tmp_path))
    qtbot.waitSignal(win.ready, timeout=30_000).wait()
    yield win
    tasks.wait()
    if startup.db is not None:
        startup.db.dispose()


def test_idle_window_locks_and_unlocks_with_the_password(qtbot, demo_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    win = demo_window
    qtbot.waitUntil(lambda: win.idle.minutes == 10)  # the default, read after sign-in
    assert win.idle.minutes == 10
    win.idle.set_interval_ms(100)
    qtbot.waitUntil(lambda: win.locked, timeout=5_000)
    assert not win.content.isVisible() and not win.menuBar().isEnabled()
    win.lock_screen.password.setText("wrong guess")
    win.lock_screen._unlock()
    qtbot.waitUntil(lambda: win.lock_screen.error.isVisibleTo(win.lock_screen), timeout=10_000)
    assert win.locked
    win.lock_screen.password.setText(users_service.DEMO_PASSWORD)
    win.lock_screen._unlock()
    qtbot.waitUntil(lambda: not win.locked, timeout=10_000)
    assert win.content.isVisible() and win.menuBar().isEnabled()


def test_lock_hides_open_dialogs_until_unlocked(qtbot, demo_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    win = demo_window
    win.trust.audit_trail()
    dialog = _dialog(qtbot, AuditTrailDialog)
    win.lock()
    assert win.locked and not dialog.isVisible()
    win.lock_screen.password.setText(users_service.DEMO_PASSWORD)
    win.lock_screen._unlock()
    qtbot.waitUntil(lambda: not win.locked, timeout=10_000)
    assert dialog.isVisible()
    dialog.close()


def test_sign_out_asks_who_is_next(qtbot, demo_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    win = demo_window
    with qtbot.waitSignal(win.ready, timeout=20_000):  # a demo database signs in again
        win.sign_out()
        assert win.ctx is None and not win.nav.isEnabled()
    assert win.ctx is not None


def test_audit_trail_dialog_lists_and_verifies(qtbot, demo_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    win = demo_window
    assert win.ctx is not None
    win.trust.audit_trail()
    dialog = _dialog(qtbot, AuditTrailDialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=10_000)
    assert dialog.model.rows[0].seq > dialog.model.rows[-1].seq  # newest first
    dialog.verify()
    qtbot.waitUntil(lambda: "Chain intact" in dialog.status.text(), timeout=10_000)
    dialog.close()


def test_menu_shows_only_what_the_role_may_do(demo_window: MainWindow) -> None:
    texts = {a.text().replace("&", "") for a, _p in demo_window.trust._gated if a.isVisible()}
    assert {"Audit trail…", "Back up now…", "Restore from backup…", "Idle lock…"} <= texts


def test_conflict_dialog_shows_both_versions_and_saves_mine_on_request(
        qtbot, demo_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    win = demo_window
    assert win.ctx is not None
    access = win.ctx.access
    page = win.show_area("staffing")
    qtbot.waitUntil(lambda: page.staff.source.rowCount() > 0, timeout=10_000)
    staff_id = page.staff.source.rows[0].id
    detail = staff_detail(access, staff_id)
    editor = StaffEditDialog(access, win.tasks, detail, page.refresh, page)
    editor.show()
    editor.edits["rank"].setText("Senior clinician")
    other = access.as_actor(Actor("dir.okafor", access.actor.role, "Director Okafor"))
    update_staff_member(other, staff_id, detail.version,
                        StaffEdit(detail.display_name, "Team lead", detail.discipline,
                                  detail.degree_level))
    seen: list[list[tuple[str, str, str]]] = []

    def answer() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, ConflictDialog) and w.isVisible():
                table = w.findChild(QTableWidget, "conflictTable")
                seen.append([tuple(table.item(r, c).text() for c in range(3))
                             for r in range(table.rowCount())])
                w.findChild(QPushButton, "saveMine").click()
                return
        QTimer.singleShot(50, answer)

    QTimer.singleShot(50, answer)
    editor._submit()
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=15_000)
    assert ("Rank", "Senior clinician", "Team lead") in seen[0]  # shown before any save
    assert staff_detail(access, staff_id).rank == "Senior clinician"
    assert staff_detail(access, staff_id).version == detail.version + 2


def test_users_dialog_adds_and_disables(qtbot, demo_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from console.views.dialogs.users import AddUserDialog, UsersDialog

    demo_window.trust.users()
    dialog = _dialog(qtbot, UsersDialog)
    qtbot.waitUntil(lambda: dialog.table.source.rowCount() == 1, timeout=10_000)
    dialog.add()
    add = next(w for w in dialog.findChildren(AddUserDialog) if w.isVisible())
    for key, text in (("display_name", "Kim Responder"), ("username", "kim"),
                      ("password", "short")):
        add.edits[key].setText(text)
    add._submit()
    qtbot.waitUntil(lambda: add.error.isVisibleTo(add), timeout=10_000)
    assert "too short" in add.error.text()
    add.edits["password"].setText("a long first password")
    add._submit()
    qtbot.waitUntil(lambda: dialog.table.source.rowCount() == 2, timeout=10_000)
    kim = next(i for i, u in enumerate(dialog.table.source.rows) if u.username == "kim")
    dialog.table.selectRow(dialog.table.proxy.mapFromSource(
        dialog.table.source.index(kim, 0)).row())
    assert dialog.toggle_button.text() == "Disable"
    dialog.toggle()
    qtbot.waitUntil(lambda: any(u.username == "kim" and not u.active
                                for u in dialog.table.source.rows), timeout=10_000)
    dialog.close()


def test_backup_then_restore_from_the_menu_actions(qtbot, demo_window: MainWindow,  # type: ignore[no-untyped-def]
                                                   tmp_path: Path) -> None:
    win = demo_window
    assert win.ctx is not None
    before = len(program_service.program_events(win.ctx.access))
    target = tmp_path / "menu-backup.sqlite"
    win.trust.backup_to(target)
    qtbot.waitUntil(lambda: "Backup written to" in win.statusBar().currentMessage(),
                    timeout=30_000)
    assert target.exists()
    program_service.add_program_event(win.ctx.access, dt.date(2026, 6, 1),
                                      EventKind.BRIEFING, "After the backup")
    with qtbot.waitSignal(win.ready, timeout=30_000):  # restored, then signed in again
        win.trust.restore_from(target)
    assert "Restored from" in win.statusBar().currentMessage()
    assert win.ctx is not None
    assert len(program_service.program_events(win.ctx.access)) == before


def test_export_key_from_the_menu_writes_a_file_the_cli_can_import(
        qtbot, demo_window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from console.data.keystore import import_key

    target = tmp_path / "unit.coresponse-key"
    demo_window.trust.export_key_to(target, "a long enough passphrase")
    qtbot.waitUntil(lambda: target.exists(), timeout=20_000)
    assert demo_window.ctx is not None
    database_uuid, key = import_key(target.read_bytes(), "a long enough passphrase")
    assert database_uuid == demo_window.ctx.identity.database_uuid
    assert key == demo_window.ctx.access.vault.data_key
