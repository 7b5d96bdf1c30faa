"""The referral outcome measures, by month (DESIGN.md, "Outcome measures"): warm-handoff
rate, connected rate, time from call to first service, and follow-up completion.

The rules, written once (the definitions below are the Outcomes page's tooltips):

- A referral belongs to the month its call was received in, like every outcome measure.
- *Warm-handoff rate*: co-responses (populations.py) with at least one warm-handoff
  referral, out of the co-responses of the month.
- *Connected*: the person and the provider reached each other: contact was made at the
  handoff (contact made = yes) or a first service is recorded. Out of every referral of
  the month; a referral with neither recorded counts as not connected.
- *Time to first service*: hours from the call's receipt to the first service, median
  over the referrals with a first service recorded (each referral once; the others are
  "blank"). Within 72 hours / 7 days: the share of all the month's referrals whose first
  service came within that time of the call.
- *Follow-up completion*: of the referrals whose follow-up was due by now (referred at +
  the follow-up hours setting), the share the unit completed: a follow-up contact that
  reached the person, or a first service confirmed (nothing left to follow up).

Months before the first or after the last referral on record are *unknown*: a program
that did not record referrals then has no zero to report.

Patrol alone: referrals exist on calls the unit did not attend only where a records
system exports patrol's own referrals. Where a period holds some, the warm-handoff rate
(on in-scope patrol-alone calls), the connected rate and the time to first service show
patrol's beside the unit's; where it holds none, no comparison is shown (a "0%" for
patrol would only say patrol's referrals are not recorded). Follow-up completion has no
comparison: following up is the unit's own work.

Referrals are a few thousand rows, not millions: they are read once per report and
added up here.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from console.data.models import Call, FollowUpContact, Referral
from console.data.referral_enums import ReferralKind
from console.services.populations import Period, attended_flag, crisis_call, in_period
from console.services.program_scope import current_program_id_or_none

HOURS_72, HOURS_7D = 72.0, 7 * 24.0

WARM_DEFINITION = (
    "Share of co-responses (calls the unit attended, planned follow-up visits left out) "
    "with at least one warm handoff: the person connected to a provider in real time, "
    "during or right after the call.")
CONNECTED_DEFINITION = (
    "Share of referrals where the person and the provider reached each other: contact made "
    "at the handoff, or a first service recorded. Every referral of the month counts; one "
    "with neither recorded counts as not connected.")
TIME_DEFINITION = (
    "Median hours from the call to the first service, over the referrals with a first "
    "service recorded (each referral once); beside it, the share of all referrals served "
    "within 72 hours and within 7 days of the call.")
FOLLOW_UP_DEFINITION = (
    "Share of referrals whose follow-up was due (the follow-up hours after the referral) "
    "that the unit completed: a follow-up contact reached the person, or the first service "
    "was confirmed.")
UNKNOWN_MONTHS = ("Months before the first or after the last referral on record are "
                  "unknown, not zero.")
NO_COMPARISON = ("No patrol-alone comparison: no referral on a call without the unit is on "
                 "record for the period.")


@dataclass
class Side:
    """The counts of one side: referrals on co-responses, or on patrol-alone calls."""

    referrals: int = 0
    warm_calls: int = 0  # calls with a warm handoff (patrol: in scope only)
    connected: int = 0
    hours: list[float] = field(default_factory=list)  # call to first service, per referral
    within_72: int = 0
    within_7d: int = 0

    def add(self, other: Side) -> None:
        self.referrals += other.referrals
        self.warm_calls += other.warm_calls
        self.connected += other.connected
        self.hours.extend(other.hours)
        self.within_72 += other.within_72
        self.within_7d += other.within_7d


@dataclass
class ReferralTally:
    """One month's (or a period's) referral counts. `known_months` > 0 only for months
    inside the referrals on record; the call counts are copied in for those months."""

    unit: Side = field(default_factory=Side)
    patrol: Side = field(default_factory=Side)
    follow_up_due: int = 0
    follow_up_done: int = 0
    known_months: int = 0
    co_responses: int = 0
    patrol_in_scope: int = 0

    def add(self, other: ReferralTally) -> None:
        self.unit.add(other.unit)
        self.patrol.add(other.patrol)
        self.follow_up_due += other.follow_up_due
        self.follow_up_done += other.follow_up_done
        self.known_months += other.known_months
        self.co_responses += other.co_responses
        self.patrol_in_scope += other.patrol_in_scope

    @property
    def known(self) -> bool:
        return self.known_months > 0

    @property
    def has_patrol(self) -> bool:
        return self.patrol.referrals > 0


@dataclass(frozen=True)
class Figure:
    """A measure's numbers, for outcomes_service to wrap as a Measure."""

    numerator: float
    denominator: int
    blank: int = 0
    comparison: tuple[float, int] | None = None
    unit: str = "referrals"
    note: str = ""


