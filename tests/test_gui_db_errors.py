"""In the console's window: a busy or full database is a message for people, not a crash."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from console.data.engine import open_database, sqlite_url
from console.errors import UserError
from console.views.tasks import TaskControl, TaskRunner


def test_a_busy_database_in_a_background_task_arrives_as_one_line(
        qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "console.sqlite"
    db = open_database(sqlite_url(path), busy_timeout=0.1)
    holder = sqlite3.connect(path)
    holder.execute("BEGIN IMMEDIATE")
    errors: list[BaseException] = []

    def work(_: TaskControl) -> None:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE t (x)")

    try:
        handle = TaskRunner().run(work, lambda _: None, errors.append, writes=True)
        qtbot.waitUntil(lambda: handle.finished, timeout=10_000)
    finally:
        holder.rollback()
        holder.close()
        db.dispose()
    assert len(errors) == 1 and isinstance(errors[0], UserError)
    assert errors[0].message.startswith(f"the database {path} is busy")
