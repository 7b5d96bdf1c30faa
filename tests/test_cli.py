"""The command line: subcommands, database choice and one-line errors."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from sqlalchemy import insert, text

from console.__main__ import main
from console.data import migrate
from console.data.engine import open_database, sqlite_url
from console.data.identity import read_identity
from console.data.models import Program
from console.paths import demo_database_path

ROOT = Path(__file__).resolve().parent.parent


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_migrate_creates_and_then_reports_current(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "new.sqlite"
    code, out, _ = run(capsys, "--db", str(path), "migrate")
    assert code == 0 and "upgraded from empty" in out
    code, out, _ = run(capsys, "--db", str(path), "migrate")
    assert code == 0 and "already at schema" in out


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """A workstation without an OS keyring (CI starts a real one; this hides it)."""
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_stats_on_empty_database(capsys: pytest.CaptureFixture[str]) -> None:
    """--demo: a new demo database keeps its key beside it, so no keyring is needed."""
    code, out, _ = run(capsys, "--demo", "stats")
    stats = json.loads(out)
    assert code == 0
    assert demo_database_path().exists()
    assert stats["tables"]["call"] == 0
    assert stats["calls"] == {"count": 0, "first_received": None, "last_received": None}


def test_demo_then_stats(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "x.sqlite"
    code, out, _ = run(capsys, "--db", str(path), "demo", "--years", "1", "--seed", "3")
    assert code == 0 and "demo program written" in out
    code, out, _ = run(capsys, "--db", str(path), "stats")
    stats = json.loads(out)
    assert 4_000 <= stats["calls"]["count"] <= 11_000
    assert stats["tables"]["staff_member"] > 0
    assert stats["calls"]["first_received"] < stats["calls"]["last_received"]
    # A second demo into the same database is refused and writes nothing.
    code, _, err = run(capsys, "--db", str(path), "demo", "--years", "1")
    assert code == 2 and err.count("\n") == 1
    code, out, _ = run(capsys, "--db", str(path), "stats")
    assert json.loads(out)["calls"]["count"] == stats["calls"]["count"]


def test_stats_on_a_new_database_without_a_keyring_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_keyring: None
) -> None:
    """A database that is not a demo keeps its key only in the OS keyring."""
    path = tmp_path / "real.sqlite"
    for _ in range(2):  # nothing was written that names a key the keyring never kept
        code, out, err = run(capsys, "--db", str(path), "stats")
        assert code == 2 and out == ""
        last = err.strip().splitlines()[-1]
        assert last.startswith("coresponse-console: no OS keyring is available to hold the "
                               "encryption key")
        assert "Traceback" not in err
    db = open_database(sqlite_url(path), create=False)
    try:
        assert read_identity(db) is None
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--db", "/no/such/folder/x.sqlite", "stats"], "folder /no/such/folder does not exist"),
        (["--db-url", "postgresql://u:pw@localhost/db", "stats"], "must not contain a password"),
        (["--db-url", "postgresql+psycopg://u@127.0.0.1:9/db", "stats"], "cannot open database"),
        (["--db-url", "not a url", "stats"], "is not a database URL"),
        (["--db-url", "mysql+pymysql://u@127.0.0.1/db", "stats"], "driver is not installed"),
        (["--db", "{tmp}/x.sqlite", "demo", "--years", "0"], "--years 0"),
    ],
)
def test_errors_are_one_line_without_traceback(tmp_path: Path, capsys, args, expected) -> None:  # type: ignore[no-untyped-def]
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code, _, err = run(capsys, *args)
    assert code == 2
    assert expected in err
    assert "Traceback" not in err
    assert err.strip().count("\n") == 0 or all(
        line.startswith("warning:") for line in err.strip().splitlines()[:-1]
    )


def test_newer_schema_is_a_one_line_error(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "future.sqlite"
    db = open_database(sqlite_url(path))
    migrate.upgrade(db)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00d_future'"))
    db.dispose()
    code, _, err = run(capsys, "--db", str(path), "stats")
    assert code == 2 and "newer than this program knows" in err and "Traceback" not in err


def test_main_py_runs_as_a_process(tmp_path: Path) -> None:
    proc = subprocess.run(  # --demo: the demo database in the test's own data folder
        [sys.executable, str(ROOT / "main.py"), "--demo", "stats"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["schema"] == migrate.HEAD_REVISION
    bad = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(tmp_path), "stats"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert bad.returncode == 2
    assert bad.stderr.strip() == f"coresponse-console: cannot open database {tmp_path}: " \
                                 "it is a folder, not a file"


def test_gui_process_paints_then_opens_its_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The window paints first, then attaches to the opened database ("ready") once
    someone has signed in: on a demo database, its demo supervisor, without asking."""
    path = tmp_path / "g.sqlite"
    code, _, _ = run(capsys, "--db", str(path), "demo", "--years", "1")
    assert code == 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(path), "--exit-after-paint"],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["painted", "ready"]


def test_demo_refuses_a_database_that_holds_real_data_before_making_any_key(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An older database with a program but no key yet must not become a demo."""
    path = tmp_path / "real.sqlite"
    db = open_database(sqlite_url(path))
    migrate.upgrade(db)
    with db.engine.begin() as conn:
        conn.execute(insert(Program).values(name="Real unit", jurisdiction="City",
                                            started_on=dt.date(2020, 1, 1)))
    db.dispose()
    assert main(["--db", str(path), "demo", "--years", "1"]) == 2
    assert "holds real data" in capsys.readouterr().err
    assert not (tmp_path / "real.sqlite.demo-key").exists()
