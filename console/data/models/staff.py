"""Staff members, authorized positions and who fills them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from console.data.base import Base, IntPk, Name, ShortText, Versioned, str_enum
from console.data.enums import DegreeLevel, StaffRole
from console.data.people_enums import ProtectedRole, SeparationReason


class StaffMember(Versioned, Base):
    """A person who works in the unit (staff are employees, not protected clients)."""

    __tablename__ = "staff_member"
    __table_args__ = (
        CheckConstraint(
            "separated_on IS NULL OR separated_on >= hired_on", name="separation_after_hire"
        ),
        CheckConstraint(
            "separation_reason IS NULL OR separated_on IS NOT NULL", name="reason_of_separation"
        ),
    )

    id: Mapped[IntPk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="SET NULL"))
    # The employer's badge or employee number: how CAD exports name requesting officers.
    staff_key: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[Name]
    role: Mapped[StaffRole] = mapped_column(str_enum(StaffRole, "staff_role"))
    rank: Mapped[str | None] = mapped_column(String(40))
    degree_level: Mapped[DegreeLevel] = mapped_column(
        str_enum(DegreeLevel, "degree_level"), default=DegreeLevel.NONE
    )
    discipline: Mapped[ShortText | None]
    hired_on: Mapped[dt.date] = mapped_column(Date)
    separated_on: Mapped[dt.date | None] = mapped_column(Date)
    separation_reason: Mapped[SeparationReason | None] = mapped_column(
        str_enum(SeparationReason, "separation_reason")
    )

    assignments: Mapped[list[PositionAssignment]] = relationship(back_populates="staff")

    def active_on(self, day: dt.date) -> bool:
        return self.hired_on <= day and (self.separated_on is None or day < self.separated_on)


class Position(Versioned, Base):
    """An authorized (budgeted) position; vacant whenever no assignment covers the day."""

    __tablename__ = "position"
    __table_args__ = (
        CheckConstraint(
            "abolished_on IS NULL OR abolished_on >= authorized_on", name="abolished_after"
        ),
    )

    id: Mapped[IntPk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[Name]
    role: Mapped[StaffRole] = mapped_column(str_enum(StaffRole, "position_role"))
    funding_source: Mapped[ShortText | None]
    authorized_on: Mapped[dt.date] = mapped_column(Date)
    abolished_on: Mapped[dt.date | None] = mapped_column(Date)
    # The abolished position this one re-authorizes (a grant renewed, a line moved to
    # another fund): a vacancy carried across keeps its age. No ON DELETE action: SQLite
    # does not report one for a column added in place (see revision 0006_people).
    reauthorizes_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    # The position that holds a role which must never be left empty, if this is one.
    protected_role: Mapped[ProtectedRole | None] = mapped_column(
        str_enum(ProtectedRole, "position_protected_role")
    )

    assignments: Mapped[list[PositionAssignment]] = relationship(back_populates="position")


class PositionAssignment(Versioned, Base):
    """Who filled a position, from when until when (open-ended while current)."""

    __tablename__ = "position_assignment"
    __table_args__ = (
        CheckConstraint("end_on IS NULL OR end_on >= start_on", name="end_after_start"),
    )

    id: Mapped[IntPk]
    position_id: Mapped[int] = mapped_column(
        ForeignKey("position.id", ondelete="CASCADE"), index=True
    )
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_member.id", ondelete="CASCADE"), index=True
    )
    start_on: Mapped[dt.date] = mapped_column(Date)
    end_on: Mapped[dt.date | None] = mapped_column(Date)

    position: Mapped[Position] = relationship(back_populates="assignments")
    staff: Mapped[StaffMember] = relationship(back_populates="assignments")
