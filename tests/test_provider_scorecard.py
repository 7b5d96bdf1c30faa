"""The provider scorecard on hand-computed cases: each measure, the period, the ranking,
and the flag of a provider that stops answering after hours (past the rule, not at it,
never on too few referrals)."""

from __future__ import annotations

import datetime as dt
import statistics
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from provider_world import after_hours_run, network, provider, referral
from sqlalchemy import insert

from console.data.engine import Database
from console.data.enums import AgencyKind
from console.data.models import Agency, Call, Program, Provider, Referral
from console.data.referral_enums import ReferralKind, ReferralResult
from console.errors import UserError
from console.services.access import Access
from console.services.referrals import answering
from console.services.referrals.answering import Tally, stopped_answering
from console.services.referrals.scorecard import (
    Handoff,
    Listed,
    counts_of,
    provider_scorecard,
    score,
)

R = ReferralResult
D = dt.datetime


@pytest.fixture
def boss(db: Database, tmp_path: Path) -> Access:
    return network(db, tmp_path)


def _march(db: Database) -> tuple[int, int]:
    """Provider A's five referrals in March 2026, worked out by hand below; B's two."""
    a = provider(db, "Alder Crisis", after_hours=True)
    b = provider(db, "Beacon Housing")
    # Monday 10:00, office hours: 09:30 call -> 15:30 first service = 6 h.
    referral(db, a, D(2026, 3, 2, 10), received_at=D(2026, 3, 2, 9, 30),
             first_service_at=D(2026, 3, 2, 15, 30), result=R.ACCEPTED)
    # Across midnight, after hours: 23:30 call -> 01:30 next day = 2 h.
    referral(db, a, D(2026, 3, 3, 23, 50), received_at=D(2026, 3, 3, 23, 30),
             first_service_at=D(2026, 3, 4, 1, 30), result=R.ACCEPTED)
    # 17:59 on a Wednesday is still office hours; no first service, contact not recorded.
    referral(db, a, D(2026, 3, 4, 17, 59), warm=False, contact_made=None, result=R.NO_SHOW)
    # Sunday 14:00: daytime, but a weekend, so after hours; not reached; 48 h to service.
    referral(db, a, D(2026, 3, 8, 14), contact_made=False,
             first_service_at=D(2026, 3, 10, 14), result=R.DECLINED)
    # 18:00 on a Thursday is after hours (office hours end at 18:00); still pending.
    referral(db, a, D(2026, 3, 5, 18), warm=False)
    referral(db, b, D(2026, 3, 9, 11), first_service_at=D(2026, 3, 9, 12))
    referral(db, b, D(2026, 3, 10, 11), contact_made=False)
    return a, b