def median_hours(hours: Iterable[float]) -> float | None:
    values = list(hours)
    return statistics.median(values) if values else None


def figures(t: ReferralTally) -> dict[str, Figure]:
    """The four measures of a tally, by the outcome report's keys."""
    u, p = t.unit, t.patrol
    patrol = t.has_patrol
    median = median_hours(u.hours)
    shares = ""
    if u.referrals:
        shares = (f"{u.within_72 / u.referrals:.0%} of referrals served within 72 hours, "
                  f"{u.within_7d / u.referrals:.0%} within 7 days")
    return {
        "warm_handoff": Figure(u.warm_calls, t.co_responses, unit="co-responses",
                               comparison=(p.warm_calls, t.patrol_in_scope) if patrol else None),
        "referral_connected": Figure(u.connected, u.referrals,
                                     comparison=(p.connected, p.referrals) if patrol else None),
        "time_to_first_service": Figure(
            median or 0.0, len(u.hours), blank=u.referrals - len(u.hours),
            comparison=(median_hours(p.hours) or 0.0, len(p.hours)) if p.hours else None,
            note=shares),
        "follow_up_completion": Figure(t.follow_up_done, t.follow_up_due),
    }


def referral_months(session: Session) -> tuple[str, str] | None:
    """The first and last month ('YYYY-MM') of the calls with a referral, or None."""
    program = current_program_id_or_none(session)
    if program is None:
        return None
    first, last = session.execute(
        select(func.min(Call.received_at), func.max(Call.received_at))
        .join(Referral, Referral.call_id == Call.id)
        .where(Referral.program_id == program)).one()
    if first is None:
        return None
    return f"{first:%Y-%m}", f"{last:%Y-%m}"


def referral_tallies(session: Session, period: Period, due_hours: int,
                     now: dt.datetime) -> dict[str, ReferralTally]:
    """The period's referral counts by month of the call ('YYYY-MM'), call counts aside."""
    program = current_program_id_or_none(session)
    if program is None:
        return {}
    reached = exists().where(FollowUpContact.referral_id == Referral.id,
                             FollowUpContact.reached.is_(True))
    rows = session.execute(
        select(Call.id, Call.received_at, attended_flag(), Call.in_scope, crisis_call(),
               Referral.kind, Referral.contact_made, Referral.first_service_at,
               Referral.referred_at, reached)
        .join(Referral, Referral.call_id == Call.id)
        .where(Referral.program_id == program, *in_period(period))).tuples().all()
    tallies: dict[str, ReferralTally] = {}
    warm: set[tuple[str, bool, int]] = set()
    due = dt.timedelta(hours=due_hours)
    for call_id, received, on, in_scope, crisis, kind, contact, served, referred, done in rows:
        month = f"{received:%Y-%m}"
        t = tallies.setdefault(month, ReferralTally())
        side = t.unit if on else t.patrol
        side.referrals += 1
        if contact or served is not None:
            side.connected += 1
        if served is not None:
            hours = (served - received).total_seconds() / 3600
            side.hours.append(hours)
            side.within_72 += hours <= HOURS_72
            side.within_7d += hours <= HOURS_7D
        if kind is ReferralKind.WARM_HANDOFF and crisis and (on or in_scope):
            warm.add((month, bool(on), call_id))
        if on and referred + due <= now:
            t.follow_up_due += 1
            t.follow_up_done += bool(done) or served is not None
    for month, on, _call in warm:
        side = tallies[month].unit if on else tallies[month].patrol
        side.warm_calls += 1
    return tallies
