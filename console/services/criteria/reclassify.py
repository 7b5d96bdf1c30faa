"""Applying a version of the activation criteria to the calls: preview, then apply.

A version re-classifies the calls received from its effective date (midnight) on: a call
whose type it lists takes the version's scope; a call type it does not list keeps what
the import decided (the import's call-type map, reported as "not in the criteria yet").
Versions follow each other in time (each later than the last applied), and a version
lists every call type the one before it listed, so a call's stored scope is always
either the version in force on its day or its import's, never a stale older version's.

The preview and the apply read the same grouped counts (call type x current scope), and
apply runs one UPDATE per target scope in the same transaction as the version's
approval: what the preview says changes is what changes, and the audit trail holds one
entry with the counts, not one per call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session

from console.data import audit
from console.data.enums import AuditAction
from console.data.models import Call, CriteriaVersion
from console.errors import UserError
from console.services.access import Access, Action, EditConflict
from console.services.criteria.timeline import type_key
from console.services.criteria.versions import (
    CriteriaVersionRow,
    VersionSpec,
    check_spec,
    create_draft_in,
    latest_applied,
    update_draft_in,
    versions_in,
)
from console.services.program_scope import current_program_id

IN_CHUNK = 400  # call types per IN (...) list: well under every driver's parameter limit


@dataclass(frozen=True)
class TypeChange:
    """The calls of one call type (as stored) whose scope a version changes."""

    call_type: str
    before: bool | None
    after: bool
    calls: int


@dataclass(frozen=True)
class ScopeChange:
    """What applying a version does (or did) to the calls from its date on."""

    version: str
    calls_from: dt.date
    in_to_out: int = 0
    out_to_in: int = 0
    unknown_to_in: int = 0   # calls whose import left the scope unknown
    unknown_to_out: int = 0
    unchanged: int = 0       # listed, already so
    not_listed: tuple[tuple[str, int], ...] = ()  # call types it does not list: import map
    by_type: tuple[TypeChange, ...] = field(default=(), repr=False)
    applied: bool = False

    @property
    def changed(self) -> int:
        return self.in_to_out + self.out_to_in + self.unknown_to_in + self.unknown_to_out

    @property
    def not_listed_calls(self) -> int:
        return sum(n for _, n in self.not_listed)

    def summary(self) -> str:
        """One line for a confirmation or the command line."""
        verb = "changed" if self.applied else "would change"
        parts = [f"{self.in_to_out:,} in → out", f"{self.out_to_in:,} out → in"]
        if self.unknown_to_in or self.unknown_to_out:
            parts.append(f"{self.unknown_to_in + self.unknown_to_out:,} unknown → decided")
        text = (f"{self.changed:,} call{'s' * (self.changed != 1)} {verb} scope from "
                f"{self.calls_from:%d %B %Y} ({', '.join(parts)}); "
                f"{self.unchanged:,} stay as they were")
        if self.not_listed:
            text += (f"; {self.not_listed_calls:,} calls of {len(self.not_listed)} call "
                     "type(s) not in the criteria yet keep their import's scope")
        return text

    def as_dict(self) -> dict[str, object]:
        return {"version": self.version, "calls_from": self.calls_from.isoformat(),
                "applied": self.applied, "changed": self.changed,
                "in_to_out": self.in_to_out, "out_to_in": self.out_to_in,
                "unknown_to_in": self.unknown_to_in, "unknown_to_out": self.unknown_to_out,
                "unchanged": self.unchanged,
                "not_in_criteria": [{"call_type": t, "calls": n} for t, n in self.not_listed],
                "by_type": [{"call_type": c.call_type, "before": c.before, "after": c.after,
                             "calls": c.calls} for c in self.by_type]}


def _call_type() -> ColumnElement[str | None]:
    """The type a call is judged by: the final one, or the initial where there is none
    (as the importer judges it)."""
    return func.coalesce(Call.final_call_type, Call.initial_call_type)


def _from_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def _plan(session: Session, program: int, name: str, effective_on: dt.date,
          scope: dict[str, bool]) -> ScopeChange:
    kind = _call_type()
    counts = {"in_to_out": 0, "out_to_in": 0, "unknown_to_in": 0, "unknown_to_out": 0,
              "unchanged": 0}
    not_listed: dict[str, int] = {}
    changes: list[TypeChange] = []
    for call_type, before, n in session.execute(
        select(kind, Call.in_scope, func.count())
        .where(Call.program_id == program, Call.received_at >= _from_midnight(effective_on),
               kind.is_not(None))
        .group_by(kind, Call.in_scope)
    ):
        after = scope.get(type_key(call_type))
        if after is None:
            not_listed[call_type] = not_listed.get(call_type, 0) + n
            continue
        before = None if before is None else bool(before)
        if before is after:
            counts["unchanged"] += n
            continue
        key = f"{'unknown' if before is None else 'in' if before else 'out'}_to_" \
              f"{'in' if after else 'out'}"
        counts[key] += n
        changes.append(TypeChange(call_type, before, after, n))
    changes.sort(key=lambda c: (-c.calls, c.call_type))
    return ScopeChange(name, effective_on, in_to_out=counts["in_to_out"],
                       out_to_in=counts["out_to_in"], unknown_to_in=counts["unknown_to_in"],
                       unknown_to_out=counts["unknown_to_out"], unchanged=counts["unchanged"],
                       not_listed=tuple(sorted(not_listed.items(), key=lambda t: -t[1])),
                       by_type=tuple(changes))


def _scope(spec: VersionSpec) -> dict[str, bool]:
    return {type_key(e.call_type): e.in_scope for e in spec.entries}


def _check_order(spec: VersionSpec, versions: Sequence[CriteriaVersionRow],
                 but: int | None = None) -> None:
    """A version comes after the last applied one and lists every call type it lists."""
    last = latest_applied([v for v in versions if v.id != but])
    if last is None:
        return
    if spec.effective_on <= last.effective_on:
        raise UserError(f"effective date {spec.effective_on:%Y-%m-%d} is not after "
                        f"{last.effective_on:%Y-%m-%d}, the date of {last.name!r}: criteria "
                        "versions follow each other in time; choose a later date")
    listed = {type_key(e.call_type) for e in spec.entries}
    dropped = [e.call_type for e in last.entries if type_key(e.call_type) not in listed]
    if dropped:
        shown = ", ".join(repr(t) for t in dropped[:5]) + (" …" if len(dropped) > 5 else "")
        raise UserError(f"the version leaves out {len(dropped)} call type(s) that "
                        f"{last.name!r} lists ({shown}): keep them, in or out of scope")


def preview_spec(access: Access, spec: VersionSpec) -> ScopeChange:
    """How many calls a version with this content would re-classify (nothing saved)."""
    spec = check_spec(spec)
    with access.reading(Action.VIEW_PROGRAM) as session:
        _check_order(spec, versions_in(session))
        return _plan(session, current_program_id(session), spec.name, spec.effective_on,
                     _scope(spec))


def preview_version(access: Access, version_id: int) -> ScopeChange:
    """How many calls applying the draft would re-classify (for an applied version:
    the calls that now disagree with it, which is none unless something is wrong)."""
    with access.reading(Action.VIEW_PROGRAM) as session:
        row = _version_row(session, version_id)
        if not row.applied:
            _check_order(row.spec(), versions_in(session), but=row.id)
        return _plan(session, current_program_id(session), row.name, row.effective_on,
                     _scope(row.spec()))


def _version_row(session: Session, version_id: int) -> CriteriaVersionRow:
    for row in versions_in(session):
        if row.id == version_id:
            return row
    raise UserError(f"criteria version {version_id} no longer exists")


def apply_version(access: Access, version_id: int, read_version: int, *,
                  today: dt.date | None = None) -> ScopeChange:
    """Approve and apply a draft: re-classify the calls from its date on, in one
    transaction, audited as one entry with the counts. Refused (nothing changed) for an
    approved version, a draft without who approved it or its policy reference, a date
    not after the last applied version's, or a version that drops a listed call type."""
    with access.writing(Action.EDIT_PROGRAM, f"Criteria version {version_id}") as session:
        row = _version_row(session, version_id)
        if row.applied:
            raise UserError(f"criteria version {row.name!r} is already approved and applied: "
                            "approved versions never change; make a new version instead")
        if row.version != read_version:
            raise EditConflict(f"Criteria version {row.name}")
        return _apply(access, session, row, today or dt.date.today())


