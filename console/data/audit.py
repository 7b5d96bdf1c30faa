"""The audit trail: every ORM insert, update and delete, hash-chained, in the same transaction.

A listener on the session factory turns each flush into audit entries before the
transaction commits, so a change and its record commit or roll back together. Sessions
say who is acting through `session.info["actor"]` and carry the data key's Vault in
`session.info["vault"]` (services.access sets both); a flush that changes rows without
them is refused rather than left unaudited.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
import threading
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from sqlalchemy import Connection, event, insert, inspect, select, update
from sqlalchemy.orm import InstanceState, Session, sessionmaker

from console.data.enums import AuditAction
from console.data.models import AuditEntry, AuditHead

GENESIS_HASH = "0" * 64
REDACTED = "(redacted)"
# Bookkeeping that every update changes; the version is recorded on its own entry anyway.
_SKIPPED_COLUMNS = frozenset({"version"})


class Chainer(Protocol):
    """What the trail needs of the data key (console.data.crypto.Vault)."""

    def mac(self, data: bytes) -> str: ...


class AuditUnavailable(RuntimeError):
    """A write reached the database without an actor or data key: a bug, never allowed."""


class Head(NamedTuple):
    """The newest entry of the chain: its number and hash."""

    seq: int
    hash: str


@dataclass(frozen=True)
class Change:
    action: AuditAction
    table_name: str
    record_id: str
    changes: dict[str, Any]


def install(factory: sessionmaker[Session]) -> None:
    """Record every flush of sessions made by this factory in the audit trail."""
    event.listen(factory, "after_flush", _after_flush)


def _after_flush(session: Session, _context: object) -> None:
    changes = list(_changes(session))
    if not changes:
        return
    actor, vault = session.info.get("actor"), session.info.get("vault")
    if not actor or vault is None:
        raise AuditUnavailable(
            "a write without an actor or data key; open sessions through services.access"
        )
    append(session.connection(), vault, actor, changes)


def _changes(session: Session) -> Iterator[Change]:
    for obj in session.new:
        state = inspect(obj)
        yield Change(AuditAction.INSERT, state.mapper.local_table.name, _record_id(state),
                     {k: [None, v] for k, v in _values(state).items() if v is not None})
    for obj in session.dirty:
        state = inspect(obj)
        diff = _diff(state)
        if diff:
            yield Change(AuditAction.UPDATE, state.mapper.local_table.name, _record_id(state),
                         diff)
    for obj in session.deleted:
        state = inspect(obj)
        yield Change(AuditAction.DELETE, state.mapper.local_table.name, _record_id(state),
                     {k: [v, None] for k, v in _values(state).items() if v is not None})


def _record_id(state: InstanceState[Any]) -> str:
    identity = state.identity or state.mapper.primary_key_from_instance(state.obj())
    return "/".join(str(v) for v in identity)


def _columns(state: InstanceState[Any]) -> Iterator[tuple[str, bool]]:
    for attr in state.mapper.column_attrs:
        if attr.key in _SKIPPED_COLUMNS:
            continue
        yield attr.key, bool(attr.columns[0].info.get("redact"))


def _values(state: InstanceState[Any]) -> dict[str, Any]:
    loaded = state.dict
    return {key: REDACTED if redact and loaded.get(key) is not None else _plain(loaded.get(key))
            for key, redact in _columns(state) if key in loaded}


def _diff(state: InstanceState[Any]) -> dict[str, list[Any]]:
    diff: dict[str, list[Any]] = {}
    for key, redact in _columns(state):
        history = state.attrs[key].history
        if not history.added and not history.deleted:
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        diff[key] = [REDACTED, REDACTED] if redact else [_plain(old), _plain(new)]
    return diff


def _plain(value: Any) -> Any:
    """A JSON value for a column value; sealed text stays the ciphertext it is stored as."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


def entry_hash(vault: Chainer, prev_hash: str, seq: int, at: str, actor: str,
               action: str, table_name: str, record_id: str, changes: str) -> str:
    payload = json.dumps([prev_hash, seq, at, actor, action, table_name, record_id, changes],
                         separators=(",", ":"), ensure_ascii=True)
    return vault.mac(payload.encode("ascii"))


# The head each connection's open transaction has appended up to, until it ends: only a
# committed head may become this workstation's anchor (audit_anchor takes it at commit).
_pending: weakref.WeakKeyDictionary[Connection, Head] = weakref.WeakKeyDictionary()
_pending_lock = threading.Lock()


def take_pending(conn: Connection) -> Head | None:
    """The head appended in conn's transaction, forgotten once taken."""
    with _pending_lock:
        return _pending.pop(conn, None)


