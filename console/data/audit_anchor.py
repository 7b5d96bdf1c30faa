"""The audit trail's head anchored outside the database, beside the data key.

The chain's HMAC shows an entry was edited, but whoever can write to the database can
delete the newest entries and move `audit_head` back: what is left is a valid, shorter
chain. So each workstation keeps the newest entry it has seen committed (number and
hash) where it keeps the data key, advanced after every commit that appended entries,
and `audit verify` and sign-in report a trail that ends before it. It proves only that
nothing this workstation saw was removed (README, "Who may see what").
"""

from __future__ import annotations

import logging
import threading
import weakref
from typing import Protocol, runtime_checkable

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from console.data import audit
from console.data.engine import Database
from console.errors import UserError

log = logging.getLogger(__name__)

_CONNECTION = "audit_anchor.connection"


@runtime_checkable
class AnchorStore(Protocol):
    """A key store that can also keep the anchor (console.data.keystore)."""

    @property
    def label(self) -> str: ...

    def load_anchor(self, database_uuid: str) -> tuple[int, str] | None: ...

    def save_anchor(self, database_uuid: str, anchor: tuple[int, str]) -> None: ...


class HeadAnchor:
    """The newest entry this workstation has seen committed in one database's trail."""

    def __init__(self, store: AnchorStore, database_uuid: str) -> None:
        self.store, self.database_uuid = store, database_uuid
        self._lock = threading.Lock()

    def seen(self) -> audit.Head | None:
        anchor = self.store.load_anchor(self.database_uuid)
        return None if anchor is None else audit.Head(*anchor)

    def advance(self, head: tuple[int, str]) -> None:
        """Move the anchor forward to head (never back: another process may be ahead)."""
        with self._lock:
            seen = self.seen()
            if head[0] >= 1 and (seen is None or head[0] > seen.seq):
                self.store.save_anchor(self.database_uuid, (head[0], head[1]))

    def advance_quietly(self, head: tuple[int, str]) -> None:
        """After a commit: the data is saved, so a keyring failure is logged, not raised."""
        try:
            self.advance(head)
        except UserError as exc:
            log.warning("audit anchor of database %s not advanced to entry %d: %s",
                        self.database_uuid, head[0], exc.message)

    def reset(self, head: tuple[int, str]) -> None:
        """Anchor at head even if it is older: after this workstation restored a backup."""
        with self._lock:
            self.store.save_anchor(self.database_uuid, (head[0], head[1]))


_keepers: weakref.WeakKeyDictionary[Engine, HeadAnchor] = weakref.WeakKeyDictionary()
# The factories already listened to. Not event.contains(): SQLAlchemy keys its registry by
# id(), and a new factory at the address of a collected one was taken for it (its commits
# then never moved the anchor).
_listened: weakref.WeakSet[sessionmaker[Session]] = weakref.WeakSet()


def attach(db: Database, store: object, database_uuid: str) -> HeadAnchor | None:
    """Anchor the trail of db in store from now on (unlock calls this); None when the
    store cannot keep an anchor."""
    keeper = HeadAnchor(store, database_uuid) if isinstance(store, AnchorStore) else None
    if keeper is None:
        _keepers.pop(db.engine, None)
    else:
        _keepers[db.engine] = keeper
    factory = db.session_factory
    if factory not in _listened:
        _listened.add(factory)
        event.listen(factory, "after_begin", _after_begin)
        event.listen(factory, "after_commit", _after_commit)
        event.listen(factory, "after_soft_rollback", _after_soft_rollback)
    return keeper


def keeper_for(factory: sessionmaker[Session]) -> HeadAnchor | None:
    bind = factory.kw.get("bind")
    return _keepers.get(bind) if isinstance(bind, Engine) else None


def rebase(db: Database, database_uuid: str, head: tuple[int, str], store: object) -> None:
    """After a restore here the trail went back to the backup's on purpose: anchor there.

    Uses the anchor db was unlocked with when it is this database's, else store's.
    """
    keeper = _keepers.get(db.engine)
    if keeper is None or keeper.database_uuid != database_uuid:
        keeper = HeadAnchor(store, database_uuid) if isinstance(store, AnchorStore) else None
    if keeper is None:
        return
    try:
        keeper.reset(head)
    except UserError as exc:  # the restore is done; only the anchor lags
        log.warning("audit anchor of database %s not moved to the restored entry %d: %s",
                    database_uuid, head[0], exc.message)


def _after_begin(session: Session, _transaction: SessionTransaction,
                 connection: object) -> None:
    session.info[_CONNECTION] = connection


def _after_commit(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a savepoint released: nothing is committed yet
    connection = session.info.pop(_CONNECTION, None)
    head = audit.take_pending(connection) if connection is not None else None
    if head is None:
        return
    bind = session.get_bind()
    keeper = _keepers.get(bind) if isinstance(bind, Engine) else None
    if keeper is not None:
        keeper.advance_quietly(head)


def _after_soft_rollback(session: Session, _previous: SessionTransaction) -> None:
    # Also a savepoint's: what it appended is gone, so the commit anchors nothing (the
    # anchor lags behind until the next commit, which is safe; running ahead is not).
    connection = session.info.pop(_CONNECTION, None)
    if connection is not None:
        audit.take_pending(connection)
