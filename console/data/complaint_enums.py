"""The closed vocabularies of complaint review (DESIGN.md, "Complaint workflow").

Kept apart from console.data.enums so the complaint area grows without touching the
vocabulary every other area shares.
"""

from __future__ import annotations

import enum


class _Labelled(enum.StrEnum):
    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class ComplaintState(_Labelled):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    ASSIGNED = "assigned"
    UNDER_REVIEW = "under_review"
    FINDINGS_PROPOSED = "findings_proposed"
    COMMAND_DECISION = "command_decision"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    INFORMALLY_RESOLVED = "informally_resolved"

    @property
    def is_open(self) -> bool:
        return self not in FINISHED_STATES


FINISHED_STATES = frozenset({ComplaintState.CLOSED, ComplaintState.WITHDRAWN,
                             ComplaintState.INFORMALLY_RESOLVED})


class Channel(_Labelled):
    """How the complaint reached the unit."""

    PUBLIC = "public"
    FAMILY = "family"
    PATROL = "patrol"
    PROVIDER = "provider"
    INTERNAL = "internal"
    ANONYMOUS = "anonymous"


class AllegationCategory(_Labelled):
    CONDUCT = "conduct"
    CLINICAL_PRACTICE = "clinical_practice"
    COMMUNICATION = "communication"
    POLICY = "policy"
    CONFIDENTIALITY = "confidentiality"
    BIAS = "bias"


class Classification(_Labelled):
    INFORMAL_RESOLUTION = "informal_resolution"
    SUPERVISOR_REVIEW = "supervisor_review"
    FULL_REVIEW = "full_review"


class Finding(_Labelled):
    SUSTAINED = "sustained"
    NOT_SUSTAINED = "not_sustained"
    EXONERATED = "exonerated"
    UNFOUNDED = "unfounded"
    POLICY_OR_TRAINING = "policy_or_training"

    @property
    def label(self) -> str:
        return "Policy or training issue" if self is Finding.POLICY_OR_TRAINING \
            else super().label


class DocumentKind(enum.StrEnum):
    """An item of the documentation checklist; the workflow says which step needs which."""

    INTAKE_FORM = "intake_form"
    ACKNOWLEDGEMENT = "acknowledgement"
    SUBJECT_NOTICE = "subject_notice"
    CALL_RECORD = "call_record"
    INTERVIEWS = "interviews"
    CLINICAL_CONSULT = "clinical_consult"
    REVIEW_REPORT = "review_report"
    DECISION_MEMO = "decision_memo"
    CLOSING_LETTER = "closing_letter"
    RESOLUTION_RECORD = "resolution_record"

    @property
    def label(self) -> str:
        return _DOCUMENT_LABELS[self]


_DOCUMENT_LABELS = {
    DocumentKind.INTAKE_FORM: "Intake form completed",
    DocumentKind.ACKNOWLEDGEMENT: "Acknowledgement sent to the complainant",
    DocumentKind.SUBJECT_NOTICE: "Subject notified in writing",
    DocumentKind.CALL_RECORD: "Call record and responder notes reviewed",
    DocumentKind.INTERVIEWS: "Interview notes (complainant, subject, witnesses)",
    DocumentKind.CLINICAL_CONSULT: "Clinical consultation on clinical-practice allegations",
    DocumentKind.REVIEW_REPORT: "Review report with proposed findings",
    DocumentKind.DECISION_MEMO: "Command decision memo",
    DocumentKind.CLOSING_LETTER: "Closing letter sent to the complainant",
    DocumentKind.RESOLUTION_RECORD: "Informal resolution record with the complainant's agreement",
}


class ChecklistStatus(_Labelled):
    OPEN = "open"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"


class CaseEventKind(_Labelled):
    """An entry of a case's own history (accesses are in the audit trail)."""

    INTAKE = "intake"
    TRANSITION = "transition"
    NOTE = "note"
    DOCUMENT = "document"
