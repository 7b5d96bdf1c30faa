"""Writing staffing records: positions (edited with conflict handling), who fills them,
separations with their reason, leave, credentials and cross training."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.data.enums import StaffRole
from console.data.models import (
    Credential,
    CrossTraining,
    Position,
    PositionAssignment,
    StaffLeave,
    StaffMember,
)
from console.data.people_enums import (
    CredentialKind,
    LeaveKind,
    ProtectedRole,
    SeparationReason,
)
from console.errors import UserError
from console.services.access import Access, Action, EditConflict
from console.services.program_scope import current_program_id_or_none
from console.services.staffing_service import _text


@dataclass(frozen=True)
class PositionEdit:
    title: str
    role: StaffRole
    funding_source: str | None
    authorized_on: dt.date
    abolished_on: dt.date | None = None
    protected_role: ProtectedRole | None = None
    reauthorizes_id: int | None = None


@dataclass(frozen=True)
class PositionDetail:
    id: int
    edit: PositionEdit
    version: int


_LABELS = {"title": "Title", "role": "Role", "funding_source": "Funding",
           "authorized_on": "Authorized on", "abolished_on": "Abolished on",
           "protected_role": "Protected role", "reauthorizes_id": "Re-authorizes position"}


def _check(edit: PositionEdit, position_id: int | None = None) -> PositionEdit:
    title = edit.title.strip()
    if not title:
        raise UserError("a position needs a title")
    if edit.abolished_on is not None and edit.abolished_on < edit.authorized_on:
        raise UserError(f"{title}: abolished on {edit.abolished_on}, before it was "
                        f"authorized on {edit.authorized_on}")
    if position_id is not None and edit.reauthorizes_id == position_id:
        raise UserError(f"{title}: a position cannot re-authorize itself")
    return PositionEdit(title, edit.role, (edit.funding_source or "").strip() or None,
                        edit.authorized_on, edit.abolished_on, edit.protected_role,
                        edit.reauthorizes_id)


def _detail(p: Position) -> PositionDetail:
    return PositionDetail(p.id, PositionEdit(p.title, p.role, p.funding_source, p.authorized_on,
                                             p.abolished_on, p.protected_role,
                                             p.reauthorizes_id), p.version)


def position_detail(access: Access, position_id: int) -> PositionDetail:
    with access.reading(Action.VIEW_STAFF) as session:
        position = session.get(Position, position_id)
        if position is None:
            raise UserError(f"position {position_id} no longer exists")
        return _detail(position)


def add_position(access: Access, edit: PositionEdit) -> int:
    edit = _check(edit)
    with access.writing(Action.EDIT_STAFF, f"Position {edit.title}") as session:
        program_id = current_program_id_or_none(session)
        if program_id is None:
            raise UserError("no program in this database yet")
        _check_predecessor(session.get(Position, edit.reauthorizes_id)
                           if edit.reauthorizes_id else None, edit)
        position = Position(program_id=program_id)
        _apply(position, edit)
        session.add(position)
        session.flush()
        return position.id


def _check_predecessor(before: Position | None, edit: PositionEdit) -> None:
    if edit.reauthorizes_id is None:
        return
    if before is None:
        raise UserError(f"{edit.title}: position {edit.reauthorizes_id} does not exist")
    if before.abolished_on is None or before.abolished_on > edit.authorized_on:
        raise UserError(f"{edit.title}: it can only re-authorize {before.title} once that "
                        "position is abolished (by the day this one is authorized)")


def _apply(position: Position, edit: PositionEdit) -> None:
    for f in fields(PositionEdit):
        setattr(position, f.name, getattr(edit, f.name))


def update_position(access: Access, position_id: int, read_version: int,
                    edit: PositionEdit) -> PositionDetail:
    """Save an edit made to the version read; EditConflict (both versions field by field)
    if someone saved in between. To save over theirs, call again with their version."""
    edit = _check(edit, position_id)
    label = f"Position {edit.title}"
    try:
        with access.writing(Action.EDIT_STAFF, label) as session:
            position = session.get(Position, position_id)
            if position is None:
                raise UserError(f"position {position_id} was deleted by someone else")
            if position.version != read_version:
                raise EditConflict(label)
            _check_predecessor(session.get(Position, edit.reauthorizes_id)
                               if edit.reauthorizes_id else None, edit)
            _apply(position, edit)
            session.flush()
            return _detail(position)
    except EditConflict:
        raise _conflict(access, label, position_id, edit) from None


def _conflict(access: Access, label: str, position_id: int, mine: PositionEdit) -> EditConflict:
    from console.services.audit_service import last_change

    theirs = position_detail(access, position_id)
    rows = [(_LABELS[k], _text(getattr(mine, k)), _text(getattr(theirs.edit, k)))
            for k in _LABELS]
    saved = last_change(access, "position", str(position_id))
    return EditConflict(label, rows, theirs.version,
                        saved_by=saved.actor if saved else "",
                        saved_at=saved.at[:16].replace("T", " ") + " UTC" if saved else "")


def assign(access: Access, position_id: int, staff_id: int, start_on: dt.date,
           end_on: dt.date | None = None) -> int:
    """Put someone in a position from a day; refused if it is held then."""
    if end_on is not None and end_on <= start_on:
        raise UserError(f"an assignment from {start_on} must end after it starts")
    with access.writing(Action.EDIT_STAFF, f"position {position_id}") as session:
        position = session.get(Position, position_id)
        staff = session.get(StaffMember, staff_id)
        if position is None or staff is None:
            raise UserError("that position or staff member no longer exists")
        for a in position.assignments:
            if a.start_on < (end_on or dt.date.max) and (a.end_on is None or a.end_on > start_on):
                raise UserError(f"{position.title} is held by {a.staff.display_name} from "
                                f"{a.start_on}: end that assignment first")
        row = PositionAssignment(position_id=position_id, staff_id=staff_id,
                                 start_on=start_on, end_on=end_on)
        session.add(row)
        session.flush()
        return row.id


@dataclass(frozen=True)
class Holding:
    """Who holds a position on a day: what a dialog that vacates it needs."""

    assignment_id: int
    staff_id: int
    name: str
    start_on: dt.date
    version: int


def holding(access: Access, position_id: int, day: dt.date) -> Holding | None:
    with access.reading(Action.VIEW_STAFF) as session:
        for a in session.scalars(select(PositionAssignment).where(
                PositionAssignment.position_id == position_id)):
            if a.start_on <= day and (a.end_on is None or a.end_on > day):
                return Holding(a.id, a.staff_id, a.staff.display_name, a.start_on, a.version)
    return None


def end_assignment(access: Access, assignment_id: int, end_on: dt.date,
                   read_version: int | None = None) -> None:
    """End someone's time in a position on `end_on` (their first day out of it);
    EditConflict if the assignment changed since it was read."""
    label = f"assignment {assignment_id}"
    with access.writing(Action.EDIT_STAFF, label) as session:
        a = session.get(PositionAssignment, assignment_id)
        if a is None:
            raise UserError(f"assignment {assignment_id} no longer exists")
        if read_version is not None and a.version != read_version:
            raise EditConflict(f"{a.staff.display_name} in {a.position.title}")
        if end_on <= a.start_on:
            raise UserError(f"the assignment starts {a.start_on}: it cannot end on {end_on}")
        a.end_on = end_on


def record_separation(access: Access, staff_id: int, on: dt.date,
                      reason: SeparationReason) -> None:
    """Someone leaves on `on` (their first day gone); their open assignments end that day."""
    with access.writing(Action.EDIT_STAFF, f"staff member {staff_id}") as session:
        staff = session.get(StaffMember, staff_id)
        if staff is None:
            raise UserError(f"staff member {staff_id} no longer exists")
        if on < staff.hired_on:
            raise UserError(f"{staff.display_name} was hired {staff.hired_on}: "
                            f"cannot separate on {on}")
        staff.separated_on, staff.separation_reason = on, reason
        for a in staff.assignments:
            if a.start_on >= on:
                raise UserError(f"{staff.display_name} starts in a position on {a.start_on}, "
                                f"after {on}")
            if a.end_on is None or a.end_on > on:
                a.end_on = on


def add_leave(access: Access, staff_id: int, kind: LeaveKind, starts_on: dt.date,
              ends_on: dt.date | None) -> int:
    if ends_on is not None and ends_on <= starts_on:
        raise UserError(f"leave from {starts_on}: the return ({ends_on}) must come after it")
    with access.writing(Action.EDIT_STAFF, f"leave of staff member {staff_id}") as session:
        if session.get(StaffMember, staff_id) is None:
            raise UserError(f"staff member {staff_id} no longer exists")
        row = StaffLeave(staff_id=staff_id, kind=kind, starts_on=starts_on, ends_on=ends_on)
        session.add(row)
        session.flush()
        return row.id


def add_credential(access: Access, staff_id: int, kind: CredentialKind, name: str,
                   issued_on: dt.date, expires_on: dt.date | None) -> int:
    if not name.strip():
        raise UserError("a credential needs a name (CIT, first aid, LCSW…)")
    if expires_on is not None and expires_on <= issued_on:
        raise UserError(f"{name.strip()}: expires {expires_on}, not after it was issued")
    with access.writing(Action.EDIT_STAFF, f"credential {name.strip()}") as session:
        if session.get(StaffMember, staff_id) is None:
            raise UserError(f"staff member {staff_id} no longer exists")
        row = Credential(staff_id=staff_id, kind=kind, name=name.strip(), issued_on=issued_on,
                         expires_on=expires_on)
        session.add(row)
        session.flush()
        return row.id


def add_cross_training(access: Access, staff_id: int, subject: str, completed_on: dt.date,
                       hours: int | None = None) -> None:
    if not subject.strip():
        raise UserError("cross training needs a subject")
    with access.writing(Action.EDIT_STAFF, f"cross training {subject.strip()}") as session:
        if session.get(StaffMember, staff_id) is None:
            raise UserError(f"staff member {staff_id} no longer exists")
        session.add(CrossTraining(staff_id=staff_id, subject=subject.strip(),
                                  completed_on=completed_on, hours=hours))


def add_staff_member(access: Access, name: str, role: StaffRole, hired_on: dt.date, *,
                     staff_key: str) -> int:
    """A new member of staff (an employee, not a protected person: the name is plain)."""
    if not name.strip() or not staff_key.strip():
        raise UserError("a staff member needs a name and an employee or badge number")
    with access.writing(Action.EDIT_STAFF, f"Staff member {name.strip()}") as session:
        if session.scalar(select(StaffMember.id).where(StaffMember.staff_key == staff_key)):
            raise UserError(f"employee number {staff_key} is already in use")
        row = StaffMember(program_id=_program(session), staff_key=staff_key.strip(),
                          display_name=name.strip(), role=role, hired_on=hired_on)
        session.add(row)
        session.flush()
        return row.id


def _program(session: Session) -> int:
    program_id = current_program_id_or_none(session)
    if program_id is None:
        raise UserError("no program in this database yet")
    return program_id
