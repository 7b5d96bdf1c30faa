"""Accounts: the first supervisor, signing in, lock-out, administration, own password."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path

import pytest
from conftest import access_for
from sqlalchemy import select

from console.data.engine import Database
from console.data.enums import UserRole
from console.data.models import UserAccount
from console.errors import UserError
from console.services import users_service as users
from console.services.access import Access
from console.services.users_service import SignInRefused

PASSWORD = "correct horse battery"


@pytest.fixture
def boss(any_db: Database, tmp_path: Path) -> Access:
    """The first supervisor of a new database, on SQLite and on PostgreSQL."""
    access = access_for(any_db, tmp_path)
    actor = users.create_first_supervisor(any_db.session_factory, access.vault, "Sgt.Rivera",
                                          "Sgt. Dana Rivera", PASSWORD)
    return access.as_actor(actor)


def test_first_supervisor_then_no_second_first(boss: Access, any_db: Database) -> None:
    assert boss.actor.username == "sgt.rivera" and boss.actor.role is UserRole.SUPERVISOR
    assert users.has_users(any_db.session_factory)
    with pytest.raises(UserError, match="already has users"):
        users.create_first_supervisor(any_db.session_factory, boss.vault, "mallory",
                                      "Mallory", "another long password")


def test_passwords_are_argon2_hashes(boss: Access, any_db: Database) -> None:
    with any_db.session_factory() as s:
        stored = s.scalar(select(UserAccount.password_hash))
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored


def test_sign_in_with_the_right_password(boss: Access, any_db: Database) -> None:
    actor = users.sign_in(any_db.session_factory, boss.vault, " SGT.Rivera ", PASSWORD)
    assert actor.username == "sgt.rivera" and actor.display_name == "Sgt. Dana Rivera"
    assert users.list_users(boss)[0].last_login_at is not None


def test_wrong_password_and_unknown_user_read_the_same(boss: Access, any_db: Database) -> None:
    with pytest.raises(SignInRefused) as wrong:
        users.sign_in(any_db.session_factory, boss.vault, "sgt.rivera", "not it at all")
    with pytest.raises(SignInRefused) as unknown:
        users.sign_in(any_db.session_factory, boss.vault, "nobody", "not it at all")
    assert wrong.value.message == unknown.value.message == "wrong user name or password"


def _refusal(db: Database, vault: object, username: str, password: str,
             now: dt.datetime | None = None) -> str:
    with pytest.raises(SignInRefused) as refused:
        users.sign_in(db.session_factory, vault, username, password, now=now)  # type: ignore[arg-type]
    return refused.value.message


def test_sign_in_never_tells_which_accounts_exist(boss: Access, any_db: Database) -> None:
    """Unknown, wrong password, locked, disabled: one message until the password is right."""
    users.add_user(boss, "robert", "Robert Analyst", UserRole.ANALYST, "first password 1")
    users.add_user(boss, "kim", "Kim Responder", UserRole.RESPONDER, "first password 2")
    users.set_active(boss, "kim", False)
    now = dt.datetime(2026, 11, 27, 9, 0)
    said = {_refusal(any_db, boss.vault, "nobody", "guess", now)}
    for _ in range(users.MAX_FAILED_SIGN_INS + 2):  # the 5th failure locks robert
        said.add(_refusal(any_db, boss.vault, "robert", "guess", now))
    said.add(_refusal(any_db, boss.vault, "kim", "guess", now))
    said.add(_refusal(any_db, boss.vault, "nobody", "guess", now))
    assert said == {"wrong user name or password"}
    # Only the right password may learn the account's state.
    assert "locked" in _refusal(any_db, boss.vault, "robert", "first password 1", now)
    assert "disabled" in _refusal(any_db, boss.vault, "kim", "first password 2", now)


def test_an_unknown_name_costs_a_password_check(boss: Access, any_db: Database) -> None:
    """The refusal of an unknown name takes about as long as a wrong password's."""
    def slowest_of_fastest(username: str) -> float:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            _refusal(any_db, boss.vault, username, "guess")
            times.append(time.perf_counter() - started)
        return min(times)

    users.add_user(boss, "robert", "Robert Analyst", UserRole.ANALYST, "first password 1")
    known, unknown = slowest_of_fastest("robert"), slowest_of_fastest("nobody")
    assert unknown > 0.5 * known


