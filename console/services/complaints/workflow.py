"""The complaint workflow as a table: state x action -> new state, who may, what it needs.

Every transition needs a note (why, in the reviewer's words) and the documents of its
row in the checklist, done or marked not applicable. `who` names standings on the
case, not roles alone: a reviewer may act only on a case assigned to them, and nobody
acts on a complaint about themselves (console.services.complaints.standing).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from console.data.complaint_enums import (
    AllegationCategory,
    Classification,
    ComplaintState,
    DocumentKind,
)

S = ComplaintState
D = DocumentKind


class WorkflowAction(enum.StrEnum):
    ACKNOWLEDGE = "acknowledge"
    ASSIGN = "assign"
    RESOLVE_INFORMALLY = "resolve_informally"
    BEGIN_REVIEW = "begin_review"
    PROPOSE_FINDINGS = "propose_findings"
    RETURN_FOR_REVIEW = "return_for_review"
    DECIDE = "decide"
    CLOSE = "close"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    WorkflowAction.ACKNOWLEDGE: "Acknowledge",
    WorkflowAction.ASSIGN: "Classify and assign a reviewer",
    WorkflowAction.RESOLVE_INFORMALLY: "Resolve informally",
    WorkflowAction.BEGIN_REVIEW: "Begin the review",
    WorkflowAction.PROPOSE_FINDINGS: "Propose findings",
    WorkflowAction.RETURN_FOR_REVIEW: "Return for further review",
    WorkflowAction.DECIDE: "Record the command decision",
    WorkflowAction.CLOSE: "Close with the closing letter",
    WorkflowAction.WITHDRAW: "Record a withdrawal",
    WorkflowAction.REOPEN: "Reopen",
}


class Standing(enum.StrEnum):
    """Who someone is to one case."""

    SUPERVISOR = "supervisor"
    DIRECTOR = "director"
    ASSIGNED_REVIEWER = "assigned reviewer"
    SUBJECT = "subject"  # a complaint about them: never the complainant, never an action
    OTHER = "other"  # another case's reviewer, a responder, an analyst


@dataclass(frozen=True)
class Transition:
    action: WorkflowAction
    sources: frozenset[ComplaintState]
    target: ComplaintState
    who: frozenset[Standing]
    documents: tuple[DocumentKind, ...] = ()
    full_review_documents: tuple[DocumentKind, ...] = ()  # also, on a full review
    clinical_documents: tuple[DocumentKind, ...] = ()  # also, on clinical allegations


_CHIEFS = frozenset({Standing.SUPERVISOR, Standing.DIRECTOR})
_REVIEWERS = frozenset({Standing.SUPERVISOR, Standing.ASSIGNED_REVIEWER})
_OPEN_BEFORE_DECISION = frozenset({S.RECEIVED, S.ACKNOWLEDGED, S.ASSIGNED, S.UNDER_REVIEW,
                                   S.FINDINGS_PROPOSED})
A = WorkflowAction

TRANSITIONS: tuple[Transition, ...] = (
    Transition(A.ACKNOWLEDGE, frozenset({S.RECEIVED}), S.ACKNOWLEDGED, _CHIEFS,
               (D.INTAKE_FORM, D.ACKNOWLEDGEMENT)),
    Transition(A.ASSIGN, frozenset({S.ACKNOWLEDGED}), S.ASSIGNED, _CHIEFS),
    Transition(A.RESOLVE_INFORMALLY, frozenset({S.ACKNOWLEDGED, S.ASSIGNED}),
               S.INFORMALLY_RESOLVED, _CHIEFS, (D.RESOLUTION_RECORD,)),
    Transition(A.BEGIN_REVIEW, frozenset({S.ASSIGNED}), S.UNDER_REVIEW, _REVIEWERS,
               (D.SUBJECT_NOTICE,)),
    Transition(A.PROPOSE_FINDINGS, frozenset({S.UNDER_REVIEW}), S.FINDINGS_PROPOSED,
               _REVIEWERS, (D.CALL_RECORD, D.REVIEW_REPORT), (D.INTERVIEWS,),
               (D.CLINICAL_CONSULT,)),
    Transition(A.RETURN_FOR_REVIEW, frozenset({S.FINDINGS_PROPOSED}), S.UNDER_REVIEW, _CHIEFS),
    Transition(A.DECIDE, frozenset({S.FINDINGS_PROPOSED}), S.COMMAND_DECISION, _CHIEFS,
               (D.DECISION_MEMO,)),
    Transition(A.CLOSE, frozenset({S.COMMAND_DECISION}), S.CLOSED, _CHIEFS,
               (D.CLOSING_LETTER,)),
    Transition(A.WITHDRAW, _OPEN_BEFORE_DECISION, S.WITHDRAWN, _CHIEFS),
    Transition(A.REOPEN, frozenset({S.CLOSED, S.WITHDRAWN, S.INFORMALLY_RESOLVED}),
               S.ACKNOWLEDGED, _CHIEFS),
)
BY_ACTION = {t.action: t for t in TRANSITIONS}

# The deadline step each open state belongs to; a step's clock starts when it is entered
# (assigned and under review share the review step's clock).
STEP_OF_STATE: dict[ComplaintState, str] = {
    S.RECEIVED: "acknowledge", S.ACKNOWLEDGED: "classify", S.ASSIGNED: "review",
    S.UNDER_REVIEW: "review", S.FINDINGS_PROPOSED: "decision", S.COMMAND_DECISION: "close",
}
STEP_LABELS = {"acknowledge": "Acknowledge", "classify": "Classify and assign",
               "review": "Review", "decision": "Command decision", "close": "Closing letter"}
# Checklist items a reopened case must do again (what comes after acknowledging).
REDONE_ON_REOPEN = (D.SUBJECT_NOTICE, D.CALL_RECORD, D.INTERVIEWS, D.CLINICAL_CONSULT,
                    D.REVIEW_REPORT, D.DECISION_MEMO, D.CLOSING_LETTER, D.RESOLUTION_RECORD)


@dataclass(frozen=True)
class Refusal:
    reason: str
    wrong_state: bool  # the case's state, not the reader, forbids it


def refusal(action: WorkflowAction, state: ComplaintState,
            standings: frozenset[Standing]) -> Refusal | None:
    """Why `action` may not be taken on a case in `state` by someone of these standings,
    or None when it may."""
    rule = BY_ACTION[action]
    if Standing.SUBJECT in standings:
        return Refusal("nobody acts on a complaint about themselves", False)
    if state not in rule.sources:
        return Refusal(f"a case that is {state.label.lower()} cannot take this step", True)
    if not standings & rule.who:
        who = " or ".join(sorted(s.value for s in rule.who))
        return Refusal(f"only the {who} may {action.label.lower()}", False)
    return None


def allowed_actions(state: ComplaintState,
                    standings: frozenset[Standing]) -> list[WorkflowAction]:
    return [t.action for t in TRANSITIONS if refusal(t.action, state, standings) is None]


def required_documents(action: WorkflowAction, classification: Classification | None,
                       categories: frozenset[AllegationCategory]) -> tuple[DocumentKind, ...]:
    rule = BY_ACTION[action]
    docs = list(rule.documents)
    if classification is Classification.FULL_REVIEW:
        docs += rule.full_review_documents
    if AllegationCategory.CLINICAL_PRACTICE in categories:
        docs += rule.clinical_documents
    return tuple(docs)


def checklist_kinds(state: ComplaintState, classification: Classification | None,
                    categories: frozenset[AllegationCategory]) -> tuple[DocumentKind, ...]:
    """The documents this case's path can still require: before classification both
    paths; an assigned case may yet be resolved informally."""
    kinds = [D.INTAKE_FORM, D.ACKNOWLEDGEMENT]
    if classification in (None, Classification.INFORMAL_RESOLUTION) or \
            state in (S.ACKNOWLEDGED, S.ASSIGNED):
        kinds.append(D.RESOLUTION_RECORD)
    if classification is not Classification.INFORMAL_RESOLUTION:
        kinds += [D.SUBJECT_NOTICE, D.CALL_RECORD]
        if classification in (None, Classification.FULL_REVIEW):
            kinds.append(D.INTERVIEWS)
        if AllegationCategory.CLINICAL_PRACTICE in categories:
            kinds.append(D.CLINICAL_CONSULT)
        kinds += [D.REVIEW_REPORT, D.DECISION_MEMO, D.CLOSING_LETTER]
    return tuple(kinds)
