"""What the complaint services hand out: plain frozen values, never ORM rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from console.data.complaint_enums import (
    AllegationCategory,
    Channel,
    ChecklistStatus,
    Classification,
    ComplaintState,
    DocumentKind,
    Finding,
)
from console.services.complaints.workflow import WorkflowAction


@dataclass(frozen=True)
class QueueRow:
    """A case as the queue shows it: never a narrative or a complainant."""

    id: int
    reference: str
    received_on: dt.date
    state: ComplaintState
    classification: Classification | None
    step: str  # the deadline step the case is in ("" once finished)
    due_on: dt.date | None
    overdue: bool
    business_days_late: int
    reviewer: str | None
    categories: tuple[AllegationCategory, ...]


@dataclass(frozen=True)
class ChecklistRow:
    kind: DocumentKind
    status: ChecklistStatus
    done_on: dt.date | None
    done_by: str | None
    needed_next: bool  # a step the case can take next requires it and it is still open
    attachment_id: int | None


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    filename: str | None  # None unless the reader may see the case's confidential parts
    media_type: str
    size_bytes: int
    added_at: dt.datetime
    added_by: str


@dataclass(frozen=True)
class TimelineRow:
    at: dt.datetime
    actor: str
    kind: str  # intake, transition, note, document, access
    text: str
    note: str | None  # None when withheld from this reader or when there is none


@dataclass(frozen=True)
class CaseDetail:
    id: int
    reference: str
    version: int
    received_on: dt.date
    channel: Channel
    anonymous: bool
    state: ComplaintState
    classification: Classification | None
    reviewer_id: int | None
    reviewer: str | None
    subjects: tuple[tuple[int, str], ...]
    categories: tuple[AllegationCategory, ...]
    call_incident: str | None
    step: str
    due_on: dt.date | None
    overdue: bool
    proposed_finding: Finding | None
    finding: Finding | None
    decision: str | None
    finished_on: dt.date | None
    checklist: tuple[ChecklistRow, ...]
    attachments: tuple[AttachmentRow, ...]
    timeline: tuple[TimelineRow, ...]
    actions: tuple[WorkflowAction, ...]  # what this reader may do next
    may_read_confidential: bool
    may_see_access_log: bool
    may_edit: bool


@dataclass(frozen=True)
class Confidential:
    """The parts of a case only its supervisor, director and assigned reviewer read."""

    reference: str
    anonymous: bool
    complainant_name: str | None
    complainant_contact: str | None
    narrative: str
    closing_letter: str | None


@dataclass(frozen=True)
class AccessRow:
    at: str  # UTC, ISO 8601, as the audit trail keeps it
    actor: str
    read: str


@dataclass(frozen=True)
class StaffChoice:
    id: int
    name: str
    conflict: str | None = None  # why they may not review this case


@dataclass(frozen=True)
class CallChoice:
    id: int
    incident_number: str
    received_at: dt.datetime
