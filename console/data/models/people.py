"""What staffing needs beyond who holds which position: leave, credentials, cross
training, and the bench of successors for the roles that must never be empty."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from console.data.base import Base, IntPk, Name, ShortText, Versioned, str_enum
from console.data.people_enums import (
    BenchActivityKind,
    CredentialKind,
    LeaveKind,
    ProtectedRole,
    Readiness,
)


def _staff_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("staff_member.id", ondelete="CASCADE"), index=True)


class StaffLeave(Versioned, Base):
    """A spell of leave; ends_on is the expected return (first day back), None if unknown."""

    __tablename__ = "staff_leave"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on > starts_on", name="return_after_start"),
    )

    id: Mapped[IntPk]
    staff_id: Mapped[int] = _staff_fk()
    kind: Mapped[LeaveKind] = mapped_column(str_enum(LeaveKind, "leave_kind"))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)


class Credential(Versioned, Base):
    """A license or certification; expires_on None for one that does not lapse."""

    __tablename__ = "credential"
    __table_args__ = (
        CheckConstraint("expires_on IS NULL OR expires_on > issued_on",
                        name="expires_after_issue"),
    )

    id: Mapped[IntPk]
    staff_id: Mapped[int] = _staff_fk()
    kind: Mapped[CredentialKind] = mapped_column(str_enum(CredentialKind, "credential_kind"))
    name: Mapped[ShortText]
    issued_on: Mapped[dt.date] = mapped_column(Date)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)


class CrossTraining(Versioned, Base):
    """Training in another part of the work (a clinician in radio procedure, an officer in
    safety planning): who can cover for whom."""

    __tablename__ = "cross_training"

    id: Mapped[IntPk]
    staff_id: Mapped[int] = _staff_fk()
    subject: Mapped[Name]
    completed_on: Mapped[dt.date] = mapped_column(Date)
    hours: Mapped[int | None]


class BenchCandidate(Versioned, Base):
    """Someone who could step into a protected role, and how ready they are."""

    __tablename__ = "bench_candidate"
    __table_args__ = (UniqueConstraint("role", "staff_id"),)

    id: Mapped[IntPk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[ProtectedRole] = mapped_column(str_enum(ProtectedRole, "protected_role"))
    staff_id: Mapped[int] = _staff_fk()
    readiness: Mapped[Readiness] = mapped_column(str_enum(Readiness, "readiness"))
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")


class BenchActivity(Versioned, Base):
    """An acting assignment in the role, or training towards it."""

    __tablename__ = "bench_activity"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
    )

    id: Mapped[IntPk]
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("bench_candidate.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[BenchActivityKind] = mapped_column(
        str_enum(BenchActivityKind, "bench_activity_kind"))
    title: Mapped[Name]
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
