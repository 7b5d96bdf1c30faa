"""Shared fixtures: real SQLite files in temporary folders, the offscreen Qt platform."""

from __future__ import annotations

import datetime as dt
import os
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import pytest
from sqlalchemy import Connection, insert

# Before any Qt import: tests never need a screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from console.data import migrate  # noqa: E402
from console.data.engine import Database, open_database, sqlite_url  # noqa: E402
from console.data.enums import AgencyKind, UserRole  # noqa: E402
from console.data.identity import unlock  # noqa: E402
from console.data.keystore import DemoKeyFile  # noqa: E402
from console.data.models import Agency, Program  # noqa: E402
from console.services.access import Access, Actor  # noqa: E402

# The session runs on a private Secret Service keyring (`private_keyring`), never the
# user's; the key tests ask for it as `secret_service` (they skip without gnome-keyring).
pytest_plugins = ["secret_service"]

DEMO_END = dt.date(2026, 6, 30)
GUI_MODULE_PREFIXES = ("test_gui", "test_calls_table_model", "test_views")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that touches the Qt application as `gui` (`-m "not gui"` skips them)."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        module = item.path.stem  # a test function's module file
        if "qtbot" in fixtures or "qapp" in fixtures or "qtmodeltester" in fixtures or \
                module.startswith(GUI_MODULE_PREFIXES):
            item.add_marker(pytest.mark.gui)


# --- A bug in the GUI fails the test -----------------------------------------------------
# The console shows a bug (an exception on the GUI thread, or in a background task) in a
# modal crash dialog (console/views/crash.py). Offscreen, nobody closes it: the suite would
# hang. In tests the dialog records the bug instead, and the test fails with its traceback.
# (pytest-qt fails a test on an exception in a slot too, until the console's own
# sys.excepthook replaces pytest-qt's.)
GUI_BUGS = pytest.StashKey[list[str]]()


