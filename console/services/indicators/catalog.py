"""Every early-warning indicator, declared once: what it is, why it matters, how it is
read and judged. Adding an indicator is adding one `Indicator(...)` to INDICATORS.

DESIGN.md's table says what each one watches; ids are the stable names used in
settings, acknowledgements and `indicators --json`.

No combined indicator: `python bench/run.py detection` measures a CUSUM on the summed
shortfalls of patrol requests, requesting officers and visibility work against each of
them tuned to the same false-alarm rate, and it flags no sooner than the best of them
(median 5 weeks against 5 when some officers stop asking, 6 against 6 when every
officer asks a quarter less): the officers are counted from the requests, so the parts
are not independent evidence. `detection.combined_cusum` stays for the bench.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from console.services.funding import runway as funding_runway
from console.services.governance import weekly as governance_weekly
from console.services.indicators import provider_series, referral_series
from console.services.indicators.model import Thresholds
from console.services.indicators.rules import (
    CountRule,
    LevelRule,
    RateRule,
    Rule,
    ThresholdRule,
)
from console.services.indicators.series import WEEK, Reading, Values
from console.services.people import weekly as people_weekly
from console.services.referrals import answering

Weeks = tuple[dt.date, dt.date]  # (first Monday, last Monday) of an alert


@dataclass(frozen=True)
class Indicator:
    id: str
    title: str
    why: str
    unit: str  # how one value reads, after the number: "a week", "in 4 weeks", "days"
    noun: str  # what is counted, for sentences: "patrol requests"
    rule: Rule
    read: Callable[[Reading], Any]  # the rule's inputs, from the data
    # Worded for the explanation: a sentence about what else changed, or "".
    detail: Callable[[Reading, Weeks], str] | None = None
    percent: bool = False  # values are shares, shown as percentages

    @property
    def thresholds(self) -> Thresholds:
        return self.rule.thresholds


def _fewer_officers(r: Reading, weeks: Weeks) -> str:
    """How many fewer officers asked for the unit in the alert's weeks than in as many
    weeks just before them."""
    first, last = weeks
    now = r.officers_between(first, last)
    before = r.officers_between(first - (last - first) - WEEK, first - WEEK)
    if before <= now:
        return ""
    return f"{before - now} fewer officers asked for the unit ({before} -> {now})"




def _from_first_complaint(r: Reading, series: Any) -> Values:
    """A complaint series with its weeks before the first complaint on record unknown:
    a program that kept no complaints here has no zero to report."""
    from console.services.complaints.measures import first_complaint

    first = first_complaint(r.session)
    return tuple(None if first is None or monday + WEEK <= first else value
                 for monday, value in zip(series.mondays, series.values, strict=True))


def _complaint_overdue(r: Reading) -> Values:
    """Overdue complaint steps by week; unknown before the first complaint on record."""
    from console.services.complaints.measures import overdue_steps_by_week

    return _from_first_complaint(r, overdue_steps_by_week(r.session, r.weeks.first,
                                                           r.weeks.last))


def _complaint_rate(r: Reading) -> Values:
    """Complaints per 1,000 co-response calls over 13 weeks (a quarter), from at least 200
    calls; unknown before the first complaint on record."""
    from console.services.complaints.measures import complaint_rate_by_week

    return _from_first_complaint(r, complaint_rate_by_week(
        r.session, r.weeks.first, r.weeks.last, window=13, min_calls=200))


def _week_days(r: Reading) -> list[dt.date]:
    """Each week's last day (the as-of day for the last week), as `positions` reads them."""
    return [min(monday + dt.timedelta(days=6), r.as_of) for monday in r.weeks.mondays]


def _thin_roles(r: Reading, weeks: Weeks) -> str:
    """Which protected roles have fewer than two ready in the alert's last week."""
    return people_weekly.thin_roles(r.session, min(weeks[1] + dt.timedelta(days=6), r.as_of))


def _owner_state(r: Reading, weeks: Weeks) -> str:
    """Who owns the program in the alert's last week, and what is wrong with it."""
    return governance_weekly.owner_state(r.session, min(weeks[1] + dt.timedelta(days=6),
                                                        r.as_of))


def _runway_days(r: Reading) -> Values:
    """Days of funding runway left: each week as of its Sunday, the current week as of
    the day asked (a date window is exact to the day)."""
    days = _week_days(r)
    if days:
        days[-1] = r.as_of
    return funding_runway.runway_days(r.session, days)


