"""What the Intern pipeline page and the `pipeline` command show in one read, and the
weekly series behind the bench_ready and pipeline_cover early warnings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from console.data.people_enums import PIPELINE, ProtectedRole, Stage
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
from console.services.people.weekly import pipeline_cover, ready_by_role


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
    """People ready now for each protected role, week by week from the program's start
    (see weekly.ready_by_role)."""
    with access.reading(Action.VIEW_STAFF) as session:
        weeks = _weeks(program_start(session), end)
        by_role = ready_by_role(session, weeks)
    return {role: WeeklyValues(tuple(weeks), tuple(v or 0.0 for v in values))
            for role, values in by_role.items()}


def pipeline_cover_weekly(access: Access, end: dt.date, start: dt.date | None = None
                          ) -> WeeklyValues:
    """Projected hires over projected vacancies (12 months ahead), as known each week
    (see weekly.pipeline_cover); weeks before any position count as covered."""
    with access.reading(Action.VIEW_STAFF) as session:
        weeks = _weeks(start or program_start(session), end)
        values = pipeline_cover(session, weeks)
    return WeeklyValues(tuple(weeks), tuple(1.0 if v is None else v for v in values))
