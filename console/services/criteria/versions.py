"""The versions of the activation criteria: drafts, edited freely, then applied for good.

A version lists call types in or out of scope, each with its reason. A draft decides
nothing; applying it (reclassify.apply_version) re-classifies the calls from its date on
and freezes it: an approved version is never edited or deleted, a correction is a new
version. Every write is audited through the session (access.writing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from console.data.models import CriteriaEntry, CriteriaVersion
from console.errors import UserError
from console.services.access import Access, Action, EditConflict
from console.services.criteria.timeline import type_key
from console.services.program_scope import (
    current_program_id,
    current_program_id_or_none,
    in_this_program,
)

NAME_LIMIT, CALL_TYPE_LIMIT, WHO_LIMIT = 200, 80, 120


@dataclass(frozen=True)
class EntrySpec:
    """A call type in (True) or out (False) of scope, and why."""

    call_type: str
    in_scope: bool
    reason: str = ""


@dataclass(frozen=True)
class VersionSpec:
    """What a new version (or a draft's edit) says."""

    name: str
    effective_on: dt.date
    entries: tuple[EntrySpec, ...]
    approved_by: str = ""
    approved_on: dt.date | None = None
    policy_reference: str = ""
    notes: str = ""


@dataclass(frozen=True)
class CriteriaVersionRow:
    id: int
    name: str
    effective_on: dt.date
    approved_by: str
    approved_on: dt.date | None
    policy_reference: str
    notes: str
    applied_at: dt.datetime | None
    applied_by: str
    version: int
    entries: tuple[EntrySpec, ...] = ()

    @property
    def applied(self) -> bool:
        return self.applied_at is not None

    @property
    def status(self) -> str:
        return "Approved" if self.applied else "Draft"

    @property
    def in_scope_types(self) -> tuple[EntrySpec, ...]:
        return tuple(e for e in self.entries if e.in_scope)

    @property
    def out_of_scope_types(self) -> tuple[EntrySpec, ...]:
        return tuple(e for e in self.entries if not e.in_scope)

    def spec(self) -> VersionSpec:
        return VersionSpec(self.name, self.effective_on, self.entries, self.approved_by,
                           self.approved_on, self.policy_reference, self.notes)


def _row(v: CriteriaVersion, entries: Iterable[CriteriaEntry]) -> CriteriaVersionRow:
    ordered = sorted(entries, key=lambda e: (not e.in_scope, e.call_type.casefold()))
    return CriteriaVersionRow(
        v.id, v.name, v.effective_on, v.approved_by, v.approved_on, v.policy_reference,
        v.notes, v.applied_at, v.applied_by, v.version,
        tuple(EntrySpec(e.call_type, e.in_scope, e.reason) for e in ordered))


def _entries(session: Session, version_ids: Sequence[int]) -> dict[int, list[CriteriaEntry]]:
    out: dict[int, list[CriteriaEntry]] = {i: [] for i in version_ids}
    if version_ids:
        for e in session.scalars(select(CriteriaEntry)
                                 .where(CriteriaEntry.version_id.in_(version_ids))):
            out[e.version_id].append(e)
    return out


def versions_in(session: Session) -> list[CriteriaVersionRow]:
    """The current program's versions, by effective date (drafts after their peers)."""
    program = current_program_id_or_none(session)
    if program is None:
        return []
    versions = list(session.scalars(
        select(CriteriaVersion).where(CriteriaVersion.program_id == program)
        .order_by(CriteriaVersion.effective_on, CriteriaVersion.applied_at.is_(None),
                  CriteriaVersion.id)))
    entries = _entries(session, [v.id for v in versions])
    return [_row(v, entries[v.id]) for v in versions]


def list_versions(access: Access) -> list[CriteriaVersionRow]:
    with access.reading(Action.VIEW_PROGRAM) as session:
        return versions_in(session)


def in_force(versions: Sequence[CriteriaVersionRow], day: dt.date) -> CriteriaVersionRow | None:
    """The applied version in force on `day`: the latest effective on or before it."""
    found = None
    for v in versions:
        if v.applied and v.effective_on <= day:
            found = v
    return found


def latest_applied(versions: Sequence[CriteriaVersionRow]) -> CriteriaVersionRow | None:
    applied = [v for v in versions if v.applied]
    return applied[-1] if applied else None


def find_version(versions: Sequence[CriteriaVersionRow], which: str | int | None,
                 today: dt.date) -> CriteriaVersionRow:
    """A version by id or name; None: the one in force today (else the newest)."""
    if which is None:
        found = in_force(versions, today) or latest_applied(versions) or \
            (versions[-1] if versions else None)
        if found is None:
            raise UserError("the program has no activation criteria yet: add a version "
                            "(criteria apply FILE.csv, or the Program page)")
        return found
    for v in versions:
        if str(v.id) == str(which) or v.name.casefold() == str(which).strip().casefold():
            return v
    names = ", ".join(repr(v.name) for v in versions) or "none yet"
    raise UserError(f"no criteria version {which!r}: the versions are {names}")


def check_spec(spec: VersionSpec) -> VersionSpec:
    """The spec tidied (spaces trimmed), or a UserError naming what is wrong."""
    name = " ".join(spec.name.split())
    if not name:
        raise UserError("the criteria version needs a name (e.g. “2025 refined criteria”)")
    if len(name) > NAME_LIMIT:
        raise UserError(f"the version name is {len(name)} characters long: keep it to "
                        f"{NAME_LIMIT}")
    for label, value in (("approved by", spec.approved_by),
                         ("policy reference", spec.policy_reference)):
        if len(value.strip()) > WHO_LIMIT:
            raise UserError(f"{label} is {len(value.strip())} characters long: keep it to "
                            f"{WHO_LIMIT}")
    seen: dict[str, str] = {}
    entries: list[EntrySpec] = []
    for e in spec.entries:
        call_type = " ".join(e.call_type.split())
        if not call_type:
            raise UserError("a criteria entry has no call type: name the call type as "
                            "dispatch records it")
        if len(call_type) > CALL_TYPE_LIMIT:
            raise UserError(f"call type {call_type[:40]!r}… is longer than "
                            f"{CALL_TYPE_LIMIT} characters")
        key = type_key(call_type)
        if key in seen:
            raise UserError(f"call type {call_type!r} is listed twice (also as "
                            f"{seen[key]!r}): keep one entry per call type")
        seen[key] = call_type
        entries.append(EntrySpec(call_type, bool(e.in_scope), e.reason.strip()))
    if not entries:
        raise UserError("the criteria version lists no call type: list at least one, in "
                        "or out of scope")
    return replace(spec, name=name, entries=tuple(entries),
                   approved_by=spec.approved_by.strip(),
                   policy_reference=spec.policy_reference.strip(), notes=spec.notes.strip())


def with_carry_over(spec: VersionSpec, previous: CriteriaVersionRow | None) -> tuple[
        VersionSpec, int]:
    """The spec with the previous version's call types it does not list carried over
    (criteria never forget a call type: see reclassify); and how many were carried."""
    if previous is None:
        return spec, 0
    listed = {type_key(e.call_type) for e in spec.entries}
    carried = tuple(e for e in previous.entries if type_key(e.call_type) not in listed)
    return replace(spec, entries=spec.entries + carried), len(carried)


def _name_taken(session: Session, program: int, name: str, but: int | None) -> None:
    found = session.scalar(select(CriteriaVersion.id).where(
        CriteriaVersion.program_id == program, CriteriaVersion.name == name))
    if found is not None and found != but:
        raise UserError(f"a criteria version is already called {name!r}: choose another name")


def _write_entries(session: Session, version: CriteriaVersion, spec: VersionSpec) -> None:
    for old in session.scalars(select(CriteriaEntry)
                               .where(CriteriaEntry.version_id == version.id)):
        session.delete(old)  # one by one: each removal is in the audit trail
    session.flush()
    session.add_all(CriteriaEntry(version_id=version.id, call_type=e.call_type,
                                  in_scope=e.in_scope, reason=e.reason) for e in spec.entries)


def _fill(version: CriteriaVersion, spec: VersionSpec) -> None:
    version.name, version.effective_on = spec.name, spec.effective_on
    version.approved_by, version.approved_on = spec.approved_by, spec.approved_on
    version.policy_reference, version.notes = spec.policy_reference, spec.notes


def create_draft(access: Access, spec: VersionSpec) -> CriteriaVersionRow:
    """Save a new draft version (it decides nothing until applied)."""
    spec = check_spec(spec)
    with access.writing(Action.EDIT_PROGRAM, f"Criteria version {spec.name}") as session:
        return create_draft_in(session, spec)


def create_draft_in(session: Session, spec: VersionSpec) -> CriteriaVersionRow:
    program = current_program_id(session)
    _name_taken(session, program, spec.name, None)
    version = CriteriaVersion(program_id=program)
    _fill(version, spec)
    session.add(version)
    session.flush()
    _write_entries(session, version, spec)
    session.flush()
    return _row(version, _entries(session, [version.id])[version.id])


def _draft(session: Session, version_id: int) -> CriteriaVersion:
    version = in_this_program(session, CriteriaVersion, version_id)
    if version is None:
        raise UserError(f"criteria version {version_id} no longer exists")
    if version.applied_at is not None:
        raise UserError(f"criteria version {version.name!r} was approved and applied on "
                        f"{version.applied_at:%d %B %Y}: approved versions never change; "
                        "make a new version instead")
    return version


def update_draft(access: Access, version_id: int, read_version: int,
                 spec: VersionSpec) -> CriteriaVersionRow:
    """Save an edit of a draft made to the version read (EditConflict if someone saved
    in between); an approved version is refused."""
    spec = check_spec(spec)
    with access.writing(Action.EDIT_PROGRAM, f"Criteria version {spec.name}") as session:
        return update_draft_in(session, version_id, read_version, spec)


def update_draft_in(session: Session, version_id: int, read_version: int,
                    spec: VersionSpec) -> CriteriaVersionRow:
    version = _draft(session, version_id)
    if version.version != read_version:
        raise EditConflict(f"Criteria version {spec.name}")
    _name_taken(session, version.program_id, spec.name, version.id)
    _fill(version, spec)
    flag_modified(version, "name")  # the row's version guards its entries too
    session.flush()
    _write_entries(session, version, spec)
    session.flush()
    return _row(version, _entries(session, [version.id])[version.id])


def delete_draft(access: Access, version_id: int) -> None:
    """Delete a draft; an approved version is refused."""
    with access.writing(Action.EDIT_PROGRAM, f"Criteria version {version_id}") as session:
        session.delete(_draft(session, version_id))
