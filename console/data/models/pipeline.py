"""The intern pipeline: partner graduate programs, candidates, their stages and the
field-readiness evaluations that decide whether an intern becomes a hire."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from console.data.base import Base, IntPk, Name, Sealed, ShortText, Versioned, str_enum
from console.data.people_enums import EvaluationKind, Stage

RUBRIC = ("risk", "deescalation", "rapport", "command", "documentation")
SCORE_MIN, SCORE_MAX = 1, 5


class PartnerProgram(Versioned, Base):
    """A graduate program that places interns with the unit under an agreement."""

    __tablename__ = "partner_program"
    __table_args__ = (
        CheckConstraint("agreement_to IS NULL OR agreement_to > agreement_from",
                        name="agreement_ends_after"),
    )

    id: Mapped[IntPk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    university: Mapped[Name]
    degree: Mapped[ShortText]
    agreement_from: Mapped[dt.date] = mapped_column(Date)
    agreement_to: Mapped[dt.date | None] = mapped_column(Date)
    vetted: Mapped[bool] = mapped_column(default=False)
    vetted_by: Mapped[ShortText | None]
    vetted_on: Mapped[dt.date | None] = mapped_column(Date)
    contact: Mapped[Name | None]  # the field-placement office, not a protected person


class Candidate(Versioned, Base):
    """An applicant or intern. Name and contact are identities: sealed like people's names."""

    __tablename__ = "candidate"

    id: Mapped[IntPk]
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_program.id", ondelete="SET NULL"), index=True
    )
    cohort: Mapped[str] = mapped_column(String(20))  # the academic year, "2025-26"
    name: Mapped[Sealed]
    contact: Mapped[Sealed]
    stage: Mapped[Stage] = mapped_column(str_enum(Stage, "candidate_stage"))
    stage_since: Mapped[dt.date] = mapped_column(Date)


class CandidateStage(Base):
    """One move of a candidate into a stage: the history behind time in stage and
    conversion. Never edited; a skip carries its reason."""

    __tablename__ = "candidate_stage"

    id: Mapped[IntPk]
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[Stage] = mapped_column(str_enum(Stage, "history_stage"))
    entered_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)


class Evaluation(Versioned, Base):
    """A field-readiness evaluation on the rubric, each item scored 1 (not yet) to 5."""

    __tablename__ = "evaluation"
    __table_args__ = tuple(
        CheckConstraint(f"{item} BETWEEN {SCORE_MIN} AND {SCORE_MAX}", name=f"{item}_score")
        for item in RUBRIC
    )

    id: Mapped[IntPk]
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EvaluationKind] = mapped_column(str_enum(EvaluationKind, "evaluation_kind"))
    evaluated_on: Mapped[dt.date] = mapped_column(Date)
    evaluator: Mapped[ShortText]
    risk: Mapped[int]  # risk assessment under pressure
    deescalation: Mapped[int]
    rapport: Mapped[int]
    command: Mapped[int]  # fluency with the command structure
    documentation: Mapped[int]
    notes: Mapped[Sealed]  # about an identified candidate: sealed, hidden from analysts
