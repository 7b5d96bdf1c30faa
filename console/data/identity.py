"""Which data key a database uses, where that key is kept, and opening the Vault with it.

A real database's key lives only in the OS keyring (under the database's UUID), never
in a file beside it. A demo database, which holds fictional people only, keeps its key
in a file beside itself so the demo runs on a machine without a keyring; everywhere it
shows, it says demo.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import insert, select, text

from console.data import audit, audit_anchor
from console.data.crypto import Vault
from console.data.engine import Database, read_session
from console.data.keystore import DemoKeyFile, KeyStore, OsKeyring
from console.data.models import DatabaseIdentity
from console.errors import UserError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Identity:
    database_uuid: str
    demo: bool
    key_label: str  # where the key is kept, for people


@dataclass(frozen=True)
class Unlocked:
    vault: Vault
    identity: Identity


def read_identity(db: Database) -> DatabaseIdentity | None:
    with read_session(db.session_factory) as session:
        row = session.get(DatabaseIdentity, 1)
        if row is not None:
            session.expunge(row)
        return row


def key_store(db: Database, *, demo: bool) -> KeyStore:
    """The demo key file for a demo SQLite database; the OS keyring for everything else."""
    if demo and db.sqlite_path is not None:
        return DemoKeyFile(db.sqlite_path)
    return OsKeyring()


def unlock(db: Database, *, create_demo: bool = False, store: KeyStore | None = None) -> Unlocked:
    """Open the Vault of a database, creating its key the first time.

    create_demo: a database without a key yet becomes a demo database (key beside it).
    Raises UserError when the key is missing here or does not fit.
    """
    row = read_identity(db)
    if row is None:
        return _create(db, demo=create_demo, store=store)
    store = store or key_store(db, demo=row.demo)
    key = store.load(row.database_uuid)
    if key is None:
        raise UserError(
            f"the encryption key of {db.label} (database {row.database_uuid}) is not in "
            f"{store.label}: on the workstation that has it, run `coresponse-console key "
            "export FILE`, then `coresponse-console key import FILE` here"
        )
    vault = Vault(key)
    if vault.fingerprint != row.key_fingerprint:
        raise UserError(
            f"the key found in {store.label} does not open {db.label} "
            f"(database {row.database_uuid}): import the key exported from this database"
        )
    audit_anchor.attach(db, store, row.database_uuid)
    return Unlocked(vault, Identity(row.database_uuid, row.demo, store.label))


def _create(db: Database, *, demo: bool, store: KeyStore | None) -> Unlocked:
    database_uuid = str(uuid.uuid4())
    key = Vault.new_key()
    kept_in = store or key_store(db, demo=demo)
    vault = Vault(key)
    kept = made_elsewhere = False
    try:
        # Under the write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: a table lock), so of
        # two first opens at once only one makes a key; the other uses the winner's key.
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("LOCK TABLE database_identity IN SHARE ROW EXCLUSIVE MODE"))
            made_elsewhere = conn.execute(select(DatabaseIdentity.id)).first() is not None
            if not made_elsewhere:
                conn.execute(insert(DatabaseIdentity).values(
                    id=1, database_uuid=database_uuid, key_fingerprint=vault.fingerprint,
                    demo=demo, created_at=dt.datetime.now().replace(microsecond=0),
                ))
                head = audit.record_event(conn, vault, "system:setup", "database_identity",
                                          "1", {"database_uuid": database_uuid, "demo": demo,
                                                "key_kept_in": kept_in.label})
                # The key is kept before the row commits: a row naming a key that was never
                # kept would lock the data away for good. Kept last, just before the commit.
                kept_in.save(database_uuid, key)
                kept = True
    except BaseException:
        if kept:  # the commit failed after the key was kept: leave no orphaned key
            _forget_quietly(kept_in, database_uuid)
        raise
    if made_elsewhere:
        log.info("%s got its data key from another console opening it at the same time",
                 db.label)
        return unlock(db, store=store)
    keeper = audit_anchor.attach(db, kept_in, database_uuid)
    if keeper is not None:
        keeper.advance_quietly(head)
    log.info("new data key for %s kept in %s", db.label, kept_in.label)
    return Unlocked(vault, Identity(database_uuid, demo, kept_in.label))


def _forget_quietly(store: KeyStore, database_uuid: str) -> None:
    try:
        store.forget(database_uuid)
    except UserError:
        log.warning("the unused data key of database %s stays in %s", database_uuid,
                    store.label, exc_info=True)