def _ending_sources(r: Reading, weeks: Weeks) -> str:
    """Which sources end first, with their dates and renewals, as of the day asked."""
    cliffs = funding_runway.read_funding(r.session).runway(r.as_of).cliffs
    return "; ".join(f"{c.name} ends {c.end_on:%d %b %Y} (renewal {c.renewal.label.lower()})"
                     for c in cliffs[:2])


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "patrol_requests", "Patrol requests",
        "Calls where a patrol officer asked for the unit: the referrals the unit gets from "
        "patrol, and the first number to fall when patrol stops relying on it.",
        "a week", "patrol requests", CountRule(),
        lambda r: r.call_weeks.patrol_requests, detail=_fewer_officers),
    Indicator(
        "requesting_officers", "Officers requesting the unit",
        "Distinct patrol officers who asked for the unit in 4 weeks: when it falls, the "
        "unit is becoming isolated, relied on by a shrinking circle.",
        "in 4 weeks", "officers asking", CountRule(),
        lambda r: r.distinct_officers(4)),
    Indicator(
        "dispatch_in_scope", "Dispatch on in-scope calls",
        "Of the in-scope calls that reached dispatch while the unit was on shift, the share "
        "dispatch sent it to: when it falls, the activation criteria are no longer followed.",
        "", "dispatch on in-scope calls", RateRule(),
        lambda r: (r.call_weeks.dispatched, r.call_weeks.dispatch_eligible), percent=True),
    Indicator(
        "visibility_events", "Visibility work",
        "Roll-call briefings, ride-alongs and trainings given to patrol, in 4 weeks: "
        "patrol asks for a unit it knows; when this work stops, requests follow.",
        "in 4 weeks", "visibility events", CountRule(window=4),
        lambda r: r.visibility),
    Indicator(
        "staffed_hours", "Co-responder hours on shift",
        "Hours the unit's co-responders worked on shifts in a week: schedules cut "
        "'temporarily' are how a unit is thinned without a decision anyone signs.",
        "hours a week", "co-responder hours", LevelRule(),
        lambda r: r.staffed[0]),
    Indicator(
        "after_hours_hours", "After-hours co-responder hours",
        "Co-responder hours outside 08:00-18:00 on weekdays: most crises happen then, and "
        "they are the first hours a budget cut moves to days.",
        "hours a week", "after-hours hours", LevelRule(),
        lambda r: r.staffed[1]),
    Indicator(
        "peak_coverage", "Crisis demand covered",
        "Share of in-scope calls over the last 12 weeks received while the unit was on "
        "shift: a schedule drifting away from when crises happen shows here.",
        "", "demand covered", ThresholdRule(Thresholds(0.50, 0.40, 0.30, above=False),
                                            statistic_label="share of demand covered"),
        lambda r: r.coverage(12), percent=True),
    Indicator(
        "positions_filled", "Positions filled",
        "Filled against authorized positions (intern seats aside): positions left empty "
        "are the quiet way a unit shrinks.",
        "", "positions filled", ThresholdRule(Thresholds(0.95, 0.85, 0.70, above=False),
                                              statistic_label="share filled"),
        lambda r: r.positions[0], percent=True),
    Indicator(
        "vacancy_age", "Oldest vacancy",
        "Days the oldest open vacancy has stood empty: a vacancy nobody fills is often a "
        "position about to be taken back.",
        "days", "days vacant", ThresholdRule(Thresholds(45, 90, 180),
                                             statistic_label="days vacant"),
        lambda r: r.positions[1]),
    Indicator(
        "bench_ready", "Successors ready",
        "People ready now to step into the roles that must never be left empty (sworn "
        "supervisor, clinical lead, director), for the thinnest of them: with fewer than "
        "two, leadership cannot rotate and one departure leaves the role empty.",
        "ready now", "successors ready", ThresholdRule(Thresholds(1, 1, 0, above=False),
                                                       statistic_label="ready, thinnest role"),
        lambda r: people_weekly.bench_ready(r.session, _week_days(r)), detail=_thin_roles),
    Indicator(
        "pipeline_cover", "Intern pipeline cover",
        "Hires the intern pipeline projects (candidates by stage times that stage's past "
        "conversion) against the vacancies expected in the next 12 months: when it stops "
        "covering them, hiring is back to luck. Seasonal: lowest in summer, between cohorts.",
        "", "vacancies covered", ThresholdRule(Thresholds(0.75, 0.5, 0.25, above=False),
                                               statistic_label="share covered"),
        lambda r: people_weekly.pipeline_cover(r.session, _week_days(r)), percent=True),
    Indicator(
        "repeat_call_rate", "Repeat crisis calls",
        "Share of people co-responded to who had another crisis call within 30 days: "
        "when it rises, crises are cycling back to patrol.",
        "", "repeat calls", RateRule(worse_when_higher=True),
        lambda r: (r.repeat_weeks[1], r.repeat_weeks[0]), percent=True),
    Indicator(
        "out_of_scope_share", "Out-of-scope work",
        "Share of the unit's calls that are outside its activation criteria (the version "
        "in force on each call's day): mission creep spends the unit on calls it was "
        "never meant to take.",
        "", "out-of-scope calls", RateRule(worse_when_higher=True),
        lambda r: (r.call_weeks.attended_out_of_scope, r.call_weeks.attended_known_scope),
        percent=True),
    Indicator(
        "complaint_overdue", "Overdue complaint steps",
        "Complaint steps past their deadline at the end of each week: a review process that "
        "stops keeping its deadlines stops being one the public and the unit can trust.",
        "at week's end", "overdue steps", ThresholdRule(Thresholds(2, 4, 6),
                                                        statistic_label="overdue steps"),
        _complaint_overdue),
    Indicator(
        "complaint_rate", "Complaints per 1,000 co-response calls",
        "Complaints received per 1,000 calls the unit attended, over the 13 weeks ending "
        "each week: a rise says something in the field changed before anyone reports it.",
        "per 1,000 calls in 13 weeks", "complaints per 1,000 calls",
        ThresholdRule(Thresholds(6, 9, 12), statistic_label="complaints per 1,000 calls"),
        _complaint_rate),
    Indicator(
        "owner_missing", "Program owner",
        "Days the program has gone without a confirmed owner: a ranking sworn member, "
        "named permanently, still in post. Programs are dropped after a change of chief "
        "when nobody with rank owns them; an acting owner for a few weeks is normal, a "
        "quarter without one is not.",
        "days", "days without a confirmed owner",
        ThresholdRule(Thresholds(1, 30, 90), statistic_label="days without a confirmed owner"),
        lambda r: governance_weekly.owner_gap_days(r.session, _week_days(r)),
        detail=_owner_state),
    Indicator(
        "funding_runway", "Funding runway",
        "Days until the first funded position loses its money, pending renewals counted as "
        "failing (docs/funding.md): a grant that ends without a replacement is how a "
        "program dies between budget cycles. Watch a year ahead, when the budget cycle that "
        "must replace it begins; warning at 180 days, critical at 90.",
        "days", "days of runway",
        ThresholdRule(Thresholds(365, 180, 90, above=False),
                      text="date windows: days until the runway ends",
                      statistic_label="days of runway left"),
        _runway_days, detail=_ending_sources),
    Indicator(
        "provider_after_hours", "Provider after-hours fall",
        "How far the provider that fell most dropped in answering after hours: its share of "
        "after-hours referrals reached in the last 8 weeks against the 26 weeks before "
        "(from 8 and 10 referrals). A network that stops answering at night turns warm "
        "handoffs into phone numbers handed over.",
        "", "after-hours answering lost", ThresholdRule(
            # Warning where the scorecard flags a provider (answering.FALL).
            Thresholds(0.20, float(answering.FALL), 0.50),
            statistic_label="largest fall (share answered)"),
        provider_series.provider_after_hours, detail=provider_series.worst_fall_detail,
        percent=True),
    Indicator(
        "warm_handoff_rate", "Warm handoffs",
        "Share of co-responses where the person was connected to a provider in real time: "
        "when it falls, the unit is back to handing over a phone number and hoping. "
        "Unknown outside the weeks with referrals on record.",
        "", "warm handoffs", RateRule(),
        referral_series.warm_handoffs, percent=True),
    Indicator(
        "connected_rate", "People connected to care",
        "Share of the unit's referrals where the person and the provider reached each "
        "other (contact at the handoff, or a first service within 7 days of the call): a "
        "provider network that stops answering shows here first.",
        "", "referrals connected", RateRule(),
        referral_series.connected, percent=True),
    Indicator(
        "time_to_service", "Time to first service",
        "Median hours from the call to the first service over the referrals of the last 4 "
        "weeks that reached one (waits over 14 days counted as 14 days; those never served "
        "are the connected rate's): people waiting longer for care is how a referral "
        "pathway fails quietly.",
        "hours", "hours to first service",
        ThresholdRule(Thresholds(72, 120, 168), statistic_label="median hours"),
        referral_series.time_to_service),
)

BY_ID = {indicator.id: indicator for indicator in INDICATORS}
