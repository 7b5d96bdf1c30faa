"""The program, its participating agencies and its events."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from console.data.base import Base, IntPk, Name, Versioned, str_enum
from console.data.enums import AgencyKind, EventKind


class Program(Versioned, Base):
    """One co-responder program; a shared server may hold several."""

    __tablename__ = "program"

    id: Mapped[IntPk]
    name: Mapped[Name] = mapped_column(unique=True)
    jurisdiction: Mapped[Name]
    timezone: Mapped[str] = mapped_column(String(64), default="America/Chicago")
    started_on: Mapped[dt.date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")

    agencies: Mapped[list[Agency]] = relationship(back_populates="program")


class Agency(Versioned, Base):
    """A participating agency: police department, sheriff, behavioral-health partner."""

    __tablename__ = "agency"
    __table_args__ = (UniqueConstraint("program_id", "name"),)

    id: Mapped[IntPk]
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    name: Mapped[Name]
    kind: Mapped[AgencyKind] = mapped_column(str_enum(AgencyKind, "agency_kind"))
    is_lead: Mapped[bool] = mapped_column(default=False)

    program: Mapped[Program] = relationship(back_populates="agencies")


class ProgramEvent(Versioned, Base):
    """Something that happened to the program: visibility work or a structural change."""

    __tablename__ = "program_event"

    id: Mapped[IntPk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    occurred_on: Mapped[dt.date] = mapped_column(Date, index=True)
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind, "event_kind"))
    title: Mapped[Name]
    notes: Mapped[str] = mapped_column(Text, default="")
