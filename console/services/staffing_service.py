"""Who works in the unit and which authorized positions they fill."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import selectinload

from console.data.enums import DegreeLevel, StaffRole
from console.data.models import Position, PositionAssignment, StaffMember
from console.errors import UserError
from console.services.access import Access, Action, EditConflict
from console.services.funding.runway import read_funding

UNIT_ROLES = (StaffRole.MH_RESPONDER, StaffRole.SUPERVISOR, StaffRole.INTERN)


def in_unit() -> ColumnElement[bool]:
    """Staff of the unit itself, not the patrol officers who request it.

    Sworn officers count when they hold (or held) one of the unit's positions.
    """
    return or_(StaffMember.role.in_(UNIT_ROLES),
               StaffMember.id.in_(select(PositionAssignment.staff_id)))


def position_open_on(day: dt.date) -> ColumnElement[bool]:
    """Authorized by the day and not abolished (abolished_on is the first day gone)."""
    return and_(Position.authorized_on <= day,
                or_(Position.abolished_on.is_(None), Position.abolished_on > day))


@dataclass(frozen=True)
class StaffRow:
    id: int
    name: str
    role: StaffRole
    rank: str | None
    degree_level: DegreeLevel
    discipline: str | None
    hired_on: dt.date
    separated_on: dt.date | None


@dataclass(frozen=True)
class PositionRow:
    id: int
    title: str
    role: StaffRole
    funding_source: str | None  # the note typed on the position
    holder: str | None
    vacant_since: dt.date | None
    vacancy_days: int | None
    funded_by: str = ""  # the funding sources paying it that day (Program › Funding)

    @property
    def funding(self) -> str | None:
        """The linked sources, else the typed note marked as such."""
        if self.funded_by:
            return self.funded_by
        return f"{self.funding_source} (noted; no source linked)" if self.funding_source \
            else None


def unit_staff(
    access: Access, *, include_separated: bool = True
) -> list[StaffRow]:
    """Staff of the unit (see in_unit), earliest hire first."""
    stmt = select(StaffMember).where(in_unit()).order_by(StaffMember.hired_on, StaffMember.id)
    if not include_separated:
        stmt = stmt.where(StaffMember.separated_on.is_(None))
    with access.reading(Action.VIEW_STAFF) as session:
        return [
            StaffRow(s.id, s.display_name, s.role, s.rank, s.degree_level, s.discipline,
                     s.hired_on, s.separated_on)
            for s in session.scalars(stmt)
        ]


def positions_on(access: Access, day: dt.date) -> list[PositionRow]:
    """Authorized positions open on a day, with their holder or how long they stood vacant."""
    stmt = (
        select(Position)
        .where(position_open_on(day))
        .options(selectinload(Position.assignments).selectinload(PositionAssignment.staff))
        .order_by(Position.id)
    )
    rows: list[PositionRow] = []
    with access.reading(Action.VIEW_STAFF) as session:
        funding = read_funding(session)
        for position in session.scalars(stmt):
            paid = funding.paid_by(position.id, day)
            current = next(
                (a for a in position.assignments
                 if a.start_on <= day and (a.end_on is None or a.end_on > day)),
                None,
            )
            if current is not None:
                rows.append(PositionRow(position.id, position.title, position.role,
                                        position.funding_source, current.staff.display_name,
                                        None, None, paid))
                continue
            ended = [a.end_on for a in position.assignments if a.end_on and a.end_on <= day]
            since = max(ended) if ended else position.authorized_on
            rows.append(PositionRow(position.id, position.title, position.role,
                                    position.funding_source, None, since, (day - since).days,
                                    paid))
    return rows


@dataclass(frozen=True)
class StaffDetail:
    """A staff member as an edit form shows it, with the version it was read at."""

    id: int
    display_name: str
    rank: str | None
    discipline: str | None
    degree_level: DegreeLevel
    version: int


@dataclass(frozen=True)
class StaffEdit:
    display_name: str
    rank: str | None
    discipline: str | None
    degree_level: DegreeLevel


_EDIT_LABELS = {"display_name": "Name", "rank": "Rank", "discipline": "Discipline",
                "degree_level": "Degree"}


def _detail(s: StaffMember) -> StaffDetail:
    return StaffDetail(s.id, s.display_name, s.rank, s.discipline, s.degree_level, s.version)


def staff_detail(access: Access, staff_id: int) -> StaffDetail:
    with access.reading(Action.VIEW_STAFF) as session:
        staff = session.get(StaffMember, staff_id)
        if staff is None:
            raise UserError(f"staff member {staff_id} no longer exists")
        return _detail(staff)


def update_staff_member(access: Access, staff_id: int, read_version: int,
                        edit: StaffEdit) -> StaffDetail:
    """Save an edit made to the version read; EditConflict if someone saved in between.

    The conflict carries both versions field by field, and who saved theirs, so the user
    chooses: nothing is overwritten silently. To save over theirs, call again with the
    version the conflict reports.
    """
    if not edit.display_name.strip():
        raise UserError("the staff member's name cannot be empty")
    label = f"Staff member {edit.display_name.strip()}"
    try:
        with access.writing(Action.EDIT_STAFF, label) as session:
            staff = session.get(StaffMember, staff_id)
            if staff is None:
                raise UserError(f"staff member {staff_id} was deleted by someone else")
            if staff.version != read_version:
                raise EditConflict(label)
            staff.display_name = edit.display_name.strip()
            staff.rank = (edit.rank or "").strip() or None
            staff.discipline = (edit.discipline or "").strip() or None
            staff.degree_level = edit.degree_level
            session.flush()  # the UPDATE checks the version in the database too
            return _detail(staff)
    except EditConflict:
        raise _conflict(access, label, staff_id, edit) from None


def _conflict(access: Access, label: str, staff_id: int, mine: StaffEdit) -> EditConflict:
    from console.services.audit_service import last_change

    theirs = staff_detail(access, staff_id)
    fields = [(_EDIT_LABELS[k], _text(getattr(mine, k)), _text(getattr(theirs, k)))
              for k in _EDIT_LABELS]
    saved = last_change(access, "staff_member", str(staff_id))
    return EditConflict(label, fields, theirs.version,
                        saved_by=saved.actor if saved else "",
                        saved_at=saved.at[:16].replace("T", " ") + " UTC" if saved else "")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return getattr(value, "label", None) or str(value.value).replace("_", " ").capitalize()
    return str(value)
