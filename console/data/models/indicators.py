"""What the early-warning engine keeps: edited thresholds, acknowledgements, what each
user has seen, each of one program. The series themselves are computed from the data,
never stored."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from console.data.base import Base, IntPk, LocalDateTime, Versioned

_SEVERITY_CHECK = "severity IN ('ok', 'watch', 'warning', 'critical')"


class IndicatorThreshold(Versioned, Base):
    """A supervisor's thresholds for one indicator, replacing its defaults."""

    __tablename__ = "indicator_threshold"

    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), primary_key=True)
    indicator_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    watch: Mapped[float] = mapped_column(Float)
    warning: Mapped[float] = mapped_column(Float)
    critical: Mapped[float] = mapped_column(Float)


class AlertAcknowledgement(Base):
    """Someone saw an alert and says what is being done, until a review date."""

    __tablename__ = "alert_acknowledgement"
    __table_args__ = (CheckConstraint(_SEVERITY_CHECK, name="severity_known"),)

    id: Mapped[IntPk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[str] = mapped_column(String(40), index=True)
    # The first week of the alert acknowledged: a later alert of the same indicator
    # starts another week and is not covered by this acknowledgement.
    flagged_since: Mapped[dt.date | None] = mapped_column(Date)
    severity: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text)
    review_on: Mapped[dt.date | None] = mapped_column(Date)
    acknowledged_by: Mapped[str] = mapped_column(String(120))
    acknowledged_at: Mapped[LocalDateTime]


class IndicatorSeen(Base):
    """The severity a user last saw for an indicator: the sign-in banner tells what got worse."""

    __tablename__ = "indicator_seen"
    __table_args__ = (CheckConstraint(_SEVERITY_CHECK, name="severity_known"),)

    username: Mapped[str] = mapped_column(String(60), primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), primary_key=True)
    indicator_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    severity: Mapped[str] = mapped_column(String(10))
    seen_at: Mapped[LocalDateTime]