@pytest.fixture(autouse=True)
def _gui_bugs_fail_the_test(request: pytest.FixtureRequest,
                            monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if request.node.get_closest_marker("gui") is None and "console.views.crash" not in sys.modules:
        yield  # no Qt here: the dialog needs a QApplication and returns at once without one
        return
    from console.views import crash

    bugs: list[str] = []

    def record_bug(exc_type: type[BaseException], exc: BaseException,
                   tb: TracebackType | None) -> None:
        crash.log.error("unexpected error", exc_info=(exc_type, exc, tb))
        bugs.append("".join(traceback.format_exception(exc_type, exc, tb)))

    monkeypatch.setattr(crash, "show_crash_dialog", record_bug)
    request.node.stash[GUI_BUGS] = bugs
    yield
    if bugs:  # after the test's own outcome (pytest_runtest_call), e.g. at teardown
        pytest.fail(_bug_report(bugs), pytrace=False)


def _bug_report(bugs: list[str]) -> str:
    text = "\n".join(bugs)
    bugs.clear()
    return f"the console would have shown its crash dialog (a bug):\n{text}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """A bug recorded while the test ran fails the test itself (not only its teardown)."""
    result = yield
    bugs = item.stash.get(GUI_BUGS, None)
    if bugs:
        pytest.fail(_bug_report(bugs), pytrace=False)
    return result


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory: pytest.TempPathFactory,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the user's real data folder (default database, logs) out of every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A new, migrated, empty SQLite database."""
    database = open_database(sqlite_url(tmp_path / "test.sqlite"))
    migrate.upgrade(database)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo program (seed 7, ending DEMO_END) written once for the whole session.

    Tests that use it must only read it.
    """
    from console.services.demo import generate_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    database = open_database(sqlite_url(path))
    migrate.upgrade(database)
    vault = unlock(database, create_demo=True).vault
    generate_demo(Access(database.session_factory, Actor.system("demo"), vault),
                  seed=7, end=DEMO_END)
    database.dispose()
    return path


@pytest.fixture
def demo_db(demo_db_path: Path) -> Iterator[Database]:
    database = open_database(sqlite_url(demo_db_path), create=False)
    yield database
    database.dispose()


def seed_program(conn: Connection) -> None:
    """Program 1 with its lead agency 1: the parents most test rows need (Core, unaudited)."""
    conn.execute(insert(Program).values(id=1, name="Metro", jurisdiction="Metro",
                                        started_on=dt.date(2023, 1, 1)))
    conn.execute(insert(Agency).values(id=1, program_id=1, name="Metro PD",
                                       kind=AgencyKind.POLICE, is_lead=True))


def program_database(path: Path) -> Path:
    """A migrated SQLite file with program 1 and its agency, its key in a file beside it
    (demo), so the command line and child processes open it without a keyring."""
    database = open_database(sqlite_url(path))
    try:
        migrate.upgrade(database)
        unlock(database, create_demo=True)
        with database.engine.begin() as conn:
            seed_program(conn)
    finally:
        database.dispose()
    return path


# --- Real public data ------------------------------------------------------------------
# The public Seattle CAD sample lies beside the checkout (../shared/data/real), never
# copied into the repository, and is looked for there only: the project names no
# machine's folders. Tests that read it skip with this reason where it is absent.
_SEATTLE_CSV = (Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
                / "seattle-cad-sample.csv")
SEATTLE_SAMPLE: Path | None = _SEATTLE_CSV if _SEATTLE_CSV.exists() else None
NO_SEATTLE_SAMPLE = ("the public Seattle CAD sample is not here: it is read from "
                     "../shared/data/real/seattle-cad-sample.csv beside the checkout")


# --- Acting on a database: a real data key, a supervisor --------------------------------
SUPERVISOR = Actor("sgt.rivera", UserRole.SUPERVISOR, "Sgt. Dana Rivera")


def access_for(database: Database, key_folder: Path, actor: Actor = SUPERVISOR) -> Access:
    """Unlock a database with its key kept in a file under key_folder (a real key and Vault;
    only where the key is kept differs from a workstation, which uses the OS keyring)."""
    store = DemoKeyFile(key_folder / "test-key")
    return Access(database.session_factory, actor, unlock(database, store=store).vault)


def program_access_for(database: Database, key_folder: Path) -> Access:
    """access_for on a database given program 1 and its lead agency 1 (seed_program)."""
    with database.engine.begin() as conn:
        seed_program(conn)
    return access_for(database, key_folder)


@pytest.fixture
def access(db: Database, tmp_path: Path) -> Access:
    """A supervisor acting on the `db` fixture's new SQLite database."""
    return access_for(db, tmp_path)


@pytest.fixture
def demo_access(demo_db: Database) -> Access:
    """A supervisor reading the session's demo program (its key lies beside it: demo)."""
    return Access(demo_db.session_factory, SUPERVISOR, unlock(demo_db).vault)


# --- PostgreSQL ------------------------------------------------------------------------
# The same data tests on a PostgreSQL server: give one with --pg-url or the environment
# variable CONSOLE_TEST_PG_URL (.ci/run starts a throwaway cluster and sets it). Its role
# must be allowed to CREATE DATABASE: every test gets a fresh database, dropped after it.
# Without a server, the PostgreSQL tests are skipped with a reason, never faked.

import uuid  # noqa: E402
from contextlib import contextmanager  # noqa: E402

from sqlalchemy import Engine, create_engine, text  # noqa: E402
from sqlalchemy.engine import URL, make_url  # noqa: E402

PG_URL_ENV = "CONSOLE_TEST_PG_URL"
NO_PG_REASON = "no PostgreSQL server given: set CONSOLE_TEST_PG_URL (the CI script starts one)"
PG_FIXTURES = ("pg_admin_url", "pg_db", "pg_empty_db")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--pg-url", default=os.environ.get(PG_URL_ENV) or None, metavar="URL",
        help=f"PostgreSQL server for the `postgres` tests, e.g. "
             f"postgresql+psycopg://console_test@127.0.0.1:54329/console_test "
             f"(default: ${PG_URL_ENV}); its role needs CREATEDB",
    )


