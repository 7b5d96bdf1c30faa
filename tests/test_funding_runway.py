"""The runway and the grant cliffs on hand-computed cases (console.services.funding.runway)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from console.data.funding_enums import FundingKind, RenewalStatus
from console.services.funding.runway import Link, OpenPosition, Term, cliffs, runway_on

D = dt.date
AS_OF = D(2026, 12, 1)
NONE, PENDING, RENEWED, DENIED = (RenewalStatus.NONE, RenewalStatus.PENDING,
                                  RenewalStatus.RENEWED, RenewalStatus.DENIED)


LONG_AGO = D(2024, 1, 1)


def term(i: int, end: dt.date | None, renewal: RenewalStatus = NONE,
         start: dt.date = LONG_AGO) -> Term:
    return Term(i, f"S{i}", FundingKind.GRANT, start, end, renewal)


def position(i: int, abolished: dt.date | None = None) -> OpenPosition:
    return OpenPosition(i, f"P{i}", D(2024, 1, 1), abolished)


def test_a_source_that_ends_mid_month() -> None:
    r = runway_on(AS_OF, [term(1, D(2027, 3, 15))], [Link(1, 1, 100)], [position(1)])
    # 1 Dec -> 15 Mar: 30 (Dec, from the 1st) + 31 + 28 + 14 = 104 days; 104 / 30.4375.
    assert r.ends_on == D(2027, 3, 15) and r.days == 104 and r.months == 3.4
    assert r.ends_on_if_pending_granted == D(2027, 3, 15)
    (p,) = r.positions
    assert (p.funded_until, p.funded_until_if_pending_fail) == (D(2027, 3, 15), D(2027, 3, 15))
    assert p.share_falls_on == D(2027, 3, 16) and not p.relies_on_pending
    (c,) = r.cliffs
    assert (c.days, c.critical, c.positions) == (104, False, ("P1 (100%)",))
    assert r.first_to_lose == ("P1",)


def test_a_pending_renewal_is_granted_in_one_reading_and_fails_in_the_other() -> None:
    r = runway_on(AS_OF, [term(1, D(2027, 3, 15), PENDING)], [Link(1, 1, 100)], [position(1)])
    (p,) = r.positions
    assert p.funded_until is None  # granted: no end known, none invented
    assert p.funded_until_if_pending_fail == D(2027, 3, 15) and p.relies_on_pending
    assert r.ends_on == D(2027, 3, 15) and r.days == 104  # the runway counts it failing
    assert r.ends_on_if_pending_granted is None
    assert [c.renewal for c in r.cliffs] == [PENDING]  # still a cliff until decided


def test_renewed_goes_on_and_denied_stops() -> None:
    renewed = runway_on(AS_OF, [term(1, D(2027, 1, 31), RENEWED)], [Link(1, 1, 100)],
                        [position(1)])
    assert renewed.ends_on is None and renewed.days is None and not renewed.cliffs
    denied = runway_on(AS_OF, [term(1, D(2027, 1, 31), DENIED)], [Link(1, 1, 100)],
                       [position(1)])
    assert denied.ends_on == D(2027, 1, 31) and denied.days == 61
    assert denied.cliffs[0].critical  # 61 days: within 90


def test_two_sources_on_one_position() -> None:
    terms = [term(1, D(2027, 1, 31)), term(2, D(2027, 6, 30))]
    r = runway_on(AS_OF, terms, [Link(1, 1, 50), Link(2, 1, 50)], [position(1)])
    (p,) = r.positions
    assert p.share_percent == 100 and p.sources == ("S1", "S2")
    assert p.funded_until_if_pending_fail == D(2027, 6, 30)  # the later end counts
    assert p.share_falls_on == D(2027, 2, 1)  # half of it goes when S1 ends
    assert r.days == 211  # 30 + 31 + 28 + 31 + 30 + 31 + 30
    assert [c.name for c in r.cliffs] == ["S1"]  # S2 ends in 211 days: beyond 180


def test_a_successor_source_carries_the_run_and_a_gap_breaks_it() -> None:
    first = term(1, D(2027, 1, 31))
    carried = runway_on(AS_OF, [first, term(2, D(2027, 12, 31), start=D(2027, 2, 1))],
                        [Link(1, 1, 100), Link(2, 1, 100)], [position(1)])
    assert carried.ends_on == D(2027, 12, 31)
    assert carried.positions[0].share_falls_on == D(2028, 1, 1)  # not paid less before
    gap = runway_on(AS_OF, [first, term(2, D(2027, 12, 31), start=D(2027, 2, 2))],
                    [Link(1, 1, 100), Link(2, 1, 100)], [position(1)])
    assert gap.ends_on == D(2027, 1, 31)


def test_a_half_funded_position() -> None:
    r = runway_on(AS_OF, [term(1, None)], [Link(1, 1, 50)], [position(1), position(2)])
    (p,) = r.positions
    assert (p.share_percent, p.funded_until, p.share_falls_on) == (50, None, None)
    assert r.ends_on is None and r.months is None  # ongoing: no runway end
    assert r.unfunded == ("P2",)


def test_the_runway_ends_with_the_first_position_to_lose_its_money() -> None:
    terms = [term(1, D(2027, 3, 15)), term(2, None), term(3, D(2026, 11, 30))]
    links = [Link(1, 1, 100), Link(2, 2, 100), Link(3, 3, 100)]
    r = runway_on(AS_OF, terms, links, [position(1), position(2), position(3),
                                        position(4, abolished=AS_OF)])
    assert r.ends_on == D(2027, 3, 15) and r.first_to_lose == ("P1",)
    assert r.unfunded == ("P3",)  # its source ended yesterday; P4 is abolished today
    assert [c.name for c in r.cliffs] == ["S1"]  # an end already past is no cliff


@given(st.integers(min_value=-5, max_value=400))
def test_cliff_windows(days: int) -> None:
    end = AS_OF + dt.timedelta(days=days)
    found = cliffs(AS_OF, [term(1, end)], {}, [])
    if days < 0 or days > 180:
        assert found == ()
    else:
        assert found[0].days == days and found[0].critical == (days <= 90)
