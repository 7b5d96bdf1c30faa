"""Complaints about the unit's work: the case, its history, its checklist and documents.

The narrative, the complainant's identity, notes, the closing letter and attachments
are Sealed (console.data.crypto): the database file, its WAL and its backups never
hold them in clear. Accesses to them are recorded in the audit trail, not here.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from console.data.base import Base, IntPk, LocalDateTime, Name, Sealed, Versioned, str_enum
from console.data.complaint_enums import (
    AllegationCategory,
    CaseEventKind,
    Channel,
    ChecklistStatus,
    Classification,
    ComplaintState,
    DocumentKind,
    Finding,
)


class ComplaintSettings(Versioned, Base):
    """A program's deadline defaults (business days per step) and whose holidays count."""

    __tablename__ = "complaint_settings"

    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    country: Mapped[str] = mapped_column(String(2), default="US")
    # The state (ISO 3166-2 subdivision, e.g. "IL") whose public holidays count; None:
    # the country's holidays only.
    subdivision: Mapped[str | None] = mapped_column(String(10))
    acknowledge_days: Mapped[int] = mapped_column(default=3)
    classify_days: Mapped[int] = mapped_column(default=30)
    review_days: Mapped[int] = mapped_column(default=90)
    decision_days: Mapped[int] = mapped_column(default=10)
    close_days: Mapped[int] = mapped_column(default=10)


class ClosureDay(Base):
    """A day the program's office is closed beyond public holidays (a city furlough day)."""

    __tablename__ = "closure_day"
    __table_args__ = (UniqueConstraint("program_id", "day"),)

    id: Mapped[IntPk]
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    day: Mapped[dt.date] = mapped_column(Date)
    label: Mapped[Name]


class ReportingLine(Base):
    """Whom a staff member reports to: the direct chain a reviewer must stand outside."""

    __tablename__ = "reporting_line"

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_member.id", ondelete="CASCADE"), primary_key=True,
        autoincrement=False)
    supervisor_id: Mapped[int] = mapped_column(
        ForeignKey("staff_member.id", ondelete="CASCADE"), index=True)


class UserStaffLink(Base):
    """The staff member a user account is: how a signed-in reviewer meets their cases,
    and how a subject is kept from the complainant's identity."""

    __tablename__ = "user_staff_link"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True,
        autoincrement=False)
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_member.id", ondelete="CASCADE"), unique=True)


class Complaint(Versioned, Base):
    __tablename__ = "complaint"
    __table_args__ = (
        UniqueConstraint("program_id", "reference"),
        Index("ix_complaint_state_due_on", "state", "due_on"),
    )

    id: Mapped[IntPk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(20))
    received_on: Mapped[dt.date] = mapped_column(Date, index=True)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "complaint_channel"))
    anonymous: Mapped[bool] = mapped_column(default=False)
    complainant_name: Mapped[Sealed]
    complainant_contact: Mapped[Sealed]
    narrative: Mapped[Sealed]
    call_id: Mapped[int | None] = mapped_column(ForeignKey("call.id", ondelete="SET NULL"))
    state: Mapped[ComplaintState] = mapped_column(
        str_enum(ComplaintState, "complaint_state"))
    # The day the current deadline step began, and its deadline (None once finished).
    step_started_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    classification: Mapped[Classification | None] = mapped_column(
        str_enum(Classification, "complaint_classification"))
    reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_member.id", ondelete="RESTRICT"), index=True)
    proposed_finding: Mapped[Finding | None] = mapped_column(
        str_enum(Finding, "complaint_proposed_finding"))
    finding: Mapped[Finding | None] = mapped_column(str_enum(Finding, "complaint_finding"))
    decision: Mapped[str | None] = mapped_column(Text)
    closing_letter: Mapped[Sealed]
    finished_on: Mapped[dt.date | None] = mapped_column(Date)

    subjects: Mapped[list[ComplaintSubject]] = relationship(
        cascade="all, delete-orphan", order_by="ComplaintSubject.staff_id")
    categories: Mapped[list[ComplaintCategory]] = relationship(
        cascade="all, delete-orphan", order_by="ComplaintCategory.category")
    checklist: Mapped[list[ChecklistItem]] = relationship(
        cascade="all, delete-orphan", order_by="ChecklistItem.id")


class ComplaintSubject(Base):
    """A staff member the complaint is about."""

    __tablename__ = "complaint_subject"

    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaint.id", ondelete="CASCADE"), primary_key=True)
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_member.id", ondelete="RESTRICT"), primary_key=True, index=True)


class ComplaintCategory(Base):
    __tablename__ = "complaint_category"

    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaint.id", ondelete="CASCADE"), primary_key=True)
    category: Mapped[AllegationCategory] = mapped_column(
        str_enum(AllegationCategory, "allegation_category"), primary_key=True)


class CaseEvent(Base):
    """One entry of a case's history: intake, each transition with its note, notes."""

    __tablename__ = "complaint_event"

    id: Mapped[IntPk]
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    at: Mapped[LocalDateTime]
    actor: Mapped[str] = mapped_column(String(120))
    kind: Mapped[CaseEventKind] = mapped_column(str_enum(CaseEventKind, "case_event_kind"))
    action: Mapped[str | None] = mapped_column(String(40))
    from_state: Mapped[ComplaintState | None] = mapped_column(
        str_enum(ComplaintState, "event_from_state"))
    to_state: Mapped[ComplaintState | None] = mapped_column(
        str_enum(ComplaintState, "event_to_state"))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[Sealed]


class ChecklistItem(Versioned, Base):
    """A document a step of this case requires, and whether it is in the file."""

    __tablename__ = "complaint_checklist"
    __table_args__ = (UniqueConstraint("complaint_id", "kind"),)

    id: Mapped[IntPk]
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"))
    kind: Mapped[DocumentKind] = mapped_column(str_enum(DocumentKind, "document_kind"))
    status: Mapped[ChecklistStatus] = mapped_column(
        str_enum(ChecklistStatus, "checklist_status"), default=ChecklistStatus.OPEN)
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    done_by: Mapped[str | None] = mapped_column(String(120))
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaint_attachment.id", ondelete="SET NULL"))


class ComplaintAttachment(Base):
    """A document kept inside the database, sealed: never a plain file beside it.

    `content` is the file's bytes, base64, sealed; its size is kept in clear so lists and
    limits need not open it.
    """

    __tablename__ = "complaint_attachment"

    id: Mapped[IntPk]
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    filename: Mapped[Sealed]
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    content: Mapped[Sealed]
    added_at: Mapped[LocalDateTime]
    added_by: Mapped[str] = mapped_column(String(120))


__all__ = [
    "CaseEvent", "ChecklistItem", "ClosureDay", "Complaint", "ComplaintAttachment",
    "ComplaintCategory", "ComplaintSettings", "ComplaintSubject", "ReportingLine",
    "UserStaffLink",
]
