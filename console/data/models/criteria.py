"""Activation criteria: which call types are the unit's, in versions with a date each."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from console.data.base import Base, IntPk, LocalDateTime, Name, ShortText, Versioned


class CriteriaVersion(Versioned, Base):
    """One version of the activation criteria, in force from `effective_on`.

    A draft (`applied_at` None) may be edited or deleted and decides nothing; once
    applied it re-classified the calls from its date on and never changes again (a
    correction is a new version). Calls received before the first applied version keep
    the scope their import gave them.
    """

    __tablename__ = "criteria_version"
    __table_args__ = (UniqueConstraint("program_id", "name"),)

    id: Mapped[IntPk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[Name]
    effective_on: Mapped[dt.date] = mapped_column(Date)
    approved_by: Mapped[str] = mapped_column(String(120), default="")
    approved_on: Mapped[dt.date | None] = mapped_column(Date)
    policy_reference: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    applied_at: Mapped[LocalDateTime | None]
    applied_by: Mapped[str] = mapped_column(String(120), default="")


class CriteriaEntry(Base):
    """A call type in or out of scope under one version, and why."""

    __tablename__ = "criteria_entry"
    __table_args__ = (UniqueConstraint("version_id", "call_type"),)

    id: Mapped[IntPk]
    version_id: Mapped[int] = mapped_column(
        ForeignKey("criteria_version.id", ondelete="CASCADE"), index=True
    )
    call_type: Mapped[ShortText]
    in_scope: Mapped[bool]
    reason: Mapped[str] = mapped_column(Text, default="")