def apply_spec(access: Access, spec: VersionSpec, *,
               today: dt.date | None = None) -> ScopeChange:
    """Save a version and apply it at once (the command line's `criteria apply`)."""
    spec = check_spec(spec)
    with access.writing(Action.EDIT_PROGRAM, f"Criteria version {spec.name}") as session:
        _check_order(spec, versions_in(session))
        row = create_draft_in(session, spec)
        return _apply(access, session, row, today or dt.date.today())


def apply_draft(access: Access, version_id: int, read_version: int, spec: VersionSpec, *,
                today: dt.date | None = None) -> ScopeChange:
    """Save a draft's last edits and apply it, in one transaction: a refusal (who approved
    it missing, a date too early) leaves the draft as it was."""
    spec = check_spec(spec)
    with access.writing(Action.EDIT_PROGRAM, f"Criteria version {spec.name}") as session:
        row = update_draft_in(session, version_id, read_version, spec)
        return _apply(access, session, row, today or dt.date.today())


def _apply(access: Access, session: Session, row: CriteriaVersionRow,
           today: dt.date) -> ScopeChange:
    missing = [label for label, value in (("who approved it", row.approved_by),
                                          ("its policy reference", row.policy_reference))
               if not value]
    if missing:
        raise UserError(f"criteria version {row.name!r} cannot be applied without "
                        f"{' and '.join(missing)}: fill them in first")
    _check_order(row.spec(), versions_in(session), but=row.id)
    program = current_program_id(session)
    plan = _plan(session, program, row.name, row.effective_on, _scope(row.spec()))
    done = {True: 0, False: 0}
    for target in (True, False):
        types = [c.call_type for c in plan.by_type if c.after is target]
        for chunk in _chunks(types):
            result = session.execute(
                update(Call)
                .where(Call.program_id == program,
                       Call.received_at >= _from_midnight(row.effective_on),
                       _call_type().in_(chunk),
                       or_(Call.in_scope.is_(None), Call.in_scope.is_not(target)))
                .values(in_scope=target, version=Call.version + 1)
                .execution_options(synchronize_session=False))
            done[target] += int(result.rowcount or 0)  # type: ignore[attr-defined]
    expected = {t: sum(c.calls for c in plan.by_type if c.after is t) for t in (True, False)}
    if done != expected:  # a writer slipped in between: never apply what was not previewed
        raise UserError(f"the calls changed while criteria version {row.name!r} was being "
                        "applied; nothing was changed: preview and apply again")
    version = session.get(CriteriaVersion, row.id)
    assert version is not None
    version.applied_at = dt.datetime.now().replace(microsecond=0)
    version.applied_by = access.actor.display_name or access.actor.username
    if version.approved_on is None:
        version.approved_on = today
    session.flush()
    applied = replace(plan, applied=True)
    audit.record_event(
        session.connection(), access.vault, access.actor.username,
        "criteria re-classification", row.name,
        {"version_id": row.id, "effective_on": row.effective_on.isoformat(),
         "changed": applied.changed, "in_to_out": applied.in_to_out,
         "out_to_in": applied.out_to_in, "unknown_to_in": applied.unknown_to_in,
         "unknown_to_out": applied.unknown_to_out, "unchanged": applied.unchanged,
         "not_in_criteria": applied.not_listed_calls},
        action=AuditAction.BULK)
    return applied


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), IN_CHUNK):
        yield items[i:i + IN_CHUNK]
