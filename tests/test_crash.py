"""A process killed in the middle of a write: the database opens, is intact, all or nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import access_for
from sqlalchemy import func, select

from console.data import migrate
from console.data.engine import Database, open_database, sqlite_url
from console.data.models import AuditEntry, Person
from console.services import audit_service

ROWS = 3000
WRITER = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, {tests!r})
    from pathlib import Path
    from conftest import access_for
    from console.data.engine import open_database, sqlite_url
    from console.data.models import Person
    from console.services.access import Action

    db = open_database(sqlite_url(Path({path!r})), create=False)
    access = access_for(db, Path({keys!r}))
    with access.writing(Action.EDIT_IDENTITIES) as session:
        for i in range({rows}):
            session.add(Person(person_key=f"{{i:064x}}",
                               name=access.vault.seal(f"Person {{i}}", purpose="person.name")))
            if i == {rows} // 2:
                session.flush()  # half of it is in the database file's journal now
        session.flush()
        print("flushed", flush=True)
        if {kill_before_commit}:
            os.kill(os.getpid(), signal.SIGKILL)
    print("committed", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
""")


def _run_writer(path: Path, keys: Path, *, kill_before_commit: bool) -> str:
    code = WRITER.format(tests=str(Path(__file__).parent), path=str(path), keys=str(keys),
                         rows=ROWS, kill_before_commit=kill_before_commit)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("kill_before_commit", [True, False], ids=["mid-write", "after-commit"])
def test_killed_writer_leaves_an_intact_database(tmp_path: Path,
                                                 kill_before_commit: bool) -> None:
    path = tmp_path / "crash.sqlite"
    db = open_database(sqlite_url(path))
    migrate.upgrade(db)
    access = access_for(db, tmp_path)  # creates the key the writer will use
    db.dispose()

    out = _run_writer(path, tmp_path, kill_before_commit=kill_before_commit)
    assert "flushed" in out

    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    reopened: Database = open_database(sqlite_url(path), create=False)
    try:
        access = access_for(reopened, tmp_path)
        with reopened.session_factory() as s:
            people = s.scalar(select(func.count()).select_from(Person))
            entries = s.scalar(select(func.count()).select_from(AuditEntry)
                               .where(AuditEntry.table_name == "person"))
        expected = 0 if kill_before_commit else ROWS
        assert people == entries == expected  # all or none, the trail with it
        assert audit_service.verify_trail(access).ok
    finally:
        reopened.dispose()
