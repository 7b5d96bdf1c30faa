"""Complaint use cases that read: the queue, a case, its confidential parts, its access log.

A supervisor and a director see every case; a reviewer sees the cases assigned to them.
The narrative, the complainant and attachments open only for the case's supervisor,
director or assigned reviewer, never for a subject, and every such read is written to
the audit trail (table "complaint_access", the case id) before it is returned.
"""

from __future__ import annotations

import base64
import datetime as dt
import json

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from console.data import audit
from console.data.base import sealed_purpose
from console.data.complaint_enums import ChecklistStatus, ComplaintState, DocumentKind
from console.data.enums import UserRole
from console.data.models import (
    AuditEntry,
    Call,
    CaseEvent,
    Complaint,
    ComplaintAttachment,
    StaffMember,
    UserStaffLink,
)
from console.errors import UserError
from console.services.access import Access, Action, PermissionDenied
from console.services.complaints import engine
from console.services.complaints.records import (
    AccessRow,
    AttachmentRow,
    CallChoice,
    CaseDetail,
    ChecklistRow,
    Confidential,
    QueueRow,
    StaffChoice,
    TimelineRow,
)
from console.services.complaints.service import get_case
from console.services.complaints.standing import (
    linked_staff_id,
    may_read_confidential,
    reviewer_conflict,
    standings,
)
from console.services.complaints.workflow import (
    STEP_LABELS,
    STEP_OF_STATE,
    Standing,
    WorkflowAction,
    allowed_actions,
    checklist_kinds,
    required_documents,
)

ACCESS_TABLE = "complaint_access"


def _visible(session: Session, access: Access) -> Select[tuple[Complaint]]:
    stmt = select(Complaint)
    if access.actor.role not in (UserRole.SUPERVISOR, UserRole.DIRECTOR):
        me = linked_staff_id(session, access.actor)
        stmt = stmt.where(Complaint.reviewer_id == me) if me is not None \
            else stmt.where(Complaint.id.is_(None))
    return stmt


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(StaffMember.id, StaffMember.display_name)
                                .where(StaffMember.id.in_(ids))).tuples().all())


def queue(access: Access, *, today: dt.date | None = None, include_finished: bool = False,
          overdue_only: bool = False) -> list[QueueRow]:
    """Cases this reader may see, overdue first (most late first), then by due date."""
    today = today or dt.date.today()
    with access.reading(Action.VIEW_COMPLAINTS) as session:
        stmt = _visible(session, access).options(selectinload(Complaint.categories))
        if not include_finished:
            stmt = stmt.where(Complaint.due_on.is_not(None))
        cases = session.scalars(stmt).all()
        names = _names(session, {c.reviewer_id for c in cases if c.reviewer_id})
        program = engine.program_id(session) if cases else 0
        cal = engine.calendar(session, program) if cases else None
        rows = []
        for c in cases:
            overdue = c.due_on is not None and c.due_on < today
            if overdue_only and not overdue:
                continue
            late = cal.between(c.due_on, today) if overdue and cal and c.due_on else 0
            rows.append(QueueRow(
                c.id, c.reference, c.received_on, c.state, c.classification,
                STEP_LABELS.get(STEP_OF_STATE.get(c.state, ""), ""), c.due_on, overdue, late,
                names.get(c.reviewer_id) if c.reviewer_id else None,
                tuple(x.category for x in c.categories)))
    far = dt.date.max
    rows.sort(key=lambda r: (not r.overdue, r.due_on or far, -r.received_on.toordinal(),
                             r.id))
    return rows


