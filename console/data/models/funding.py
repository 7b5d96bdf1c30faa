"""The program's money: budget lines, funding sources, the positions each source pays
for, and the unit costs that price avoided outcomes.

Amounts are whole cents (integers): exact on SQLite and PostgreSQL alike, with no float
rounding in sums.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from console.data.base import Base, IntPk, Name, Versioned, str_enum
from console.data.funding_enums import BudgetCategory, FundingKind, RenewalStatus, UnitCostKind


class FundingSource(Versioned, Base):
    """Money the program receives: an appropriation, a contract or a grant.

    `annual_cents` is the amount a year while the source runs. `end_on` is the last day
    of the current term (inclusive); None for an ongoing appropriation. `renewal` says
    where the term after `end_on` stands (console.services.funding.runway reads it).
    """

    __tablename__ = "funding_source"
    __table_args__ = (
        UniqueConstraint("program_id", "name"),
        CheckConstraint("end_on IS NULL OR end_on >= start_on", name="ends_after_start"),
        CheckConstraint("annual_cents >= 0", name="amount_not_negative"),
    )

    id: Mapped[IntPk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[Name]
    kind: Mapped[FundingKind] = mapped_column(str_enum(FundingKind, "funding_kind"))
    annual_cents: Mapped[int] = mapped_column(default=0)
    start_on: Mapped[dt.date] = mapped_column(Date)
    end_on: Mapped[dt.date | None] = mapped_column(Date)
    renewal: Mapped[RenewalStatus] = mapped_column(
        str_enum(RenewalStatus, "renewal_status"), default=RenewalStatus.NONE
    )
    notes: Mapped[str] = mapped_column(Text, default="")

    positions: Mapped[list[FundedPosition]] = relationship(
        back_populates="source", cascade="all, delete-orphan", passive_deletes=True
    )


class FundedPosition(Versioned, Base):
    """A source pays `share_percent` of a position (100: all of it)."""

    __tablename__ = "funded_position"
    __table_args__ = (
        UniqueConstraint("source_id", "position_id"),
        CheckConstraint("share_percent > 0 AND share_percent <= 100", name="share_in_range"),
    )

    id: Mapped[IntPk]
    source_id: Mapped[int] = mapped_column(
        ForeignKey("funding_source.id", ondelete="CASCADE"), index=True
    )
    position_id: Mapped[int] = mapped_column(
        ForeignKey("position.id", ondelete="CASCADE"), index=True
    )
    share_percent: Mapped[int] = mapped_column(default=100)

    source: Mapped[FundingSource] = relationship(back_populates="positions")


class BudgetLine(Versioned, Base):
    """One line of a fiscal year's budget. `fiscal_year` is the calendar year the fiscal
    year ends in (FY2027 runs July 2026 - June 2027 with a July start)."""

    __tablename__ = "budget_line"
    __table_args__ = (CheckConstraint("amount_cents >= 0", name="amount_not_negative"),)

    id: Mapped[IntPk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    fiscal_year: Mapped[int]
    category: Mapped[BudgetCategory] = mapped_column(str_enum(BudgetCategory, "budget_category"))
    description: Mapped[Name]
    amount_cents: Mapped[int] = mapped_column(default=0)


class UnitCost(Versioned, Base):
    """What one outcome costs the public, with where the figure comes from.

    `year` is the year the figure is priced in; `checked_on` when someone last confirmed
    the source still says so.
    """

    __tablename__ = "unit_cost"
    __table_args__ = (
        UniqueConstraint("program_id", "kind"),
        CheckConstraint("amount_cents > 0", name="amount_positive"),
    )

    id: Mapped[IntPk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[UnitCostKind] = mapped_column(str_enum(UnitCostKind, "unit_cost_kind"))
    amount_cents: Mapped[int]
    source: Mapped[str] = mapped_column(Text)
    year: Mapped[int]
    checked_on: Mapped[dt.date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
