"""The provider_after_hours early warning on a hand-built network: the largest fall of a
provider's after-hours answering, graded at 20 / 30 / 50 points, quiet below the watch
line and on too few referrals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from provider_world import after_hours_run, network, provider, referral
from sqlalchemy import insert

from console.data.engine import Database
from console.data.models import Call, Provider, Referral
from console.services.access import Access
from console.services.indicators.engine import evaluate_all, evaluate_one
from console.services.indicators.model import Severity
from console.services.office_hours import office_hour
from console.services.referrals.answering import Tally, fall

AS_OF = dt.date(2026, 6, 28)  # a Sunday: the week of Monday 22 June is judged
RECENT = dt.date(2026, 5, 4)  # the first Monday of the 8 weeks ending that week
EARLIER = dt.date(2026, 1, 5)  # inside the 26 weeks before them


@pytest.fixture
def boss(db: Database, tmp_path: Path) -> Access:
    access = network(db, tmp_path)
    with db.engine.begin() as conn:  # calls are on record up to the day judged
        conn.execute(insert(Call).values(program_id=1, agency_id=1, incident_number="LAST",
                                         received_at=dt.datetime(2026, 6, 28, 12)))
    return access


def _provider(db: Database, name: str, recent: tuple[int, int],
              earlier: tuple[int, int] = (20, 18)) -> None:
    pid = provider(db, name, after_hours=True)
    after_hours_run(db, pid, EARLIER, *earlier)
    after_hours_run(db, pid, RECENT, *recent)


@pytest.mark.parametrize(("answered", "severity", "value"), [
    (4, Severity.CRITICAL, 0.5),  # 90% -> 40%
    (5, Severity.WARNING, 0.4),
    (6, Severity.WARNING, 0.3),  # the scorecard's flag line: warning from it on
    (7, Severity.WATCH, 0.2),  # at the watch line
    (8, Severity.OK, 0.1),  # under it: quiet
])
def test_graded_by_the_largest_fall(boss: Access, db: Database, answered: int,
                                    severity: Severity, value: float) -> None:
    _provider(db, "Alder Crisis", (10, answered))
    _provider(db, "Beacon Line", (10, 9))  # answers as it always did
    e = evaluate_one(boss, "provider_after_hours", AS_OF)
    assert e.severity is severity
    assert e.value == pytest.approx(value)
    assert e.weeks[-1] == dt.date(2026, 6, 22)
    if severity is not Severity.OK:
        assert (f"Alder Crisis answered {answered} of 10 after-hours referrals in the 8 "
                "weeks to 28 Jun 2026, against 18 of 20 in the 26 weeks before") \
            in e.explanation


def test_quiet_on_too_few_referrals(boss: Access, db: Database) -> None:
    _provider(db, "Alder Crisis", (7, 0))  # none of 7 answered: one short of judging
    _provider(db, "Beacon Line", (10, 9), earlier=(9, 9))  # too little history
    e = evaluate_one(boss, "provider_after_hours", AS_OF)
    assert e.severity is Severity.OK
    assert e.value == 0.0


def test_unknown_before_the_first_referral_and_with_no_network(boss: Access,
                                                               db: Database) -> None:
    e = evaluate_one(boss, "provider_after_hours", AS_OF)
    assert e.severity is Severity.OK and set(e.values) == {None}
    _provider(db, "Alder Crisis", (10, 9))
    e = evaluate_one(boss, "provider_after_hours", AS_OF)
    first = e.weeks.index(EARLIER)
    assert set(e.values[:first]) == {None}
    assert set(e.values[first:]) == {0.0}


def test_declared_once_and_evaluated_with_the_others(boss: Access, db: Database) -> None:
    _provider(db, "Alder Crisis", (10, 4))
    ids = [e.id for e in evaluate_all(boss, AS_OF)]
    assert ids.count("provider_after_hours") == 1
    assert ids[0] == "provider_after_hours"  # the only one at critical: worst first


_visits = st.lists(st.tuples(st.integers(1, 2), st.integers(0, 34 * 7 - 1),
                             st.sampled_from([2, 10, 22]), st.booleans()),
                   min_size=0, max_size=60)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_visits)
def test_the_weekly_value_is_the_scorecards_rule_on_its_windows(
        boss: Access, db: Database, visits: list[tuple[int, int, int, bool]]) -> None:
    """Whatever the referrals: the last week's value is the largest `answering.fall` of
    a provider, its recent 8 weeks and the 26 before counted by date here."""
    with db.engine.begin() as conn:
        conn.execute(Referral.__table__.delete())
        conn.execute(Call.__table__.delete().where(Call.incident_number != "LAST"))
        conn.execute(Provider.__table__.delete())
    ids = {n: provider(db, f"P{n}") for n in (1, 2)}
    first_day = AS_OF - dt.timedelta(days=34 * 7 - 1)
    tallies: dict[tuple[int, bool], Tally] = {}
    for n, offset, hour, made in visits:
        at = dt.datetime.combine(first_day + dt.timedelta(days=offset), dt.time(hour))
        referral(db, ids[n], at, contact_made=made)
        if office_hour(at):
            continue
        key = (n, at.date() >= RECENT)
        tallies[key] = tallies.get(key, Tally()) + Tally(1, int(made))
    falls = [fall(tallies.get((n, True), Tally()), tallies.get((n, False), Tally()))
             for n in (1, 2)]
    expected = max((float(f) for f in falls if f is not None), default=0.0)
    e = evaluate_one(boss, "provider_after_hours", AS_OF)
    assert e.values[-1] == (expected if visits else None)
