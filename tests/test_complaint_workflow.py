"""The complaint workflow allows and refuses exactly what its table says.

The expected table is written out by hand here (not read from workflow.TRANSITIONS), and
every state x action x reader is tried against a real case in a real database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from complaint_world import ACTORS, actor, build, new_case
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from console.data import migrate
from console.data.complaint_enums import (
    ChecklistStatus,
    Classification,
    ComplaintState,
    DocumentKind,
    Finding,
)
from console.data.engine import open_database, sqlite_url
from console.data.models import ChecklistItem, Complaint
from console.errors import UserError
from console.services.access import Action, PermissionDenied
from console.services.complaints import Request, WorkflowAction, case_detail, transition

S, A = ComplaintState, WorkflowAction
CHIEFS = {"supervisor", "director"}
REVIEWERS = {"supervisor", "assigned reviewer"}
BEFORE_DECISION = {S.RECEIVED, S.ACKNOWLEDGED, S.ASSIGNED, S.UNDER_REVIEW,
                   S.FINDINGS_PROPOSED}
FINISHED = {S.CLOSED, S.WITHDRAWN, S.INFORMALLY_RESOLVED}
# action: (states it leaves, state it reaches, who may take it)
TABLE: dict[WorkflowAction, tuple[set[ComplaintState], ComplaintState, set[str]]] = {
    A.ACKNOWLEDGE: ({S.RECEIVED}, S.ACKNOWLEDGED, CHIEFS),
    A.ASSIGN: ({S.ACKNOWLEDGED}, S.ASSIGNED, CHIEFS),
    A.RESOLVE_INFORMALLY: ({S.ACKNOWLEDGED, S.ASSIGNED}, S.INFORMALLY_RESOLVED, CHIEFS),
    A.BEGIN_REVIEW: ({S.ASSIGNED}, S.UNDER_REVIEW, REVIEWERS),
    A.PROPOSE_FINDINGS: ({S.UNDER_REVIEW}, S.FINDINGS_PROPOSED, REVIEWERS),
    A.RETURN_FOR_REVIEW: ({S.FINDINGS_PROPOSED}, S.UNDER_REVIEW, CHIEFS),
    A.DECIDE: ({S.FINDINGS_PROPOSED}, S.COMMAND_DECISION, CHIEFS),
    A.CLOSE: ({S.COMMAND_DECISION}, S.CLOSED, CHIEFS),
    A.WITHDRAW: (BEFORE_DECISION, S.WITHDRAWN, CHIEFS),
    A.REOPEN: (FINISHED, S.ACKNOWLEDGED, CHIEFS),
}
FULL_REQUEST = dict(note="Because the file shows it.", reviewer_id=3,
                    classification=Classification.FULL_REVIEW, finding=Finding.NOT_SUSTAINED,
                    decision="Concur with the reviewer.",
                    closing_letter="Dear Ms. Quincewhistle, we have reviewed your complaint.")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("workflow")
    db = open_database(sqlite_url(tmp / "c.sqlite"))
    migrate.upgrade(db)
    yield {"db": db, "supervisor": build(db, tmp)}
    db.dispose()


def case_in(world: dict[str, Any], state: ComplaintState) -> int:
    """A case put straight into `state`, reviewer 3 assigned, every document in the file."""
    sup = world["supervisor"]
    case_id = new_case(sup)
    with sup.writing(Action.EDIT_COMPLAINTS) as session:
        case = session.get(Complaint, case_id)
        case.state, case.reviewer_id = state, 3
        if state not in (S.RECEIVED, S.ACKNOWLEDGED):
            case.classification = Classification.FULL_REVIEW
        if state in (S.FINDINGS_PROPOSED, S.COMMAND_DECISION, S.CLOSED):
            case.proposed_finding = Finding.NOT_SUSTAINED
        have = {i.kind for i in case.checklist}
        case.checklist.extend(ChecklistItem(kind=k) for k in DocumentKind if k not in have)
        for item in case.checklist:
            item.status = ChecklistStatus.DONE
    return case_id


def _state(world: dict[str, Any], case_id: int) -> tuple[ComplaintState, int]:
    with world["db"].session_factory() as s:
        row = s.execute(select(Complaint.state, Complaint.version)
                        .where(Complaint.id == case_id)).one()
        return row.state, row.version


@pytest.mark.parametrize("who", list(ACTORS))
@pytest.mark.parametrize("action", list(A), ids=lambda a: a.value)
@pytest.mark.parametrize("state", list(S), ids=lambda s: s.value)
def test_transition_matrix(world: dict[str, Any], state: ComplaintState,
                           action: WorkflowAction, who: str) -> None:
    case_id = case_in(world, state)
    _, version = _state(world, case_id)
    sources, target, allowed_to = TABLE[action]
    access = actor(world["supervisor"], who)
    request = Request(action, **FULL_REQUEST)  # type: ignore[arg-type]
    if state in sources and who in allowed_to:
        transition(access, case_id, version, request)
        assert _state(world, case_id)[0] is target
    else:
        with pytest.raises(UserError) as refused:
            transition(access, case_id, version, request)
        assert "\n" not in refused.value.message
        if who not in allowed_to and state in sources:
            assert isinstance(refused.value, PermissionDenied)
        assert _state(world, case_id) == (state, version)  # nothing changed


def test_the_table_covers_every_action() -> None:
    assert set(TABLE) == set(A)


def test_a_step_without_its_documents_is_refused(world: dict[str, Any]) -> None:
    sup = world["supervisor"]
    case_id = new_case(sup)
    with pytest.raises(UserError, match="intake form completed"):
        transition(sup, case_id, 1, Request(A.ACKNOWLEDGE, "Letter sent."))
    assert _state(world, case_id)[0] is S.RECEIVED


def test_a_step_without_a_note_is_refused(world: dict[str, Any]) -> None:
    case_id = case_in(world, S.RECEIVED)
    with pytest.raises(UserError, match="write a note"):
        transition(world["supervisor"], case_id, _state(world, case_id)[1],
                   Request(A.ACKNOWLEDGE, "   "))


def test_the_reviewer_may_not_be_a_subject_or_in_the_chain(world: dict[str, Any]) -> None:
    sup = world["supervisor"]
    for reviewer, reason in ((1, "is a subject"), (2, "direct chain above Ana Subject"),
                             (5, "direct chain above")):
        case_id = case_in(world, S.ACKNOWLEDGED)
        with pytest.raises(UserError, match=reason):
            transition(sup, case_id, _state(world, case_id)[1],
                       Request(A.ASSIGN, "Assign.", reviewer_id=reviewer,
                               classification=Classification.SUPERVISOR_REVIEW))
        assert _state(world, case_id)[0] is S.ACKNOWLEDGED


def test_a_reviewer_who_reports_to_a_subject_is_refused(world: dict[str, Any]) -> None:
    sup = world["supervisor"]
    case_id = new_case(sup, subjects=(2,))  # Carla Chain: Ana Subject (1) reports to her
    with sup.writing(Action.EDIT_COMPLAINTS) as session:
        session.get(Complaint, case_id).state = S.ACKNOWLEDGED
    with pytest.raises(UserError, match="reports to Carla Chain"):
        transition(sup, case_id, 2, Request(A.ASSIGN, "Assign.", reviewer_id=1,
                                            classification=Classification.FULL_REVIEW))


def test_a_stale_version_is_a_conflict(world: dict[str, Any]) -> None:
    from console.services.access import EditConflict

    case_id = case_in(world, S.RECEIVED)
    with pytest.raises(EditConflict):
        transition(world["supervisor"], case_id, 1, Request(A.ACKNOWLEDGE, "Sent."))


def test_reopening_clears_findings_and_redoes_the_review_documents(
        world: dict[str, Any]) -> None:
    sup = world["supervisor"]
    case_id = case_in(world, S.CLOSED)
    transition(sup, case_id, _state(world, case_id)[1],
               Request(A.REOPEN, "New witness statement from the family."))
    detail = case_detail(sup, case_id, today=dt.date(2026, 3, 2))
    assert detail.state is S.ACKNOWLEDGED and detail.finding is None
    assert detail.classification is None and detail.due_on is not None
    status = {c.kind: c.status for c in detail.checklist}
    assert status[DocumentKind.INTAKE_FORM] is ChecklistStatus.DONE
    assert status[DocumentKind.REVIEW_REPORT] is ChecklistStatus.OPEN
    assert "Reopen" in detail.timeline[-1].text
    assert detail.timeline[-1].note == "New witness statement from the family."


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(list(A)), st.sampled_from(sorted(ACTORS))),
                min_size=1, max_size=12))
def test_any_sequence_of_requests_follows_the_table(
        world: dict[str, Any], steps: list[tuple[WorkflowAction, str]]) -> None:
    """From intake, whatever is asked by whoever: the case moves exactly as the table says,
    each step taken leaves one history entry, and only open cases have a deadline."""
    from console.data.complaint_enums import CaseEventKind
    from console.data.models import CaseEvent

    case_id = case_in(world, S.RECEIVED)
    expected, taken = S.RECEIVED, 0
    for action, who in steps:
        state, version = _state(world, case_id)
        sources, target, allowed_to = TABLE[action]
        try:
            transition(actor(world["supervisor"], who), case_id, version,
                       Request(action, **FULL_REQUEST))  # type: ignore[arg-type]
        except UserError:
            assert not (expected in sources and who in allowed_to)
        else:
            assert expected in sources and who in allowed_to
            expected, taken = target, taken + 1
            if action is A.REOPEN:  # the review documents are open again: redo them
                with world["supervisor"].writing(Action.EDIT_COMPLAINTS) as session:
                    for item in session.get(Complaint, case_id).checklist:
                        item.status = ChecklistStatus.DONE
        assert _state(world, case_id)[0] is expected
    with world["db"].session_factory() as s:
        case = s.get(Complaint, case_id)
        assert (case.due_on is None) == (not case.state.is_open)
        events = s.scalars(select(CaseEvent.kind).where(CaseEvent.complaint_id == case_id))
        assert list(events).count(CaseEventKind.TRANSITION) == taken
