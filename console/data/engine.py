"""Opening a database: choosing the URL, checking it, connecting with the right settings."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from console import APP_ID
from console.data.location import DatabaseLocation, check_sqlite_file
from console.errors import UserError
from console.private_files import create_private_file

log = logging.getLogger(__name__)

KEYRING_SERVICE = APP_ID
# How long a write waits for another writer (an import, a backup) to finish on SQLite.
BUSY_TIMEOUT_S = 10.0
# Execution option: the connection's transactions only read (SQLite begins them deferred).
READ_ONLY = "console_read_only"


@dataclass(frozen=True)
class Database:
    """An open database: its engine, a session factory and a label for people."""

    engine: Engine
    session_factory: sessionmaker[Session]
    label: str

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        db = self.engine.url.database
        return Path(db) if self.is_sqlite and db and db != ":memory:" else None

    def dispose(self) -> None:
        self.engine.dispose()


def sqlite_url(path: Path) -> URL:
    return URL.create("sqlite+pysqlite", database=str(path))


def keyring_username(url: URL) -> str:
    """The keyring entry name of a server database: user@host:port/database."""
    return f"{url.username}@{url.host}:{url.port or 5432}/{url.database}"


def server_url(text: str) -> URL:
    """Parse a --db-url; refuses a password in it (passwords live in the OS keyring)."""
    try:
        url = make_url(text)
    except ArgumentError:
        raise UserError(f"--db-url {text!r} is not a database URL "
                        "(e.g. postgresql+psycopg://user@host/db)") from None
    if url.password is not None:
        raise UserError(
            "--db-url must not contain a password: store it in the OS keyring with "
            f"`keyring set {KEYRING_SERVICE} {keyring_username(url)}`"
        )
    if url.drivername == "postgresql":  # the driver the `postgres` extra installs
        url = url.set(drivername="postgresql+psycopg")
    return url


def open_location(location: DatabaseLocation, *, create: bool = True) -> Database:
    """Open the database at a location chosen by console.data.location.locate."""
    if location.path is not None:
        return open_database(sqlite_url(location.path), create=create)
    return open_database(server_url(location.url or ""), create=create)


def _password_from_keyring(url: URL) -> URL:
    import keyring
    from keyring.errors import KeyringError

    try:
        password = keyring.get_password(KEYRING_SERVICE, keyring_username(url))
    except KeyringError as exc:
        # The server may not need a password (certificate or peer authentication);
        # if it does, the connection error says so.
        log.warning("no database password from the OS keyring: %s", str(exc).split(".")[0])
        return url
    return url.set(password=password) if password else url


def _configure_sqlite(engine: Engine, busy_timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # pysqlite begins a transaction only at the first INSERT/UPDATE/DELETE, so what a
        # writer read before it (the calls an import matches, the audit trail's head) was
        # read outside its transaction and could be stale by the time it wrote. Here the
        # driver begins nothing and `_on_begin` begins every transaction itself.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A write transaction takes the write lock as it begins (waiting up to the busy
        # timeout), so nothing it reads can change before it writes. A transaction that
        # only reads (READ_ONLY) begins deferred: in WAL mode it never waits for a writer.
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _on_errors(engine: Engine, label: str) -> None:
    """Errors carry the database's label (for the one line people see, db_errors) and no
    row values: hide_parameters keeps the parameters out, and PostgreSQL's DETAIL
    ("Key (incident_number)=(...) already exists", "Failing row contains (...)") is cut."""
    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> BaseException | None:
        error = context.sqlalchemy_exception
        if error is None:
            return None
        replaced = None
        if isinstance(error, DBAPIError) and _cut_detail(context.original_exception):
            replaced = type(error)(context.statement, context.parameters,
                                   context.original_exception, hide_parameters=True,
                                   connection_invalidated=error.connection_invalidated)
            error = replaced
        error.console_database = label  # type: ignore[attr-defined]
        return replaced


def _cut_detail(orig: BaseException) -> bool:
    diag = getattr(orig, "diag", None)  # psycopg's server error fields
    if not getattr(diag, "message_detail", None):
        return False
    orig.args = (f"{getattr(diag, 'message_primary', None) or type(orig).__name__}\n"
                 "DETAIL:  (not shown: it may hold row values)",)
    return True


def reading(engine: Engine) -> Connection:
    """A connection whose transactions only read: on SQLite they never wait for a writer."""
    return engine.connect().execution_options(**{READ_ONLY: True})


def read_session(factory: sessionmaker[Session], **kwargs: Any) -> Session:
    """A session whose transaction only reads (see `reading`); it must not write."""
    session = factory(**kwargs)
    session.connection(execution_options={READ_ONLY: True})
    return session


def _create_database_file(path: Path) -> None:
    try:
        if create_private_file(path):
            log.info("created database file %s (owner-only)", path)
    except OSError:
        pass  # SQLite tries itself and says why it cannot, like for any open


def open_database(url: URL, *, create: bool = True,
                  busy_timeout: float = BUSY_TIMEOUT_S) -> Database:
    """Connect to the database at url, or raise UserError saying why it cannot be opened.

    Statement parameters are kept out of error messages (hide_parameters), so a logged
    traceback never carries a name or an address. On SQLite every write transaction takes
    the write lock as it begins and waits up to busy_timeout seconds for another writer.
    """
    backend = url.get_backend_name()
    if backend == "sqlite":
        path = Path(url.database or "")
        check_sqlite_file(path, create=create)
        if create:
            # SQLite gives -wal and -shm the mode of the database file: owner-only, all three.
            _create_database_file(path)
        engine = create_engine(url, hide_parameters=True)
        _configure_sqlite(engine, busy_timeout)
        label = str(path)
    else:
        if url.password is None and url.username:
            url = _password_from_keyring(url)
        label = url.render_as_string(hide_password=True)
        try:
            engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
        except ImportError:
            raise UserError(
                f"cannot open {label}: its database driver is not installed "
                "(for PostgreSQL: pip install 'coresponse-console[postgres]')"
            ) from None
        except ArgumentError as exc:
            raise UserError(f"cannot use database URL {label}: {exc}") from None
    _on_errors(engine, label)
    try:
        with reading(engine) as conn:
            conn.execute(text("SELECT 1"))
    except DBAPIError as exc:
        engine.dispose()
        log.info("cannot connect to %s", label, exc_info=True)
        if backend == "sqlite":
            from console.data.db_errors import database_error

            mapped = database_error(exc, label)
            if mapped is not None:
                raise mapped from None
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        where = label if backend == "sqlite" else f"server {url.host}:{url.port or 5432}"
        raise UserError(f"cannot open database {where}: {reason}") from None
    factory = sessionmaker(engine, expire_on_commit=False)
    from console.data import audit  # imports the models: only once a database is open

    audit.install(factory)
    return Database(engine=engine, session_factory=factory, label=label)
