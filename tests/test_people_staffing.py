"""Staffing over time on hand-built histories: the fill-rate series, vacancy age across
a re-authorization and an abolition, credential warnings at the 60-day boundary, the
bench, and position edits that meet someone else's save."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.data.engine import Database
from console.data.enums import StaffRole
from console.data.people_enums import (
    BenchActivityKind,
    CredentialKind,
    ProtectedRole,
    Readiness,
    SeparationReason,
)
from console.errors import UserError
from console.services.access import Access, EditConflict
from console.services.people import bench, edits, staffing
from console.services.people.history import Hold, PositionFacts, vacancies
from tests.conftest import program_access_for

D = dt.date
MH = StaffRole.MH_RESPONDER


@pytest.fixture
def people(any_db: Database, tmp_path: Path) -> Access:
    """A supervisor on program 1, on SQLite and (given a server) PostgreSQL."""
    return program_access_for(any_db, tmp_path)


def _staff(access: Access, n: int) -> int:
    return edits.add_staff_member(access, f"Staff {n}", MH, D(2023, 1, 1), staff_key=f"E{n}")


def _history(access: Access) -> dict[str, int]:
    """P1 empties mid-2023 and is abolished with the grant; P2 re-authorizes it under a
    new grant in 2024 and is filled in March. P3 is abolished while held; P4 is
    abolished without ever being filled."""
    s1, s2, s3 = (_staff(access, n) for n in (1, 2, 3))
    p1 = edits.add_position(access, edits.PositionEdit(
        "Responder", MH, "City", D(2023, 1, 1), D(2023, 10, 1)))
    p2 = edits.add_position(access, edits.PositionEdit(
        "Responder", MH, "State grant", D(2024, 1, 1), reauthorizes_id=p1))
    p3 = edits.add_position(access, edits.PositionEdit(
        "Officer", StaffRole.SWORN_OFFICER, "Police", D(2023, 1, 1), D(2023, 6, 1)))
    p4 = edits.add_position(access, edits.PositionEdit(
        "Responder", MH, "City", D(2023, 1, 1), D(2023, 4, 1)))
    a1 = edits.assign(access, p1, s1, D(2023, 1, 1))
    edits.end_assignment(access, a1, D(2023, 7, 1))
    edits.assign(access, p2, s2, D(2024, 3, 1))
    edits.assign(access, p3, s3, D(2023, 1, 1))
    return {"p1": p1, "p2": p2, "p3": p3, "p4": p4}


def test_fill_rate_series_on_a_hand_built_history(people: Access) -> None:
    _history(people)
    series = staffing.staffing_overview(people, D(2024, 4, 1)).series
    on = {p.day: (p.authorized, p.filled) for p in series.total}
    assert series.total[0].day == D(2023, 1, 1)  # the program's start
    assert on[D(2023, 1, 1)] == (3, 2)  # P1, P3 held; P4 vacant
    assert on[D(2023, 4, 2)] == (2, 2)  # P4 abolished 1 April
    assert on[D(2023, 6, 4)] == (1, 1)  # P3 abolished while held: no vacancy, one fewer
    assert on[D(2023, 7, 2)] == (1, 0)  # P1 emptied 1 July
    assert on[D(2023, 12, 31)] == (0, 0)  # between the grants: nothing authorized
    assert on[D(2024, 1, 7)] == (1, 0)  # re-authorized, still vacant
    assert on[D(2024, 4, 1)] == (1, 1)  # the last point is as_of itself
    by_fund = {f: {p.day: (p.authorized, p.filled) for p in pts}
               for f, pts in series.by_funding.items()}
    assert by_fund["State grant"][D(2024, 4, 1)] == (1, 1)
    assert by_fund["City"][D(2023, 1, 1)] == (2, 1)
    by_role = {r: {p.day: (p.authorized, p.filled) for p in pts}
               for r, pts in series.by_role.items()}
    assert by_role[StaffRole.SWORN_OFFICER][D(2023, 1, 1)] == (1, 1)


def test_a_vacancy_spans_a_reauthorization_and_keeps_its_age(people: Access) -> None:
    ids = _history(people)
    open_then = staffing.staffing_overview(people, D(2024, 2, 1)).open_vacancies
    assert len(open_then) == 1
    v = open_then[0]
    assert v.position_id == ids["p2"] and v.since == D(2023, 7, 1)
    assert v.age(D(2024, 2, 1)) == (D(2024, 2, 1) - D(2023, 7, 1)).days == 215
    assert [(s.position_id, s.start, s.end) for s in v.segments] == [
        (ids["p1"], D(2023, 7, 1), D(2023, 10, 1)), (ids["p2"], D(2024, 1, 1), None)]
    later = staffing.staffing_overview(people, D(2024, 6, 1))
    assert later.open_vacancies == []
    ended = [x for x in later.vacancies if x.position_id == ids["p2"]]
    assert len(ended) == 1 and ended[0].until == D(2024, 3, 1)
    assert ended[0].ended_by == "filled" and ended[0].age(D(2024, 6, 1)) == 244


def test_a_position_abolished_ends_its_vacancy(people: Access) -> None:
    ids = _history(people)
    found = staffing.staffing_overview(people, D(2024, 6, 1)).vacancies
    p4 = [v for v in found if v.position_id == ids["p4"]]
    assert len(p4) == 1 and p4[0].ended_by == "abolished"
    assert (p4[0].since, p4[0].until, p4[0].age(D(2024, 6, 1))) == (D(2023, 1, 1),
                                                                    D(2023, 4, 1), 90)
    assert not [v for v in found if v.position_id == ids["p3"]]  # abolished while held
    # Known on 1 March 2023, P4 was simply vacant: the abolition was not known yet.
    early = staffing.staffing_overview(people, D(2023, 3, 1)).open_vacancies
    assert [(v.position_id, v.age(D(2023, 3, 1))) for v in early] == [(ids["p4"], 59)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 300), st.integers(1, 120)), max_size=5),
       st.integers(0, 500))
def test_vacant_days_add_up_to_unfilled_days(spans: list[tuple[int, int]],
                                             abolished: int) -> None:
    """For one position, the days in its vacancies are exactly its open, unfilled days."""
    start = D(2024, 1, 1)
    holds, cursor = [], 0
    for gap, length in spans:
        a = cursor + gap
        holds.append(Hold(1, start + dt.timedelta(a), start + dt.timedelta(a + length)))
        cursor = a + length
    end = start + dt.timedelta(abolished + 1)
    p = PositionFacts(1, "P", MH, None, start, end, None, tuple(holds))
    as_of = start + dt.timedelta(700)
    unfilled = sum(p.open_on(start + dt.timedelta(k)) and not p.filled_on(start + dt.timedelta(k))
                   for k in range(700))
    assert sum(v.age(as_of) for v in vacancies([p], as_of)) == unfilled


@pytest.mark.parametrize(("expires", "state"), [
    (D(2026, 5, 31), "lapsed"), (D(2026, 6, 1), "lapsing"), (D(2026, 7, 31), "lapsing"),
    (D(2026, 8, 1), "valid"), (None, "no expiry")])
def test_credential_warning_at_the_60_day_boundary(people: Access, expires: dt.date | None,
                                                   state: str) -> None:
    s = _staff(people, 1)
    edits.add_credential(people, s, CredentialKind.CERTIFICATION, "CIT", D(2024, 1, 1), expires)
    rows = staffing.credentials(people, D(2026, 6, 1))
    assert [r.state for r in rows] == [state]
    assert bool(staffing.lapsing(people, D(2026, 6, 1))) is (state in ("lapsed", "lapsing"))


@given(st.integers(-400, 400))
def test_credential_state_is_a_clean_cut_at_60_days(offset: int) -> None:
    as_of = D(2026, 6, 1)
    state = staffing.credential_state(as_of + dt.timedelta(offset), as_of)
    assert state == ("lapsed" if offset < 0 else "lapsing" if offset <= 60 else "valid")


def test_a_renewed_credential_is_not_warned(people: Access) -> None:
    s = _staff(people, 1)
    edits.add_credential(people, s, CredentialKind.CERTIFICATION, "First aid", D(2024, 6, 20),
                         D(2026, 6, 20))
    edits.add_credential(people, s, CredentialKind.CERTIFICATION, "first aid", D(2026, 5, 1),
                         D(2028, 5, 1))
    assert staffing.lapsing(people, D(2026, 6, 1)) == []
    assert sorted(r.state for r in staffing.credentials(people, D(2026, 6, 1))) == [
        "renewed", "valid"]


def test_separations_carry_their_reason_and_end_the_assignment(people: Access) -> None:
    s = _staff(people, 1)
    p = edits.add_position(people, edits.PositionEdit("Responder", MH, "City", D(2023, 1, 1)))
    edits.assign(people, p, s, D(2023, 1, 1))
    edits.record_separation(people, s, D(2024, 5, 1), SeparationReason.END_OF_GRANT)
    [row] = staffing.separations(people)
    assert (row.separated_on, row.reason) == (D(2024, 5, 1), SeparationReason.END_OF_GRANT)
    [v] = staffing.staffing_overview(people, D(2024, 6, 1)).open_vacancies
    assert v.since == D(2024, 5, 1)


def test_a_role_with_fewer_than_two_ready_is_flagged(people: Access) -> None:
    a, b, c = (_staff(people, n) for n in (1, 2, 3))
    sup = ProtectedRole.SWORN_SUPERVISOR
    bench.add_successor(people, sup, a, Readiness.READY_NOW, D(2024, 1, 1))
    x = bench.add_successor(people, sup, b, Readiness.WITHIN_YEAR, D(2024, 1, 1))
    bench.add_successor(people, ProtectedRole.CLINICAL_LEAD, c, Readiness.READY_NOW,
                        D(2024, 1, 1))
    bench.add_activity(people, x, BenchActivityKind.ACTING, "Acting sergeant, May",
                       D(2024, 5, 1), D(2024, 5, 31))
    roles = {r.role: r for r in bench.bench(people, D(2024, 6, 1))}
    assert roles[sup].ready == 1 and roles[sup].thin
    assert [s.name for s in roles[sup].successors] == ["Staff 1", "Staff 2"]
    assert roles[sup].successors[1].acting == 1
    bench.set_readiness(people, x, Readiness.READY_NOW, D(2024, 6, 1))
    roles = {r.role: r for r in bench.bench(people, D(2024, 6, 1))}
    assert roles[sup].ready == 2 and not roles[sup].thin
    assert roles[ProtectedRole.DIRECTOR].thin and roles[ProtectedRole.DIRECTOR].ready == 0
    with pytest.raises(UserError, match="already on the bench"):
        bench.add_successor(people, sup, a, Readiness.DEVELOPING, D(2024, 1, 1))


def test_a_position_edit_meets_someone_elses_save(people: Access) -> None:
    p = edits.add_position(people, edits.PositionEdit("Responder", MH, "City", D(2023, 1, 1)))
    read = edits.position_detail(people, p)
    theirs = edits.PositionEdit("Responder II", MH, "City", D(2023, 1, 1))
    edits.update_position(people, p, read.version, theirs)
    mine = edits.PositionEdit("Responder", MH, "State grant", D(2023, 1, 1))
    with pytest.raises(EditConflict) as caught:
        edits.update_position(people, p, read.version, mine)
    conflict = caught.value
    assert ("Title", "Responder", "Responder II") in conflict.fields
    assert ("Funding", "State grant", "City") in conflict.fields
    assert edits.position_detail(people, p).edit == theirs  # nothing overwritten
    saved = edits.update_position(people, p, conflict.theirs_version or 0, mine)
    assert saved.edit.funding_source == "State grant"


def test_bad_position_input_changes_nothing(people: Access) -> None:
    with pytest.raises(UserError, match="before it was authorized"):
        edits.add_position(people, edits.PositionEdit("X", MH, None, D(2024, 1, 1),
                                                      D(2023, 1, 1)))
    p = edits.add_position(people, edits.PositionEdit("X", MH, None, D(2024, 1, 1)))
    with pytest.raises(UserError, match="once that position is abolished"):
        edits.add_position(people, edits.PositionEdit("Y", MH, None, D(2024, 2, 1),
                                                      reauthorizes_id=p))
    s = _staff(people, 9)
    edits.assign(people, p, s, D(2024, 1, 1))
    with pytest.raises(UserError, match="is held by"):
        edits.assign(people, p, _staff(people, 10), D(2024, 3, 1))
    assert len(staffing.staffing_overview(people, D(2024, 4, 1)).series.by_role) == 1


def test_vacating_a_position_someone_changed_meanwhile_is_a_conflict(people: Access) -> None:
    s = _staff(people, 1)
    p = edits.add_position(people, edits.PositionEdit("Responder", MH, "City", D(2023, 1, 1)))
    edits.assign(people, p, s, D(2023, 1, 1))
    held = edits.holding(people, p, D(2024, 1, 1))
    assert held is not None and held.name == "Staff 1"
    edits.end_assignment(people, held.assignment_id, D(2024, 2, 1), held.version)
    with pytest.raises(EditConflict):
        edits.end_assignment(people, held.assignment_id, D(2024, 3, 1), held.version)
    assert edits.holding(people, p, D(2024, 2, 1)) is None
