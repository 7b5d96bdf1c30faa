"""The workflow applied to one case inside an open session (services and the demo share it).

Nothing here checks roles: console.services.complaints.service does, then calls these.
Every function raises UserError and changes nothing when the request does not fit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.data.base import sealed_purpose
from console.data.complaint_enums import (
    AllegationCategory,
    CaseEventKind,
    Channel,
    ChecklistStatus,
    Classification,
    ComplaintState,
    DocumentKind,
    Finding,
)
from console.data.crypto import Vault
from console.data.models import (
    CaseEvent,
    ChecklistItem,
    ClosureDay,
    Complaint,
    ComplaintCategory,
    ComplaintSettings,
    ComplaintSubject,
    StaffMember,
)
from console.errors import UserError
from console.services.complaints.deadlines import BusinessCalendar, calendar_for
from console.services.complaints.standing import reviewer_conflict
from console.services.complaints.workflow import (
    BY_ACTION,
    REDONE_ON_REOPEN,
    STEP_OF_STATE,
    WorkflowAction,
    checklist_kinds,
    required_documents,
)
from console.services.program_scope import current_program_id_or_none

MAX_NOTE_CHARS = 20_000
MAX_NARRATIVE_CHARS = 100_000
A = WorkflowAction


@dataclass(frozen=True)
class Intake:
    """A complaint as it is received."""

    received_on: dt.date
    channel: Channel
    narrative: str
    subject_ids: tuple[int, ...]
    categories: tuple[AllegationCategory, ...]
    anonymous: bool = False
    complainant_name: str = ""
    complainant_contact: str = ""
    call_id: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Request:
    """One transition asked for; the fields an action needs, the others left empty."""

    action: WorkflowAction
    note: str
    reviewer_id: int | None = None
    classification: Classification | None = None
    finding: Finding | None = None
    decision: str = ""
    closing_letter: str = ""


DEFAULT_DAYS = {"acknowledge": 3, "classify": 30, "review": 90, "decision": 10, "close": 10}


@dataclass(frozen=True)
class Settings:
    country: str = "US"
    subdivision: str | None = None
    days: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_DAYS))


def program_id(session: Session) -> int:
    found = current_program_id_or_none(session)
    if found is None:
        raise UserError("complaints: this database holds no program yet; create or import "
                        "one first")
    return found


def settings(session: Session, program: int) -> Settings:
    row = session.get(ComplaintSettings, program)
    if row is None:
        return Settings()
    return Settings(row.country, row.subdivision, {
        "acknowledge": row.acknowledge_days, "classify": row.classify_days,
        "review": row.review_days, "decision": row.decision_days, "close": row.close_days})


def calendar(session: Session, program: int) -> BusinessCalendar:
    found = settings(session, program)
    closures = session.scalars(select(ClosureDay.day).where(ClosureDay.program_id == program))
    return calendar_for(found.country, found.subdivision, closures)


def seal(vault: Vault, text: str, table: str, column: str) -> str | None:
    text = text.strip()
    return vault.seal(text, purpose=sealed_purpose(table, column)) if text else None


def _check_note(note: str, what: str) -> str:
    note = note.strip()
    if not note:
        raise UserError(f"{what}: write a note saying why; nothing was changed")
    if len(note) > MAX_NOTE_CHARS:
        raise UserError(f"{what}: the note is {len(note):,} characters, at most "
                        f"{MAX_NOTE_CHARS:,} fit; nothing was changed")
    return note


def _check_intake(session: Session, intake: Intake, today: dt.date) -> None:
    where = "complaint intake"
    if intake.received_on > today:
        raise UserError(f"{where}: received on {intake.received_on} is in the future; "
                        "nothing was recorded")
    if not intake.narrative.strip():
        raise UserError(f"{where}: write the complainant's account (the narrative); "
                        "nothing was recorded")
    if len(intake.narrative) > MAX_NARRATIVE_CHARS:
        raise UserError(f"{where}: the narrative is {len(intake.narrative):,} characters, at "
                        f"most {MAX_NARRATIVE_CHARS:,} fit; nothing was recorded")
    anonymous = intake.anonymous or intake.channel is Channel.ANONYMOUS
    if anonymous and (intake.complainant_name.strip() or intake.complainant_contact.strip()):
        raise UserError(f"{where}: an anonymous complaint has no complainant name or contact; "
                        "clear them or untick anonymous; nothing was recorded")
    if not anonymous and not intake.complainant_name.strip():
        raise UserError(f"{where}: give the complainant's name, or mark the complaint "
                        "anonymous; nothing was recorded")
    if not intake.subject_ids:
        raise UserError(f"{where}: name at least one staff member the complaint is about; "
                        "nothing was recorded")
    if not intake.categories:
        raise UserError(f"{where}: choose at least one allegation category; "
                        "nothing was recorded")
    known = set(session.scalars(select(StaffMember.id)
                                .where(StaffMember.id.in_(intake.subject_ids))))
    missing = sorted(set(intake.subject_ids) - known)
    if missing:
        raise UserError(f"{where}: staff member {missing[0]} does not exist; "
                        "nothing was recorded")


def record_intake(session: Session, vault: Vault, actor: str, intake: Intake, *,
                  at: dt.datetime) -> Complaint:
    """A new case in state received, due to be acknowledged."""
    _check_intake(session, intake, at.date())
    program = program_id(session)
    cal = calendar(session, program)
    days = settings(session, program).days
    year = intake.received_on.year
    count = session.scalar(select(func.count()).select_from(Complaint).where(
        Complaint.program_id == program,
        Complaint.reference.like(f"C-{year}-%"))) or 0
    anonymous = intake.anonymous or intake.channel is Channel.ANONYMOUS
    case = Complaint(
        program_id=program, reference=f"C-{year}-{count + 1:03d}",
        received_on=intake.received_on, channel=intake.channel, anonymous=anonymous,
        complainant_name=None if anonymous else seal(vault, intake.complainant_name,
                                                     "complaint", "complainant_name"),
        complainant_contact=None if anonymous else seal(vault, intake.complainant_contact,
                                                        "complaint", "complainant_contact"),
        narrative=seal(vault, intake.narrative, "complaint", "narrative"),
        call_id=intake.call_id, state=ComplaintState.RECEIVED,
        step_started_on=intake.received_on,
        due_on=cal.add(intake.received_on, days["acknowledge"]),
    )
    case.subjects = [ComplaintSubject(staff_id=s) for s in sorted(set(intake.subject_ids))]
    case.categories = [ComplaintCategory(category=c) for c in sorted(set(intake.categories))]
    session.add(case)
    session.flush()
    ensure_checklist(case)
    session.add(CaseEvent(complaint_id=case.id, at=at, actor=actor, kind=CaseEventKind.INTAKE,
                          to_state=case.state, due_on=case.due_on,
                          note=seal(vault, intake.note, "complaint_event", "note")))
    session.flush()
    return case


def ensure_checklist(case: Complaint) -> None:
    """Add the checklist items the case's path can need; an anonymous complainant gets no
    letters (marked not applicable)."""
    have = {item.kind for item in case.checklist}
    categories = frozenset(c.category for c in case.categories)
    for kind in checklist_kinds(case.state, case.classification, categories):
        if kind in have:
            continue
        letter = kind in (DocumentKind.ACKNOWLEDGEMENT, DocumentKind.CLOSING_LETTER)
        case.checklist.append(ChecklistItem(
            kind=kind,
            status=ChecklistStatus.NOT_APPLICABLE if letter and case.anonymous
            else ChecklistStatus.OPEN))


def missing_documents(case: Complaint, action: WorkflowAction) -> list[DocumentKind]:
    categories = frozenset(c.category for c in case.categories)
    classification = case.classification
    if action is A.ASSIGN:
        return []
    status = {item.kind: item.status for item in case.checklist}
    return [kind for kind in required_documents(action, classification, categories)
            if status.get(kind, ChecklistStatus.OPEN) is ChecklistStatus.OPEN]


def apply(session: Session, vault: Vault, actor: str, case: Complaint, request: Request, *,
          at: dt.datetime) -> CaseEvent:
    """Move the case as the request asks (roles already checked); UserError if it may not."""
    rule = BY_ACTION[request.action]
    what = f"{case.reference}: {request.action.label.lower()}"
    note = _check_note(request.note, what)
    if case.state not in rule.sources:
        raise UserError(f"{what}: a case that is {case.state.label.lower()} cannot take this "
                        "step; nothing was changed")
    day = at.date()
    last = session.scalar(select(func.max(CaseEvent.at))
                          .where(CaseEvent.complaint_id == case.id))
    if last is not None and at < last:
        raise UserError(f"{what}: {at:%Y-%m-%d %H:%M} is before the case's last entry "
                        f"({last:%Y-%m-%d %H:%M}); nothing was changed")
    _fill(session, vault, case, request, what)
    missing = missing_documents(case, request.action)
    if missing:
        raise UserError(f"{what}: the checklist still needs "
                        f"{'; '.join(k.label.lower() for k in missing)} (mark each done or "
                        "not applicable); nothing was changed")
    before = case.state
    case.state = rule.target
    if request.action is A.REOPEN:
        _reopen(case)
    if case.state.is_open:
        if STEP_OF_STATE[case.state] != STEP_OF_STATE.get(before):
            days = settings(session, case.program_id).days[STEP_OF_STATE[case.state]]
            case.step_started_on = day
            case.due_on = calendar(session, case.program_id).add(day, days)
        case.finished_on = None
    else:
        case.due_on = None
        case.finished_on = day
    ensure_checklist(case)
    event = CaseEvent(complaint_id=case.id, at=at, actor=actor, kind=CaseEventKind.TRANSITION,
                      action=request.action.value, from_state=before, to_state=case.state,
                      due_on=case.due_on, note=seal(vault, note, "complaint_event", "note"))
    session.add(event)
    session.flush()
    return event


def _fill(session: Session, vault: Vault, case: Complaint, request: Request,
          what: str) -> None:
    """Set what the action records (reviewer, classification, findings, decision, letter)."""
    action = request.action
    if action is A.ASSIGN:
        if request.classification not in (Classification.SUPERVISOR_REVIEW,
                                          Classification.FULL_REVIEW):
            raise UserError(f"{what}: classify the case as a supervisor review or a full "
                            "review (informal resolution is its own step); nothing was changed")
        if request.reviewer_id is None:
            raise UserError(f"{what}: choose the reviewer; nothing was changed")
        conflict = reviewer_conflict(session, request.reviewer_id,
                                     {s.staff_id for s in case.subjects})
        if conflict:
            raise UserError(f"{what}: {conflict}, so may not review it; choose another "
                            "reviewer; nothing was changed")
        case.classification = request.classification
        case.reviewer_id = request.reviewer_id
    elif action is A.RESOLVE_INFORMALLY:
        case.classification = Classification.INFORMAL_RESOLUTION
    elif action is A.PROPOSE_FINDINGS:
        if request.finding is None:
            raise UserError(f"{what}: choose the proposed finding; nothing was changed")
        case.proposed_finding = request.finding
    elif action is A.DECIDE:
        if not request.decision.strip():
            raise UserError(f"{what}: write the command decision; nothing was changed")
        case.finding = request.finding or case.proposed_finding
        case.decision = request.decision.strip()
    elif action is A.CLOSE:
        if not case.anonymous and not request.closing_letter.strip():
            raise UserError(f"{what}: write the closing letter to the complainant; "
                            "nothing was changed")
        if case.anonymous and request.closing_letter.strip():
            raise UserError(f"{what}: an anonymous complainant gets no closing letter; "
                            "leave it empty; nothing was changed")
        case.closing_letter = seal(vault, request.closing_letter, "complaint", "closing_letter")


def _reopen(case: Complaint) -> None:
    """Back to classification: the findings, decision and letter of before stay in the
    history (events, audit trail); the documents after acknowledging are done again."""
    case.classification = None
    case.proposed_finding = None
    case.finding = None
    case.decision = None
    case.closing_letter = None
    for item in case.checklist:
        if item.kind in REDONE_ON_REOPEN and not (
                case.anonymous and item.kind is DocumentKind.CLOSING_LETTER):
            item.status, item.done_on, item.done_by = ChecklistStatus.OPEN, None, None


def mark_document(session: Session, vault: Vault, actor: str, case: Complaint,
                  kind: DocumentKind, status: ChecklistStatus, note: str, *,
                  at: dt.datetime, attachment_id: int | None = None) -> None:
    item = next((i for i in case.checklist if i.kind is kind), None)
    what = f"{case.reference}: checklist item {kind.label.lower()}"
    if item is None:
        raise UserError(f"{what} is not on this case's checklist; nothing was changed")
    if not case.state.is_open:
        raise UserError(f"{what}: the case is {case.state.label.lower()}; reopen it first; "
                        "nothing was changed")
    if status is ChecklistStatus.NOT_APPLICABLE:
        _check_note(note, what + " marked not applicable")
    item.status = status
    item.done_on = at.date() if status is not ChecklistStatus.OPEN else None
    item.done_by = actor if status is not ChecklistStatus.OPEN else None
    if attachment_id is not None:
        item.attachment_id = attachment_id
    session.add(CaseEvent(complaint_id=case.id, at=at, actor=actor,
                          kind=CaseEventKind.DOCUMENT, action=f"{kind.value}:{status.value}",
                          note=seal(vault, note, "complaint_event", "note")))
    session.flush()


def add_note(session: Session, vault: Vault, actor: str, case: Complaint, note: str, *,
             at: dt.datetime) -> None:
    text = _check_note(note, f"{case.reference}: note")
    session.add(CaseEvent(complaint_id=case.id, at=at, actor=actor, kind=CaseEventKind.NOTE,
                          note=seal(vault, text, "complaint_event", "note")))
    session.flush()
