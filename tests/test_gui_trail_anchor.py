"""Signing in on a database whose newest audit entries were removed says so."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from contextlib import closing
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox
from test_gui_trust import PASSWORD, _dialog, started  # noqa: F401 - the fixture

from console.data import migrate
from console.data.engine import open_database, sqlite_url
from console.data.enums import EventKind
from console.data.identity import unlock
from console.services import program_service, users_service
from console.services.access import Access
from console.views.dialogs.sign_in import SignInDialog


def test_sign_in_reports_a_trail_that_went_backwards(qtbot, started, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    path = tmp_path / "unit.sqlite"
    db = open_database(sqlite_url(path))
    migrate.upgrade(db)
    vault = unlock(db).vault  # key and anchor go to the (private) Secret Service
    actor = users_service.create_first_supervisor(db.session_factory, vault, "sgt.rivera",
                                                  "Sgt. Dana Rivera", PASSWORD)
    from console.data.models import Program

    access = Access(db.session_factory, actor, vault)
    from console.services.access import Action

    with access.writing(Action.EDIT_PROGRAM) as s:
        s.add(Program(name="Metro", jurisdiction="Metro", started_on=dt.date(2023, 1, 1)))
    for i in range(3):
        program_service.add_program_event(access, dt.date(2025, 1, 1 + i), EventKind.BRIEFING,
                                          f"Briefing {i}")
    db.dispose()
    with closing(sqlite3.connect(path)) as conn, conn:
        seq, = conn.execute("SELECT seq FROM audit_head").fetchone()
        conn.execute("DELETE FROM audit_entry WHERE seq > ?", (seq - 3,))
        conn.execute("UPDATE audit_head SET seq = ?, hash = (SELECT hash FROM audit_entry "
                     "WHERE seq = ?)", (seq - 3, seq - 3))

    win = started(path)
    dialog = _dialog(qtbot, SignInDialog)
    dialog.edits["username"].setText("sgt.rivera")
    dialog.edits["password"].setText(PASSWORD)
    with qtbot.waitSignal(win.ready, timeout=20_000):
        dialog._submit()
    box = _dialog(qtbot, QMessageBox)
    assert box.objectName() == "trailAlteredMessage"
    # Signing in writes an entry (the last sign-in time), the automatic backup may have
    # written another by now: the trail still ends before what was seen.
    assert re.search(f"the trail ends at entry ({seq - 2}|{seq - 1}) but this workstation has "
                     f"seen entry {seq}: entries were removed", box.text()), box.text()
    box.close()
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox) and w.isVisible()]
