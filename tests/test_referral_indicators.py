"""The referral pathway's early warnings on hand-built programs: warm_handoff_rate,
connected_rate and time_to_service flag when the pathway fails, stay quiet when it
holds or sits just inside the line, and know nothing outside the referrals on record."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import program_access_for
from sqlalchemy import insert

from console.data.engine import Database
from console.data.enums import Activation
from console.data.models import Call, Provider, Referral
from console.data.referral_enums import ReferralKind
from console.services.access import Access, Action
from console.services.indicators.engine import evaluate_one
from console.services.indicators.model import Severity

MON = dt.date(2025, 1, 6)  # a Monday
WEEKS = 40
PER_WEEK = 20


@pytest.fixture
def access(db: Database, tmp_path: Path) -> Access:
    access = program_access_for(db, tmp_path)
    with access.writing(Action.EDIT_CALLS) as s:
        s.execute(insert(Provider).values(id=1, program_id=1, name="Riverbend Crisis"))
    return access


def _weeks(access: Access, warm: list[int], hours: list[float | None] | None = None,
           first_referral_week: int = 0) -> dt.date:
    """PER_WEEK co-responses each week; from `first_referral_week` on each has a referral,
    warm (and reached) for the first warm[k] of the week; served `hours[k]` after the call
    (None: never). Returns the as-of day: the Sunday two weeks after the last week, so
    every week has had its time to connect."""
    calls, referrals = [], []
    n = 0
    for k, warm_k in enumerate(warm):
        monday = dt.datetime.combine(MON + dt.timedelta(weeks=k), dt.time(10))
        for i in range(PER_WEEK):
            n += 1
            received = monday + dt.timedelta(days=1, minutes=10 * i)
            calls.append({"id": n, "program_id": 1, "agency_id": 1,
                          "incident_number": f"C{n}", "received_at": received,
                          "activation": Activation.DISPATCH, "in_scope": True})
            if k < first_referral_week:
                continue
            served = None if hours is None or hours[k] is None else \
                received + dt.timedelta(hours=hours[k])  # type: ignore[operator]
            referrals.append({
                "program_id": 1, "call_id": n, "provider_id": 1,
                "kind": ReferralKind.WARM_HANDOFF if i < warm_k else
                ReferralKind.INFORMATION_ONLY,
                "referred_at": received + dt.timedelta(minutes=30),
                "contact_made": i < warm_k, "contact_attempts": 1 if i < warm_k else 0,
                "first_service_at": served})
    with access.writing(Action.EDIT_CALLS) as s:
        s.execute(insert(Call), calls)
        s.execute(insert(Referral), referrals)
    return MON + dt.timedelta(weeks=len(warm) + 2, days=-1)


def test_warm_handoffs_falling_is_flagged(access: Access) -> None:
    as_of = _weeks(access, [12] * (WEEKS - 6) + [3] * 6)
    found = evaluate_one(access, "warm_handoff_rate", as_of)
    assert found.severity in (Severity.WARNING, Severity.CRITICAL)
    assert found.value == pytest.approx(3 / PER_WEEK)
    connected = evaluate_one(access, "connected_rate", as_of)
    assert connected.severity in (Severity.WARNING, Severity.CRITICAL)


def test_steady_warm_handoffs_are_quiet(access: Access) -> None:
    as_of = _weeks(access, [12, 11, 13, 12] * (WEEKS // 4))
    assert evaluate_one(access, "warm_handoff_rate", as_of).severity is Severity.OK
    assert evaluate_one(access, "connected_rate", as_of).severity is Severity.OK


def test_weeks_without_referrals_on_record_are_unknown_not_zero(access: Access) -> None:
    """Referrals recorded from week 30 on: the 30 weeks before read unknown, so the
    co-responses of those weeks do not read as 0% warm."""
    as_of = _weeks(access, [12] * WEEKS, first_referral_week=30)
    found = evaluate_one(access, "warm_handoff_rate", as_of)
    first = found.weeks.index(MON + dt.timedelta(weeks=30))
    assert all(v is None for v in found.values[:first])
    assert found.values[first] == pytest.approx(12 / PER_WEEK)
    assert found.severity is Severity.OK


def test_time_to_service_at_and_just_inside_the_line(access: Access) -> None:
    as_of = _weeks(access, [12] * 8, hours=[30.0] * 4 + [71.5] * 4)
    quiet = evaluate_one(access, "time_to_service", as_of)
    assert quiet.value == 71.5 and quiet.severity is Severity.OK


def test_time_to_service_reads_only_those_served(access: Access) -> None:
    """Nobody served in the last four weeks: they do not push the time up (the connected
    rate counts them); the latest time read stays the 30 h of those served before."""
    as_of = _weeks(access, [12] * 8, hours=[30.0] * 4 + [None] * 4)
    found = evaluate_one(access, "time_to_service", as_of)
    assert found.values[-1] is None and found.value == 30.0
    assert found.severity is Severity.OK
    earlier = evaluate_one(access, "time_to_service", as_of - dt.timedelta(weeks=2))
    assert earlier.value == 30.0 and earlier.severity is Severity.OK


def test_time_to_service_caps_a_long_wait(access: Access) -> None:
    as_of = _weeks(access, [12] * 8, hours=[30.0] * 4 + [500.0] * 4)
    found = evaluate_one(access, "time_to_service", as_of)
    assert found.value == 336.0 and found.severity is Severity.CRITICAL


def test_time_to_service_on_the_line_is_watch(access: Access) -> None:
    as_of = _weeks(access, [12] * 8, hours=[30.0] * 4 + [72.0] * 4)
    found = evaluate_one(access, "time_to_service", as_of)
    assert found.value == 72.0 and found.severity is Severity.WATCH
