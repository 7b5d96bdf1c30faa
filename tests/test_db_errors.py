"""Database errors: what reaches the log carries no row values; what reaches people is one line."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from pathlib import Path

import pytest
from conftest import seed_program
from sqlalchemy import insert
from sqlalchemy.exc import DBAPIError

from console.data.db_errors import database_error
from console.data.engine import Database
from console.data.models import Call

SECRET = "Jane Q. Public, 12 Elm Street"


def test_a_failing_statement_does_not_carry_its_values_into_the_message_or_the_log(
        any_db: Database, caplog: pytest.LogCaptureFixture) -> None:
    with any_db.engine.begin() as conn:
        seed_program(conn)
    row = {"program_id": 1, "agency_id": 1, "incident_number": SECRET,
           "received_at": dt.datetime(2024, 3, 1, 8, 0)}
    with any_db.engine.begin() as conn:
        conn.execute(insert(Call).values(**row))
    with pytest.raises(DBAPIError) as caught, any_db.engine.begin() as conn:
        conn.execute(insert(Call).values(**row))  # the same incident again: UNIQUE
    logging.getLogger("console.test").error("import failed", exc_info=caught.value)
    assert SECRET not in str(caught.value)
    assert SECRET not in caplog.text
    assert "incident_number" in str(caught.value)  # the statement itself is still there


def test_a_write_to_a_database_opened_read_only_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "ro.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.Error) as caught:
            conn.execute("INSERT INTO t VALUES (1)")
    finally:
        conn.close()
    error = database_error(caught.value, str(path))
    assert error is not None
    assert error.message == (f"cannot use the database {path}: the file is read-only (its "
                             "permissions, or a read-only disk); make it writable, or open "
                             "a writable copy")


def test_a_bug_stays_a_bug(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "x.sqlite")
    try:
        with pytest.raises(sqlite3.Error) as caught:
            conn.execute("SELECT * FROM no_such_table")
    finally:
        conn.close()
    assert database_error(caught.value) is None
    assert database_error(ValueError("not a database error")) is None
