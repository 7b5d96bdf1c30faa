"""When a provider has stopped answering after hours: the one rule the scorecard's flag
and the `provider_after_hours` early warning both apply.

A network that stops answering after hours is one of the quiet ways a program erodes:
the unit still refers, but at night and at weekends nobody picks up, warm handoffs turn
into phone numbers handed over, and nobody signs a decision. The rule compares what a
provider answered lately with what it answered before, and with a floor for providers
that say they answer after hours. It never judges a provider on a handful of referrals:
two missed calls are a bad night, not a pattern.

Shares are compared as exact fractions, so a share exactly at a line is never flagged
by a rounding error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

# "Lately": the last 8 weeks, two months, long enough to hold a fair number of
# after-hours referrals to a busy provider, short enough to catch a change in a quarter.
RECENT_WEEKS = 8
RECENT = dt.timedelta(weeks=RECENT_WEEKS)
# The early warning compares the recent weeks with the half year before them: its own
# earlier level, before any slow slide began. (The scorecard uses its whole period.)
EARLIER_WEEKS = 26
# Enough to judge: at least 8 after-hours referrals in the recent weeks (a share of 8
# moves by 12 points a referral; fewer could flag a provider for one bad weekend) and at
# least 10 before them to know its own level.
MIN_RECENT = 8
MIN_EARLIER = 10
# Far below its own level: more than 30 points under the share it answered before (a
# provider answering 85% that falls to 50%). On 8 referrals the binomial spread of a
# share of 0.85 is about 13 points, so a fall past 30 is more than twice it.
FALL = Fraction(30, 100)
# A provider that says it answers after hours and reached fewer than 1 in 4 of the
# after-hours referrals lately: below any level the unit can plan warm handoffs on,
# whatever it did before.
FLOOR = Fraction(25, 100)


@dataclass(frozen=True)
class Tally:
    """After-hours referrals and those where the provider was reached then."""

    referred: int = 0
    answered: int = 0

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.answered, self.referred) if self.referred else None

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.referred + other.referred, self.answered + other.answered)


def fall(recent: Tally, earlier: Tally) -> Fraction | None:
    """How far the recent after-hours answered share lies under the earlier one (0 when
    it rose); None when either part is too small to judge."""
    if recent.referred < MIN_RECENT or earlier.referred < MIN_EARLIER:
        return None
    assert recent.share is not None and earlier.share is not None
    return max(Fraction(0), earlier.share - recent.share)


def stopped_answering(recent: Tally, earlier: Tally, offers_after_hours: bool) -> str:
    """Why the provider is flagged, in one line, or "" when it is not."""
    if recent.referred < MIN_RECENT:
        return ""
    now = _pct(recent)
    dropped = fall(recent, earlier)
    if dropped is not None and dropped > FALL:
        return (f"answered {recent.answered} of {recent.referred} after-hours referrals "
                f"in the last {RECENT_WEEKS} weeks ({now}), against "
                f"{earlier.answered} of {earlier.referred} before ({_pct(earlier)})")
    share = recent.share
    if offers_after_hours and share is not None and share < FLOOR:
        return (f"says it answers after hours but answered {recent.answered} of "
                f"{recent.referred} after-hours referrals in the last {RECENT_WEEKS} weeks "
                f"({now}, under {float(FLOOR):.0%})")
    return ""


def _pct(tally: Tally) -> str:
    share = tally.share
    return "—" if share is None else f"{float(share):.0%}"
