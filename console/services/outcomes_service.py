"""The headline outcome measures of the Calls & outcomes page, for any date range and by month.

Outcomes, not intake (DESIGN.md, "Outcome measures"): each measure says what it counts
(numerator), out of what (denominator), and how many calls it could not use because a
field was blank. Measures whose records do not exist yet (unit costs; referrals in
months before or after those on record) come back unavailable with the reason, never as
a made-up number.

Which calls a measure covers (co-responses, crisis calls, the period) is decided in
populations.py. The rule written here: the disposition rates count co-responses where
the person was found (every recorded disposition but "unable to locate"); a blank
disposition is a call they could not use.

Everything is counted in SQL (GROUP BY month, disposition, hour of week); Python only
adds up the few hundred groups. Times are local wall-clock times, as stored.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from console.data.enums import Disposition
from console.data.funding_enums import UnitCostKind
from console.data.models import Call
from console.services.access import Access, Action
from console.services.funding import cost_avoidance
from console.services.funding.unit_costs import UnitCostRow, unit_costs_in
from console.services.populations import (
    POPULATION,
    Period,
    attended_flag,
    crisis_call,
    first_and_last_call,
    in_period,
)
from console.services.portable_sql import (
    month_of,
    months_between,
    parse_month,
    seconds_between,
    weekday_and_hour,
)
from console.services.referrals import measures as rm

# --- What the measures count -------------------------------------------------------

# Dispositions that leave the person where they were: no transport, arrest or hold.
RESOLVED_DISPOSITIONS = frozenset(
    {Disposition.RESOLVED_ON_SCENE, Disposition.REFERRED, Disposition.REFUSED_SERVICES}
)
# Found nobody: no outcome to measure.
NOT_FOUND = Disposition.UNABLE_TO_LOCATE

DISPOSITION_BASE = (
    POPULATION + " Out of those with a disposition, other than \u201cunable to locate\u201d."
)
COMPARISON = (
    "Beside it, the same rate on in-scope calls the unit did not attend (patrol alone): "
    "a comparison, not proof of cause."
)

REFERRALS_MISSING = (
    "not available: no referrals are recorded for these months; record them from a call "
    "or import them in the Referrals area (warm handoff, contact made, first service)"
)
FOLLOW_UPS_MISSING = (
    "not available: no referrals are recorded for these months, so no follow-ups are "
    "due; record them from a call or import them in the Referrals area"
)
COSTS_MISSING = (
    "not available: no unit costs recorded (Program \u203a Funding \u203a Unit costs)"
)


# --- Measures ----------------------------------------------------------------------


class Kind(enum.StrEnum):
    RATE = "rate"  # numerator / denominator, shown as a percentage
    HOURS = "hours"  # a total of hours over the calls in the denominator
    MEDIAN_HOURS = "median_hours"  # the median hours over the denominator's records
    COUNT = "count"
    MONEY = "money"  # dollars (cost avoidance)


@dataclass(frozen=True)
class Measure:
    """One outcome measure over one period (or one month).

    numerator out of denominator calls (or people); `blank` calls could not be used
    because a field it needs was blank. `unavailable` holds the reason when the records
    the measure needs do not exist; then the numbers are all zero and mean nothing.
    `comparison` is the same rate on calls without the unit, where that means something.
    """

    key: str
    label: str
    definition: str
    kind: Kind
    numerator: float = 0
    denominator: int = 0
    blank: int = 0
    unavailable: str | None = None
    comparison: tuple[float, int] | None = None
    unit: str = "calls"
    note: str = ""

    @property
    def available(self) -> bool:
        return self.unavailable is None

    @property
    def value(self) -> float | None:
        """The rate (0-1) or the total; None when unavailable or nothing to divide by."""
        if not self.available:
            return None
        if self.kind is Kind.RATE:
            return self.numerator / self.denominator if self.denominator else None
        if self.kind is Kind.MEDIAN_HOURS and not self.denominator:
            return None
        return self.numerator

    @property
    def comparison_rate(self) -> float | None:
        if self.comparison is None or not self.comparison[1]:
            return None
        return self.comparison[0] / self.comparison[1]


@dataclass(frozen=True)
class Intake:
    """The volume beside the measures (never the headline).

    `calls` counts every call; the others leave planned follow-up visits out.
    """

    calls: int = 0
    in_scope: int = 0  # in scope under the activation criteria of the day
    in_scope_attended: int = 0  # of which the unit attended
    co_responses: int = 0  # attended, in scope or not
    follow_up_visits: int = 0

    def __add__(self, other: Intake) -> Intake:
        return Intake(*(a + b for a, b in zip(_fields(self), _fields(other), strict=True)))


def _fields(i: Intake) -> tuple[int, ...]:
    return (i.calls, i.in_scope, i.in_scope_attended, i.co_responses, i.follow_up_visits)


@dataclass(frozen=True)
class MonthOutcomes:
    month: dt.date
    intake: Intake
    measures: tuple[Measure, ...]

    def measure(self, key: str) -> Measure:
        return next(m for m in self.measures if m.key == key)


@dataclass(frozen=True)
class OutcomeReport:
    period: Period
    intake: Intake
    measures: tuple[Measure, ...]
    months: tuple[MonthOutcomes, ...]
    mix: DispositionMix
    first_call: dt.datetime | None = None
    last_call: dt.datetime | None = None

    def measure(self, key: str) -> Measure:
        return next(m for m in self.measures if m.key == key)


# The measures in the order the page shows them; definitions are the tooltips.
RESOLVED = "resolved_on_scene"
CUSTODY = "custody"
HOLDS = "involuntary_holds"
ED = "ed_transports"
WARM = "warm_handoff"
CONNECTED = "referral_connected"
TIME_TO_SERVICE = "time_to_first_service"
PATROL_HOURS = "patrol_hours_returned"
FORCE = "use_of_force"
INJURY = "injury"
FOLLOW_UP = "follow_up_completion"
COST = "cost_avoidance"

_DISPOSITION_RATES: tuple[tuple[str, str, frozenset[Disposition], str], ...] = (
    (RESOLVED, "Resolved on scene", RESOLVED_DISPOSITIONS,
     "Share left where they were, with no transport, arrest or involuntary hold "
     "(dispositions resolved on scene, referred, refused services)."),
    (CUSTODY, "Arrests", frozenset({Disposition.ARREST}),
     "Custody rate: share ending in an arrest (arrests avoided show as this rate "
     "against patrol's)."),
    (HOLDS, "Involuntary holds", frozenset({Disposition.INVOLUNTARY_HOLD}),
     "Share ending in an involuntary hold."),
    (ED, "ED transports", frozenset({Disposition.ED_TRANSPORT}),
     "Share ending in a transport to an emergency department."),
)
_HARM_RATES = (
    (FORCE, "Use of force", "Share of co-responses on which force was used. " + POPULATION),
    (INJURY, "Injuries", "Share of co-responses on which the subject, an officer or a "
                         "responder was injured. " + POPULATION),
)
# Computed from referral records (services/referrals/measures.py) where there are any.
_REFERRAL_MEASURES = (
    (WARM, "Warm-handoff rate", Kind.RATE, rm.WARM_DEFINITION, REFERRALS_MISSING),
    (CONNECTED, "Referral connected", Kind.RATE, rm.CONNECTED_DEFINITION, REFERRALS_MISSING),
    (TIME_TO_SERVICE, "Time to first service", Kind.MEDIAN_HOURS, rm.TIME_DEFINITION,
     REFERRALS_MISSING),
    (FOLLOW_UP, "Follow-up completion", Kind.RATE, rm.FOLLOW_UP_DEFINITION,
     FOLLOW_UPS_MISSING),
)
_UNAVAILABLE = (
    (COST, "Cost avoidance", cost_avoidance.DEFINITION, COSTS_MISSING),
)
PATROL_DEFINITION = (
    "Hours patrol was back in service while the co-responder stayed: the sum of "
    "(co-responder cleared \u2212 patrol cleared) where positive. " + POPULATION
    + " Calls without both times could not be used."
)
MEASURE_KEYS: tuple[str, ...] = (
    RESOLVED, CUSTODY, HOLDS, ED, WARM, CONNECTED, TIME_TO_SERVICE, PATROL_HOURS, FORCE,
    INJURY, FOLLOW_UP, COST,
)


@dataclass
class _Tally:
    """The counts one month (or the whole period) adds up to; see _tally_rows."""

    intake: Intake = Intake()
    dispositions: Counter[tuple[bool, bool, Disposition | None]] = field(
        default_factory=Counter)  # (attended, in scope, disposition) of crisis calls
    force: Counter[bool] = field(default_factory=Counter)  # by attended
    injury: Counter[bool] = field(default_factory=Counter)
    crisis: Counter[tuple[bool, bool]] = field(default_factory=Counter)  # (attended, in scope)
    patrol_known: int = 0
    patrol_seconds: int = 0  # whole seconds: an exact sum whatever the row order
    referrals: rm.ReferralTally = field(default_factory=rm.ReferralTally)

    def add(self, other: _Tally) -> None:
        self.referrals.add(other.referrals)
        self.intake = self.intake + other.intake
        self.dispositions.update(other.dispositions)
        self.force.update(other.force)
        self.injury.update(other.injury)
        self.crisis.update(other.crisis)
        self.patrol_known += other.patrol_known
        self.patrol_seconds += other.patrol_seconds

    def measures(self) -> tuple[Measure, ...]:
        found: dict[bool, int] = Counter()  # co-responses (True) / patrol-only in scope (False)
        blank = 0
        by: dict[tuple[bool, Disposition], int] = Counter()
        for (on, scope, disposition), n in self.dispositions.items():
            if disposition is None:
                blank += n if on else 0
                continue
            if disposition is NOT_FOUND or not (on or scope):
                continue
            found[on] += n
            by[(on, disposition)] += n
        out: dict[str, Measure] = {}
        for key, label, wanted, text in _DISPOSITION_RATES:
            out[key] = Measure(
                key, label, f"{text} {DISPOSITION_BASE} {COMPARISON}", Kind.RATE,
                numerator=sum(by[(True, d)] for d in wanted), denominator=found[True],
                blank=blank,
                comparison=(sum(by[(False, d)] for d in wanted), found[False]),
            )
        co_responses = self.crisis[(True, True)] + self.crisis[(True, False)]
        out[PATROL_HOURS] = Measure(
            PATROL_HOURS, "Patrol hours returned", PATROL_DEFINITION, Kind.HOURS,
            numerator=self.patrol_seconds / 3600, denominator=self.patrol_known,
            blank=co_responses - self.patrol_known,
        )
        for (key, label, text), counts in zip(_HARM_RATES, (self.force, self.injury),
                                              strict=True):
            patrol_only = self.crisis[(False, True)]
            out[key] = Measure(
                key, label, f"{text} {COMPARISON}", Kind.RATE, numerator=counts[True],
                denominator=co_responses, comparison=(counts[False], patrol_only),
            )
        figures = rm.figures(self.referrals) if self.referrals.known else {}
        for key, label, kind, text, reason in _REFERRAL_MEASURES:
            definition = f"{text} {rm.UNKNOWN_MONTHS}"
            f = figures.get(key)
            out[key] = Measure(key, label, definition, kind, unavailable=reason) if f is None \
                else Measure(key, label, definition, kind, numerator=f.numerator,
                             denominator=f.denominator, blank=f.blank,
                             comparison=f.comparison, unit=f.unit, note=f.note)
        for key, label, text, reason in _UNAVAILABLE:
            out[key] = Measure(key, label, text, Kind.RATE, unavailable=reason)
        return tuple(out[k] for k in MEASURE_KEYS)


def measure_definitions() -> dict[str, str]:
    """Each measure's definition by key (the tooltips of tables that show the measures)."""
    return {m.key: m.definition for m in _Tally().measures()}