def test_a_successful_sign_in_resets_the_failure_count(boss: Access, any_db: Database) -> None:
    now = dt.datetime(2026, 11, 27, 9, 0)
    for _ in range(2):  # twice 4 failures with a good sign-in between: never locked
        for _ in range(users.MAX_FAILED_SIGN_INS - 1):
            _refusal(any_db, boss.vault, "sgt.rivera", "guess", now)
        with any_db.session_factory() as s:
            assert s.scalar(select(UserAccount.failed_logins)) == users.MAX_FAILED_SIGN_INS - 1
        users.sign_in(any_db.session_factory, boss.vault, "sgt.rivera", PASSWORD, now=now)
        with any_db.session_factory() as s:
            assert s.scalar(select(UserAccount.failed_logins)) == 0


def test_lock_out_after_repeated_failures_then_release(boss: Access, any_db: Database) -> None:
    now = dt.datetime(2026, 11, 27, 9, 0)
    for _ in range(users.MAX_FAILED_SIGN_INS - 1):
        with pytest.raises(SignInRefused, match="wrong user name or password"):
            users.sign_in(any_db.session_factory, boss.vault, "sgt.rivera", "guess", now=now)
    with pytest.raises(SignInRefused, match="wrong user name or password"):
        users.sign_in(any_db.session_factory, boss.vault, "sgt.rivera", "guess", now=now)
    # Locked: even the right password is refused until the time passes (and only it is told).
    with pytest.raises(SignInRefused, match="locked .* until 09:15"):
        users.sign_in(any_db.session_factory, boss.vault, "sgt.rivera", PASSWORD,
                      now=now + dt.timedelta(minutes=5))
    later = now + users.LOCKOUT + dt.timedelta(seconds=1)
    assert users.sign_in(any_db.session_factory, boss.vault, "sgt.rivera", PASSWORD,
                         now=later).username == "sgt.rivera"


def test_a_supervisor_reset_lifts_the_lock_and_forces_a_new_password(
        boss: Access, any_db: Database) -> None:
    users.add_user(boss, "lee", "Lee Analyst", UserRole.ANALYST, "first password 1")
    now = dt.datetime(2026, 11, 27, 9, 0)
    for _ in range(users.MAX_FAILED_SIGN_INS):
        with pytest.raises(SignInRefused):
            users.sign_in(any_db.session_factory, boss.vault, "lee", "guess", now=now)
    users.reset_password(boss, "lee", "reset password 22")
    lee = users.sign_in(any_db.session_factory, boss.vault, "lee", "reset password 22", now=now)
    assert lee.must_change_password and lee.role is UserRole.ANALYST
    mine = boss.as_actor(lee)
    with pytest.raises(UserError, match="current password is wrong"):
        users.change_own_password(mine, "not the current one", "my own password 333")
    users.change_own_password(mine, "reset password 22", "my own password 333")
    again = users.sign_in(any_db.session_factory, boss.vault, "lee", "my own password 333")
    assert not again.must_change_password


def test_disabled_accounts_cannot_sign_in_and_the_last_supervisor_stays(
        boss: Access, any_db: Database) -> None:
    users.add_user(boss, "lee", "Lee Analyst", UserRole.ANALYST, "first password 1")
    users.set_active(boss, "lee", False)
    with pytest.raises(SignInRefused, match="disabled"):
        users.sign_in(any_db.session_factory, boss.vault, "lee", "first password 1")
    with pytest.raises(UserError, match="only active supervisor"):
        users.set_active(boss, "sgt.rivera", False)
    assert [u.active for u in users.list_users(boss)] == [False, True]


@pytest.mark.parametrize(("username", "password", "reason"), [
    ("x", "long enough password", "user name"),
    ("has space", "long enough password", "user name"),
    ("ok.name", "short", "too short"),
])
def test_bad_accounts_are_refused_with_a_reason(boss: Access, username: str, password: str,
                                                reason: str) -> None:
    with pytest.raises(UserError, match=reason):
        users.add_user(boss, username, "Someone", UserRole.RESPONDER, password)
    assert len(users.list_users(boss)) == 1


