"""Closed vocabularies of staffing, the leadership bench and the intern pipeline.

Kept apart from enums.py so each area's words live together; stored by value.
"""

from __future__ import annotations

import enum


class _Labelled(enum.StrEnum):
    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class SeparationReason(_Labelled):
    RESIGNED = "resigned"
    TRANSFERRED = "transferred"
    RETIRED = "retired"
    DISMISSED = "dismissed"
    END_OF_GRANT = "end_of_grant"


class LeaveKind(_Labelled):
    ANNUAL = "annual"
    SICK = "sick"
    FAMILY = "family"
    MILITARY = "military"
    INJURY = "injury"
    OTHER = "other"


class CredentialKind(_Labelled):
    """Licensure is optional (many units hire unlicensed master's-level clinicians under
    supervision); certifications such as CIT or first aid expire and are renewed."""

    LICENSE = "license"
    CERTIFICATION = "certification"


class ProtectedRole(enum.StrEnum):
    """Roles that must never be left empty: each needs a bench of successors."""

    SWORN_SUPERVISOR = "sworn_supervisor"
    CLINICAL_LEAD = "clinical_lead"
    DIRECTOR = "director"

    @property
    def label(self) -> str:
        return {"sworn_supervisor": "Sworn supervisor", "clinical_lead": "Clinical lead",
                "director": "Director"}[self.value]


class Readiness(enum.StrEnum):
    READY_NOW = "ready_now"
    WITHIN_YEAR = "within_year"
    DEVELOPING = "developing"

    @property
    def label(self) -> str:
        return {"ready_now": "Ready now", "within_year": "Ready within a year",
                "developing": "Developing"}[self.value]


class BenchActivityKind(_Labelled):
    ACTING = "acting"  # an acting assignment in the role
    TRAINING = "training"


class Stage(enum.StrEnum):
    """Where a candidate stands; PIPELINE is the order a card moves along the board."""

    APPLIED = "applied"
    SCREENED = "screened"
    INTERVIEWED = "interviewed"
    PLACED = "placed"
    MID_EVALUATION = "mid_evaluation"
    FINAL_EVALUATION = "final_evaluation"
    OFFERED = "offered"
    HIRED = "hired"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {"mid_evaluation": "Mid-placement evaluation",
                "final_evaluation": "Final evaluation"}.get(
            self.value, self.value.capitalize())

    @property
    def final(self) -> bool:
        return self in (Stage.HIRED, Stage.WITHDRAWN)


PIPELINE: tuple[Stage, ...] = tuple(s for s in Stage if s is not Stage.WITHDRAWN)


class EvaluationKind(_Labelled):
    MID_PLACEMENT = "mid_placement"
    FINAL = "final"