def _tally_rows(session: Session, period: Period) -> dict[str, _Tally]:
    """One pass over the period's calls, grouped by month and the fields the rules read.

    The attended flag (an EXISTS per call) is computed once per call as a group key;
    a few hundred groups come back.
    """
    month = month_of(session, Call.received_at).label("month")
    on = attended_flag().label("attended")
    follow_up = case((crisis_call(), 0), else_=1).label("follow_up")
    injured = case((or_(Call.subject_injured, Call.officer_injured, Call.responder_injured), 1),
                   else_=0)
    scope = case((Call.in_scope.is_(True), 1), else_=0).label("scope")
    known = and_(Call.cleared_at.is_not(None), Call.patrol_cleared_at.is_not(None))
    returned = case(
        (and_(known, Call.cleared_at > Call.patrol_cleared_at),
         seconds_between(session, Call.cleared_at, Call.patrol_cleared_at)),
        else_=0,
    )
    keys = (month, on, follow_up, scope, Call.disposition)
    stmt = (
        select(*keys, func.count(), func.sum(case((Call.use_of_force, 1), else_=0)),
               func.sum(injured), func.sum(case((known, 1), else_=0)), func.sum(returned))
        .where(*in_period(period))
        .group_by(*keys)
    )
    tallies: dict[str, _Tally] = {}
    for m, on_, fu, sc, disposition, n, force, hurt, n_known, seconds in session.execute(stmt):
        t = tallies.setdefault(m, _Tally())
        is_on, in_scope = bool(on_), bool(sc)
        crisis = not fu
        t.intake = t.intake + Intake(
            calls=n, in_scope=n if in_scope and crisis else 0,
            in_scope_attended=n if in_scope and is_on and crisis else 0,
            co_responses=n if is_on and crisis else 0, follow_up_visits=n if fu else 0,
        )
        if fu:
            continue
        t.dispositions[(is_on, in_scope, disposition)] += n
        t.crisis[(is_on, in_scope)] += n
        if is_on or in_scope:  # patrol alone: in-scope calls only (the comparison)
            t.force[is_on] += int(force or 0)
            t.injury[is_on] += int(hurt or 0)
        if is_on:
            t.patrol_known += n_known or 0
            t.patrol_seconds += int(seconds or 0)
    return tallies


