"""Closed vocabularies of program governance; stored by value."""

from __future__ import annotations

import enum


class GovernanceModel(enum.StrEnum):
    """Whose program it is: one city's, a county's, or several agencies' together."""

    CITY = "city"
    COUNTY = "county"
    REGIONAL = "regional"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class PostKind(enum.StrEnum):
    """A box on the reporting-structure chart. The first four every program needs
    (DESIGN.md: who owns it, who controls the budget, who answers for outcomes, and one
    point of supervision and communication); `other` is anyone else on the chart."""

    PROGRAM_OWNER = "program_owner"
    BUDGET_HOLDER = "budget_holder"
    OUTCOMES_OWNER = "outcomes_owner"
    SUPERVISION_CONTACT = "supervision_contact"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _POST_LABELS[self]

    @property
    def required(self) -> bool:
        return self is not PostKind.OTHER


_POST_LABELS = {
    PostKind.PROGRAM_OWNER: "Program owner",
    PostKind.BUDGET_HOLDER: "Budget holder",
    PostKind.OUTCOMES_OWNER: "Outcomes owner",
    PostKind.SUPERVISION_CONTACT: "Supervision and communication",
    PostKind.OTHER: "Other",
}

REQUIRED_POSTS = tuple(k for k in PostKind if k.required)