class _PostgresMarker:
    """Marks every test that uses a PostgreSQL fixture `postgres` (`-m "not postgres"`)."""

    @pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            if any(name in PG_FIXTURES for name in getattr(item, "fixturenames", ())):
                item.add_marker(pytest.mark.postgres)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "postgres: runs on the PostgreSQL server of --pg-url / $CONSOLE_TEST_PG_URL "
                   "(skipped without one)")
    config.pluginmanager.register(_PostgresMarker(), "console-postgres-marker")


@pytest.fixture(scope="session")
def pg_admin_url(pytestconfig: pytest.Config) -> URL:
    """The URL of the test server's maintenance database (skips the test without one)."""
    given = pytestconfig.getoption("pg_url")
    if not given:
        pytest.skip(NO_PG_REASON)
    url = make_url(given)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url


@pytest.fixture(scope="session")
def _pg_admin_engine(pg_admin_url: URL) -> Iterator[Engine]:
    engine = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@contextmanager
def fresh_pg_database(admin: Engine, *, migrated: bool = True) -> Iterator[Database]:
    """CREATE a uniquely named database, open it (migrated or empty), DROP it afterwards."""
    name = f"console_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        database = open_database(admin.url.set(database=name))
        try:
            if migrated:
                migrate.upgrade(database)
            yield database
        finally:
            database.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def database_on(backend: str, request: pytest.FixtureRequest,
                folder: Path) -> Iterator[Database]:
    """A new, migrated, empty database on "sqlite" (a file in folder) or "postgresql".

    For module-scoped fixtures that build their data once per backend; without a server
    the PostgreSQL one skips with NO_PG_REASON like pg_db.
    """
    if backend == "sqlite":
        database = open_database(sqlite_url(folder / "console.sqlite"))
        try:
            migrate.upgrade(database)
            yield database
        finally:
            database.dispose()
    else:
        admin: Engine = request.getfixturevalue("_pg_admin_engine")
        with fresh_pg_database(admin) as database:
            yield database


@pytest.fixture
def pg_db(_pg_admin_engine: Engine) -> Iterator[Database]:
    """A new, migrated, empty PostgreSQL database of its own, dropped after the test."""
    with fresh_pg_database(_pg_admin_engine, migrated=True) as database:
        yield database


@pytest.fixture
def pg_empty_db(_pg_admin_engine: Engine) -> Iterator[Database]:
    """A new PostgreSQL database without any schema (not migrated), dropped after the test."""
    with fresh_pg_database(_pg_admin_engine, migrated=False) as database:
        yield database


@pytest.fixture
def sqlite_empty_db(tmp_path: Path) -> Iterator[Database]:
    """A new SQLite database file without any schema (not migrated)."""
    database = open_database(sqlite_url(tmp_path / "empty.sqlite"))
    yield database
    database.dispose()


# Parametrize module-scoped fixtures with these (and ids=BACKEND_IDS), then database_on().
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
BACKEND_IDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS, ids=BACKEND_IDS)
def any_db(request: pytest.FixtureRequest) -> Database:
    """A new, migrated, empty database on each backend: a test written once runs on both."""
    return request.getfixturevalue("db" if request.param == "sqlite" else "pg_db")


@pytest.fixture(params=BACKENDS, ids=BACKEND_IDS)
def any_empty_db(request: pytest.FixtureRequest) -> Database:
    """A new database without any schema on each backend (for migration tests)."""
    return request.getfixturevalue(
        "sqlite_empty_db" if request.param == "sqlite" else "pg_empty_db")


# --- end of PostgreSQL -----------------------------------------------------------------