def outcome_report(access: Access, period: Period) -> OutcomeReport:
    """The headline measures over `period` and month by month, with the intake beside them
    and the disposition mix (the same counts as disposition_mix, from the same pass).

    Repeat calls (30/90 days, before/after) come from repeat_calls_service.
    """
    from console.services.referrals.queue import FOLLOW_UP_HOURS
    from console.services.settings_service import get_int

    due_hours = get_int(access, FOLLOW_UP_HOURS)
    with access.reading(Action.VIEW_AGGREGATES) as session:
        tallies = _tally_rows(session, period)
        first, last = first_and_last_call(session, period)
        costs = unit_costs_in(session)
        _add_referrals(tallies, session, period, due_hours)
    total = _Tally()
    months: list[MonthOutcomes] = []
    if tallies:
        for month in months_between(parse_month(min(tallies)), parse_month(max(tallies))):
            t = tallies.get(f"{month:%Y-%m}", _Tally())
            total.add(t)
            months.append(MonthOutcomes(month, t.intake, _with_cost(t.measures(), costs)))
    return OutcomeReport(period, total.intake, _with_cost(total.measures(), costs),
                         tuple(months),
                         _mix(total.dispositions.items()), first, last)


def _with_cost(measures: tuple[Measure, ...],
               costs: dict[UnitCostKind, UnitCostRow]) -> tuple[Measure, ...]:
    """The measures with cost avoidance priced from the unit costs (cost_avoidance.py)."""
    by = {m.key: m for m in measures}

    def rates(key: str) -> cost_avoidance.RateInputs:
        m = by[key]
        patrol = m.comparison or (0, 0)
        return cost_avoidance.RateInputs(m.numerator, m.denominator, patrol[0], patrol[1])

    est = cost_avoidance.estimate(rates(ED), rates(CUSTODY), by[PATROL_HOURS].numerator, costs)
    cost = Measure(COST, "Cost avoidance", cost_avoidance.DEFINITION, Kind.MONEY,
                   numerator=est.dollars, denominator=est.calls, unavailable=est.unavailable,
                   unit="co-responses", note=est.breakdown)
    return tuple(cost if m.key == COST else m for m in measures)


