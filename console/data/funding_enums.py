"""Closed vocabularies of the program's money: funding kinds, renewals, budget lines,
unit costs (stored by value, see base.str_enum)."""

from __future__ import annotations

import enum


class FundingKind(enum.StrEnum):
    GENERAL_FUND = "general_fund"
    COUNTY = "county"
    STATE = "state"
    GRANT = "grant"  # federal or foundation grants
    PARTNER = "partner"

    @property
    def label(self) -> str:
        return {FundingKind.GENERAL_FUND: "General fund", FundingKind.COUNTY: "County",
                FundingKind.STATE: "State", FundingKind.GRANT: "Grant",
                FundingKind.PARTNER: "Partner"}[self]


class RenewalStatus(enum.StrEnum):
    """Where the next term after a source's end date stands."""

    NONE = "none"  # no renewal sought or expected
    PENDING = "pending"  # asked for, not decided
    RENEWED = "renewed"  # decided: it continues past the end date
    DENIED = "denied"  # decided: it ends on the end date

    @property
    def label(self) -> str:
        return {RenewalStatus.NONE: "None", RenewalStatus.PENDING: "Pending",
                RenewalStatus.RENEWED: "Renewed", RenewalStatus.DENIED: "Denied"}[self]


class BudgetCategory(enum.StrEnum):
    PERSONNEL = "personnel"
    TRAINING = "training"
    VEHICLES = "vehicles"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class UnitCostKind(enum.StrEnum):
    ED_VISIT = "ed_visit"
    INPATIENT_DAY = "inpatient_day"
    JAIL_BOOKING = "jail_booking"
    OFFICER_HOUR = "officer_hour"
    AMBULANCE_TRANSPORT = "ambulance_transport"

    @property
    def label(self) -> str:
        return {UnitCostKind.ED_VISIT: "Emergency department visit",
                UnitCostKind.INPATIENT_DAY: "Psychiatric inpatient day",
                UnitCostKind.JAIL_BOOKING: "Jail booking",
                UnitCostKind.OFFICER_HOUR: "Patrol officer hour",
                UnitCostKind.AMBULANCE_TRANSPORT: "Ambulance transport"}[self]