def append(conn: Connection, vault: Chainer, actor: str, changes: Iterable[Change]) -> Head:
    """Append entries after the current head, holding the head's row lock; returns the new head."""
    head = conn.execute(
        select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1).with_for_update()
    ).one()
    seq, prev = head.seq, head.hash
    at = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
    rows = []
    for change in changes:
        seq += 1
        text = json.dumps(change.changes, sort_keys=True, ensure_ascii=False, default=str)
        digest = entry_hash(vault, prev, seq, at, actor, change.action.value,
                            change.table_name, change.record_id, text)
        rows.append({"seq": seq, "at": at, "actor": actor, "action": change.action,
                     "table_name": change.table_name, "record_id": change.record_id,
                     "changes": text, "prev_hash": prev, "hash": digest})
        prev = digest
    if rows:
        conn.execute(insert(AuditEntry), rows)
        conn.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=seq, hash=prev))
        with _pending_lock:
            _pending[conn] = Head(seq, prev)
    return Head(seq, prev)


def record_event(conn: Connection, vault: Chainer, actor: str, what: str, target: str = "",
                 details: dict[str, Any] | None = None, *,
                 action: AuditAction = AuditAction.EVENT) -> Head:
    """Record something that changed no ORM row: a bulk load, a restore, a key export."""
    return append(conn, vault, actor, [Change(action, what, target, details or {})])


@dataclass(frozen=True)
class ChainCheck:
    """The outcome of verifying the trail; `problem` says where it first breaks."""

    entries: int
    problem: str | None = None
    bad_seq: int | None = None
    head: tuple[int, str] | None = None  # the verified head, when the chain is intact

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(conn: Connection, vault: Chainer, *, batch: int = 2000,
           anchor: tuple[int, str] | None = None) -> ChainCheck:
    """Recompute the chain from the first entry; reports the first broken link.

    anchor: the newest entry this workstation saw committed (audit_anchor); a chain that
    verifies but ends before it, or holds another entry at its number, lost entries.
    """
    expected_seq, prev, count = 1, GENESIS_HASH, 0
    # The head first, held (FOR SHARE on a server; SQLite's reader has one snapshot) until
    # the check ends: no writer can append in between, so entries committed during the
    # read are never taken for a head that outruns its trail.
    head = conn.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)
                        .with_for_update(read=True)).one()
    # The option on this statement only: Connection.execution_options() would change the
    # connection itself, and a write after the check (accept_trail) would then be sent
    # through a server-side cursor on PostgreSQL.
    result = conn.execute(
        select(AuditEntry.seq, AuditEntry.at, AuditEntry.actor, AuditEntry.action,
               AuditEntry.table_name, AuditEntry.record_id, AuditEntry.changes,
               AuditEntry.prev_hash, AuditEntry.hash).order_by(AuditEntry.seq),
        execution_options={"yield_per": batch},
    )
    for row in result:
        if row.seq != expected_seq:
            return ChainCheck(count, f"entry {expected_seq} is missing", expected_seq)
        if row.prev_hash != prev:
            return ChainCheck(count, f"entry {row.seq} does not follow entry {row.seq - 1}",
                              row.seq)
        digest = entry_hash(vault, prev, row.seq, row.at, row.actor, str(row.action),
                            row.table_name, row.record_id, row.changes)
        if digest != row.hash:
            return ChainCheck(count, f"entry {row.seq} was altered after it was written",
                              row.seq)
        prev, expected_seq, count = row.hash, expected_seq + 1, count + 1
    if head.seq > count:
        return ChainCheck(count, f"the trail ends at entry {count} but its head says "
                                 f"{head.seq}: entries were removed", count + 1)
    if head.seq < count:
        return ChainCheck(count, f"the head names entry {head.seq} but the trail goes on to "
                                 f"entry {count}: the head was moved back", head.seq + 1)
    if head.hash != prev:
        return ChainCheck(count, f"the head does not name entry {count}: the head was "
                                 "altered", count)
    if anchor is not None:
        seen = _check_anchor(conn, anchor, head.seq)
        if not seen.ok:
            return ChainCheck(count, seen.problem, seen.bad_seq)
    return ChainCheck(count, head=Head(count, prev))


def check_anchor(conn: Connection, anchor: tuple[int, str]) -> ChainCheck:
    """Whether the trail still holds the newest entry this workstation saw (two lookups:
    cheap enough for every sign-in; the entries themselves are checked by verify)."""
    head_seq = conn.execute(select(AuditHead.seq).where(AuditHead.id == 1)).scalar_one()
    return _check_anchor(conn, anchor, head_seq)


def _check_anchor(conn: Connection, anchor: tuple[int, str], head_seq: int) -> ChainCheck:
    """check_anchor against a head already read (verify holds it while it checks)."""
    seen_seq, seen_hash = anchor
    if seen_seq > head_seq:
        return ChainCheck(head_seq, f"the trail ends at entry {head_seq} but this workstation "
                                    f"has seen entry {seen_seq}: entries were removed",
                          head_seq + 1)
    stored = conn.scalar(select(AuditEntry.hash).where(AuditEntry.seq == seen_seq))
    if stored is None:
        return ChainCheck(head_seq, f"entry {seen_seq}, which this workstation has seen, is "
                                    "missing: entries were removed", seen_seq)
    if stored != seen_hash:
        return ChainCheck(head_seq, f"entry {seen_seq} is not the one this workstation saw: "
                                    "the entries after it were replaced (an older backup "
                                    "restored elsewhere, or tampering)", seen_seq)
    return ChainCheck(head_seq)