def _add_referrals(tallies: dict[str, _Tally], session: Session, period: Period,
                   due_hours: int) -> None:
    """Each month's referral counts, with its call counts for the months inside the
    referrals on record (the others stay unknown)."""
    recorded = rm.referral_months(session)
    if recorded is None:
        return
    for month, referrals in rm.referral_tallies(session, period, due_hours,
                                                dt.datetime.now()).items():
        tallies.setdefault(month, _Tally()).referrals = referrals
    for month, t in tallies.items():
        if recorded[0] <= month <= recorded[1]:
            r = t.referrals
            r.known_months = 1
            r.co_responses = t.crisis[(True, True)] + t.crisis[(True, False)]
            r.patrol_in_scope = t.crisis[(False, True)]


@dataclass(frozen=True)
class HourOfWeek:
    """Calls by day of week (0 Monday .. 6 Sunday) and hour of day (0-23), local times."""

    counts: tuple[tuple[int, ...], ...]  # 7 rows of 24
    attended: tuple[tuple[int, ...], ...]
    weeks: float  # weeks in the period covered by calls, to read counts as per-week rates

    @property
    def total(self) -> int:
        return sum(map(sum, self.counts))


DEMAND_DEFINITION = (
    "Calls received in each hour of the week (local times as recorded), planned "
    "follow-up visits left out: when crises happen, whoever answered them."
)


