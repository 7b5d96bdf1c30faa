"""Who governs the program: its model, what each agency does, the posts on the
reporting-structure chart, who held each post when, and who reports to whom.

Holders keep their dates (a post's history is its holders), so the owner_missing
warning can be read as of any week. The reporting lines here join posts of the
program's governance; complaints' ``reporting_line`` is a different thing (a staff
member's direct supervisor, which a complaint reviewer must stand outside).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from console.data.base import Base, IntPk, Name, Versioned, str_enum
from console.data.governance_enums import GovernanceModel, PostKind


class ProgramGovernance(Versioned, Base):
    """The program's governance model (one row per program, written on first edit)."""

    __tablename__ = "program_governance"

    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    model: Mapped[GovernanceModel] = mapped_column(
        str_enum(GovernanceModel, "governance_model"))
    notes: Mapped[str] = mapped_column(Text, default="")


class AgencyResponsibility(Versioned, Base):
    """What a participating agency does in the program, in a sentence or two."""

    __tablename__ = "agency_responsibility"

    agency_id: Mapped[int] = mapped_column(
        ForeignKey("agency.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    responsibility: Mapped[str] = mapped_column(Text, default="")


class GovernancePost(Versioned, Base):
    """A box on the chart: one of the four required posts, or another (a chief)."""

    __tablename__ = "governance_post"
    __table_args__ = (UniqueConstraint("program_id", "title"),)

    id: Mapped[IntPk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True)
    kind: Mapped[PostKind] = mapped_column(str_enum(PostKind, "post_kind"))
    title: Mapped[Name]


class GovernanceHolder(Versioned, Base):
    """Who held a post from when until when: a staff member of the unit, or a named
    person outside it (a deputy chief), with what the sworn-owner rule needs to know."""

    __tablename__ = "governance_holder"
    __table_args__ = (
        CheckConstraint("until_on IS NULL OR until_on >= since_on", name="until_after_since"),
    )

    id: Mapped[IntPk]
    post_id: Mapped[int] = mapped_column(
        ForeignKey("governance_post.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_member.id", ondelete="SET NULL"))
    # Always kept (copied from the staff member when one is named): the history reads
    # the same after the staff record is gone.
    name: Mapped[Name]
    rank: Mapped[str | None] = mapped_column(String(40))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="SET NULL"))
    sworn: Mapped[bool] = mapped_column(default=False)
    acting: Mapped[bool] = mapped_column(default=False)
    since_on: Mapped[dt.date] = mapped_column(Date)
    until_on: Mapped[dt.date | None] = mapped_column(Date)


class GovernanceLine(Versioned, Base):
    """One post reports to another (a dotted line: coordinates with, no authority)."""

    __tablename__ = "governance_line"
    __table_args__ = (
        UniqueConstraint("post_id", "reports_to_id"),
        CheckConstraint("post_id <> reports_to_id", name="not_to_itself"),
    )

    id: Mapped[IntPk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("governance_post.id", ondelete="CASCADE"), index=True)
    reports_to_id: Mapped[int] = mapped_column(
        ForeignKey("governance_post.id", ondelete="CASCADE"), index=True)
    dotted: Mapped[bool] = mapped_column(default=False)
