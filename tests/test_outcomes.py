"""The headline outcome measures on a dozen calls built by hand, with the numbers worked
out by hand in the comments; on SQLite and (given a server) PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import access_for, seed_program
from sqlalchemy import insert

from console.data.engine import Database
from console.data.enums import Activation, Disposition, StaffRole
from console.data.models import Call, StaffMember, call_responder
from console.services.access import Access, Action
from console.services.outcomes_service import (
    COST,
    CUSTODY,
    ED,
    FOLLOW_UP,
    FORCE,
    HOLDS,
    INJURY,
    MEASURE_KEYS,
    PATROL_HOURS,
    RESOLVED,
    TIME_TO_SERVICE,
    WARM,
    Intake,
    Kind,
    demand_by_hour_of_week,
    disposition_mix,
    outcome_report,
)
from console.services.populations import Period, Preset, preset_period

T = dt.datetime
D = dt.date
DISPATCH, PATROL, SELF, FOLLOW = (Activation.DISPATCH, Activation.PATROL_REQUEST,
                                  Activation.SELF_INITIATED, Activation.FOLLOW_UP)


@pytest.fixture
def access(any_db: Database, tmp_path: Path) -> Access:
    """A supervisor on a new database of each backend (overrides conftest's SQLite one)."""
    return access_for(any_db, tmp_path)


@dataclass
class Calls:
    """Calls written by hand: one `add` per call, `write` inserts them all."""

    access: Access
    rows: list[dict[str, Any]] = field(default_factory=list)
    responders: list[int] = field(default_factory=list)  # call ids with the responder on

    def add(self, received: dt.datetime, activation: Activation | None = None, *,
            responder: bool = False, in_scope: bool | None = True,
            disposition: Disposition | None = None, cleared: dt.datetime | None = None,
            patrol: dt.datetime | None = None, person: int | None = None,
            location: str | None = None, **flags: bool) -> int:
        call_id = len(self.rows) + 1
        self.rows.append({
            "id": call_id, "program_id": 1, "agency_id": 1,
            "incident_number": f"25-{call_id:04d}", "received_at": received,
            "activation": activation, "in_scope": in_scope, "disposition": disposition,
            "cleared_at": cleared, "patrol_cleared_at": patrol, "person_id": person,
            "location_key": location, "final_call_type": "Person in crisis",
            "use_of_force": flags.get("force", False),
            "subject_injured": flags.get("subject_injured", False),
            "officer_injured": flags.get("officer_injured", False),
            "responder_injured": flags.get("responder_injured", False),
            "beat": "N12",
        })
        if responder:
            self.responders.append(call_id)
        return call_id

    def write(self) -> None:
        with self.access.writing(Action.EDIT_CALLS) as s:
            conn = s.connection()
            conn.execute(insert(Call), self.rows)
            if self.responders:
                conn.execute(insert(call_responder),
                             [{"call_id": c, "staff_id": 1} for c in self.responders])


def new_program(access: Access) -> Calls:
    """Program 1, agency 1 and responder 1; an empty list of calls to fill."""
    with access.writing(Action.EDIT_PROGRAM) as s:
        conn = s.connection()
        seed_program(conn)
        conn.execute(insert(StaffMember).values(
            id=1, program_id=1, staff_key="R1", display_name="Rivera, Ana",
            role=StaffRole.MH_RESPONDER, hired_on=D(2024, 1, 1)))
    return Calls(access)


def twelve_calls(access: Access) -> Calls:
    calls = new_program(access)
    add = calls.add
    # January 2025
    add(T(2025, 1, 5, 10), DISPATCH, disposition=Disposition.RESOLVED_ON_SCENE,  # c1 Sunday
        cleared=T(2025, 1, 5, 11, 30), patrol=T(2025, 1, 5, 10, 30), responder=True)
    add(T(2025, 1, 10, 14), PATROL, disposition=Disposition.ARREST, force=True,  # c2 Friday
        subject_injured=True, cleared=T(2025, 1, 10, 15), patrol=T(2025, 1, 10, 16))
    add(T(2025, 1, 12, 9), None, responder=True, disposition=Disposition.REFERRED,  # c3
        cleared=T(2025, 1, 12, 10))
    add(T(2025, 1, 15, 20), disposition=Disposition.ARREST, force=True)  # c4 patrol alone
    add(T(2025, 1, 20, 8), disposition=Disposition.RESOLVED_ON_SCENE)  # c5 patrol alone
    add(T(2025, 1, 25, 11), FOLLOW, disposition=Disposition.RESOLVED_ON_SCENE)  # c6 visit
    # February 2025
    add(T(2025, 2, 2, 12), DISPATCH, in_scope=False, disposition=Disposition.ED_TRANSPORT,
        cleared=T(2025, 2, 2, 13), patrol=T(2025, 2, 2, 12, 30))  # c7
    add(T(2025, 2, 3, 11), SELF, disposition=None,  # c8 blank disposition
        cleared=T(2025, 2, 3, 12), patrol=T(2025, 2, 3, 11, 45))
    add(T(2025, 2, 4, 10), DISPATCH, disposition=Disposition.UNABLE_TO_LOCATE)  # c9
    add(T(2025, 2, 5, 10), DISPATCH, in_scope=None,  # c10
        disposition=Disposition.INVOLUNTARY_HOLD, officer_injured=True)
    add(T(2025, 2, 6, 10), in_scope=False, disposition=Disposition.ED_TRANSPORT)  # c11
    add(T(2025, 2, 7, 10), disposition=Disposition.INVOLUNTARY_HOLD)  # c12 patrol alone
    calls.write()
    return calls


def test_headline_measures_of_twelve_calls(access: Access) -> None:
    twelve_calls(access)
    report = outcome_report(access, Period())

    # Co-responses: c1 c2 c3 (a responder listed, no activation) c7 c8 c9 c10; c6 is a
    # planned visit. In scope (visits aside): c1-c5, c8, c9, c12; of which attended c1-c3,
    # c8, c9.
    assert report.intake == Intake(calls=12, in_scope=8, in_scope_attended=5,
                                   co_responses=7, follow_up_visits=1)
    # Disposition base: co-responses with a disposition other than unable to locate:
    # c1 resolved, c2 arrest, c3 referred, c7 ED, c10 hold = 5; c8 blank; c9 not found.
    # Patrol alone, in scope: c4 arrest, c5 resolved, c12 hold = 3 (c11 is out of scope).
    resolved = report.measure(RESOLVED)
    assert (resolved.numerator, resolved.denominator, resolved.blank) == (2, 5, 1)
    assert resolved.value == pytest.approx(0.4)
    assert resolved.comparison == (1, 3)
    custody = report.measure(CUSTODY)
    assert (custody.numerator, custody.denominator, custody.comparison) == (1, 5, (1, 3))
    holds = report.measure(HOLDS)
    assert (holds.numerator, holds.denominator, holds.comparison) == (1, 5, (1, 3))
    ed = report.measure(ED)
    assert (ed.numerator, ed.denominator, ed.comparison) == (1, 5, (0, 3))
    assert ed.comparison_rate == 0.0

    # Patrol hours: c1 1.0 h, c2 patrol stayed longer (0 h), c7 0.5 h, c8 0.25 h;
    # c3 has no patrol time, c9 and c10 no times at all: 3 of 7 co-responses blank.
    hours = report.measure(PATROL_HOURS)
    assert hours.kind is Kind.HOURS
    assert hours.value == pytest.approx(1.75)
    assert (hours.denominator, hours.blank) == (4, 3)

    # Force: c2 of 7 co-responses; patrol alone in scope: c4 of c4, c5, c12.
    force = report.measure(FORCE)
    assert (force.numerator, force.denominator, force.comparison) == (1, 7, (1, 3))
    # Injuries: c2 (subject) and c10 (officer) of 7; none of the patrol-alone three.
    injury = report.measure(INJURY)
    assert (injury.numerator, injury.denominator, injury.comparison) == (2, 7, (0, 3))


def test_measures_without_records_say_why(access: Access) -> None:
    twelve_calls(access)
    report = outcome_report(access, Period())
    assert [m.key for m in report.measures] == list(MEASURE_KEYS)
    for key in (WARM, TIME_TO_SERVICE):
        m = report.measure(key)
        assert not m.available and m.value is None
        assert m.unavailable is not None and "Referrals area" in m.unavailable
    assert "unit costs" in (report.measure(COST).unavailable or "")
    assert "follow-ups" in (report.measure(FOLLOW_UP).unavailable or "")
    # Every available measure says which calls it covers.
    for m in report.measures:
        assert m.definition and (m.available or m.unavailable)


def test_measures_by_month(access: Access) -> None:
    twelve_calls(access)
    calls = Calls(access)
    calls.rows = [{"id": 13, "program_id": 1, "agency_id": 1, "incident_number": "25-0013",
                   "received_at": T(2025, 4, 2, 9), "activation": DISPATCH, "in_scope": True,
                   "disposition": Disposition.RESOLVED_ON_SCENE}]
    calls.write()
    report = outcome_report(access, Period())
    # January to April, March with no calls at all.
    assert [m.month for m in report.months] == [D(2025, 1, 1), D(2025, 2, 1), D(2025, 3, 1),
                                                D(2025, 4, 1)]
    jan, feb, mar, apr = report.months
    # January: c1 resolved, c2 arrest, c3 referred.
    assert (jan.measure(RESOLVED).numerator, jan.measure(RESOLVED).denominator) == (2, 3)
    assert jan.measure(PATROL_HOURS).value == pytest.approx(1.0)
    assert jan.measure(PATROL_HOURS).blank == 1  # c3
    # February: c7 ED, c10 hold (c8 blank, c9 not found).
    assert (feb.measure(RESOLVED).numerator, feb.measure(RESOLVED).denominator,
            feb.measure(RESOLVED).blank) == (0, 2, 1)
    assert feb.measure(PATROL_HOURS).value == pytest.approx(0.75)
    assert mar.intake.calls == 0 and mar.measure(RESOLVED).value is None
    assert apr.measure(RESOLVED).value == 1.0
    # The months add up to the period.
    assert sum(m.intake.calls for m in report.months) == report.intake.calls == 13
    assert report.measure(RESOLVED).denominator == 6


def test_a_period_counts_only_its_calls(access: Access) -> None:
    twelve_calls(access)
    report = outcome_report(access, Period(D(2025, 2, 1), D(2025, 2, 28)))
    # c7 to c12.
    assert report.intake.calls == 6
    assert report.intake.co_responses == 4  # c7 c8 c9 c10
    assert report.first_call == T(2025, 2, 2, 12) and report.last_call == T(2025, 2, 7, 10)
    # The last day is included whole: c5 at 08:00 on 20 January.
    jan = outcome_report(access, Period(D(2025, 1, 1), D(2025, 1, 20)))
    assert jan.intake.calls == 5
    empty = outcome_report(access, Period(D(2030, 1, 1), D(2030, 12, 31)))
    assert empty.intake == Intake() and empty.months == ()
    assert empty.measure(RESOLVED).value is None


def test_demand_by_hour_of_week(access: Access) -> None:
    twelve_calls(access)
    demand = demand_by_hour_of_week(access, Period())
    # Eleven calls; the planned visit c6 is not demand.
    assert demand.total == 11
    assert len(demand.counts) == 7 and all(len(row) == 24 for row in demand.counts)
    # c1 Sunday 10:00 (row 6, attended); c4 Wednesday 20:00 (row 2, patrol alone).
    assert demand.counts[6][10] == 1 and demand.attended[6][10] == 1
    assert demand.counts[2][20] == 1 and demand.attended[2][20] == 0
    # c2 Friday 14:00.
    assert demand.counts[4][14] == 1
    # c9 Tuesday 4 Feb and c12 Friday 7 Feb, both 10:00; c10 Wednesday 10:00.
    assert demand.counts[1][10] == 1 and demand.counts[4][10] == 1
    # 5 Jan 10:00 to 7 Feb 10:00: 33 days.
    assert demand.weeks == pytest.approx(33 / 7)


def test_disposition_mix_agrees_with_the_report(access: Access) -> None:
    twelve_calls(access)
    mix = disposition_mix(access, Period())
    # Attended (visits aside): c1 resolved, c2 arrest, c3 referred, c7 ED, c8 blank,
    # c9 unable to locate, c10 hold; without the unit: c4 arrest, c5 resolved, c11 ED,
    # c12 hold; in the order of Disposition, blank last.
    assert mix.attended == (
        (Disposition.RESOLVED_ON_SCENE, 1), (Disposition.ED_TRANSPORT, 1),
        (Disposition.INVOLUNTARY_HOLD, 1), (Disposition.ARREST, 1),
        (Disposition.UNABLE_TO_LOCATE, 1), (Disposition.REFERRED, 1), (None, 1),
    )
    assert mix.without_unit == (
        (Disposition.RESOLVED_ON_SCENE, 1), (Disposition.ED_TRANSPORT, 1),
        (Disposition.INVOLUNTARY_HOLD, 1), (Disposition.ARREST, 1),
    )
    assert mix.shares(mix.without_unit)[Disposition.ARREST] == 0.25
    assert outcome_report(access, Period()).mix == mix


def test_empty_database(access: Access) -> None:
    report = outcome_report(access, Period())
    assert report.months == () and report.intake.calls == 0
    assert report.measure(PATROL_HOURS).value == 0
    assert demand_by_hour_of_week(access, Period()).total == 0
    assert disposition_mix(access, Period()).attended == ()


def test_presets() -> None:
    today = D(2026, 3, 15)
    assert preset_period(Preset.LAST_12_MONTHS, today) == Period(D(2025, 4, 1), today)
    assert preset_period(Preset.THIS_YEAR, today) == Period(D(2026, 1, 1), today)
    assert preset_period(Preset.LAST_YEAR, today) == Period(D(2025, 1, 1), D(2025, 12, 31))
    assert preset_period(Preset.ALL, today) == Period()
    assert preset_period(Preset.LAST_12_MONTHS, D(2026, 12, 31)).start == D(2026, 1, 1)
    with pytest.raises(ValueError):
        Period(D(2025, 2, 1), D(2025, 1, 1))


def test_charts_draw_the_measures(access: Access) -> None:
    import numpy as np
    from matplotlib.figure import Figure

    from console.reports.outcome_charts import (
        draw_disposition_mix,
        draw_hour_of_week,
        draw_monthly_outcomes,
    )

    twelve_calls(access)
    report = outcome_report(access, Period())
    fig = Figure(figsize=(8, 5))
    draw_monthly_outcomes(fig, report.months)
    top, middle, bottom = fig.axes[:3]
    resolved = next(line for line in top.get_lines() if line.get_label() == "Resolved on scene")
    # January 2 of 3, February 0 of 2.
    assert list(np.asarray(resolved.get_ydata())) == pytest.approx([2 / 3, 0.0])
    legend = middle.get_legend()
    assert legend is not None
    assert {t.get_text() for t in legend.get_texts()} == {
        "Arrests", "Involuntary holds", "ED transports"}
    assert [b.get_height() for b in bottom.patches  # type: ignore[attr-defined]
            ] == pytest.approx([1.0, 0.75])

    fig = Figure(figsize=(8, 3))
    draw_hour_of_week(fig, demand_by_hour_of_week(access, Period()))
    cells = np.asarray(fig.axes[0].get_images()[0].get_array())
    assert cells.shape == (7, 24)
    # 33 days of calls: the Sunday 10:00 call counts 7/33 per week.
    assert cells[6][10] == pytest.approx(7 / 33)

    fig = Figure(figsize=(6, 3))
    draw_disposition_mix(fig, report.mix)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[0] == "Resolved on scene" and labels[-1] == "Blank"
    fig.savefig(io.BytesIO(), format="png")  # draws without a screen

    fig = Figure()
    draw_monthly_outcomes(fig, ())
    assert fig.axes[0].texts[0].get_text() == "No calls in this period"
    fig = Figure()
    draw_disposition_mix(fig, disposition_mix(access, Period(D(2030, 1, 1))))
    assert fig.axes[0].texts[0].get_text() == "No calls in this period"


# --- Rules a mutation once slipped past ------------------------------------------------


def test_blank_dispositions_are_calls_a_tile_could_not_use(access: Access) -> None:
    from console.views.measure_tile import measure_note, measure_tooltip

    calls = new_program(access)
    add = calls.add
    add(T(2025, 3, 1, 10), DISPATCH, disposition=Disposition.RESOLVED_ON_SCENE)  # c1
    add(T(2025, 3, 2, 10), DISPATCH, disposition=Disposition.ARREST)  # c2
    add(T(2025, 3, 3, 10), DISPATCH, disposition=Disposition.REFERRED)  # c3
    add(T(2025, 3, 4, 10), DISPATCH, disposition=None)  # c4 co-response, blank
    add(T(2025, 3, 5, 10), SELF, in_scope=False, disposition=None)  # c5 co-response, blank
    add(T(2025, 3, 6, 10), disposition=Disposition.RESOLVED_ON_SCENE)  # c6 patrol alone
    add(T(2025, 3, 7, 10), disposition=None)  # c7 patrol alone, blank
    add(T(2025, 3, 8, 10), disposition=None)  # c8 patrol alone, blank
    add(T(2025, 3, 9, 10), FOLLOW, disposition=None)  # c9 a planned visit: not a call here
    calls.write()
    resolved = outcome_report(access, Period()).measure(RESOLVED)
    # Co-responses c1-c5: usable c1 c2 c3 (resolved c1, c3) = 2 of 3; blank c4 c5 = 2.
    # The patrol-alone blanks c7 c8 are not the unit's calls: not in the tile's blank.
    # Patrol alone, in scope, with a disposition: c6 (resolved) = 1 of 1; c7 c8 unusable.
    assert (resolved.numerator, resolved.denominator, resolved.blank) == (2, 3, 2)
    assert resolved.comparison == (1, 1)
    # The tile says it could use 3 calls and 2 were blank (5 co-responses in all).
    assert measure_note(resolved) == "2 of 3 calls · 2 blank\nPatrol alone: 100%"
    assert "2 of 3 calls; 2 calls could not be used" in measure_tooltip(resolved)
    assert "1 of 1 in-scope calls" in measure_tooltip(resolved)


def test_patrol_alone_force_counts_only_in_scope_calls(access: Access) -> None:
    calls = new_program(access)
    add = calls.add
    add(T(2025, 3, 1, 10), DISPATCH, force=True)  # c1 co-response in scope, force
    add(T(2025, 3, 2, 10), DISPATCH, in_scope=False, force=True,  # c2 co-response out of
        responder_injured=True)  # scope, force and an injury: still a co-response
    add(T(2025, 3, 3, 10), DISPATCH)  # c3 co-response, no force
    add(T(2025, 3, 4, 10), force=True)  # c4 patrol alone in scope, force
    add(T(2025, 3, 5, 10))  # c5 patrol alone in scope
    add(T(2025, 3, 6, 10), in_scope=False, force=True, subject_injured=True)  # c6 out of
    add(T(2025, 3, 7, 10), in_scope=None, force=True, officer_injured=True)  # c7 unknown
    add(T(2025, 3, 8, 10), FOLLOW, force=True)  # c8 planned visit: no crisis call
    calls.write()
    report = outcome_report(access, Period())
    # Co-responses c1 c2 c3 (c8 is a visit): force on c1 c2 = 2 of 3, injured c2 = 1 of 3.
    # Patrol alone in scope: c4 c5 only (c6 out of scope, c7 scope unknown): force c4 =
    # 1 of 2; no injury among them (c6's and c7's do not count) = 0 of 2.
    force = report.measure(FORCE)
    assert (force.numerator, force.denominator, force.comparison) == (2, 3, (1, 2))
    assert force.comparison_rate == pytest.approx(0.5)
    injury = report.measure(INJURY)
    assert (injury.numerator, injury.denominator, injury.comparison) == (1, 3, (0, 2))
    # In scope, visits aside: c1 c3 c4 c5, of which the unit attended c1 c3.
    assert report.intake == Intake(calls=8, in_scope=4, in_scope_attended=2,
                                   co_responses=3, follow_up_visits=1)


def test_a_period_takes_its_first_and_last_day_whole(access: Access) -> None:
    calls = new_program(access)
    add = calls.add
    add(T(2025, 2, 28, 23, 59, 59), DISPATCH)  # c1 the last second before March
    add(T(2025, 3, 1, 0, 0, 0), DISPATCH)  # c2 the first second of March
    add(T(2025, 3, 31, 23, 59, 59), DISPATCH)  # c3 the last second of March
    add(T(2025, 4, 1, 0, 0, 0), DISPATCH)  # c4 the first second of April
    calls.write()
    march = outcome_report(access, Period(D(2025, 3, 1), D(2025, 3, 31)))
    assert march.intake.calls == 2  # c2 c3
    assert (march.first_call, march.last_call) == (T(2025, 3, 1), T(2025, 3, 31, 23, 59, 59))
    assert march.period == Period(D(2025, 3, 1), D(2025, 3, 31))
    # A period of one day is allowed, and is that whole day.
    assert outcome_report(access, Period(D(2025, 4, 1), D(2025, 4, 1))).intake.calls == 1
    with pytest.raises(ValueError, match=r"cannot end \(2025-03-01\) before it starts"):
        Period(D(2025, 3, 2), D(2025, 3, 1))


def test_scope_groups_and_times_add_up(access: Access) -> None:
    calls = new_program(access)
    add = calls.add
    resolved = Disposition.RESOLVED_ON_SCENE
    add(T(2025, 3, 1, 10), DISPATCH, disposition=resolved,  # c1 in scope, 1 hour returned
        cleared=T(2025, 3, 1, 12), patrol=T(2025, 3, 1, 11))
    add(T(2025, 3, 2, 10), DISPATCH, disposition=resolved, in_scope=False,  # c2 out of scope
        patrol=T(2025, 3, 2, 11))  # patrol's time only: could not be used
    add(T(2025, 3, 3, 10), DISPATCH, disposition=resolved, in_scope=None,  # c3 scope unknown
        cleared=T(2025, 3, 3, 11))  # the unit's time only: could not be used
    add(T(2025, 3, 4, 10), DISPATCH, disposition=Disposition.ARREST,  # c4 patrol left first
        cleared=T(2025, 3, 4, 11), patrol=T(2025, 3, 4, 11, 30))  # 0 hours, usable
    calls.write()
    report = outcome_report(access, Period())
    # Resolved co-responses from three scope groups: c1 c2 c3 = 3 of 4.
    m = report.measure(RESOLVED)
    assert (m.numerator, m.denominator, m.blank) == (3, 4, 0)
    assert report.mix.attended == ((resolved, 3), (Disposition.ARREST, 1))
    hours = report.measure(PATROL_HOURS)
    assert hours.value == pytest.approx(1.0)  # c1 1 hour, c4 none; c2 and c3 blank
    assert (hours.denominator, hours.blank) == (2, 2)
    assert [m.label for m in report.measures] == [
        "Resolved on scene", "Arrests", "Involuntary holds", "ED transports",
        "Warm-handoff rate", "Referral connected", "Time to first service",
        "Patrol hours returned", "Use of force", "Injuries", "Follow-up completion",
        "Cost avoidance"]
    assert [m.kind for m in report.measures] == [
        Kind.RATE] * 6 + [Kind.MEDIAN_HOURS, Kind.HOURS] + [Kind.RATE] * 3 + [Kind.MONEY]


def test_patrol_hours_add_up_exactly_whatever_the_order(access: Access) -> None:
    """Ten returns of 6 minutes over several groups are exactly one hour.

    Summed as floats (0.1 h each) the total lands a digit off 1.0, and which digit
    depends on the order the database returns groups in: two programs in one PostgreSQL
    database once showed the first program a different month than it showed alone.
    """
    calls = new_program(access)
    dispositions = [Disposition.RESOLVED_ON_SCENE, Disposition.REFERRED, Disposition.ARREST,
                    Disposition.ED_TRANSPORT, Disposition.INVOLUNTARY_HOLD]
    for i in range(10):
        received = T(2025, 3, 1 + i, 10)
        calls.add(received, DISPATCH, disposition=dispositions[i % 5], in_scope=i % 2 == 0,
                  patrol=received + dt.timedelta(hours=1),
                  cleared=received + dt.timedelta(hours=1, minutes=6))
    calls.write()
    hours = outcome_report(access, Period()).measure(PATROL_HOURS)
    assert hours.numerator == 1.0 and hours.denominator == 10


def test_demand_counts_the_period_only(access: Access) -> None:
    empty = demand_by_hour_of_week(access, Period())
    assert empty.weeks == 0.0 and empty.total == 0
    assert empty.attended == ((0,) * 24,) * 7
    twelve_calls(access)
    demand = demand_by_hour_of_week(access, Period(D(2025, 2, 1), D(2025, 2, 28)))
    # February: c7-c12 = 6 calls, the unit at c7 c8 c9 c10 = 4.
    assert demand.total == 6 and sum(map(sum, demand.attended)) == 4
    assert len(demand.attended) == 7 and all(len(row) == 24 for row in demand.attended)
    # From c7 (2 Feb 12:00) to c12 (7 Feb 10:00): 4 days 22 hours.
    assert demand.weeks == pytest.approx((4 + 22 / 24) / 7)
    assert disposition_mix(access, Period(D(2030, 1, 1))).shares(()) == {}
