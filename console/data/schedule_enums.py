"""Closed vocabulary of the roster; kept apart from enums.py so the area's words live together."""

from __future__ import annotations

import enum


class DutyAwayKind(enum.StrEnum):
    """A day a person is on duty but not available for shifts (leave is StaffLeave)."""

    TRAINING = "training"
    COURT = "court"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class RosterAbsence(enum.StrEnum):
    """A day off a roster export names: leave (StaffLeave's kinds) or a day away."""

    ANNUAL = "annual"
    SICK = "sick"
    FAMILY = "family"
    MILITARY = "military"
    INJURY = "injury"
    OTHER = "other"
    TRAINING = "training"
    COURT = "court"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class TradeStatus(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return self.value.capitalize()
