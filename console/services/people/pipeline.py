"""The intern pipeline: partner graduate programs, candidates on the board, moves
between stages, and field-readiness evaluations.

Candidates' names and contact details are identities: sealed before they reach a
session, opened only for roles allowed to view identities. Everyone else sees a
candidate as "Candidate 12" with their partner program, cohort and stage.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.data.base import sealed_purpose
from console.data.models import Candidate, CandidateStage, Evaluation, PartnerProgram
from console.data.models.pipeline import RUBRIC, SCORE_MAX, SCORE_MIN
from console.data.people_enums import EvaluationKind, Stage
from console.errors import UserError
from console.services.access import Access, Action, EditConflict, require
from console.services.people.stages import Path, check_move
from console.services.program_scope import current_program_id_or_none

NAME = sealed_purpose("candidate", "name")
CONTACT = sealed_purpose("candidate", "contact")
NOTES = sealed_purpose("evaluation", "notes")


@dataclass(frozen=True)
class PartnerRow:
    id: int
    university: str
    degree: str
    agreement_from: dt.date
    agreement_to: dt.date | None
    vetted: bool
    vetted_by: str | None
    vetted_on: dt.date | None
    contact: str | None


def partners(access: Access) -> list[PartnerRow]:
    with access.reading(Action.VIEW_STAFF) as session:
        return [PartnerRow(p.id, p.university, p.degree, p.agreement_from, p.agreement_to,
                           p.vetted, p.vetted_by, p.vetted_on, p.contact)
                for p in session.scalars(select(PartnerProgram).order_by(PartnerProgram.id))]


def _program_id(session: Session) -> int:
    program_id = current_program_id_or_none(session)
    if program_id is None:
        raise UserError("no program in this database yet")
    return program_id


def add_partner(access: Access, university: str, degree: str, agreement_from: dt.date,
                agreement_to: dt.date | None = None, contact: str | None = None) -> int:
    if not university.strip() or not degree.strip():
        raise UserError("a partner program needs its university and its degree")
    if agreement_to is not None and agreement_to <= agreement_from:
        raise UserError(f"{university.strip()}: the agreement ends {agreement_to}, "
                        f"before it starts {agreement_from}")
    with access.writing(Action.EDIT_STAFF, f"partner {university.strip()}") as session:
        row = PartnerProgram(program_id=_program_id(session), university=university.strip(),
                             degree=degree.strip(), agreement_from=agreement_from,
                             agreement_to=agreement_to, contact=(contact or "").strip() or None)
        session.add(row)
        session.flush()
        return row.id


def vet_partner(access: Access, partner_id: int, vetted_on: dt.date) -> None:
    """Record that the partner program was vetted, and by whom (the acting user)."""
    with access.writing(Action.EDIT_STAFF, f"partner {partner_id}") as session:
        row = session.get(PartnerProgram, partner_id)
        if row is None:
            raise UserError(f"partner program {partner_id} does not exist")
        row.vetted, row.vetted_on = True, vetted_on
        row.vetted_by = access.actor.display_name or access.actor.username


@dataclass(frozen=True)
class Card:
    """A candidate as the board shows them."""

    id: int
    label: str  # the name for roles allowed identities, else "Candidate 12"
    partner: str | None
    cohort: str
    stage: Stage
    stage_since: dt.date
    days_in_stage: int
    version: int


def add_candidate(access: Access, name: str, *, cohort: str, applied_on: dt.date,
                  partner_id: int | None = None, contact: str | None = None) -> int:
    """A new applicant, at the first stage; the name and contact are sealed."""
    require(access.actor, Action.EDIT_STAFF)
    if not name.strip():
        raise UserError("a candidate needs a name")
    if not cohort.strip():
        raise UserError(f"{name.strip()}: give the cohort (the academic year, e.g. 2025-26)")
    vault = access.vault
    with access.writing(Action.EDIT_IDENTITIES, "a candidate") as session:
        if partner_id is not None and session.get(PartnerProgram, partner_id) is None:
            raise UserError(f"partner program {partner_id} does not exist")
        row = Candidate(program_id=_program_id(session), partner_id=partner_id,
                        cohort=cohort.strip(), name=vault.seal(name.strip(), purpose=NAME),
                        contact=vault.seal(contact.strip(), purpose=CONTACT)
                        if contact and contact.strip() else None,
                        stage=Stage.APPLIED, stage_since=applied_on)
        session.add(row)
        session.flush()
        session.add(CandidateStage(candidate_id=row.id, stage=Stage.APPLIED,
                                   entered_on=applied_on))
        return row.id


def _label(access: Access, c: Candidate, names: bool) -> str:
    if names and c.name:
        return access.vault.open(c.name, purpose=NAME)
    return f"Candidate {c.id}"


def board(access: Access, as_of: dt.date) -> list[Card]:
    """Every candidate with their stage; names only for roles allowed identities."""
    names = access.allows(Action.VIEW_IDENTITIES)
    with access.reading(Action.VIEW_STAFF) as session:
        universities = {p.id: p.university for p in session.scalars(select(PartnerProgram))}
        return [Card(c.id, _label(access, c, names),
                     universities.get(c.partner_id) if c.partner_id else None, c.cohort,
                     c.stage, c.stage_since, max(0, (as_of - c.stage_since).days), c.version)
                for c in session.scalars(select(Candidate).order_by(Candidate.id))]


@dataclass(frozen=True)
class CandidateIdentity:
    id: int
    name: str | None
    contact: str | None


def candidate_identity(access: Access, candidate_id: int) -> CandidateIdentity:
    with access.reading(Action.VIEW_IDENTITIES) as session:
        c = session.get(Candidate, candidate_id)
        if c is None:
            raise UserError(f"candidate {candidate_id} does not exist")
        v = access.vault
        return CandidateIdentity(c.id, v.open(c.name, purpose=NAME) if c.name else None,
                                 v.open(c.contact, purpose=CONTACT) if c.contact else None)


def move_candidate(access: Access, candidate_id: int, read_version: int, target: Stage,
                   on: dt.date, reason: str | None = None) -> int:
    """Move a candidate to another stage (see stages.check_move); returns the new version.

    EditConflict if someone moved the card since it was read: the board reloads rather
    than move a candidate from a stage they are no longer in.
    """
    label = f"Candidate {candidate_id}"
    with access.writing(Action.EDIT_STAFF, label) as session:
        c = session.get(Candidate, candidate_id)
        if c is None:
            raise UserError(f"candidate {candidate_id} does not exist")
        if c.version != read_version:
            raise EditConflict(label)
        check_move(c.stage, target, reason)
        if on < c.stage_since:
            raise UserError(f"{label} entered {c.stage.label.lower()} on {c.stage_since}: "
                            f"a move cannot be dated {on}")
        c.stage, c.stage_since = target, on
        session.add(CandidateStage(candidate_id=c.id, stage=target, entered_on=on,
                                   reason=(reason or "").strip() or None))
        session.flush()
        return c.version


@dataclass(frozen=True)
class EvaluationRow:
    id: int
    candidate_id: int
    candidate: str
    kind: EvaluationKind
    evaluated_on: dt.date
    evaluator: str
    scores: tuple[int, ...]  # in RUBRIC order
    notes: str | None  # None for roles not allowed identities

    @property
    def mean(self) -> float:
        return sum(self.scores) / len(self.scores)


def add_evaluation(access: Access, candidate_id: int, kind: EvaluationKind,
                   evaluated_on: dt.date, evaluator: str, scores: dict[str, int],
                   notes: str = "") -> int:
    """A field-readiness evaluation: every rubric item scored 1 to 5."""
    require(access.actor, Action.EDIT_STAFF)
    missing = [item for item in RUBRIC if item not in scores]
    if missing:
        raise UserError(f"the evaluation lacks a score for {', '.join(missing)}")
    bad = [f"{k}={v}" for k, v in scores.items() if not SCORE_MIN <= v <= SCORE_MAX]
    if bad:
        raise UserError(f"scores run from {SCORE_MIN} to {SCORE_MAX}: {', '.join(bad)}")
    if not evaluator.strip():
        raise UserError("an evaluation needs the evaluator's name")
    with access.writing(Action.EDIT_IDENTITIES, f"candidate {candidate_id}") as session:
        if session.get(Candidate, candidate_id) is None:
            raise UserError(f"candidate {candidate_id} does not exist")
        row = Evaluation(candidate_id=candidate_id, kind=kind, evaluated_on=evaluated_on,
                         evaluator=evaluator.strip(),
                         notes=access.vault.seal(notes.strip(), purpose=NOTES)
                         if notes.strip() else None,
                         **{item: scores[item] for item in RUBRIC})
        session.add(row)
        session.flush()
        return row.id


def evaluations(access: Access) -> list[EvaluationRow]:
    """Evaluations newest first; notes and names only for roles allowed identities."""
    names = access.allows(Action.VIEW_IDENTITIES)
    with access.reading(Action.VIEW_STAFF) as session:
        candidates = {c.id: c for c in session.scalars(select(Candidate))}
        rows = []
        for e in session.scalars(select(Evaluation).order_by(Evaluation.evaluated_on.desc(),
                                                             Evaluation.id.desc())):
            notes = access.vault.open(e.notes, purpose=NOTES) if names and e.notes else \
                ("" if names else None)
            rows.append(EvaluationRow(e.id, e.candidate_id,
                                      _label(access, candidates[e.candidate_id], names),
                                      e.kind, e.evaluated_on, e.evaluator,
                                      tuple(getattr(e, item) for item in RUBRIC), notes))
        return rows


def paths(session: Session) -> list[Path]:
    """Every candidate's history of stages (a query helper: no identities in it)."""
    universities = {p.id: p.university for p in session.scalars(select(PartnerProgram))}
    steps: dict[int, list[tuple[Stage, dt.date]]] = {}
    for h in session.scalars(select(CandidateStage).order_by(CandidateStage.entered_on,
                                                             CandidateStage.id)):
        steps.setdefault(h.candidate_id, []).append((h.stage, h.entered_on))
    return [Path(c.id, universities.get(c.partner_id) if c.partner_id else None, c.cohort,
                 tuple(steps.get(c.id, ())))
            for c in session.scalars(select(Candidate).order_by(Candidate.id))]
