"""Reading and verifying the audit trail (supervisors only)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select

from console.data import audit, audit_anchor
from console.data.engine import read_session
from console.data.models import AuditEntry
from console.services.access import Access, Action


@dataclass(frozen=True)
class EntryRow:
    seq: int
    at: str
    actor: str
    action: str
    table_name: str
    record_id: str
    changes: dict[str, Any]


def verify_trail(access: Access) -> audit.ChainCheck:
    """Recompute the whole hash chain with the data key; says where it first breaks,
    including entries removed after this workstation saw them (console.data.audit_anchor).

    An intact trail moves this workstation's anchor up to its verified head.
    """
    keeper = audit_anchor.keeper_for(access.factory)
    with access.reading(Action.VIEW_AUDIT) as session:
        seen = keeper.seen() if keeper else None  # before the database is read: never newer
        check = audit.verify(session.connection(), access.vault, anchor=seen)
    if keeper is not None and check.head is not None:
        keeper.advance_quietly(check.head)
    return check


def accept_trail(access: Access) -> audit.ChainCheck:
    """Accept a trail that went back (a backup restored on another workstation): if its
    chain verifies, this workstation anchors its head from now on, and the acceptance,
    with the entry it had seen, is recorded in the trail. Supervisors only, like a restore.
    """
    keeper = audit_anchor.keeper_for(access.factory)
    seen = keeper.seen() if keeper else None
    with access.writing(Action.RESTORE) as session:
        conn = session.connection()
        check = audit.verify(conn, access.vault)
        if check.head is None:
            return check
        head = audit.record_event(conn, access.vault, access.actor.username,
                                  "audit anchor reset", "",
                                  {"seen_seq": seen.seq if seen else None,
                                   "seen_hash": seen.hash if seen else None,
                                   "accepted_seq": check.head[0]})
    if keeper is not None:
        keeper.reset(head)
    return audit.ChainCheck(head.seq, head=head)


def check_head(access: Access) -> audit.ChainCheck:
    """At sign-in, for anyone: whether the trail still reaches the newest entry this
    workstation saw. Two lookups, not the whole chain (that is verify_trail's)."""
    keeper = audit_anchor.keeper_for(access.factory)
    seen = keeper.seen() if keeper else None
    if seen is None:
        return audit.ChainCheck(0)
    with read_session(access.factory) as session:
        return audit.check_anchor(session.connection(), seen)


def recent_entries(access: Access, *, limit: int = 200, before_seq: int | None = None,
                   text: str = "") -> list[EntryRow]:
    """Newest first, a page at a time (keyset on seq); `text` filters actor, table, record."""
    stmt = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
    if before_seq is not None:
        stmt = stmt.where(AuditEntry.seq < before_seq)
    if text.strip():
        like = f"%{text.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(AuditEntry.actor).like(like),
                              func.lower(AuditEntry.table_name).like(like),
                              AuditEntry.record_id == text.strip()))
    with access.reading(Action.VIEW_AUDIT) as session:
        return [EntryRow(e.seq, e.at, e.actor, e.action.value, e.table_name, e.record_id,
                         json.loads(e.changes)) for e in session.scalars(stmt)]


def last_change(access: Access, table_name: str, record_id: str) -> EntryRow | None:
    """Who last changed a record and when (for the conflict dialog)."""
    stmt = (select(AuditEntry).where(AuditEntry.table_name == table_name,
                                     AuditEntry.record_id == record_id)
            .order_by(AuditEntry.seq.desc()).limit(1))
    # The record's own readers may learn who saved it (no permission of its own).
    with read_session(access.factory) as session:
        e = session.scalar(stmt)
        return None if e is None else EntryRow(e.seq, e.at, e.actor, e.action.value,
                                                e.table_name, e.record_id, {})
