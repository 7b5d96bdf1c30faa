"""The intern pipeline: stage rules, conversion and the forecast on hand-computed cases,
and candidates' identities kept from analysts and out of the database file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.data.engine import Database
from console.data.enums import StaffRole, UserRole
from console.data.people_enums import PIPELINE, EvaluationKind, LeaveKind, Stage
from console.errors import UserError
from console.services.access import Access, Action, Actor, EditConflict, PermissionDenied
from console.services.people import pipeline
from console.services.people.facts import LeaveFacts
from console.services.people.forecast import forecast, turnover_rate
from console.services.people.history import Hold, PositionFacts
from console.services.people.overview import pipeline_cover_weekly, pipeline_overview
from console.services.people.stages import (
    Path as CandidatePath,
)
from console.services.people.stages import (
    check_move,
    conversion_by,
    conversion_by_stage,
    projected_hires,
)
from tests.conftest import program_access_for

D = dt.date
AS_OF = D(2026, 6, 1)
ANALYST = Actor("eval", UserRole.ANALYST, "City evaluator")


# --- stage rules ------------------------------------------------------------------------

def test_the_next_stage_needs_no_reason() -> None:
    for here, there in zip(PIPELINE, PIPELINE[1:], strict=False):
        check_move(here, there)


def test_a_skip_needs_a_reason() -> None:
    with pytest.raises(UserError, match="skips screened, interviewed: give the reason"):
        check_move(Stage.APPLIED, Stage.PLACED)
    with pytest.raises(UserError, match="give the reason"):
        check_move(Stage.APPLIED, Stage.PLACED, "   ")
    check_move(Stage.APPLIED, Stage.PLACED, "Interviewed with last year's cohort")


@given(st.sampled_from(list(Stage)), st.sampled_from(list(Stage)), st.booleans())
def test_final_stages_are_final_and_nothing_moves_back(here: Stage, there: Stage,
                                                       reason: bool) -> None:
    text = "a reason" if reason else None
    if here.final or there is here:
        with pytest.raises(UserError):
            check_move(here, there, text)
        return
    if there is Stage.WITHDRAWN:
        check_move(here, there)
        return
    step = PIPELINE.index(there) - PIPELINE.index(here)
    if step < 0 or (step > 1 and not reason):
        with pytest.raises(UserError):
            check_move(here, there, text)
    else:
        check_move(here, there, text)


# --- conversion and forecast, by hand ---------------------------------------------------

def _path(cid: int, partner: str, cohort: str, stages: list[Stage],
          start: dt.date = dt.date(2024, 9, 1)) -> CandidatePath:
    return CandidatePath(cid, partner, cohort, tuple(
        (s, start + dt.timedelta(days=30 * i)) for i, s in enumerate(stages)))


S = Stage
FULL = list(PIPELINE)  # applied ... hired
PATHS = [
    _path(1, "U1", "2024-25", FULL),
    _path(2, "U1", "2024-25", [S.APPLIED, S.SCREENED, S.WITHDRAWN]),
    _path(3, "U2", "2024-25", [S.APPLIED, S.SCREENED, S.INTERVIEWED, S.PLACED, S.WITHDRAWN]),
    _path(4, "U2", "2025-26", FULL),
    _path(5, "U1", "2025-26", [S.APPLIED, S.SCREENED, S.INTERVIEWED, S.PLACED]),
    _path(6, "U2", "2025-26", [S.APPLIED]),
]


def test_conversion_by_stage_partner_and_cohort() -> None:
    rates = conversion_by_stage(PATHS, AS_OF)
    assert rates[S.APPLIED] == 2 / 4 and rates[S.SCREENED] == 2 / 4
    assert rates[S.INTERVIEWED] == 2 / 3 and rates[S.PLACED] == 2 / 3
    assert rates[S.MID_EVALUATION] == 1.0 and rates[S.OFFERED] == 1.0
    assert projected_hires(PATHS, AS_OF) == pytest.approx(2 / 3 + 1 / 2)
    partners = {c.group: (c.candidates, c.decided, c.hired) for c in
                conversion_by(PATHS, AS_OF, lambda p: p.partner)}
    assert partners == {"U1": (3, 2, 1), "U2": (3, 2, 1)}
    cohorts = {c.group: (c.candidates, c.decided, c.hired, c.rate) for c in
               conversion_by(PATHS, AS_OF, lambda p: p.cohort)}
    assert cohorts == {"2024-25": (3, 3, 1, 1 / 3), "2025-26": (3, 1, 1, 1.0)}


def test_a_skipped_stage_counts_as_passed_through() -> None:
    skipper = _path(7, "U1", "2025-26", [S.APPLIED, S.PLACED, S.HIRED])
    rates = conversion_by_stage([skipper], AS_OF)
    assert rates[S.SCREENED] == 1.0 and rates[S.INTERVIEWED] == 1.0


def test_conversion_knows_only_what_was_decided_by_the_day() -> None:
    early = D(2024, 10, 15)  # everyone still applied or screened: nobody decided
    assert set(conversion_by_stage(PATHS, early).values()) == {None, 1.0}
    assert projected_hires(PATHS, early) == 0.0


def _positions() -> list[PositionFacts]:
    mh, start = StaffRole.MH_RESPONDER, D(2024, 1, 1)
    return [
        PositionFacts(1, "Q1", mh, "City", start, holds=(Hold(1, start),)),
        PositionFacts(2, "Q2", mh, "City", start, holds=(Hold(2, start, D(2026, 9, 1)),)),
        PositionFacts(3, "Q3", mh, "City", start, holds=(Hold(3, start, D(2026, 3, 1)),)),
        PositionFacts(4, "Q4", mh, "City", start, holds=(Hold(4, start),)),
        PositionFacts(5, "Q5", mh, "City", start, holds=(Hold(5, start),)),
        PositionFacts(6, "Intern", StaffRole.INTERN, "University", start,
                      holds=(Hold(6, start, D(2025, 5, 10)),)),
    ]


LEAVE = [
    LeaveFacts(1, 4, LeaveKind.FAMILY, D(2026, 5, 1), D(2026, 8, 1)),  # back before the horizon
    LeaveFacts(2, 5, LeaveKind.INJURY, D(2026, 5, 15), None),  # no return date
    LeaveFacts(3, 1, LeaveKind.ANNUAL, D(2027, 5, 25), D(2027, 6, 8)),  # short: no vacancy
]


def test_forecast_on_a_hand_computed_case() -> None:
    # In the year to 1 June 2026 one hold ended (Q3, 1 March); weekly, four positions were
    # always filled and Q3 on 39 of the 54 days: 255/54 filled on average.
    assert turnover_rate(_positions(), AS_OF) == pytest.approx(54 / 255)
    offered = _path(8, "U1", "2025-26", FULL[:7], start=D(2025, 9, 1))  # at offered: 1.0
    f = forecast(_positions(), LEAVE, [*PATHS, offered], AS_OF)
    assert f.horizon == D(2027, 6, 1) and f.open_now == 1  # Q3
    assert f.recorded == 2  # Q3, and Q2 whose holder leaves 1 September
    assert f.on_leave == 1  # Q5; Q4's holder is back in August
    assert f.turnover == pytest.approx(54 / 255 * 3)  # Q1, Q4, Q5 have no known end
    assert f.vacancies == pytest.approx(3 + 162 / 255)
    assert f.hires == pytest.approx(1 + 2 / 3 + 1 / 2)
    assert (f.expected_vacancies, f.whole_hires, f.covered) == (4, 2, 2)
    assert f.sentence == "the pipeline covers 2 of the 4 vacancies expected by June 2027"
    july = next(p for p in f.points if p.day == D(2026, 7, 1))
    assert july.vacancies == pytest.approx(1 + 2 + 54 / 255 * 3 * 30 / 365)  # Q3; Q4, Q5 away
    aug = next(p for p in f.points if p.day == D(2026, 8, 1))  # Q4's holder back that day
    assert aug.vacancies == pytest.approx(1 + 1 + 54 / 255 * 3 * 61 / 365)
    # Hires arrive as the stages ahead pass (30 days each here): the offered candidate
    # now, the placed one after three stages (30 August), the applicant after six.
    hires = {p.day: p.hires for p in f.points}
    assert hires[D(2026, 7, 1)] == pytest.approx(1.0) == hires[D(2026, 8, 1)]
    assert hires[D(2026, 9, 1)] == pytest.approx(1 + 2 / 3)
    assert hires[D(2026, 11, 1)] == pytest.approx(1 + 2 / 3)
    assert hires[D(2026, 12, 1)] == pytest.approx(1 + 2 / 3 + 1 / 2)


# --- through the services, on a database ------------------------------------------------

@pytest.fixture
def people(any_db: Database, tmp_path: Path) -> Access:
    """A supervisor on program 1, on SQLite and (given a server) PostgreSQL."""
    return program_access_for(any_db, tmp_path)


NAME, CONTACT, NOTE = "Marisol Quintanilla-Okafor", "marisol.qo@example.edu", \
    "Froze on the bridge call; strong rapport afterwards"


def test_moves_through_the_service_keep_a_history(people: Access) -> None:
    u = pipeline.add_partner(people, "Alder State University", "MSW", D(2024, 1, 1))
    c = pipeline.add_candidate(people, NAME, cohort="2025-26", applied_on=D(2025, 3, 1),
                               partner_id=u, contact=CONTACT)
    [card] = pipeline.board(people, D(2025, 3, 11))
    assert (card.label, card.stage, card.days_in_stage) == (NAME, S.APPLIED, 10)
    v = pipeline.move_candidate(people, c, card.version, S.SCREENED, D(2025, 3, 10))
    with pytest.raises(EditConflict):  # a card moved by someone else since it was read
        pipeline.move_candidate(people, c, card.version, S.INTERVIEWED, D(2025, 3, 20))
    with pytest.raises(UserError, match="give the reason"):
        pipeline.move_candidate(people, c, v, S.PLACED, D(2025, 4, 1))
    with pytest.raises(UserError, match="cannot be dated"):
        pipeline.move_candidate(people, c, v, S.INTERVIEWED, D(2025, 3, 1))
    v = pipeline.move_candidate(people, c, v, S.PLACED, D(2025, 4, 1), "Interviewed in 2024")
    v = pipeline.move_candidate(people, c, v, S.WITHDRAWN, D(2025, 5, 1))
    with pytest.raises(UserError, match="final stage"):
        pipeline.move_candidate(people, c, v, S.PLACED, D(2025, 6, 1), "changed her mind")
    overview = pipeline_overview(people, D(2025, 6, 1))
    assert overview.per_stage[S.WITHDRAWN] == 1
    assert overview.median_days[S.APPLIED] == 9 and overview.median_days[S.PLACED] == 30
    [partner] = overview.by_partner
    assert (partner.group, partner.decided, partner.hired) == ("Alder State University", 1, 0)


def _entered(access: Access) -> int:
    u = pipeline.add_partner(access, "Alder State University", "MSW", D(2024, 1, 1))
    c = pipeline.add_candidate(access, NAME, cohort="2025-26", applied_on=D(2025, 3, 1),
                               partner_id=u, contact=CONTACT)
    pipeline.add_evaluation(access, c, EvaluationKind.MID_PLACEMENT, D(2025, 12, 1), "Dr. Ames",
                            {"risk": 3, "deescalation": 4, "rapport": 5, "command": 2,
                             "documentation": 4}, NOTE)
    return c


def test_analysts_never_see_candidates_identities(people: Access) -> None:
    c = _entered(people)
    assert pipeline.candidate_identity(people, c).name == NAME
    assert pipeline.evaluations(people)[0].notes == NOTE
    analyst = people.as_actor(ANALYST)
    [card] = pipeline.board(analyst, D(2026, 1, 1))
    assert card.label == f"Candidate {c}" and NAME not in repr(card)
    [row] = pipeline.evaluations(analyst)
    assert row.notes is None and row.candidate == f"Candidate {c}"
    assert row.scores == (3, 4, 5, 2, 4) and row.mean == pytest.approx(3.6)
    with pytest.raises(PermissionDenied):
        pipeline.candidate_identity(analyst, c)
    with pytest.raises(PermissionDenied):
        pipeline.add_candidate(analyst, "Someone", cohort="2025-26", applied_on=AS_OF)


def test_no_candidate_identity_in_the_database_file_in_clear(db: Database,
                                                             tmp_path: Path) -> None:
    _entered(program_access_for(db, tmp_path))
    path = db.sqlite_path
    assert path is not None
    db.dispose()
    raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    for secret in (NAME, CONTACT, NOTE, "Quintanilla"):
        for encoding in ("utf-8", "utf-16-le"):
            assert secret.encode(encoding) not in raw, secret


def test_evaluation_scores_must_be_on_the_rubric(people: Access) -> None:
    c = pipeline.add_candidate(people, NAME, cohort="2025-26", applied_on=D(2025, 3, 1))
    scores = {"risk": 3, "deescalation": 6, "rapport": 5, "command": 2, "documentation": 4}
    with pytest.raises(UserError, match="deescalation=6"):
        pipeline.add_evaluation(people, c, EvaluationKind.FINAL, AS_OF, "Dr. Ames", scores)
    del scores["risk"]
    with pytest.raises(UserError, match="lacks a score for risk"):
        pipeline.add_evaluation(people, c, EvaluationKind.FINAL, AS_OF, "Dr. Ames", scores)
    assert pipeline.evaluations(people) == []


def test_pipeline_cover_weekly_is_hires_over_vacancies(people: Access) -> None:
    series = pipeline_cover_weekly(people, D(2023, 2, 1))
    assert series.weeks[0] == D(2023, 1, 1)  # the program's start
    assert set(series.values) == {1.0}  # nothing authorized, nothing expected: covered


def test_weekly_bench_ready_is_the_thinnest_bench(people: Access) -> None:
    from console.data.people_enums import ProtectedRole, Readiness
    from console.services.people import bench, edits
    from console.services.people.overview import bench_ready_weekly
    from console.services.people.weekly import bench_ready

    ids = [edits.add_staff_member(people, f"S{n}", StaffRole.SWORN_OFFICER, D(2022, 1, 1),
                                  staff_key=f"B{n}") for n in range(3)]
    for role in ProtectedRole:
        bench.add_successor(people, role, ids[0], Readiness.READY_NOW, D(2023, 3, 1))
    bench.add_successor(people, ProtectedRole.DIRECTOR, ids[1], Readiness.READY_NOW,
                        D(2023, 6, 1))
    days = [D(2023, 1, 1), D(2023, 4, 1), D(2023, 7, 1)]
    with people.reading(Action.VIEW_STAFF) as session:
        assert bench_ready(session, days) == (None, 1.0, 1.0)
    weekly = bench_ready_weekly(people, D(2023, 7, 1))
    assert weekly[ProtectedRole.DIRECTOR].values[-1] == 2.0
    assert weekly[ProtectedRole.CLINICAL_LEAD].values[-1] == 1.0