def test_each_measure_on_a_hand_computed_provider(boss: Access, db: Database) -> None:
    a, b = _march(db)
    card = provider_scorecard(boss, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    line = next(p for p in card.providers if p.provider_id == a)
    c = line.counts
    assert c.referrals == 5
    assert c.warm_share == pytest.approx(3 / 5)
    assert c.reached_share == pytest.approx(3 / 5)  # not recorded counts as not reached
    assert (c.after_hours, c.after_hours_answered) == (3, 2)  # 23:50, Sunday 14:00, 18:00
    assert c.after_hours_answered_share == pytest.approx(2 / 3)
    assert (c.with_service, c.median_hours_to_service) == (3, 6.0)  # median of 6, 2, 48
    assert c.decided == 4  # the pending one is not yet known
    assert c.acceptance_share == pytest.approx(2 / 4)
    assert c.no_show_share == pytest.approx(1 / 4)
    assert line.rank == 1 and not line.flagged
    beacon = next(p for p in card.providers if p.provider_id == b)
    assert beacon.counts.after_hours_answered_share is None  # none after hours
    assert beacon.counts.median_hours_to_service == 1.0
    assert beacon.rank is None  # 2 referrals: too few to rank
    net = card.network.counts
    assert (net.referrals, net.warm, net.reached, net.after_hours, net.with_service) == (
        7, 5, 4, 3, 4)
    assert net.median_hours_to_service == pytest.approx((2 + 6) / 2)  # of 1, 2, 6, 48
    assert [(m.month, m.counts.referrals) for m in line.trend] == [(dt.date(2026, 3, 1), 5)]


def test_the_period_holds_both_its_days_and_nothing_else(boss: Access, db: Database) -> None:
    a = provider(db, "Alder Crisis")
    for at in (D(2026, 2, 28, 23, 59), D(2026, 3, 1, 0, 0), D(2026, 3, 31, 23, 59),
               D(2026, 4, 1, 0, 0)):
        referral(db, a, at)
    card = provider_scorecard(boss, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert card.network.counts.referrals == 2
    assert provider_scorecard(boss).network.counts.referrals == 4
    assert provider_scorecard(boss, end=dt.date(2026, 2, 28)).network.counts.referrals == 1
    with pytest.raises(UserError, match="cannot end"):
        provider_scorecard(boss, dt.date(2026, 4, 1), dt.date(2026, 3, 1))


def test_trend_has_every_month_of_the_period_even_empty_ones(boss: Access,
                                                            db: Database) -> None:
    a = provider(db, "Alder Crisis")
    referral(db, a, D(2026, 1, 15, 10))
    referral(db, a, D(2026, 3, 15, 22), contact_made=False)
    card = provider_scorecard(boss, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    trend = card.providers[0].trend
    assert [(p.month.month, p.counts.referrals, p.counts.after_hours) for p in trend] == [
        (1, 1, 0), (2, 0, 0), (3, 1, 1)]


def test_another_programs_referrals_and_providers_stay_out(boss: Access,
                                                           db: Database) -> None:
    a = provider(db, "Alder Crisis")
    referral(db, a, D(2026, 3, 2, 10))
    with db.engine.begin() as conn:
        conn.execute(insert(Program).values(id=2, name="Other", jurisdiction="Other",
                                            started_on=dt.date(2023, 1, 1)))
        conn.execute(insert(Agency).values(id=2, program_id=2, name="Other PD",
                                           kind=AgencyKind.POLICE, is_lead=True))
        conn.execute(insert(Provider).values(id=99, program_id=2, name="Elsewhere"))
        conn.execute(insert(Call).values(id=999, program_id=2, agency_id=2,
                                         incident_number="X-1",
                                         received_at=D(2026, 3, 2, 10)))
        conn.execute(insert(Referral).values(program_id=2, call_id=999, provider_id=99,
                                             kind=ReferralKind.WARM_HANDOFF,
                                             referred_at=D(2026, 3, 2, 10)))
    card = provider_scorecard(boss)
    assert [p.name for p in card.providers] == ["Alder Crisis"]
    assert card.network.counts.referrals == 1


def test_a_first_service_before_the_call_is_left_out_of_the_median() -> None:
    at = D(2026, 3, 2, 10)
    wrong = Handoff(1, ReferralKind.WARM_HANDOFF, at, at, True, at - dt.timedelta(hours=5),
                    R.ACCEPTED)
    right = Handoff(1, ReferralKind.WARM_HANDOFF, at, at, True, at + dt.timedelta(hours=3),
                    R.ACCEPTED)
    c = counts_of([wrong, right])
    assert (c.with_service, c.median_hours_to_service) == (1, 3.0)


def _five(pid: int, reached: int, after_hours_reached: int, hours: float) -> list[Handoff]:
    """Five referrals: two after hours (Saturday night), three in office hours."""
    out = []
    for i in range(5):
        after = i < 2
        at = D(2026, 3, 7, 22) if after else D(2026, 3, 9, 10)
        made = (i < after_hours_reached) if after else (i - 2 < reached - after_hours_reached)
        out.append(Handoff(pid, ReferralKind.WARM_HANDOFF, at, at, made,
                           at + dt.timedelta(hours=hours), R.ACCEPTED))
    return out


def test_ranking_by_reached_then_after_hours_then_hours_and_too_few_unranked() -> None:
    handoffs = (_five(1, 4, 1, 10) + _five(2, 4, 2, 30) + _five(3, 4, 2, 20)
                + _five(4, 5, 2, 90) + _five(5, 5, 2, 1)[:4])
    card = score(handoffs, [Listed(i, name) for i, name in
                            enumerate(["", "Ash", "Birch", "Cedar", "Dogwood", "Elm"]) if i],
                 dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    # Dogwood reaches all; Cedar and Birch reach 4 with both after-hours ones, Cedar
    # faster; Ash reaches 4 but one after hours. Elm has 4 referrals: not ranked.
    assert [(p.name, p.rank) for p in card.providers] == [
        ("Dogwood", 1), ("Cedar", 2), ("Birch", 3), ("Ash", 4), ("Elm", None)]


# --- the flag --------------------------------------------------------------------------
END = dt.date(2026, 6, 30)
RECENT_START = END + dt.timedelta(days=1) - answering.RECENT  # 2026-05-06


def _flag_case(db: Database, earlier: tuple[int, int], recent: tuple[int, int], *,
               offers: bool = False) -> int:
    """A provider with `earlier` (referred, answered) after-hours referrals in March and
    `recent` ones in the last 8 weeks of the period."""
    pid = provider(db, "Alder Crisis", after_hours=offers)
    after_hours_run(db, pid, dt.date(2026, 2, 1), *earlier)
    after_hours_run(db, pid, RECENT_START, *recent)
    return pid


def _flag(boss: Access) -> str:
    card = provider_scorecard(boss, dt.date(2026, 1, 1), END)
    assert card.recent_from == RECENT_START
    return card.providers[0].flag_reason


def test_flagged_just_past_the_fall(boss: Access, db: Database) -> None:
    # 33 of 40 before (82.5%), 4 of 8 lately (50%): a fall of 32.5 points, past 30.
    _flag_case(db, (40, 33), (8, 4))
    assert _flag(boss) == ("answered 4 of 8 after-hours referrals in the last 8 weeks (50%), "
                           "against 33 of 40 before (82%)")


def test_not_flagged_at_the_fall_itself(boss: Access, db: Database) -> None:
    # 32 of 40 (80%) -> 4 of 8 (50%): exactly 30 points (0.8 - 0.5 is 0.30000000000000004
    # in floats: the rule counts in fractions).
    _flag_case(db, (40, 32), (8, 4))
    assert _flag(boss) == ""


def test_never_flagged_on_too_few_referrals(boss: Access, db: Database) -> None:
    # None of 7 answered lately: one short of the 8 needed to judge.
    _flag_case(db, (40, 40), (7, 0), offers=True)
    assert _flag(boss) == ""


def test_the_floor_for_providers_that_say_they_answer_after_hours(boss: Access,
                                                                  db: Database) -> None:
    # 1 of 8 (12.5%) lately and too little history to compare: under the 25% floor.
    _flag_case(db, (9, 9), (8, 1), offers=True)
    assert _flag(boss).startswith("says it answers after hours but answered 1 of 8")


def test_no_floor_at_the_floor_or_for_providers_that_never_said_so(boss: Access,
                                                                    db: Database) -> None:
    _flag_case(db, (0, 0), (8, 2), offers=True)  # 25% exactly
    assert _flag(boss) == ""
    with db.engine.begin() as conn:
        conn.execute(Referral.__table__.delete())
        conn.execute(Provider.__table__.delete())
    _flag_case(db, (0, 0), (8, 1), offers=False)
    assert _flag(boss) == ""


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30), st.integers(0, 30),
       st.booleans())
def test_the_rule_in_whole_numbers(e_n: int, e_a: int, r_n: int, r_a: int,
                                   offers: bool) -> None:
    """Flagged exactly when, in integer arithmetic: enough recent referrals, and either
    enough earlier ones and a fall of more than 30 points, or a floor under 25%."""
    e_a, r_a = min(e_a, e_n), min(r_a, r_n)
    reason = stopped_answering(Tally(r_n, r_a), Tally(e_n, e_a), offers)
    fell = e_n >= 10 and 10 * (e_a * r_n - r_a * e_n) > 3 * e_n * r_n
    floor = offers and 4 * r_a < r_n
    assert bool(reason) == (r_n >= 8 and (fell or floor))
    assert "\n" not in reason


_handoffs = st.lists(st.builds(
    Handoff,
    provider_id=st.integers(1, 3),
    kind=st.sampled_from(ReferralKind),
    referred_at=st.datetimes(D(2026, 1, 1), D(2026, 3, 31, 23, 59)),
    call_received_at=st.just(D(2026, 1, 1)),
    contact_made=st.sampled_from([True, False, None]),
    first_service_at=st.one_of(st.none(), st.datetimes(D(2026, 1, 1), D(2026, 5, 1))),
    result=st.sampled_from(ReferralResult),
), max_size=40)


@settings(max_examples=150, deadline=None)
@given(_handoffs)
def test_the_network_is_the_sum_of_its_providers(handoffs: list[Handoff]) -> None:
    card = score(handoffs, [Listed(1, "A"), Listed(2, "B"), Listed(3, "C")])
    net = card.network.counts
    for field in ("referrals", "warm", "reached", "after_hours", "after_hours_answered",
                  "with_service", "decided", "accepted", "no_show"):
        assert getattr(net, field) == sum(getattr(p.counts, field) for p in card.providers)
    for share in ("warm_share", "reached_share", "after_hours_answered_share",
                  "acceptance_share", "no_show_share"):
        value = getattr(net, share)
        assert value is None or 0 <= value <= 1
    hours = sorted((h.first_service_at - h.call_received_at) / dt.timedelta(hours=1)
                   for h in handoffs if h.first_service_at is not None)
    if hours:
        middle = len(hours) // 2
        expected = hours[middle] if len(hours) % 2 else (hours[middle - 1] + hours[middle]) / 2
        assert net.median_hours_to_service == pytest.approx(expected)
        assert net.median_hours_to_service == pytest.approx(statistics.median(hours))
    else:
        assert net.median_hours_to_service is None
    assert sum(p.counts.referrals for m in [card.network] for p in m.trend) == len(handoffs)
    assert Fraction(net.after_hours_answered, net.after_hours or 1) <= 1
