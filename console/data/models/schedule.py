"""Shifts and who works them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from console.data.base import Base, IntPk, LocalDateTime


class Shift(Base):
    """One staffed block of time; a shift may cross midnight."""

    __tablename__ = "shift"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[IntPk]
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    starts_at: Mapped[LocalDateTime] = mapped_column(index=True)
    ends_at: Mapped[LocalDateTime]
    label: Mapped[str] = mapped_column(String(40))

    assignments: Mapped[list[ShiftAssignment]] = relationship(
        back_populates="shift", cascade="all, delete-orphan"
    )

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at) / dt.timedelta(hours=1)


class ShiftAssignment(Base):
    __tablename__ = "shift_assignment"
    __table_args__ = {"sqlite_with_rowid": False}  # a pair of keys: one B-tree, not two

    shift_id: Mapped[int] = mapped_column(
        ForeignKey("shift.id", ondelete="CASCADE"), primary_key=True
    )
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_member.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    shift: Mapped[Shift] = relationship(back_populates="assignments")
