"""The weekly series of the `provider_after_hours` early warning: a provider that stops
answering after hours.

Each week, every provider's after-hours referrals of the 8 weeks ending that week are
set against those of the 26 weeks before (console.services.referrals.answering); the
week's value is the largest fall, in share answered, of any provider with enough
referrals in both to judge (0 when none has). Weeks before the first referral on record,
or past the newest call, are unknown.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import select

from console.data.models import Provider, Referral
from console.services.indicators.series import WEEK, Reading, Values, week_start
from console.services.office_hours import office_hour
from console.services.program_scope import current_program_id_or_none
from console.services.referrals.answering import EARLIER_WEEKS, RECENT_WEEKS, Tally, fall


@dataclass(frozen=True)
class WorstFall:
    """The provider whose after-hours answering fell most in a week's window."""

    name: str
    fall: Fraction
    recent: Tally
    earlier: Tally


_UNKNOWN = WorstFall("", Fraction(0), Tally(), Tally())  # a week outside the record


def worst_falls(r: Reading) -> list[WorstFall | None]:
    """Per week of the axis: the provider that fell most (None: none could be judged,
    or the week is unknown)."""
    per_week, names, known = _weekly_tallies(r)
    out: list[WorstFall | None] = []
    for i in range(len(r.weeks)):
        best: WorstFall | None = None
        if known[i]:
            for pid, weeks in per_week.items():
                recent = _sum(weeks, i - RECENT_WEEKS + 1, i)
                earlier = _sum(weeks, i - RECENT_WEEKS - EARLIER_WEEKS + 1, i - RECENT_WEEKS)
                dropped = fall(recent, earlier)
                if dropped is not None and (best is None or dropped > best.fall):
                    best = WorstFall(names[pid], dropped, recent, earlier)
        out.append(best if known[i] else _UNKNOWN)
    return out


def provider_after_hours(r: Reading) -> Values:
    """The largest fall of the week (a share, 0-1), 0 where no provider could be judged."""
    return tuple(None if w is _UNKNOWN else float(w.fall) if w is not None else 0.0
                 for w in worst_falls(r))


def worst_fall_detail(r: Reading, weeks: tuple[dt.date, dt.date]) -> str:
    """Which provider, with the counts, in the alert's last week."""
    i = r.weeks.index(weeks[1])
    worst = worst_falls(r)[i] if i is not None else None
    if worst is None or worst is _UNKNOWN:
        return ""
    return (f"{worst.name} answered {worst.recent.answered} of {worst.recent.referred} "
            f"after-hours referrals in the {RECENT_WEEKS} weeks to "
            f"{weeks[1] + dt.timedelta(days=6):%d %b %Y}, against {worst.earlier.answered} "
            f"of {worst.earlier.referred} in the {EARLIER_WEEKS} weeks before")


def _weekly_tallies(r: Reading) -> tuple[dict[int, list[Tally]], dict[int, str], list[bool]]:
    """Each provider's after-hours tally per week of the axis, the providers' names, and
    which weeks are known."""
    s = r.session
    program_id = current_program_id_or_none(s)
    n = len(r.weeks)
    if program_id is None:
        return {}, {}, [False] * n
    names: dict[int, str] = dict(s.execute(
        select(Provider.id, Provider.name).where(Provider.program_id == program_id)
    ).tuples().all())
    per_week: dict[int, list[Tally]] = defaultdict(lambda: [Tally()] * n)
    first: dt.date | None = None
    for pid, at, made in s.execute(
        select(Referral.provider_id, Referral.referred_at, Referral.contact_made)
        .where(Referral.program_id == program_id, Referral.referred_at < r.weeks.end)
    ).tuples():
        first = min(first or at.date(), at.date())
        i = r.weeks.index(week_start(at.date()))
        if i is None or office_hour(at) or pid not in names:
            continue
        per_week[pid][i] += Tally(1, int(made is True))
    known = [first is not None and monday + WEEK > first
             and (r.calls_until is None or monday + dt.timedelta(days=6) <= r.calls_until)
             for monday in r.weeks.mondays]
    return dict(per_week), names, known


def _sum(weeks: list[Tally], lo: int, hi: int) -> Tally:
    total = Tally()
    for t in weeks[max(0, lo): hi + 1]:
        total += t
    return total
