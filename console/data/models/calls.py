"""Calls for service that involved (or could have involved) the co-responder unit."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from console.data.base import (
    Base,
    IntPk,
    LocalDateTime,
    Sealed,
    ShortText,
    Versioned,
    str_enum,
)
from console.data.enums import Activation, CallSource, Disposition


class Person(Versioned, Base):
    """A person seen on calls, known only by a keyed pseudonym.

    The key is a keyed hash (Vault.keyed_hash) of identifying details, so repeat calls
    are matched without decrypting; the name and contact details are stored sealed.
    """

    __tablename__ = "person"

    id: Mapped[IntPk]
    # A unique index rather than a UNIQUE constraint: the same guarantee, but an index
    # can be dropped and rebuilt around a bulk load (one sort, not random inserts).
    person_key: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    name: Mapped[Sealed]
    contact: Mapped[Sealed]


call_responder = Table(
    "call_responder",
    Base.metadata,
    Column("call_id", ForeignKey("call.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "staff_id", ForeignKey("staff_member.id", ondelete="CASCADE"), primary_key=True,
        index=True,
    ),
    # A pair of keys only: without a rowid, SQLite keeps one B-tree instead of two.
    sqlite_with_rowid=False,
)


class Call(Versioned, Base):
    __tablename__ = "call"
    __table_args__ = (
        # An incident number is unique within the agency whose CAD issued it.
        UniqueConstraint("agency_id", "incident_number"),
        # Keyset pages of the Calls table sort on these with the id as tie-breaker.
        Index("ix_call_received_at_id", "received_at", "id"),
        Index("ix_call_final_call_type_id", "final_call_type", "id"),
        Index("ix_call_disposition_id", "disposition", "id"),
        Index("ix_call_activation_id", "activation", "id"),
        Index("ix_call_incident_number_id", "incident_number", "id"),
        Index("ix_call_beat_id", "beat", "id"),
    )

    id: Mapped[IntPk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"))
    incident_number: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[LocalDateTime]
    dispatched_at: Mapped[LocalDateTime | None]
    arrived_at: Mapped[LocalDateTime | None]
    cleared_at: Mapped[LocalDateTime | None]
    patrol_cleared_at: Mapped[LocalDateTime | None]
    initial_call_type: Mapped[ShortText | None]
    final_call_type: Mapped[ShortText | None]
    priority: Mapped[int | None]
    source: Mapped[CallSource | None] = mapped_column(str_enum(CallSource, "call_source"))
    activation: Mapped[Activation | None] = mapped_column(str_enum(Activation, "activation"))
    # Not indexed: officers are counted per date range, which received_at serves, and
    # staff rows are never deleted (they separate), so the foreign key needs no index.
    requesting_officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_member.id", ondelete="SET NULL")
    )
    in_scope: Mapped[bool | None]
    disposition: Mapped[Disposition | None] = mapped_column(
        str_enum(Disposition, "disposition")
    )
    use_of_force: Mapped[bool] = mapped_column(default=False)
    subject_injured: Mapped[bool] = mapped_column(default=False)
    officer_injured: Mapped[bool] = mapped_column(default=False)
    responder_injured: Mapped[bool] = mapped_column(default=False)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    # Block-level address, keyed hash: repeat locations without addresses in clear.
    location_key: Mapped[str | None] = mapped_column(String(64), index=True)
    precinct: Mapped[str | None] = mapped_column(String(40))
    sector: Mapped[str | None] = mapped_column(String(40))
    beat: Mapped[str | None] = mapped_column(String(40))
    narrative: Mapped[Sealed]  # only where the source provides one

    person: Mapped[Person | None] = relationship()
    responders = relationship("StaffMember", secondary=call_responder, viewonly=True)