def demand_by_hour_of_week(access: Access, period: Period) -> HourOfWeek:
    """Demand by hour of week over the period (see DEMAND_DEFINITION)."""
    with access.reading(Action.VIEW_AGGREGATES) as session:
        weekday, hour = weekday_and_hour(session, Call.received_at)
        stmt = (
            select(weekday, hour, func.count(), func.sum(attended_flag()))
            .where(*in_period(period), crisis_call())
            .group_by(weekday, hour)
        )
        rows = session.execute(stmt).all()
        first, last = first_and_last_call(session, period)
    counts = [[0] * 24 for _ in range(7)]
    on_counts = [[0] * 24 for _ in range(7)]
    for sunday_first, h, n, n_on in rows:
        day = (int(sunday_first) + 6) % 7  # Monday first
        counts[day][int(h)] = n
        on_counts[day][int(h)] = int(n_on or 0)
    weeks = ((last - first).total_seconds() / (7 * 86400)) if first and last else 0.0
    return HourOfWeek(tuple(map(tuple, counts)), tuple(map(tuple, on_counts)), weeks)


@dataclass(frozen=True)
class DispositionMix:
    """Crisis calls by disposition (None: blank), with and without the unit."""

    attended: tuple[tuple[Disposition | None, int], ...]
    without_unit: tuple[tuple[Disposition | None, int], ...]

    @staticmethod
    def shares(rows: Iterable[tuple[Disposition | None, int]]) -> dict[Disposition | None, float]:
        rows = list(rows)
        total = sum(n for _, n in rows)
        return {d: n / total for d, n in rows} if total else {}


MIX_DEFINITION = (
    "How calls ended, for co-responses and for calls the unit did not attend (planned "
    "follow-up visits left out; blank: no disposition recorded)."
)


def disposition_mix(access: Access, period: Period) -> DispositionMix:
    """Crisis calls per disposition over the period, attended and not (MIX_DEFINITION)."""
    with access.reading(Action.VIEW_AGGREGATES) as session:
        on = attended_flag().label("attended")
        stmt = (
            select(on, Call.disposition, func.count())
            .where(*in_period(period), crisis_call())
            .group_by(on, Call.disposition)
        )
        rows = session.execute(stmt).all()
    return _mix(((bool(on_), False, d), n) for on_, d, n in rows)


def _mix(counts: Iterable[tuple[tuple[bool, bool, Disposition | None], int]]) -> DispositionMix:
    """Counts keyed (attended, in scope, disposition) as a mix in the order of Disposition."""
    by: dict[bool, Counter[Disposition | None]] = {True: Counter(), False: Counter()}
    for (on, _scope, disposition), n in counts:
        by[on][disposition] += n
    return DispositionMix(*(
        tuple((d, by[on][d]) for d in (*Disposition, None) if by[on][d]) for on in (True, False)
    ))
