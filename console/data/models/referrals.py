"""The provider network and the referrals the unit makes to it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from console.data.base import (
    Base,
    IntPk,
    LocalDateTime,
    Name,
    Sealed,
    ShortText,
    Versioned,
    str_enum,
)
from console.data.referral_enums import ReferralKind, ReferralResult, VettingStatus


class Provider(Versioned, Base):
    """A service the unit refers people to. Retired, never deleted once it has referrals.

    `services` holds ProviderService values separated by commas: a short closed list
    read whole, which needs no table of its own.
    """

    __tablename__ = "provider"
    __table_args__ = (UniqueConstraint("program_id", "name"),)

    id: Mapped[IntPk]
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    name: Mapped[Name]
    services: Mapped[str] = mapped_column(Text, default="")
    catchment: Mapped[str] = mapped_column(Text, default="")
    contacts: Mapped[str] = mapped_column(Text, default="")
    hours: Mapped[str] = mapped_column(Text, default="")
    # What the provider says it offers; the scorecard measures what it actually answers.
    after_hours: Mapped[bool] = mapped_column(default=False)
    vetting: Mapped[VettingStatus] = mapped_column(
        str_enum(VettingStatus, "vetting_status"), default=VettingStatus.NOT_VETTED
    )
    vetted_on: Mapped[dt.date | None] = mapped_column(Date)
    vetted_by: Mapped[ShortText | None]
    mou_signed_on: Mapped[dt.date | None] = mapped_column(Date)
    mou_renewal_due: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    retired_on: Mapped[dt.date | None] = mapped_column(Date)


class Referral(Versioned, Base):
    """One referral of the person on a call to a provider.

    `referred_at` is when the responder made the handoff (or handed the number over);
    `contact_made` says whether the provider was reached then (None: not recorded),
    `contact_attempts` how many tries it took. One referral per call and provider, which
    is also the key a second import of the same file upserts on.
    """

    __tablename__ = "referral"
    __table_args__ = (
        UniqueConstraint("call_id", "provider_id"),
        CheckConstraint("contact_attempts >= 0", name="attempts_not_negative"),
    )

    id: Mapped[IntPk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("provider.id", ondelete="RESTRICT"), index=True
    )
    # The responder who made it: their follow-up queue.
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_member.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[ReferralKind] = mapped_column(str_enum(ReferralKind, "referral_kind"))
    referred_at: Mapped[LocalDateTime] = mapped_column(index=True)
    contact_made: Mapped[bool | None]
    contact_attempts: Mapped[int] = mapped_column(default=0)
    first_service_at: Mapped[LocalDateTime | None]
    result: Mapped[ReferralResult] = mapped_column(
        str_enum(ReferralResult, "referral_result"), default=ReferralResult.PENDING
    )
    outcome_notes: Mapped[Sealed]


class FollowUpContact(Base):
    """The unit's own follow-up with the person after a referral."""

    __tablename__ = "follow_up_contact"

    id: Mapped[IntPk]
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    contacted_at: Mapped[LocalDateTime]
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id", ondelete="SET NULL"))
    reached: Mapped[bool] = mapped_column(default=False)
    note: Mapped[Sealed]
