"""The weekly series of the referral pathway's early warnings: warm handoffs, people
connected, time to first service (DESIGN.md, "Early-warning indicators").

Weeks are those of the call (Monday first), as for the other call series. A week
before the first or after the last referral on record is *unknown*, not zero: a
program that was not recording referrals then has nothing to report, and an export that
stops does not read as a collapse. Recent weeks wait for their news too: connected needs
CONNECT_DAYS after the week, time to service SERVICE_DAYS, before they count.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from typing import Any

from sqlalchemy import exists, func, select

from console.data.models import Call, Referral
from console.data.referral_enums import ReferralKind
from console.services.indicators.series import Reading, Values, week_start
from console.services.populations import attended, crisis_call
from console.services.program_scope import current_program_id_or_none

CONNECT_DAYS = 7  # a referral is connected when contact or a first service came within
SERVICE_DAYS = 14  # the time to service is judged once this long has passed
SERVICE_CAP_HOURS = SERVICE_DAYS * 24.0  # never served (yet): counted as this long
TIME_WINDOW = 4  # weeks of referrals behind each week's median
MIN_REFERRALS = 5  # fewer in the window: the median says nothing


def _referrals(r: Reading) -> list[tuple[int, dt.datetime, bool, Any, bool | None, Any]]:
    """(call, received, co-response, kind, contact made, first service) of each referral on
    a call inside the axis."""
    program = current_program_id_or_none(r.session)
    if program is None:
        return []
    return [(c, received, bool(on), kind, contact, served) for c, received, on, kind,
            contact, served in r.session.execute(
                select(Call.id, Call.received_at, attended(), Referral.kind,
                       Referral.contact_made, Referral.first_service_at)
                .join(Referral, Referral.call_id == Call.id)
                .where(Referral.program_id == program, Call.received_at >= r.weeks.start,
                       Call.received_at < r.weeks.end)).tuples()]


def _known(r: Reading, wait_days: int = 0) -> list[bool]:
    """Per week of the axis: inside the referrals on record (all of them, not only the
    axis's), and old enough by `wait_days` after its Sunday."""
    program = current_program_id_or_none(r.session)
    first = last = None
    if program is not None:
        first, last = r.session.execute(
            select(func.min(Call.received_at), func.max(Call.received_at))
            .join(Referral, Referral.call_id == Call.id)
            .where(Referral.program_id == program)).one()
    if first is None or last is None:
        return [False] * len(r.weeks)
    lo, hi = week_start(first.date()), week_start(last.date())
    return [lo <= monday <= hi and monday + dt.timedelta(days=6 + wait_days) <= r.as_of
            for monday in r.weeks.mondays]


def warm_handoffs(r: Reading) -> tuple[Values, Values]:
    """(co-responses with a warm handoff, co-responses) per week; planned visits aside."""
    program = current_program_id_or_none(r.session)
    known = _known(r)
    hits: list[float | None] = [0.0] * len(r.weeks)
    totals: list[float | None] = [0.0] * len(r.weeks)
    if program is not None:
        warm = exists().where(Referral.call_id == Call.id, Referral.program_id == program,
                              Referral.kind == ReferralKind.WARM_HANDOFF)
        for received, has_warm in r.session.execute(
                select(Call.received_at, warm)
                .where(Call.program_id == program, attended(), crisis_call(),
                       Call.received_at >= r.weeks.start, Call.received_at < r.weeks.end)):
            i = r.weeks.index(week_start(_as_datetime(received).date()))
            if i is not None:
                totals[i] = (totals[i] or 0) + 1
                hits[i] = (hits[i] or 0) + (1 if has_warm else 0)
    return _mask(hits, known), _mask(totals, known)


def connected(r: Reading) -> tuple[Values, Values]:
    """(referrals connected within CONNECT_DAYS of the call, referrals) per week of the
    unit's co-responses: contact made at the handoff, or a first service that soon."""
    known = _known(r, CONNECT_DAYS)
    hits: list[float | None] = [0.0] * len(r.weeks)
    totals: list[float | None] = [0.0] * len(r.weeks)
    soon = dt.timedelta(days=CONNECT_DAYS)
    for _call, received, on, _kind, contact, served in _referrals(r):
        i = r.weeks.index(week_start(received.date()))
        if i is None or not on:
            continue
        totals[i] = (totals[i] or 0) + 1
        if contact or (served is not None and served - received <= soon):
            hits[i] = (hits[i] or 0) + 1
    return _mask(hits, known), _mask(totals, known)


def time_to_service(r: Reading) -> Values:
    """Median hours from the call to the first service over the unit's referrals of the
    TIME_WINDOW weeks ending each week that reached a first service (longer waits capped
    at SERVICE_CAP_HOURS); unknown with fewer than MIN_REFERRALS served in the window.

    People never served are connected_rate's to count: in a real network many referrals
    are declined or never taken up, so counting them here as the cap made the median
    swing between the cap and the served times with the mix of the month (on the demo,
    120 to 336 hours in ordinary weeks) and the fixed lines meant nothing."""
    known = _known(r, SERVICE_DAYS)
    by_week: dict[int, list[float]] = defaultdict(list)
    for _call, received, on, _kind, _contact, served in _referrals(r):
        i = r.weeks.index(week_start(received.date()))
        if i is None or not on or served is None:
            continue
        hours = min(SERVICE_CAP_HOURS, (served - received).total_seconds() / 3600)
        by_week[i].append(hours)
    out: list[float | None] = []
    for i in range(len(r.weeks)):
        window = [h for w in range(max(0, i - TIME_WINDOW + 1), i + 1) for h in by_week[w]]
        window_known = all(known[w] for w in range(max(0, i - TIME_WINDOW + 1), i + 1))
        out.append(statistics.median(window) if window_known and len(window) >= MIN_REFERRALS
                   else None)
    return tuple(out)


def _mask(values: list[float | None], known: list[bool]) -> Values:
    return tuple(v if k else None for v, k in zip(values, known, strict=True))


def _as_datetime(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


