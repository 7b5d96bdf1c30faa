"""The complaints command and the measures, on the session's demo program."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DEMO_END
from sqlalchemy import select

from console.__main__ import main
from console.data.base import sealed_purpose
from console.data.complaint_enums import Classification, ComplaintState
from console.data.engine import Database
from console.data.models import Complaint
from console.services.access import Access
from console.services.complaints import queue
from console.services.complaints.measures import (
    complaint_measures,
    complaint_rate_by_week,
    overdue_steps_by_week,
)


def _secrets(access: Access) -> list[str]:
    """Every narrative and complainant name of the demo, opened with its key."""
    out = []
    with access.factory() as session:
        for name, narrative in session.execute(select(Complaint.complainant_name,
                                                      Complaint.narrative)):
            if name:
                out.append(access.vault.open(name, purpose=sealed_purpose(
                    "complaint", "complainant_name")))
            out.append(access.vault.open(narrative, purpose=sealed_purpose(
                "complaint", "narrative"))[:30])
    return out


def test_the_demo_ends_with_two_overdue_cases(demo_access: Access) -> None:
    rows = queue(demo_access, today=DEMO_END)
    overdue = [r for r in rows if r.overdue]
    assert len(overdue) == 2 and rows[:2] == overdue
    assert {r.state for r in overdue} == {ComplaintState.RECEIVED, ComplaintState.UNDER_REVIEW}


def test_the_demo_has_three_years_of_mostly_light_reviews(demo_access: Access) -> None:
    m = complaint_measures(demo_access, DEMO_END)
    with demo_access.factory() as session:
        cases = session.execute(select(Complaint.received_on, Complaint.classification)).all()
    assert 30 <= len(cases) <= 70
    assert min(c.received_on for c in cases).year == DEMO_END.year - 3
    kinds = [c.classification for c in cases if c.classification]
    full = kinds.count(Classification.FULL_REVIEW)
    assert 1 <= full < len(kinds) / 4
    assert m.overdue_steps == 2 and m.open_cases >= 2
    assert set(m.median_days_to_close) == set(Classification)
    assert sum(m.findings.values()) >= 5 and m.withdrawn >= 1
    rates = [q.per_1000 for q in m.by_quarter if q.per_1000 is not None]
    assert rates and all(0 <= r < 10 for r in rates)


def test_the_weekly_series_of_the_early_warnings(demo_db: Database,
                                                 demo_access: Access) -> None:
    import datetime as dt

    first = DEMO_END - dt.timedelta(weeks=30)
    with demo_db.session_factory() as session:
        overdue = overdue_steps_by_week(session, first, DEMO_END - dt.timedelta(days=1))
        rate = complaint_rate_by_week(session, first, DEMO_END - dt.timedelta(days=1))
    assert len(overdue.values) == len(overdue.mondays) == len(rate.values)
    assert overdue.values[-1] == 2  # the two overdue steps, in the last week
    assert any(v for v in rate.values if v is not None)


@pytest.mark.parametrize("as_json", [True, False])
def test_complaints_command_prints_the_queue_and_never_a_narrative(
        demo_db_path: Path, demo_access: Access, capsys: pytest.CaptureFixture[str],
        as_json: bool) -> None:
    assert main(["--db", str(demo_db_path), "complaints", "--all"]
                + (["--json"] if as_json else [])) == 0
    out = capsys.readouterr().out
    if as_json:
        data = json.loads(out)
        assert {"id", "state", "due", "overdue", "reviewer"} <= set(data["queue"][0])
        assert data["measures"]["open_cases"] >= 2
        assert data["measures"]["per_1000_coresponse_calls_by_quarter"]
    else:
        assert "Complaint queue" in out and "per 1,000" in out
    for secret in _secrets(demo_access):
        assert secret not in out


def test_linking_users_and_reporting_lines(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    from conftest import program_database
    from sqlalchemy import insert

    from console.data.engine import open_database, sqlite_url
    from console.data.enums import StaffRole, UserRole
    from console.data.models import ReportingLine, StaffMember, UserAccount, UserStaffLink

    path = program_database(tmp_path / "p.sqlite")
    db = open_database(sqlite_url(path), create=False)
    with db.engine.begin() as conn:
        for sid, key in ((1, "E1"), (2, "E2")):
            conn.execute(insert(StaffMember).values(
                id=sid, program_id=1, staff_key=key, display_name=f"Staff {sid}",
                role=StaffRole.MH_RESPONDER, hired_on=dt.date(2020, 1, 1)))
        conn.execute(insert(UserAccount).values(
            id=1, username="rev", display_name="Rev", role=UserRole.REVIEWER,
            password_hash="x", created_at=dt.datetime(2026, 1, 1)))
    base = ["--db", str(path), "complaints"]
    assert main([*base, "--link-user", "rev", "E2"]) == 0
    assert main([*base, "--reports-to", "E1", "E2"]) == 0
    assert main([*base, "--reports-to", "E2", "E1"]) == 2  # a loop, refused
    assert "cannot report to" in capsys.readouterr().err
    assert main([*base, "--link-user", "nobody", "E1"]) == 2
    with db.session_factory() as s:
        assert s.execute(select(UserStaffLink.user_id, UserStaffLink.staff_id)).all() == [(1, 2)]
        assert s.execute(select(ReportingLine.staff_id, ReportingLine.supervisor_id)).all() \
            == [(1, 2)]
    assert main([*base, "--link-user", "rev", "-"]) == 0
    with db.session_factory() as s:
        assert s.execute(select(UserStaffLink.user_id)).all() == []
    db.dispose()