def test_duplicate_user_refused(boss: Access) -> None:
    users.add_user(boss, "lee", "Lee", UserRole.ANALYST, "first password 1")
    with pytest.raises(UserError, match="already exists"):
        users.add_user(boss, "LEE", "Lee again", UserRole.ANALYST, "first password 1")


def test_cli_users_add_list_disable(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import io

    from console.__main__ import main

    path = tmp_path / "demo.sqlite"
    assert main(["--db", str(path), "demo", "--years", "1", "--calls", "300"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password 9\n"))
    assert main(["--db", str(path), "users", "add", "kim", "--name", "Kim Responder",
                 "--role", "responder"]) == 0
    assert main(["--db", str(path), "users", "disable", "kim"]) == 0
    capsys.readouterr()
    assert main(["--db", str(path), "users", "list"]) == 0
    out = capsys.readouterr().out
    assert "kim" in out and "responder" in out and "disabled" in out and "demo" in out
    assert main(["--db", str(path), "users", "disable", "nobody"]) == 2
    assert "no user 'nobody'" in capsys.readouterr().err


@pytest.mark.parametrize(("display_name", "reason"), [
    ("x" * 10_000, "10,000 characters; at most 200"),
    ("Lee\nanalyst     2026-01-01 forged line", "control character U+000A"),
    ("Lee \x1b[2J Analyst", "control character U+001B"),
    ("Lee \u202eAnalyst", "control character U+202E"),
    ("   ", "give the person's full name"),
])
def test_bad_display_names_are_refused_and_change_nothing(
        boss: Access, any_db: Database, display_name: str, reason: str) -> None:
    with pytest.raises(UserError, match=re.escape(reason)) as refused:
        users.add_user(boss, "lee", display_name, UserRole.ANALYST, "first password 1")
    assert "\n" not in refused.value.message and len(refused.value.message) < 200
    assert len(users.list_users(boss)) == 1
    with pytest.raises(UserError, match=re.escape(reason)):
        users.create_first_supervisor(any_db.session_factory, boss.vault, "other",
                                      display_name, "first password 1")


@pytest.mark.parametrize("username", ["lee\nroot", "lee\x1b[2J", "l" * 10_000, "lée"])
def test_bad_user_names_are_refused_in_one_short_line(boss: Access, username: str) -> None:
    with pytest.raises(UserError, match="user name") as refused:
        users.add_user(boss, username, "Lee Analyst", UserRole.ANALYST, "first password 1")
    message = refused.value.message
    assert "\n" not in message and "\x1b" not in message and len(message) < 200
    assert len(users.list_users(boss)) == 1


def _raw_user(path: Path, username: str, display_name: str) -> None:
    """A row written around the service, as someone with the database file could."""
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO user_account (username, display_name, role, password_hash, active,"
            " failed_logins, must_change_password, created_at, version)"
            " VALUES (?, ?, 'analyst', 'x', 1, 0, 0, '2026-01-01 00:00:00', 1)",
            (username, display_name))
        conn.execute("UPDATE audit_entry SET actor = ? WHERE seq = 1",
                     ("os:eve\n{\"seq\": 999}\x1b[2J\x7f",))
    conn.close()


def test_cli_lists_escape_what_the_database_holds(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from console.__main__ import main

    path = tmp_path / "demo.sqlite"
    assert main(["--db", str(path), "demo", "--years", "1", "--calls", "300"]) == 0
    _raw_user(path, "eve\nroot", "Eve\x1b[31m\nroot        supervisor  active\u202e\x7f")
    capsys.readouterr()
    assert main(["--db", str(path), "users", "list"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 2  # demo and eve, one line each
    assert not any(c in out for c in "\x1b\x7f\u202e")
    assert "eve\\nroot" in out and "Eve\\x1b[31m\\nroot" in out
    assert main(["--db", str(path), "audit", "list", "--limit", "1000"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(json.loads(line)["seq"] for line in lines)
    assert not any(c in "".join(lines) for c in "\x1b\x7f\u202e")
