"""The indicator engine on programs whose answer is known: a step down in patrol
requests, too little history, thresholds and acknowledgements kept and audited."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
from conftest import SUPERVISOR, program_access_for
from sqlalchemy import insert, select

from console.data.engine import Database
from console.data.enums import Activation, EventKind, StaffRole, UserRole
from console.data.models import AuditEntry, Call, ProgramEvent, StaffMember
from console.errors import UserError
from console.services.access import Access, Action, Actor, PermissionDenied
from console.services.indicators.alerts_service import (
    acknowledge,
    alert_history,
    changes_since_last_look,
    mark_seen,
    reset_thresholds,
    set_thresholds,
)
from console.services.indicators.catalog import BY_ID, INDICATORS
from console.services.indicators.engine import evaluate_all, evaluate_one
from console.services.indicators.model import Severity, Thresholds

D = dt.date
START = D(2022, 1, 3)  # a Monday
DROP = D(2025, 1, 6)  # patrol requests halve from this Monday
AS_OF = D(2025, 3, 2)  # a Sunday: eight weeks of the drop are complete
BEFORE, AFTER = 30, 15


@pytest.fixture
def access(any_db: Database, tmp_path: Path) -> Access:
    return program_access_for(any_db, tmp_path)


def _requests(access: Access, first: dt.date, last: dt.date, *, before: int = BEFORE,
              after: int = AFTER, drop: dt.date = DROP) -> None:
    """Patrol requests, exactly `before` a week until `drop` and `after` from then on,
    each from one of 20 officers (10 of whom stop asking at the drop)."""
    rng = random.Random(5)
    with access.writing(Action.EDIT_CALLS) as s:
        s.execute(insert(StaffMember), [
            {"id": 100 + i, "program_id": 1, "staff_key": f"P{i}", "display_name": f"Officer {i}",
             "role": StaffRole.SWORN_OFFICER, "hired_on": D(2015, 1, 1)} for i in range(20)])
        rows, n, week = [], 0, first
        while week <= last:
            per_week = before if week < drop else after
            officers = range(20) if week < drop else range(10)
            for k in range(per_week):
                n += 1
                at = dt.datetime.combine(week + dt.timedelta(days=k % 7), dt.time(8 + k % 12))
                rows.append({"program_id": 1, "agency_id": 1, "incident_number": f"C{n}",
                             "received_at": at, "activation": Activation.PATROL_REQUEST,
                             "requesting_officer_id": 100 + rng.choice(list(officers))})
            week += dt.timedelta(weeks=1)
        s.execute(insert(Call), rows)


def test_a_step_down_is_flagged_with_the_numbers(access: Access) -> None:
    _requests(access, START, AS_OF)
    with access.writing(Action.EDIT_PROGRAM) as s:
        s.execute(insert(ProgramEvent), [
            {"program_id": 1, "occurred_on": D(2024, 12, 16), "kind": EventKind.LEADERSHIP_CHANGE,
             "title": "New chief sworn in"},
            {"program_id": 1, "occurred_on": D(2023, 6, 1), "kind": EventKind.OFFICE_MOVE,
             "title": "Long ago"}])
    e = evaluate_one(access, "patrol_requests", AS_OF)
    assert e.severity is Severity.CRITICAL
    # A CUSUM on a 50% drop of a steady count flags within its first weeks.
    assert e.flagged_since is not None and DROP <= e.flagged_since <= DROP + dt.timedelta(weeks=2)
    assert e.value == AFTER and e.baseline == pytest.approx(BEFORE, abs=1.0)
    weeks = (e.weeks[-1] - e.flagged_since).days // 7 + 1
    assert e.explanation.startswith(
        f"Patrol requests fell 50% over {weeks} weeks against ")
    assert "30 -> 15 a week" in e.explanation
    assert "10 fewer officers asked for the unit (20 -> 10)" in e.explanation
    assert "It follows: New chief sworn in (16 Dec 2024)" in e.explanation
    assert "Long ago" not in e.explanation
    assert [m.title for m in e.markers] == ["Long ago", "New chief sworn in"]
    assert e.weeks[-1] == D(2025, 2, 24) and len(e.weeks) == len(e.values) == len(e.statistic)


def test_a_steady_count_is_ok_and_said_so(access: Access) -> None:
    _requests(access, START, AS_OF, after=BEFORE)
    e = evaluate_one(access, "patrol_requests", AS_OF)
    assert e.severity is Severity.OK and e.flagged_since is None
    assert e.explanation.startswith("Patrol requests: 30 a week over the last 4 weeks")
    assert "no sustained fall" in e.explanation


def test_too_little_history_is_said_plainly(access: Access) -> None:
    _requests(access, D(2025, 1, 20), AS_OF, drop=D(2025, 2, 17))
    e = evaluate_one(access, "patrol_requests", AS_OF)
    assert e.severity is Severity.OK and e.baseline is None
    assert e.explanation.startswith("Not enough history to judge yet: not enough history")
    assert "6 weeks of data" in e.explanation


def test_every_indicator_evaluates_on_an_empty_program(access: Access) -> None:
    evaluations = evaluate_all(access, AS_OF)
    assert [e.id for e in evaluations] == [i.id for i in INDICATORS]
    assert all(e.severity is Severity.OK for e in evaluations)


def test_worst_first(access: Access) -> None:
    _requests(access, START, AS_OF)
    evaluations = evaluate_all(access, AS_OF)
    assert [e.severity for e in evaluations] == sorted(
        (e.severity for e in evaluations), reverse=True)
    assert evaluations[0].id in {"patrol_requests", "requesting_officers"}


def test_thresholds_are_kept_audited_and_used(access: Access) -> None:
    _requests(access, START, AS_OF)
    set_thresholds(access, "patrol_requests", Thresholds(50, 60, 70))
    e = evaluate_one(access, "patrol_requests", AS_OF)
    assert e.thresholds == Thresholds(50, 60, 70, above=True)
    assert e.severity < Severity.CRITICAL
    with access.reading(Action.VIEW_AUDIT) as s:
        entry = s.scalars(select(AuditEntry).where(
            AuditEntry.table_name == "indicator_threshold")).one()
    assert entry.actor == SUPERVISOR.username and json.loads(entry.changes)["watch"][1] == 50
    reset_thresholds(access, "patrol_requests")
    assert evaluate_one(access, "patrol_requests", AS_OF).severity is Severity.CRITICAL


def test_thresholds_out_of_order_change_nothing(access: Access) -> None:
    with pytest.raises(UserError, match="must run watch <= warning <= critical"):
        set_thresholds(access, "patrol_requests", Thresholds(5, 4, 6))
    with pytest.raises(UserError, match="must run watch >= warning >= critical"):
        set_thresholds(access, "positions_filled", Thresholds(0.5, 0.9, 0.3))
    with pytest.raises(UserError, match="no indicator called 'nope'"):
        set_thresholds(access, "nope", Thresholds(1, 2, 3))
    assert evaluate_one(access, "patrol_requests").thresholds == BY_ID["patrol_requests"].thresholds


def test_only_a_supervisor_edits_thresholds(access: Access) -> None:
    director = access.as_actor(Actor("dir", UserRole.DIRECTOR, "Director"))
    with pytest.raises(PermissionDenied):
        set_thresholds(director, "patrol_requests", Thresholds(1, 2, 3))


def test_acknowledgement_is_kept_audited_and_shown_in_the_history(access: Access) -> None:
    _requests(access, START, AS_OF)
    e = evaluate_one(access, "patrol_requests", AS_OF)
    review = dt.date.today() + dt.timedelta(days=30)
    acknowledge(access, e, "  Meeting the patrol captains on Monday  ", review)
    again = evaluate_one(access, "patrol_requests", AS_OF)
    assert again.acknowledged and again.acknowledgement is not None
    ack = again.acknowledgement
    assert (ack.note, ack.review_on, ack.severity, ack.by) == (
        "Meeting the patrol captains on Monday", review, Severity.CRITICAL, SUPERVISOR.display_name)
    history = alert_history(access, again)
    assert history[0].started == e.flagged_since and history[0].ended is None
    assert history[0].peak is Severity.CRITICAL
    assert [a.note for a in history[0].acknowledgements] == [ack.note]
    with access.reading(Action.VIEW_AUDIT) as s:
        assert s.scalars(select(AuditEntry).where(
            AuditEntry.table_name == "alert_acknowledgement")).one().actor == SUPERVISOR.username
    # Acknowledged alerts sort after unacknowledged ones of the same severity.
    order = [x.id for x in evaluate_all(access, AS_OF) if x.severity is Severity.CRITICAL]
    assert order[-1] == "patrol_requests"


def test_an_acknowledgement_lapses_at_its_review_date(access: Access) -> None:
    _requests(access, START, AS_OF)
    e = evaluate_one(access, "patrol_requests", AS_OF)
    today = dt.date.today()
    acknowledge(access, e, "Looking into it", today)
    assert evaluate_one(access, "patrol_requests", AS_OF).acknowledged
    # Judged after the review date (the calls stop at AS_OF: the same alert goes on).
    later = evaluate_one(access, "patrol_requests", today + dt.timedelta(days=1))
    assert later.flagged_since == e.flagged_since and later.severity > Severity.OK
    assert not later.acknowledged


def test_acknowledging_needs_a_note_a_flag_and_a_future_review(access: Access) -> None:
    _requests(access, START, AS_OF)
    e = evaluate_one(access, "patrol_requests", AS_OF)
    with pytest.raises(UserError, match="needs a note"):
        acknowledge(access, e, "   ")
    with pytest.raises(UserError, match="in the past"):
        acknowledge(access, e, "ok", dt.date.today() - dt.timedelta(days=1))
    ok = evaluate_one(access, "vacancy_age", AS_OF)
    with pytest.raises(UserError, match="not flagged"):
        acknowledge(access, ok, "nothing")
    analyst = access.as_actor(Actor("an", UserRole.ANALYST, "Analyst"))
    with pytest.raises(PermissionDenied):
        acknowledge(analyst, e, "I may not")
    assert not evaluate_one(access, "patrol_requests", AS_OF).acknowledged


def test_the_banner_tells_each_user_what_got_worse(access: Access) -> None:
    _requests(access, START, AS_OF)
    analyst = access.as_actor(Actor("an", UserRole.ANALYST, "Analyst"))
    early = evaluate_all(access, DROP - dt.timedelta(days=1))
    assert changes_since_last_look(analyst, early) == []
    mark_seen(analyst, early)
    now = evaluate_all(access, AS_OF)
    changes = changes_since_last_look(analyst, now)
    assert {c.indicator_id for c in changes} >= {"patrol_requests"}
    first = next(c for c in changes if c.indicator_id == "patrol_requests")
    assert (first.before, first.now) == (Severity.OK, Severity.CRITICAL)
    mark_seen(analyst, now)
    assert changes_since_last_look(analyst, now) == []
    # Another user has seen nothing yet: everything flagged is news to them.
    assert {c.indicator_id for c in changes_since_last_look(access, now)} == {
        e.id for e in now if e.severity > Severity.OK}


def test_an_alert_grown_worse_than_acknowledged_needs_a_new_acknowledgement(
        access: Access) -> None:
    _requests(access, START, AS_OF)
    set_thresholds(access, "patrol_requests", Thresholds(1, 2, 1000))
    warning = evaluate_one(access, "patrol_requests", AS_OF)
    assert warning.severity is Severity.WARNING
    acknowledge(access, warning, "Watching it")
    assert evaluate_one(access, "patrol_requests", AS_OF).acknowledged
    reset_thresholds(access, "patrol_requests")
    worse = evaluate_one(access, "patrol_requests", AS_OF)
    assert worse.severity is Severity.CRITICAL and not worse.acknowledged


def test_an_acknowledgement_holds_through_its_review_day(access: Access) -> None:
    _requests(access, START, AS_OF)
    today = dt.date.today()
    acknowledge(access, evaluate_one(access, "patrol_requests", AS_OF), "Until today", today)
    assert evaluate_one(access, "patrol_requests", today).acknowledged


def test_marking_warnings_seen_on_a_database_without_a_program_does_nothing(
        db: Database, tmp_path: Path) -> None:
    """The Dashboard marks what it showed; with no program yet there is nothing to mark,
    and no refusal to log (the marks belong to a program)."""
    from conftest import access_for

    from console.data.models import IndicatorSeen
    from console.services.indicators.alerts_service import mark_seen

    access = access_for(db, tmp_path)
    mark_seen(access, evaluate_all(access))
    with access.factory() as session:
        assert session.query(IndicatorSeen).count() == 0