def case_detail(access: Access, complaint_id: int, *,
                today: dt.date | None = None) -> CaseDetail:
    """A case as its reader may see it: the confidential parts are not in it (see
    read_confidential); notes only for those who may read the confidential parts."""
    today = today or dt.date.today()
    with access.reading(Action.VIEW_COMPLAINTS) as session:
        case = _seen_case(session, access, complaint_id)
        found = standings(session, access.actor, case)
        confidential = may_read_confidential(found)
        log = access.allows(Action.VIEW_AUDIT) and Standing.SUBJECT not in found
        actions = tuple(allowed_actions(case.state, found)) \
            if access.allows(Action.EDIT_COMPLAINTS) else ()
        subject_ids = {s.staff_id for s in case.subjects}
        names = _names(session, subject_ids | ({case.reviewer_id} if case.reviewer_id else set()))
        categories = frozenset(c.category for c in case.categories)
        needed = {k for a in actions for k in required_documents(a, case.classification,
                                                                 categories)}
        kinds = checklist_kinds(case.state, case.classification, categories)
        checklist = tuple(
            ChecklistRow(i.kind, i.status, i.done_on, i.done_by,
                         i.kind in needed and i.status is ChecklistStatus.OPEN, i.attachment_id)
            for i in sorted(case.checklist, key=lambda i: kinds.index(i.kind)
                            if i.kind in kinds else 99)
            if i.kind in kinds)
        attachments = tuple(
            AttachmentRow(a.id, _open(access, a.filename, "complaint_attachment", "filename")
                          if confidential else None, a.media_type, a.size_bytes, a.added_at,
                          a.added_by)
            for a in session.scalars(select(ComplaintAttachment)
                                     .where(ComplaintAttachment.complaint_id == case.id)
                                     .order_by(ComplaintAttachment.id)))
        timeline = _timeline(session, access, case, confidential, log)
        incident = session.scalar(select(Call.incident_number)
                                  .where(Call.id == case.call_id)) if case.call_id else None
        return CaseDetail(
            case.id, case.reference, case.version, case.received_on, case.channel,
            case.anonymous, case.state, case.classification, case.reviewer_id,
            names.get(case.reviewer_id) if case.reviewer_id else None,
            tuple((s, names.get(s, str(s))) for s in sorted(subject_ids)),
            tuple(sorted(categories)), incident,
            STEP_LABELS.get(STEP_OF_STATE.get(case.state, ""), ""), case.due_on,
            case.due_on is not None and case.due_on < today, case.proposed_finding,
            case.finding, case.decision, case.finished_on, checklist, attachments, timeline,
            actions, confidential, log,
            confidential and access.allows(Action.EDIT_COMPLAINTS) and case.state.is_open)


def _seen_case(session: Session, access: Access, complaint_id: int) -> Complaint:
    case = get_case(session, complaint_id)
    if access.actor.role not in (UserRole.SUPERVISOR, UserRole.DIRECTOR) and \
            Standing.ASSIGNED_REVIEWER not in standings(session, access.actor, case):
        raise PermissionDenied(f"{access.actor.display_name or access.actor.username} may "
                               f"not view {case.reference}: it is not assigned to them")
    return case


def _open(access: Access, sealed: str | None, table: str, column: str) -> str | None:
    if sealed is None:
        return None
    return access.vault.open(sealed, purpose=sealed_purpose(table, column))


def _timeline(session: Session, access: Access, case: Complaint, notes: bool,
              log: bool) -> tuple[TimelineRow, ...]:
    rows: list[TimelineRow] = []
    for e in session.scalars(select(CaseEvent).where(CaseEvent.complaint_id == case.id)
                             .order_by(CaseEvent.at, CaseEvent.id)):
        if e.action and e.from_state is not None and e.to_state is not None:
            text = (f"{WorkflowAction(e.action).label}: {e.from_state.label} → "
                    f"{e.to_state.label}")
        elif e.to_state is not None:
            text = "Complaint received"
        elif e.action:
            kind, _, status = e.action.partition(":")
            text = f"Checklist: {DocumentKind(kind).label} — " \
                   f"{ChecklistStatus(status).label.lower()}"
        else:
            text = "Note"
        if e.due_on is not None:
            text += f" (due {e.due_on:%d %b %Y})"
        note = _open(access, e.note, "complaint_event", "note") if notes else None
        rows.append(TimelineRow(e.at, e.actor, e.kind.value, text,
                                note if notes else ("(withheld)" if e.note else None)))
    if log:
        for row in access_entries(session, case.id):
            at = dt.datetime.fromisoformat(row.at).astimezone().replace(tzinfo=None)
            rows.append(TimelineRow(at.replace(microsecond=0), row.actor, "access",
                                    f"Read {row.read}", None))
    rows.sort(key=lambda r: r.at)
    return tuple(rows)


def access_entries(session: Session, complaint_id: int) -> list[AccessRow]:
    entries = session.execute(
        select(AuditEntry.at, AuditEntry.actor, AuditEntry.changes)
        .where(AuditEntry.table_name == ACCESS_TABLE,
               AuditEntry.record_id == str(complaint_id))
        .order_by(AuditEntry.seq)).all()
    return [AccessRow(at, actor, ", ".join(json.loads(changes).get("read", [])))
            for at, actor, changes in entries]


def access_log(access: Access, complaint_id: int) -> list[AccessRow]:
    """Who read the case's confidential parts, and when (supervisor and director)."""
    with access.reading(Action.VIEW_AUDIT) as session:
        case = _seen_case(session, access, complaint_id)
        if Standing.SUBJECT in standings(session, access.actor, case):
            raise PermissionDenied(f"{case.reference} is a complaint about you: its access "
                                   "log is for the supervisor and director")
        return access_entries(session, case.id)


def _record_read(session: Session, access: Access, case: Complaint, what: list[str]) -> None:
    audit.record_event(session.connection(), access.vault, access.actor.username,
                       ACCESS_TABLE, str(case.id),
                       {"reference": case.reference, "read": what})


