"""The provider scorecard: how each provider, and the network, answered the unit's
referrals in a period (DESIGN.md, "Referrals & providers").

Counts only, never a person: what an analyst may see. The measures, per provider:

- `referrals`: referrals made to it in the period (by when the handoff was made, both
  days included);
- `warm_share`: of those, the warm handoffs;
- `reached_share`: the share where the provider was reached then (`contact_made`
  true). Not recorded counts as not reached: a warm handoff is one that can be proven;
- `after_hours_answered_share`: of the referrals made after hours (outside 08:00-18:00
  on weekdays, console.services.office_hours), the share reached; None when none were;
- `median_hours_to_service`: median hours from the call's receipt to the first
  service, over the referrals with a first service (one recorded before the call is a
  typing error and left out);
- `acceptance_share`, `no_show_share`: of the referrals whose result is known (not
  pending), the accepted and the no-shows;
- `trend`: the same counts month by month;
- `rank`: by the share reached (responsiveness), then the after-hours share answered,
  then the median hours to service; providers with fewer than MIN_RANKED referrals are
  not ranked (a share of three is luck);
- `flagged`: the after-hours rule of console.services.referrals.answering, its last 8
  weeks against the earlier part of the period.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from console.data.models import Call, Provider, Referral
from console.data.referral_enums import ReferralKind, ReferralResult, VettingStatus
from console.errors import UserError
from console.services.access import Access, Action
from console.services.office_hours import office_hour
from console.services.program_scope import current_program_id
from console.services.referrals.answering import RECENT, Tally, stopped_answering

MIN_RANKED = 5
HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Handoff:
    """One referral as the scorecard reads it (no person, no notes)."""

    provider_id: int
    kind: ReferralKind
    referred_at: dt.datetime
    call_received_at: dt.datetime
    contact_made: bool | None
    first_service_at: dt.datetime | None
    result: ReferralResult

    @property
    def after_hours(self) -> bool:
        return not office_hour(self.referred_at)

    @property
    def reached(self) -> bool:
        return self.contact_made is True

    @property
    def hours_to_service(self) -> float | None:
        if self.first_service_at is None or self.first_service_at < self.call_received_at:
            return None
        return (self.first_service_at - self.call_received_at) / HOUR


@dataclass(frozen=True)
class Listed:
    """A provider as the scorecard names it."""

    id: int
    name: str
    retired_on: dt.date | None = None
    after_hours: bool = False
    vetting: VettingStatus = VettingStatus.NOT_VETTED


@dataclass(frozen=True)
class Counts:
    """The counts behind the shares, for a provider or a month."""

    referrals: int = 0
    warm: int = 0
    reached: int = 0
    after_hours: int = 0
    after_hours_answered: int = 0
    with_service: int = 0
    decided: int = 0
    accepted: int = 0
    no_show: int = 0
    median_hours_to_service: float | None = None

    @property
    def warm_share(self) -> float | None:
        return _share(self.warm, self.referrals)

    @property
    def reached_share(self) -> float | None:
        return _share(self.reached, self.referrals)

    @property
    def after_hours_answered_share(self) -> float | None:
        return _share(self.after_hours_answered, self.after_hours)

    @property
    def acceptance_share(self) -> float | None:
        return _share(self.accepted, self.decided)

    @property
    def no_show_share(self) -> float | None:
        return _share(self.no_show, self.decided)


@dataclass(frozen=True)
class MonthPoint:
    month: dt.date  # its first day
    counts: Counts


@dataclass(frozen=True)
class ScoreLine:
    """A provider's line of the scorecard, or the network's (`provider_id` None)."""

    provider_id: int | None
    name: str
    counts: Counts
    trend: tuple[MonthPoint, ...]
    rank: int | None
    flag_reason: str
    retired: bool = False
    offers_after_hours: bool = False
    vetting: VettingStatus | None = None

    @property
    def flagged(self) -> bool:
        return bool(self.flag_reason)


@dataclass(frozen=True)
class Scorecard:
    start: dt.date | None  # as asked; None: from the first referral
    end: dt.date | None  # as asked; None: to the last referral
    recent_from: dt.date | None  # the first day of the flag's last 8 weeks
    providers: tuple[ScoreLine, ...]  # ranked first, in rank order; then the unranked
    network: ScoreLine

    @property
    def flagged(self) -> tuple[ScoreLine, ...]:
        return tuple(p for p in self.providers if p.flagged)


def provider_scorecard(access: Access, start: dt.date | None = None,
                       end: dt.date | None = None) -> Scorecard:
    """The scorecard of the program's providers for referrals made from `start` to `end`
    (both included; None: no limit)."""
    if start is not None and end is not None and start > end:
        raise UserError(f"the period cannot end ({end}) before it starts ({start})")
    with access.reading(Action.VIEW_AGGREGATES) as session:
        program_id = current_program_id(session)
        providers = session.execute(
            select(Provider.id, Provider.name, Provider.retired_on, Provider.after_hours,
                   Provider.vetting)
            .where(Provider.program_id == program_id)
        ).all()
        stmt = (select(Referral.provider_id, Referral.kind, Referral.referred_at,
                       Call.received_at, Referral.contact_made, Referral.first_service_at,
                       Referral.result)
                .join(Call, Call.id == Referral.call_id)
                .where(Referral.program_id == program_id))
        if start is not None:
            stmt = stmt.where(Referral.referred_at >= dt.datetime.combine(start, dt.time()))
        if end is not None:
            stmt = stmt.where(Referral.referred_at < dt.datetime.combine(
                end + dt.timedelta(days=1), dt.time()))
        handoffs = [Handoff(*row) for row in session.execute(stmt)]
    listed = [Listed(*row) for row in providers]
    return score(handoffs, listed, start, end)


def score(handoffs: Sequence[Handoff], providers: Iterable[Listed],
          start: dt.date | None = None, end: dt.date | None = None) -> Scorecard:
    """The scorecard from plain rows. Every provider with referrals in the period, and
    every active one, has a line."""
    providers = list(providers)
    by_provider: dict[int, list[Handoff]] = defaultdict(list)
    for h in handoffs:
        by_provider[h.provider_id].append(h)
    first = start or min((h.referred_at.date() for h in handoffs), default=None)
    last = end or max((h.referred_at.date() for h in handoffs), default=None)
    recent_from = last + dt.timedelta(days=1) - RECENT if last is not None else None
    months = _months(first, last)
    lines: list[ScoreLine] = []
    for p in providers:
        own = by_provider.get(p.id, [])
        if p.retired_on is not None and not own:
            continue
        lines.append(ScoreLine(
            p.id, p.name, counts_of(own), _trend(own, months), None,
            _flag(own, recent_from, p.after_hours), retired=p.retired_on is not None,
            offers_after_hours=p.after_hours, vetting=p.vetting))
    ranked = sorted((line for line in lines if line.counts.referrals >= MIN_RANKED),
                    key=_rank_key)
    rank = {id(line): n for n, line in enumerate(ranked, start=1)}
    unranked = sorted((line for line in lines if id(line) not in rank),
                      key=lambda line: (-line.counts.referrals, line.name.lower()))
    ordered = [_with_rank(line, rank[id(line)]) for line in ranked] + unranked
    network = ScoreLine(None, "Whole network", counts_of(handoffs), _trend(handoffs, months),
                        None, _flag(handoffs, recent_from,
                                    any(p.after_hours for p in providers)))
    return Scorecard(start, end, recent_from, tuple(ordered), network)


def counts_of(handoffs: Sequence[Handoff]) -> Counts:
    """The counts and the median of a set of referrals."""
    hours = [x for x in (h.hours_to_service for h in handoffs) if x is not None]
    decided = [h for h in handoffs if h.result is not ReferralResult.PENDING]
    after = [h for h in handoffs if h.after_hours]
    return Counts(
        referrals=len(handoffs),
        warm=sum(h.kind is ReferralKind.WARM_HANDOFF for h in handoffs),
        reached=sum(h.reached for h in handoffs),
        after_hours=len(after),
        after_hours_answered=sum(h.reached for h in after),
        with_service=len(hours),
        decided=len(decided),
        accepted=sum(h.result is ReferralResult.ACCEPTED for h in decided),
        no_show=sum(h.result is ReferralResult.NO_SHOW for h in decided),
        median_hours_to_service=statistics.median(hours) if hours else None,
    )


def after_hours_tally(handoffs: Iterable[Handoff]) -> Tally:
    after = [h for h in handoffs if h.after_hours]
    return Tally(len(after), sum(h.reached for h in after))


def _flag(handoffs: Sequence[Handoff], recent_from: dt.date | None, offers: bool) -> str:
    if recent_from is None:
        return ""
    cut = dt.datetime.combine(recent_from, dt.time())
    recent = after_hours_tally(h for h in handoffs if h.referred_at >= cut)
    earlier = after_hours_tally(h for h in handoffs if h.referred_at < cut)
    return stopped_answering(recent, earlier, offers)


def _rank_key(line: ScoreLine) -> tuple[float, float, float, str]:
    c = line.counts
    after = c.after_hours_answered_share
    hours = c.median_hours_to_service
    return (-(c.reached_share or 0.0), -(after if after is not None else -1.0),
            hours if hours is not None else float("inf"), line.name.lower())


def _with_rank(line: ScoreLine, rank: int) -> ScoreLine:
    return ScoreLine(line.provider_id, line.name, line.counts, line.trend, rank,
                     line.flag_reason, line.retired, line.offers_after_hours, line.vetting)


def _months(first: dt.date | None, last: dt.date | None) -> list[dt.date]:
    if first is None or last is None:
        return []
    out, at = [], first.replace(day=1)
    while at <= last:
        out.append(at)
        at = (at + dt.timedelta(days=32)).replace(day=1)
    return out


def _trend(handoffs: Sequence[Handoff], months: list[dt.date]) -> tuple[MonthPoint, ...]:
    by_month: dict[dt.date, list[Handoff]] = defaultdict(list)
    for h in handoffs:
        by_month[h.referred_at.date().replace(day=1)].append(h)
    return tuple(MonthPoint(m, counts_of(by_month.get(m, []))) for m in months)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None
