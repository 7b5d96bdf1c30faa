"""The bench_ready and pipeline_cover early warnings on programs whose answer is known."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import program_access_for

from console.data.engine import Database
from console.data.enums import StaffRole
from console.data.people_enums import ProtectedRole, Readiness, SeparationReason, Stage
from console.services.access import Access, Action
from console.services.indicators.engine import evaluate_one
from console.services.indicators.model import Severity
from console.services.people import bench, edits, pipeline
from console.services.people.facts import leave_facts, position_facts
from console.services.people.forecast import forecast
from console.services.people.pipeline import paths

D = dt.date
AS_OF = D(2025, 3, 2)  # a Sunday


@pytest.fixture
def access(any_db: Database, tmp_path: Path) -> Access:
    return program_access_for(any_db, tmp_path)


def _staff(access: Access, n: int, role: StaffRole = StaffRole.MH_RESPONDER) -> int:
    return edits.add_staff_member(access, f"Person {n}", role, D(2022, 1, 1), staff_key=f"K{n}")


def test_bench_ready_warns_when_a_role_has_one_ready(access: Access) -> None:
    people = [_staff(access, n) for n in range(6)]
    for role, a, b in ((ProtectedRole.SWORN_SUPERVISOR, 0, 1),
                       (ProtectedRole.CLINICAL_LEAD, 2, 3), (ProtectedRole.DIRECTOR, 4, 5)):
        bench.add_successor(access, role, people[a], Readiness.READY_NOW, D(2024, 1, 1))
        bench.add_successor(access, role, people[b], Readiness.READY_NOW, D(2024, 1, 1))
    ok = evaluate_one(access, "bench_ready", AS_OF)
    assert ok.severity is Severity.OK and ok.value == 2.0
    assert ok.values[0] is None  # before anyone was on a bench: unknown, not zero
    edits.record_separation(access, people[3], D(2025, 1, 15), SeparationReason.RESIGNED)
    thin = evaluate_one(access, "bench_ready", AS_OF)
    assert thin.severity is Severity.WARNING and thin.value == 1.0
    assert thin.flagged_since is not None and thin.flagged_since >= D(2025, 1, 13)
    assert "clinical lead 1 ready" in thin.explanation


def test_pipeline_cover_is_projected_hires_over_expected_vacancies(access: Access) -> None:
    mh = StaffRole.MH_RESPONDER
    for n in range(3):  # three positions, one of them vacant since last autumn
        p = edits.add_position(access, edits.PositionEdit(f"Responder {n}", mh, "City",
                                                          D(2023, 1, 1)))
        a = edits.assign(access, p, _staff(access, n), D(2023, 1, 1))
        if n == 0:
            edits.end_assignment(access, a, D(2024, 10, 1))
    u = pipeline.add_partner(access, "Alder State University", "MSW", D(2023, 1, 1))
    hired = pipeline.add_candidate(access, "First Hire", cohort="2024-25",
                                   applied_on=D(2024, 1, 1), partner_id=u)
    version = pipeline.move_candidate(access, hired, 1, Stage.OFFERED, D(2024, 5, 1),
                                      "an early cohort, recorded at the offer")
    pipeline.move_candidate(access, hired, version, Stage.HIRED, D(2024, 6, 1))
    pipeline.add_candidate(access, "Open Applicant", cohort="2025-26",
                           applied_on=D(2025, 2, 1), partner_id=u)
    e = evaluate_one(access, "pipeline_cover", AS_OF)
    with access.reading(Action.VIEW_STAFF) as session:
        f = forecast(position_facts(session), leave_facts(session), paths(session), AS_OF)
    # One applicant at applied's conversion (1 of 1), due in 273 days: the 92 left of
    # applied's 121, five stages nobody has been through (30 each) and offered's 31.
    assert f.hires == pytest.approx(1.0)
    assert e.value == pytest.approx(f.hires / f.vacancies)
    assert f.vacancies > 1  # the open vacancy, and the turnover of the year behind it
    assert e.severity >= Severity.WATCH
    before_first_hire = [v for w, v in zip(e.weeks, e.values, strict=True) if w < D(2024, 5, 27)]
    assert set(before_first_hire) == {None}  # no conversion to project from yet