def _confidential_case(session: Session, access: Access, complaint_id: int) -> Complaint:
    case = get_case(session, complaint_id)
    found = standings(session, access.actor, case)
    if not may_read_confidential(found):
        who = access.actor.display_name or access.actor.username
        why = "it is a complaint about them" if Standing.SUBJECT in found else \
            "only its supervisor, director and assigned reviewer may"
        raise PermissionDenied(f"{who} may not read the narrative or complainant of "
                               f"{case.reference}: {why}")
    return case


def read_confidential(access: Access, complaint_id: int) -> Confidential:
    """The narrative, complainant and closing letter; the read is written to the audit trail."""
    with access.writing(Action.READ_COMPLAINT_CONFIDENTIAL,
                        f"complaint {complaint_id}") as session:
        case = _confidential_case(session, access, complaint_id)
        _record_read(session, access, case, ["narrative", "complainant", "closing letter"])
        return Confidential(
            case.reference, case.anonymous,
            _open(access, case.complainant_name, "complaint", "complainant_name"),
            _open(access, case.complainant_contact, "complaint", "complainant_contact"),
            _open(access, case.narrative, "complaint", "narrative") or "",
            _open(access, case.closing_letter, "complaint", "closing_letter"))


def open_attachment(access: Access, attachment_id: int) -> tuple[str, str, bytes]:
    """(file name, media type, bytes) of an attachment; the read is audited."""
    with access.writing(Action.READ_COMPLAINT_CONFIDENTIAL,
                        f"attachment {attachment_id}") as session:
        row = session.get(ComplaintAttachment, attachment_id)
        if row is None:
            raise UserError(f"attachment {attachment_id} does not exist")
        case = _confidential_case(session, access, row.complaint_id)
        _record_read(session, access, case, [f"attachment {row.id}"])
        name = _open(access, row.filename, "complaint_attachment", "filename") or ""
        data = _open(access, row.content, "complaint_attachment", "content") or ""
        return name, row.media_type, base64.b64decode(data)


def reviewer_choices(access: Access, complaint_id: int) -> list[StaffChoice]:
    """Staff who could review the case (supervisors, ranked officers, linked accounts),
    each with the reason they may not, if any."""
    with access.reading(Action.VIEW_COMPLAINTS) as session:
        case = _seen_case(session, access, complaint_id)
        subjects = {s.staff_id for s in case.subjects}
        linked = set(session.scalars(select(UserStaffLink.staff_id)))
        staff = session.execute(
            select(StaffMember.id, StaffMember.display_name, StaffMember.role,
                   StaffMember.rank)
            .where(StaffMember.separated_on.is_(None))
            .order_by(StaffMember.display_name)).all()
        out = []
        for sid, name, role, rank in staff:
            if sid in linked or role.value == "supervisor" or rank not in (None, "Officer"):
                out.append(StaffChoice(sid, name, reviewer_conflict(session, sid, subjects)))
        out.sort(key=lambda c: (c.conflict is not None, c.id not in linked, c.name))
        return out


def subject_choices(access: Access) -> list[StaffChoice]:
    """Staff a complaint can be about: the unit's own people, current and former."""
    from console.services.staffing_service import in_unit

    with access.reading(Action.VIEW_COMPLAINTS) as session:
        return [StaffChoice(sid, name) for sid, name in session.execute(
            select(StaffMember.id, StaffMember.display_name).where(in_unit())
            .order_by(StaffMember.display_name))]


def find_call(access: Access, incident_number: str) -> list[CallChoice]:
    """Calls whose incident number starts with what was typed (at most 20)."""
    term = incident_number.strip()
    if not term:
        return []
    with access.reading(Action.VIEW_CALLS) as session:
        return [CallChoice(i, n, r) for i, n, r in session.execute(
            select(Call.id, Call.incident_number, Call.received_at)
            .where(Call.incident_number.startswith(term, autoescape=True))
            .order_by(Call.incident_number).limit(20))]


def open_states() -> tuple[ComplaintState, ...]:
    return tuple(s for s in ComplaintState if s.is_open)


def case_summary(access: Access, complaint_id: int) -> tuple[CaseDetail, Confidential | None]:
    """What a case summary holds for this reader: the confidential parts only for those
    who may read them (and then the read is audited, as a summary)."""
    detail = case_detail(access, complaint_id)
    if not (detail.may_read_confidential and access.allows(Action.READ_COMPLAINT_CONFIDENTIAL)):
        return detail, None
    with access.writing(Action.READ_COMPLAINT_CONFIDENTIAL,
                        f"complaint {complaint_id}") as session:
        case = _confidential_case(session, access, complaint_id)
        _record_read(session, access, case,
                     ["narrative", "complainant", "closing letter", "notes (case summary)"])
        return detail, Confidential(
            case.reference, case.anonymous,
            _open(access, case.complainant_name, "complaint", "complainant_name"),
            _open(access, case.complainant_contact, "complaint", "complainant_contact"),
            _open(access, case.narrative, "complaint", "narrative") or "",
            _open(access, case.closing_letter, "complaint", "closing_letter"))
