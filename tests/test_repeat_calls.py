"""Repeat calls on hand-built people and places, numbers worked out by hand in comments;
on SQLite and (given a server) PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import access_for
from test_outcomes import DISPATCH, FOLLOW, PATROL, Calls, new_program

from console.data.engine import Database
from console.data.enums import Disposition, UserRole
from console.errors import UserError
from console.services.access import Access, Actor, PermissionDenied
from console.services.people_service import person_identity, record_person
from console.services.populations import Period
from console.services.repeat_calls_service import (
    KEY_PREFIX,
    BeforeAfter,
    before_after,
    person_history,
    place_history,
    repeat_people,
    repeat_places,
    repeat_rates,
)

T = dt.datetime
D = dt.date
ANALYST = Actor("eval", UserRole.ANALYST, "City evaluator")


@pytest.fixture
def access(any_db: Database, tmp_path: Path) -> Access:
    """A supervisor on a new database of each backend (overrides conftest's SQLite one)."""
    return access_for(any_db, tmp_path)


def six_people(access: Access) -> tuple[Calls, dict[str, int]]:
    """People A-F; the newest call on record is 20 June 2025, so a 30-day window is over
    for first contacts up to 21 May (20 June 23:00 - 30 days) and a 90-day one up to
    22 March."""
    calls = new_program(access)
    who = {p: record_person(access, f"Person {p}") for p in "ABCDEF"}
    add = calls.add
    # A: co-response 1 Jan, patrol alone 19 days later -> repeat within 30 and 90.
    add(T(2025, 1, 1, 10), DISPATCH, person=who["A"], location="L1",
        disposition=Disposition.RESOLVED_ON_SCENE)
    add(T(2025, 1, 20, 10), person=who["A"], location="L1")
    # B: co-response 5 Jan, next call 1 March (55 days) -> repeat within 90 only.
    add(T(2025, 1, 5, 10), PATROL, person=who["B"], location="L1")
    add(T(2025, 3, 1, 10), person=who["B"], location="L2")
    # C: co-response 1 Feb, then only a planned visit -> no repeat.
    add(T(2025, 2, 1, 10), DISPATCH, person=who["C"], location="L2")
    add(T(2025, 2, 5, 10), FOLLOW, person=who["C"], location="L2")
    # D: patrol alone 3 Jan, first co-response 10 March, next call 20 June (102 days).
    add(T(2025, 1, 3, 10), person=who["D"], location="L1")
    add(T(2025, 3, 10, 10), DISPATCH, person=who["D"], location="L1")
    add(T(2025, 6, 20, 23), person=who["D"], location="L3")
    # E: co-response 1 May (its 90 days not over), next call 14 days later.
    add(T(2025, 5, 1, 10), DISPATCH, person=who["E"], location="L3")
    add(T(2025, 5, 15, 10), person=who["E"], location="L3")
    # F: co-response 1 June: seen too recently for both windows.
    add(T(2025, 6, 1, 10), DISPATCH, person=who["F"])
    # A co-response with nobody recorded: a call the measure could not use.
    add(T(2025, 2, 10, 10), DISPATCH, location="L2")
    calls.write()
    return calls, who


def test_repeat_within_30_and_90_days(access: Access) -> None:
    six_people(access)
    rates = repeat_rates(access, Period())
    # 30 days: A B C D E followed to the end; A (19 d) and E (14 d) called again.
    r30 = rates.measure(30)
    assert (r30.numerator, r30.denominator, r30.blank) == (2, 5, 1)
    assert r30.value == pytest.approx(0.4)
    assert r30.unit == "people" and r30.note.startswith("1 person seen")
    # 90 days: A B C D followed (E, F too recent); A and B (55 d) called again.
    r90 = rates.measure(90)
    assert (r90.numerator, r90.denominator) == (2, 4)
    assert r90.note.startswith("2 people seen")


def test_repeat_by_month_of_first_contact(access: Access) -> None:
    six_people(access)
    months = dict(repeat_rates(access, Period()).months)
    assert list(months) == [D(2025, m, 1) for m in range(1, 7)]
    # January: A and B; A repeats within 30, both within 90.
    jan30, jan90 = months[D(2025, 1, 1)]
    assert (jan30.numerator, jan30.denominator, jan90.numerator, jan90.denominator) == \
        (1, 2, 2, 2)
    # April: no first contact; May: E repeats within 30, its 90 days are not over.
    assert months[D(2025, 4, 1)][0].denominator == 0
    may30, may90 = months[D(2025, 5, 1)]
    assert (may30.numerator, may30.denominator, may90.denominator) == (1, 1, 0)


def test_repeat_rates_follow_first_contacts_in_the_period(access: Access) -> None:
    six_people(access)
    # From March: D (10 March; its earlier call was patrol alone), E and F.
    r30 = repeat_rates(access, Period(D(2025, 3, 1), None)).measure(30)
    # D and E followed 30 days (F too recent); E called again.
    assert (r30.numerator, r30.denominator, r30.blank) == (1, 2, 0)


def test_people_with_the_most_calls(access: Access) -> None:
    _, who = six_people(access)
    people = repeat_people(access, Period())
    # D 3 calls; then A, B, E with 2 each in id order; C's visit is not a crisis call.
    assert [(p.person_id, p.calls) for p in people[:4]] == [
        (who["D"], 3), (who["A"], 2), (who["B"], 2), (who["E"], 2)]
    assert people[0].co_responses == 1
    assert people[0].first_call == T(2025, 1, 3, 10)
    assert people[0].last_call == T(2025, 6, 20, 23)
    # The supervisor sees names; an analyst only the key prefix.
    assert people[0].name == "Person D"
    assert len(people[0].key_prefix) == KEY_PREFIX
    hidden = repeat_people(access.as_actor(ANALYST), Period(), limit=2)
    assert [p.name for p in hidden] == [None, None]
    assert hidden[0].key_prefix == people[0].key_prefix
    # A period: from March, D has 2 calls, B, E and F one or two.
    march = repeat_people(access, Period(D(2025, 3, 1), None), limit=1)
    assert [(p.person_id, p.calls) for p in march] == [(who["D"], 2)]


def test_places_with_the_most_calls(access: Access) -> None:
    six_people(access)
    places = repeat_places(access, Period())
    # L1: A x2, B, D x2 = 5 calls, 3 people, co-responses A, B, D = 3.
    # L2: B, C (its visit left out), the nobody call = 3 calls, 2 people known.
    # L3: D, E x2 = 3 calls, 2 people.
    assert [(p.key_prefix, p.calls, p.co_responses, p.people) for p in places] == [
        ("L1", 5, 3, 3), ("L2", 3, 2, 2), ("L3", 3, 1, 2)]
    assert places[0].area == "N12"


def test_call_history_shows_names_only_to_those_allowed(access: Access) -> None:
    calls, who = six_people(access)
    history = person_history(access, who["C"])
    assert history.title == "Person C" and history.name_shown
    # Oldest first, the planned visit included (marked by its activation).
    assert [c.received_at for c in history.calls] == [T(2025, 2, 1, 10), T(2025, 2, 5, 10)]
    assert [c.co_response for c in history.calls] == [True, True]
    assert history.calls[0].incident_number == "25-0005"
    assert history.calls[0].call_type == "Person in crisis"

    analyst = access.as_actor(ANALYST)
    hidden = person_history(analyst, who["C"])
    assert hidden.name_shown is False and "Person C" not in hidden.title
    assert [c.received_at for c in hidden.calls] == [T(2025, 2, 1, 10), T(2025, 2, 5, 10)]
    assert hidden.title.startswith("Person ") and len(hidden.title) == 7 + KEY_PREFIX
    with pytest.raises(PermissionDenied):
        person_identity(analyst, who["C"])

    place = place_history(analyst, "L2")
    # B 1 March, C 1 and 5 Feb, the nobody call 10 Feb.
    assert [c.received_at.date() for c in place.calls] == [
        D(2025, 2, 1), D(2025, 2, 5), D(2025, 2, 10), D(2025, 3, 1)]
    assert place.title == "Address L2"
    assert place.calls[-1].co_response is False


def _half_years(access: Access) -> dict[str, int]:
    """The record runs from 1 Jan 2024 (Z) to 1 Jan 2026 (Z again)."""
    calls = new_program(access)
    who = {p: record_person(access, f"Person {p}") for p in "GHIJZ"}
    add = calls.add
    add(T(2024, 1, 1, 0), person=who["Z"])
    # G: first co-response 1 Jan 2025; 182 days before reach back to 3 July 2024.
    add(T(2024, 6, 1, 10), person=who["G"])  # 214 days before: outside
    add(T(2024, 9, 1, 10), person=who["G"])  # before 1
    add(T(2024, 10, 1, 10), person=who["G"])  # before 2
    add(T(2024, 12, 15, 10), person=who["G"])  # before 3
    add(T(2025, 1, 1, 10), DISPATCH, person=who["G"])  # first contact: neither
    add(T(2025, 2, 1, 10), person=who["G"])  # after 1
    add(T(2025, 3, 1, 10), FOLLOW, person=who["G"])  # a planned visit: not counted
    add(T(2025, 8, 1, 10), person=who["G"])  # 212 days after: outside
    # H: first co-response 1 March 2025, then a co-response and a patrol call after.
    add(T(2025, 3, 1, 10), DISPATCH, person=who["H"])
    add(T(2025, 4, 1, 10), DISPATCH, person=who["H"])  # after 1
    add(T(2025, 5, 1, 10), person=who["H"])  # after 2
    # I: first co-response 1 Dec 2025: its half year after is not over by 1 Jan 2026.
    add(T(2025, 12, 1, 10), DISPATCH, person=who["I"])
    # J: first co-response 1 March 2024: its half year before starts before the record.
    add(T(2024, 3, 1, 10), DISPATCH, person=who["J"])
    add(T(2026, 1, 1, 0), person=who["Z"])
    calls.write()
    return who


def test_calls_before_and_after_first_contact(access: Access) -> None:
    _half_years(access)
    result = before_after(access, Period())
    # G: 3 before, 1 after; H: 0 before, 2 after; I and J left out.
    assert (result.people, result.calls_before, result.calls_after) == (2, 3, 3)
    assert (result.fewer_after, result.more_after, result.left_out) == (1, 1, 2)
    assert result.per_person_before == 1.5 and result.per_person_after == 1.5
    # Only first contacts in the period: H (I left out); G's contact is in January.
    spring = before_after(access, Period(D(2025, 2, 1), D(2025, 12, 31)))
    assert (spring.people, spring.calls_before, spring.calls_after, spring.left_out) == \
        (1, 0, 2, 1)


def test_empty_record(access: Access) -> None:
    rates = repeat_rates(access, Period())
    assert rates.measure(30).value is None and rates.months == ()
    assert before_after(access, Period()).people == 0
    assert repeat_people(access, Period()) == [] and repeat_places(access, Period()) == []


# --- The edges of the 30- and 90-day windows -----------------------------------------
# "Within N days" is elapsed time: the next crisis call at most N x 24 hours after the
# co-response (repeat_definition); a person is followed once the record reaches N days
# past their co-response (the newest call at or after it + N days).


def test_a_call_exactly_30_or_90_days_later_is_within_the_window(access: Access) -> None:
    calls = new_program(access)
    who = {p: record_person(access, f"Person {p}") for p in "ABCDE"}
    add = calls.add
    for p in "ABCDE":  # everyone's first co-response: 1 Jan 2025 10:00
        add(T(2025, 1, 1, 10), DISPATCH, person=who[p])
    add(T(2025, 1, 31, 10), person=who["A"])  # A: exactly 30 days later
    add(T(2025, 2, 1, 10), person=who["B"])  # B: 31 days
    add(T(2025, 4, 1, 10), person=who["C"])  # C: exactly 90 days (31 + 28 + 31)
    add(T(2025, 4, 2, 10), person=who["D"])  # D: 91 days
    add(T(2025, 1, 31, 11), person=who["E"])  # E: 30 days and an hour
    add(T(2025, 12, 31, 10))  # the newest call on record: everyone is followed 90 days
    calls.write()
    rates = repeat_rates(access, Period())
    # 30 days: A only (B 31 days, E 30 days 1 hour, C and D later) = 1 of 5.
    r30 = rates.measure(30)
    assert (r30.numerator, r30.denominator) == (1, 5)
    # 90 days: A, B, E and C (exactly 90) = 4 of 5; D (91 days) is not.
    r90 = rates.measure(90)
    assert (r90.numerator, r90.denominator) == (4, 5)


def test_people_are_followed_once_the_record_reaches_their_window(access: Access) -> None:
    calls = new_program(access)
    who = {p: record_person(access, f"Person {p}") for p in "FGHI"}
    add = calls.add
    add(T(2025, 4, 2, 10), DISPATCH, person=who["H"])  # H: exactly 90 days before the end
    add(T(2025, 4, 2, 11), DISPATCH, person=who["I"])  # I: 90 days less an hour
    add(T(2025, 4, 20, 10), person=who["H"])  # H called again after 18 days
    add(T(2025, 6, 1, 10), DISPATCH, person=who["F"])  # F: exactly 30 days before the end
    add(T(2025, 6, 1, 11), DISPATCH, person=who["G"])  # G: 30 days less an hour
    add(T(2025, 7, 1, 10))  # the newest call on record (nobody recorded, patrol alone)
    calls.write()
    rates = repeat_rates(access, Period())
    # 30 days: H, I and F are followed (1 July 10:00 - 30 days = 1 June 10:00, F's call);
    # G is too recent. H repeated: 1 of 3.
    r30 = rates.measure(30)
    assert (r30.numerator, r30.denominator) == (1, 3)
    assert r30.note == "1 person seen in the last 30 days left out"
    # 90 days: only H (1 July 10:00 - 90 days = 2 April 10:00): 1 of 1; F, G, I too recent.
    r90 = rates.measure(90)
    assert (r90.numerator, r90.denominator) == (1, 1)
    assert r90.note == "3 people seen in the last 90 days left out"


def test_planned_visits_are_neither_first_contacts_nor_blank_calls(access: Access) -> None:
    calls = new_program(access)
    who = {p: record_person(access, f"Person {p}") for p in "PQ"}
    add = calls.add
    # P: the unit only visited (planned), then patrol alone 9 days later: no co-response.
    add(T(2025, 1, 1, 10), FOLLOW, person=who["P"])
    add(T(2025, 1, 10, 10), person=who["P"])
    # Q: a planned visit, a co-response on 1 Feb (the first contact), a call 14 days later.
    add(T(2025, 1, 2, 10), FOLLOW, person=who["Q"])
    add(T(2025, 2, 1, 10), DISPATCH, person=who["Q"])
    add(T(2025, 2, 15, 10), person=who["Q"])
    # Nobody recorded: a co-response (blank), a planned visit and a patrol call (neither).
    add(T(2025, 3, 1, 10), DISPATCH)
    add(T(2025, 3, 2, 10), FOLLOW)
    add(T(2025, 3, 3, 10))
    add(T(2025, 12, 31, 10))  # the newest call: everyone is followed 90 days
    calls.write()
    r30 = repeat_rates(access, Period()).measure(30)
    # Q only, repeated after 14 days: 1 of 1; one co-response could not be used.
    assert (r30.numerator, r30.denominator, r30.blank) == (1, 1, 1)


def test_repeat_measures_say_what_they_are(access: Access) -> None:
    empty = repeat_rates(access, Period())
    for days, m in zip((30, 90), empty.measures, strict=True):
        assert m.label == f"Repeat within {days} days"
        assert f"within {days} days" in m.definition and "Lower is better" in m.definition
        assert (m.numerator, m.denominator, m.blank) == (0, 0, 0)
        assert m.note == f"0 people seen in the last {days} days left out"
    six_people(access)
    months = dict(repeat_rates(access, Period()).months)
    # April: nobody first seen; June: F, seen too recently for either window.
    april30, april90 = months[D(2025, 4, 1)]
    assert (april30.numerator, april30.denominator, april30.blank) == (0, 0, 0)
    assert april30.note == "0 people seen in the last 30 days left out"
    june30, june90 = months[D(2025, 6, 1)]
    assert (june30.denominator, june90.denominator, june30.blank) == (0, 0, 0)
    assert june30.note == "1 person seen in the last 30 days left out"
    assert june90.note == "1 person seen in the last 90 days left out"


def _windows(access: Access) -> dict[str, int]:
    """The record runs from 1 Jan 2024 00:00 to 1 Jan 2026 00:00 (Z): a first contact is
    counted from 1 July 2024 00:00 (first + 182 days) to 3 July 2025 00:00 (last - 182)."""
    calls = new_program(access)
    who = {p: record_person(access, f"Person {p}") for p in "JKMNOPVZ"}
    add = calls.add
    add(T(2024, 1, 1), person=who["Z"])
    # K: first contact exactly 182 days after the first call; a call exactly 182 days
    # before it (1 Jan 2024 00:00) counts, nothing after: 1 before, 0 after.
    add(T(2024, 1, 1), person=who["K"])
    add(T(2024, 7, 1), DISPATCH, person=who["K"])
    # M: first contact exactly 182 days before the last call; a call exactly 182 days after
    # it (1 Jan 2026 00:00) counts: 0 before, 1 after.
    add(T(2025, 7, 3), DISPATCH, person=who["M"])
    add(T(2026, 1, 1), person=who["M"])
    # N and O: first contacts at the same minute; N 1 after, O 2 before.
    add(T(2025, 3, 1, 10), DISPATCH, person=who["N"])
    add(T(2025, 4, 1, 10), person=who["N"])
    add(T(2025, 3, 1, 10), DISPATCH, person=who["O"])
    add(T(2025, 1, 1, 10), person=who["O"])
    add(T(2025, 2, 1, 10), person=who["O"])
    # J: first contact 1 March 2024, its half year before runs out of the record: left out
    # (its call a month later counts for nobody).
    add(T(2024, 3, 1, 10), DISPATCH, person=who["J"])
    add(T(2024, 4, 1, 10), person=who["J"])
    # P: first contact 15 Jan 2025; a second co-response on 1 June counts as after.
    add(T(2025, 1, 15, 10), DISPATCH, person=who["P"])
    add(T(2025, 6, 1, 10), DISPATCH, person=who["P"])
    # V: a planned visit on 1 Feb 2025 (no contact, no call), first contact 1 April.
    add(T(2025, 2, 1, 10), FOLLOW, person=who["V"])
    add(T(2025, 4, 1, 10), DISPATCH, person=who["V"])
    add(T(2025, 5, 1, 10), DISPATCH)  # a co-response with nobody recorded: no one's
    add(T(2026, 1, 1), person=who["Z"])
    calls.write()
    return who


def test_before_and_after_at_the_edges_of_the_record(access: Access) -> None:
    assert before_after(access, Period()) == BeforeAfter(0, 0, 0, 0, 0, 0)
    _windows(access)
    # Counted: K, M, N, O, P, V = 6 (J left out). Before: K 1 + O 2 = 3; after: M 1 + N 1
    # + P 1 = 3. Fewer after: K, O; more: M, N, P; V neither.
    assert before_after(access, Period()) == BeforeAfter(6, 3, 3, 2, 3, 1)
    # From May 2025: only M's first contact (P's was in January).
    assert before_after(access, Period(D(2025, 5, 1), D(2025, 12, 31))) == \
        BeforeAfter(1, 0, 1, 0, 1, 0)
    # March 2024: only J, left out.
    assert before_after(access, Period(D(2024, 3, 1), D(2024, 3, 31))) == \
        BeforeAfter(0, 0, 0, 0, 0, 1)
    # 2030: no first contact at all.
    assert before_after(access, Period(D(2030, 1, 1), None)) == BeforeAfter(0, 0, 0, 0, 0, 0)
    # 1 April 2025: only V, with no other crisis call either side.
    assert before_after(access, Period(D(2025, 4, 1), D(2025, 4, 1))) == \
        BeforeAfter(1, 0, 0, 0, 0, 0)


def test_lists_and_histories_carry_every_field(access: Access) -> None:
    calls = new_program(access)
    who = {p: record_person(access, f"Person {p}") for p in "RS"}
    add = calls.add
    add(T(2025, 3, 1, 10), DISPATCH, person=who["R"], location="M7",  # c1
        disposition=Disposition.REFERRED)
    add(T(2025, 3, 5, 10), person=who["R"], location="M7")  # c2 patrol alone
    add(T(2025, 3, 5, 10), person=who["S"], location="L8")  # c3
    add(T(2025, 4, 1, 10), person=who["S"], location="M7")  # c4, the newest at M7
    for row in calls.rows:
        row.update(initial_call_type=None, sector=None, precinct=None)
    # c2: only an initial call type and a sector; c3 a sector; c4 only a precinct.
    calls.rows[1].update(final_call_type=None, initial_call_type="Welfare check", beat=None,
                         sector="S3")
    calls.rows[2].update(beat=None, sector="S9")
    calls.rows[3].update(beat=None, precinct="North")
    calls.write()

    # M7: c1 c2 c4, the unit at c1, R and S; its area from its newest call c4.
    places = repeat_places(access, Period())
    assert [(p.location_key, p.calls, p.co_responses, p.people, p.area) for p in places] == [
        ("M7", 3, 1, 2, "North"), ("L8", 1, 0, 1, "S9")]
    assert (places[0].first_call, places[0].last_call) == (T(2025, 3, 1, 10), T(2025, 4, 1, 10))
    assert len(repeat_places(access, Period(), limit=1)) == 1
    # From 3 to 31 March: c2 at M7 and c3 at L8, one each (in key order).
    march = repeat_places(access, Period(D(2025, 3, 3), D(2025, 3, 31)))
    assert [(p.location_key, p.calls, p.co_responses) for p in march] == [
        ("L8", 1, 0), ("M7", 1, 0)]

    people = repeat_people(access, Period())
    assert [(p.person_id, p.calls, p.co_responses) for p in people] == [
        (who["R"], 2, 1), (who["S"], 2, 0)]

    history = person_history(access, who["R"]).calls
    assert [(c.id, c.call_type, c.disposition, c.activation, c.co_response, c.area)
            for c in history] == [
        (1, "Person in crisis", Disposition.REFERRED, DISPATCH, True, "N12"),
        (2, "Welfare check", None, None, False, "S3")]
    place = place_history(access, "M7")
    assert [(c.id, c.area) for c in place.calls] == [(1, "N12"), (2, "S3"), (4, "North")]
    assert place.name_shown is False
    with pytest.raises(UserError, match="no person 999 on record"):
        person_history(access, 999)
