"""What the Intern pipeline page and the `pipeline` command show in one read, and the
weekly series behind the bench_ready and pipeline_cover early warnings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from console.data.models import BenchCandidate, StaffMember
from console.data.people_enums import PIPELINE, ProtectedRole, Readiness, Stage
from console.services.access import Access, Action
from console.services.people.facts import leave_facts, position_facts, program_start
from console.services.people.forecast import Forecast, forecast
from console.services.people.history import weekly_days
from console.services.people.pipeline import paths
from console.services.people.stages import (
    Conversion,
    conversion_by,
    conversion_by_stage,
    days_in_stage,
)


@dataclass(frozen=True)
class PipelineOverview:
    as_of: dt.date
    per_stage: dict[Stage, int]  # candidates at each stage now (withdrawn included)
    stage_conversion: dict[Stage, float | None]
    median_days: dict[Stage, float]
    by_partner: tuple[Conversion, ...]
    by_cohort: tuple[Conversion, ...]
    forecast: Forecast


def pipeline_overview(access: Access, as_of: dt.date) -> PipelineOverview:
    with access.reading(Action.VIEW_STAFF) as session:
        history = paths(session)
        positions = position_facts(session)
        leave = leave_facts(session)
    per_stage = {s: 0 for s in (*PIPELINE, Stage.WITHDRAWN)}
    for p in history:
        stage = p.stage_on(as_of)
        if stage is not None:
            per_stage[stage] += 1
    return PipelineOverview(
        as_of, per_stage, conversion_by_stage(history, as_of), days_in_stage(history, as_of),
        tuple(conversion_by(history, as_of, lambda p: p.partner)),
        tuple(conversion_by(history, as_of, lambda p: p.cohort)),
        forecast(positions, leave, history, as_of),
    )


@dataclass(frozen=True)
class WeeklyValues:
    weeks: tuple[dt.date, ...]
    values: tuple[float, ...]


def _weeks(start: dt.date | None, end: dt.date) -> list[dt.date]:
    return weekly_days(start, end) if start is not None and start <= end else [end]


def bench_ready_weekly(access: Access, end: dt.date) -> dict[ProtectedRole, WeeklyValues]:
    """People ready now for each protected role, week by week.

    The bench keeps each successor's latest assessment only, so a week counts those
    assessed ready by then and still in the unit (earlier readiness is not replayed).
    """
    with access.reading(Action.VIEW_STAFF) as session:
        start = program_start(session)
        rows = session.execute(
            select(BenchCandidate.role, BenchCandidate.readiness, BenchCandidate.assessed_on,
                   StaffMember.hired_on, StaffMember.separated_on)
            .join(StaffMember, StaffMember.id == BenchCandidate.staff_id)).tuples().all()
    weeks = _weeks(start, end)
    out = {}
    for role in ProtectedRole:
        ready = [(assessed, separated) for r, readiness, assessed, _, separated in rows
                 if r is role and readiness is Readiness.READY_NOW]
        out[role] = WeeklyValues(tuple(weeks), tuple(
            float(sum(a <= w and (s is None or w < s) for a, s in ready)) for w in weeks))
    return out


def pipeline_cover_weekly(access: Access, end: dt.date, start: dt.date | None = None
                          ) -> WeeklyValues:
    """Projected hires over projected vacancies (12 months ahead), as known each week.

    1.0 or more: the pipeline covers every vacancy expected; no vacancies expected counts
    as covered (1.0).
    """
    with access.reading(Action.VIEW_STAFF) as session:
        first = start or program_start(session)
        history = paths(session)
        positions = position_facts(session)
        leave = leave_facts(session)
    weeks = _weeks(first, end)
    values = []
    for w in weeks:
        known = [k for p in positions if (k := p.known_on(w)) is not None]
        seen = [x for x in leave if x.start <= w]
        f = forecast(known, seen, history, w)
        values.append(f.hires / f.vacancies if f.vacancies > 0 else 1.0)
    return WeeklyValues(tuple(weeks), tuple(values))
