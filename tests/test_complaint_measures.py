"""Complaint measures and weekly series on a small hand-built program."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from complaint_world import build, new_case
from sqlalchemy import insert

from console.data.complaint_enums import Classification, ComplaintState, Finding
from console.data.engine import Database
from console.data.enums import Activation
from console.data.models import Call, Complaint
from console.services.access import Access, Action
from console.services.complaints import case_detail
from console.services.complaints.measures import (
    complaint_measures,
    complaint_rate_by_week,
    complaints_and_calls_by_week,
    overdue_steps_by_week,
)

D = dt.date
MON = D(2026, 3, 2)  # a Monday


def _calls(db: Database, per_week: list[int]) -> None:
    """`per_week[k]` attended calls on the Tuesday of week k, plus one follow-up visit and
    one call the unit never attended each week (neither counts)."""
    rows, n = [], 0
    for k, count in enumerate(per_week):
        day = dt.datetime.combine(MON + dt.timedelta(weeks=k, days=1), dt.time(10))
        kinds = [Activation.DISPATCH] * count + [Activation.FOLLOW_UP, None]
        for activation in kinds:
            n += 1
            rows.append({"id": n, "program_id": 1, "agency_id": 1,
                         "incident_number": f"26-{n:06d}", "received_at": day,
                         "activation": activation})
    with db.engine.begin() as conn:
        conn.execute(insert(Call), rows)


def _finish(sup: Access, case_id: int, state: ComplaintState, on: dt.date,
            classification: Classification, finding: Finding | None = None) -> None:
    with sup.writing(Action.EDIT_COMPLAINTS) as session:
        case = session.get(Complaint, case_id)
        case.state, case.finished_on, case.due_on = state, on, None
        case.classification, case.finding = classification, finding


def test_measures_by_hand(db: Database, tmp_path: Path) -> None:
    sup = build(db, tmp_path)
    _calls(db, [100, 200, 300])
    a = new_case(sup, received_on=MON)  # acknowledge due Thu 5 Mar
    b = new_case(sup, received_on=MON + dt.timedelta(days=8))  # Tue 10: due Fri 13
    c = new_case(sup, received_on=MON + dt.timedelta(days=15))
    # a closed after 10 business days (2 -> 16 Mar), b informally after 3 (10 -> 13 Mar).
    _finish(sup, a, ComplaintState.CLOSED, D(2026, 3, 16), Classification.FULL_REVIEW,
            Finding.EXONERATED)
    _finish(sup, b, ComplaintState.INFORMALLY_RESOLVED, D(2026, 3, 13),
            Classification.INFORMAL_RESOLUTION)
    m = complaint_measures(sup, today=D(2026, 3, 23))
    assert (m.open_cases, m.overdue_steps, m.withdrawn) == (1, 1, 0)  # c due 19 Mar
    assert m.median_days_to_close == {Classification.INFORMAL_RESOLUTION: 3.0,
                                      Classification.FULL_REVIEW: 10.0}
    assert m.median_days_all == 6.5 and m.findings == {Finding.EXONERATED: 1}
    assert [(q.quarter, q.complaints, q.calls) for q in m.by_quarter] == [("2026 Q1", 3, 600)]
    assert m.by_quarter[0].per_1000 == 5.0
    assert case_detail(sup, c, today=D(2026, 3, 23)).overdue


def test_weekly_series_by_hand(db: Database, tmp_path: Path) -> None:
    sup = build(db, tmp_path)
    _calls(db, [100, 200, 300, 400])
    for days in (0, 1, 8, 22):
        new_case(sup, received_on=MON + dt.timedelta(days=days))
    with db.session_factory() as session:
        counts = complaints_and_calls_by_week(session, MON, MON + dt.timedelta(weeks=3))
        assert counts.complaints == (2, 1, 0, 1) and counts.calls == (100, 200, 300, 400)
        rate = complaint_rate_by_week(session, MON + dt.timedelta(weeks=1),
                                      MON + dt.timedelta(weeks=3), window=2)
        assert rate.values == (1000 * 3 / 300, 1000 * 1 / 500, 1000 * 1 / 700)
        # Acknowledgements due Thu 5, Fri 6, Fri 13 and Fri 27 March (3 business days);
        # on the Sundays 8, 15, 22 and 29 March: 2, 3, 3 and 4 of them overdue.
        overdue = overdue_steps_by_week(session, MON, MON + dt.timedelta(weeks=3))
        assert overdue.values == (2, 3, 3, 4)


def test_the_early_warning_indicators_read_the_complaints(db: Database,
                                                          tmp_path: Path) -> None:
    """complaint_overdue and complaint_rate, declared in the indicator catalog, judge the
    weekly series above: four overdue steps on Sunday 29 March is a warning; four
    complaints per 1,000 calls is clear of the watch line (6)."""
    from console.services.indicators.engine import evaluate_one
    from console.services.indicators.model import Severity

    sup = build(db, tmp_path)
    _calls(db, [250, 250, 250, 250])
    for days in (0, 1, 8, 22):
        new_case(sup, received_on=MON + dt.timedelta(days=days))
    as_of = MON + dt.timedelta(weeks=3, days=6)  # Sunday 29 March
    overdue = evaluate_one(sup, "complaint_overdue", as_of)
    assert overdue.value == 4 and overdue.severity is Severity.WARNING
    assert overdue.weeks[-1] == MON + dt.timedelta(weeks=3)
    rate = evaluate_one(sup, "complaint_rate", as_of)
    assert rate.value == 1000 * 4 / 1000 and rate.severity is Severity.OK
