"""What the roster rules read besides shifts: days away, minimum staffing, shift needs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from console.data.base import Base, IntPk, LocalDateTime, ShortText, str_enum
from console.data.enums import StaffRole
from console.data.schedule_enums import DutyAwayKind, TradeStatus


class DutyAway(Base):
    """A training or court day: the person cannot be rostered that day."""

    __tablename__ = "duty_away"
    __table_args__ = (UniqueConstraint("staff_id", "day"),)

    id: Mapped[IntPk]
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_member.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[DutyAwayKind] = mapped_column(str_enum(DutyAwayKind, "duty_away_kind"))


class StaffingMinimum(Base):
    """At least `minimum` people of `role` on shift in every hour of a daily band
    (start_hour to end_hour; a band with end_hour <= start_hour runs past midnight)."""

    __tablename__ = "staffing_minimum"
    __table_args__ = (
        CheckConstraint("start_hour >= 0 AND start_hour < 24", name="start_hour_of_day"),
        CheckConstraint("end_hour >= 0 AND end_hour <= 24", name="end_hour_of_day"),
        CheckConstraint("minimum >= 1", name="minimum_positive"),
    )

    id: Mapped[IntPk]
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    start_hour: Mapped[int]
    end_hour: Mapped[int]
    role: Mapped[StaffRole] = mapped_column(str_enum(StaffRole, "minimum_role"))
    minimum: Mapped[int]


class ShiftRequirement(Base):
    """A credential someone on the shift must hold (e.g. cleared for solo follow-up)."""

    __tablename__ = "shift_requirement"
    __table_args__ = {"sqlite_with_rowid": False}

    shift_id: Mapped[int] = mapped_column(
        ForeignKey("shift.id", ondelete="CASCADE"), primary_key=True
    )
    credential: Mapped[str] = mapped_column(String(80), primary_key=True)


class ShiftTrade(Base):
    """One person's shift handed to another, decided by a supervisor against the rules."""

    __tablename__ = "shift_trade"
    __table_args__ = (CheckConstraint("from_staff_id <> to_staff_id", name="two_people"),)

    id: Mapped[IntPk]
    shift_id: Mapped[int] = mapped_column(ForeignKey("shift.id", ondelete="CASCADE"),
                                          index=True)
    from_staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_member.id", ondelete="CASCADE"))
    to_staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id", ondelete="CASCADE"))
    status: Mapped[TradeStatus] = mapped_column(str_enum(TradeStatus, "trade_status"),
                                                default=TradeStatus.REQUESTED)
    requested_on: Mapped[dt.date] = mapped_column(Date)
    decided_by: Mapped[ShortText | None]
    decided_on: Mapped[dt.date | None] = mapped_column(Date)


class RosterVersion(Base):
    """A published roster of a period, kept whole: who published it, when, and what."""

    __tablename__ = "roster_version"
    __table_args__ = (UniqueConstraint("program_id", "number"),
                      CheckConstraint("last_day >= first_day", name="period_order"))

    id: Mapped[IntPk]
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    number: Mapped[int]
    first_day: Mapped[dt.date] = mapped_column(Date)
    last_day: Mapped[dt.date] = mapped_column(Date)
    published_by: Mapped[ShortText]
    published_at: Mapped[LocalDateTime]
    # JSON: [[starts ISO, ends ISO, label, [staff keys]], ...] in time order.
    content: Mapped[str] = mapped_column(Text)


class ShiftTemplate(Base):
    """A recurring shift: its start, length and days of the week (a period is generated
    from the templates, then edited). days: seven characters Monday first, 'x' a day
    worked, '-' not ('xxxxx--': weekdays)."""

    __tablename__ = "shift_template"
    __table_args__ = (
        CheckConstraint("length_minutes > 0 AND length_minutes <= 1440", name="length_of_day"),
        CheckConstraint("start_minute >= 0 AND start_minute < 1440", name="start_in_day"),
    )

    id: Mapped[IntPk]
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(40))
    start_minute: Mapped[int]
    length_minutes: Mapped[int]
    days: Mapped[str] = mapped_column(String(7))
    # What a shift from it needs, e.g. "solo follow-up" (comma-separated credentials).
    requires: Mapped[str | None] = mapped_column(String(200))
