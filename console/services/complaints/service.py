"""Complaint use cases that change a case: intake, transitions, notes, checklist, documents.

Permission: the role's Action first (access.writing), then the reader's standing on the
case (workflow.refusal): a reviewer acts only on cases assigned to them and nobody on a
complaint about themselves.
"""

from __future__ import annotations

import base64
import datetime as dt

from sqlalchemy.orm import Session

from console.data.complaint_enums import ChecklistStatus, DocumentKind
from console.data.enums import UserRole
from console.data.models import Complaint, ComplaintAttachment
from console.errors import UserError
from console.services.access import Access, Action, EditConflict, PermissionDenied
from console.services.complaints import engine
from console.services.complaints.engine import Intake, Request
from console.services.complaints.standing import may_read_confidential, standings
from console.services.complaints.workflow import refusal

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def get_case(session: Session, complaint_id: int) -> Complaint:
    case = session.get(Complaint, complaint_id)
    if case is None:
        raise UserError(f"complaint {complaint_id} does not exist (deleted, or another "
                        "database)")
    return case


def record_complaint(access: Access, intake: Intake) -> int:
    """Intake: a new case in state received (supervisor or director)."""
    with access.writing(Action.EDIT_COMPLAINTS, "a complaint") as session:
        if access.actor.role not in (UserRole.SUPERVISOR, UserRole.DIRECTOR):
            raise PermissionDenied(f"{_who(access)} may not record a complaint: the "
                                   "supervisor or the director records intake")
        return engine.record_intake(session, access.vault, access.actor.username, intake,
                                    at=now()).id


def transition(access: Access, complaint_id: int, read_version: int, request: Request,
               *, at: dt.datetime | None = None) -> None:
    """Take one step of the workflow; EditConflict if the case changed since it was read."""
    with access.writing(Action.EDIT_COMPLAINTS, f"complaint {complaint_id}") as session:
        case = get_case(session, complaint_id)
        if case.version != read_version:
            raise EditConflict(f"complaint {case.reference}")
        why = refusal(request.action, case.state, standings(session, access.actor, case))
        if why is not None:
            error = UserError if why.wrong_state else PermissionDenied
            raise error(f"{_who(access)} may not {request.action.label.lower()} "
                        f"{case.reference}: {why.reason}; nothing was changed")
        engine.apply(session, access.vault, access.actor.username, case, request,
                     at=at or now())


def add_note(access: Access, complaint_id: int, note: str) -> None:
    with access.writing(Action.EDIT_COMPLAINTS, f"complaint {complaint_id}") as session:
        case = _editable(session, access, complaint_id, "add a note to")
        engine.add_note(session, access.vault, access.actor.username, case, note, at=now())


def mark_document(access: Access, complaint_id: int, kind: DocumentKind,
                  status: ChecklistStatus, note: str = "",
                  attachment_id: int | None = None) -> None:
    """Tick a checklist item done, not applicable (with a reason) or open again."""
    with access.writing(Action.EDIT_COMPLAINTS, f"complaint {complaint_id}") as session:
        case = _editable(session, access, complaint_id, "change the checklist of")
        engine.mark_document(session, access.vault, access.actor.username, case, kind,
                             status, note, at=now(), attachment_id=attachment_id)


def attach(access: Access, complaint_id: int, filename: str, content: bytes,
           media_type: str = "application/octet-stream",
           kind: DocumentKind | None = None) -> int:
    """Keep a document inside the database, sealed; optionally tick its checklist item."""
    name = filename.strip()
    if not name:
        raise UserError("attachment: give the document a file name; nothing was kept")
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise UserError(f"attachment {name!r} is {len(content) / 1e6:,.1f} MB; at most "
                        f"{MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB fit: keep a smaller "
                        "scan; nothing was kept")
    with access.writing(Action.EDIT_COMPLAINTS, f"complaint {complaint_id}") as session:
        case = _editable(session, access, complaint_id, "attach a document to")
        stamp = now()
        row = ComplaintAttachment(
            complaint_id=case.id,
            filename=engine.seal(access.vault, name, "complaint_attachment", "filename"),
            media_type=media_type[:100], size_bytes=len(content),
            content=access.vault.seal(base64.b64encode(content).decode("ascii"),
                                      purpose="complaint_attachment.content"),
            added_at=stamp, added_by=access.actor.username)
        session.add(row)
        session.flush()
        if kind is not None:
            engine.mark_document(session, access.vault, access.actor.username, case, kind,
                                 ChecklistStatus.DONE, f"Document attached ({len(content):,} "
                                 "bytes)", at=stamp, attachment_id=row.id)
        return row.id


def _editable(session: Session, access: Access, complaint_id: int, what: str) -> Complaint:
    case = get_case(session, complaint_id)
    found = standings(session, access.actor, case)
    if not may_read_confidential(found):
        raise PermissionDenied(f"{_who(access)} may not {what} {case.reference}: only its "
                               "supervisor, director and assigned reviewer may")
    return case


def _who(access: Access) -> str:
    actor = access.actor
    return f"{actor.display_name or actor.username} ({actor.role.label})"
