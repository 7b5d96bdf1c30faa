"""Complaint review: a documented, supervised, confidential workflow (DESIGN.md).

workflow: the transition table; deadlines: business days; standing: who someone is to
a case and who may review it; engine: the table applied inside a session; service:
the use cases that change a case; queries: the ones that read it; measures: the
numbers and the weekly series of the early warnings.
"""

from console.services.complaints.engine import Intake, Request
from console.services.complaints.queries import (
    access_log,
    case_detail,
    find_call,
    open_attachment,
    queue,
    read_confidential,
    reviewer_choices,
    subject_choices,
)
from console.services.complaints.service import (
    add_note,
    attach,
    mark_document,
    record_complaint,
    transition,
)
from console.services.complaints.workflow import WorkflowAction

__all__ = [
    "Intake", "Request", "WorkflowAction", "access_log", "add_note", "attach", "case_detail",
    "find_call", "mark_document", "open_attachment", "queue", "read_confidential",
    "record_complaint", "reviewer_choices", "subject_choices", "transition",
]
