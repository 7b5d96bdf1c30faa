"""Closed vocabulary of referrals and the provider network (DESIGN.md, "Referrals")."""

from __future__ import annotations

import enum


class ProviderService(enum.StrEnum):
    """What a provider offers; a provider may offer several."""

    CRISIS_STABILIZATION = "crisis_stabilization"
    DETOX = "detox"
    OUTPATIENT = "outpatient"
    HOUSING = "housing"
    PEER_SUPPORT = "peer_support"
    PSYCHIATRIC_URGENT_CARE = "psychiatric_urgent_care"
    CASE_MANAGEMENT = "case_management"
    MOBILE_CRISIS = "mobile_crisis"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class VettingStatus(enum.StrEnum):
    """Whether the unit has checked the provider; referrals may name one not yet vetted."""

    NOT_VETTED = "not_vetted"
    VETTED = "vetted"
    LAPSED = "lapsed"
    SUSPENDED = "suspended"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class ReferralKind(enum.StrEnum):
    """A warm handoff connects the person to the provider in real time; information only
    hands over a number and hopes."""

    WARM_HANDOFF = "warm_handoff"
    INFORMATION_ONLY = "information_only"

    @property
    def label(self) -> str:
        return "Warm handoff" if self is ReferralKind.WARM_HANDOFF else "Information only"


class ReferralResult(enum.StrEnum):
    """What became of the referral; pending until the provider or the person says."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    NO_SHOW = "no_show"

    @property
    def label(self) -> str:
        return self.value.replace("_", "-").capitalize()
