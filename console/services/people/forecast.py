"""Projected vacancies over the next 12 months against projected hires from the pipeline.

Vacancies expected on a day = positions open and unfilled on it as recorded (today's
vacancies, known separations, planned starts) + holders away on long leave that day
(a return ends it) + the unit's own turnover: the share of filled positions that
emptied in the past year, applied pro rata to the positions nobody is known to leave.
Interns' seats are the pipeline itself, not vacancies, so they are left out. Hires are
the open candidates by stage times that stage's historical conversion, each expected
when the median times of the stages still ahead of them have passed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from console.data.enums import StaffRole
from console.data.people_enums import PIPELINE
from console.services.people.facts import LeaveFacts
from console.services.people.history import PositionFacts, weekly_days
from console.services.people.stages import Path, conversion_by_stage, days_in_stage

HORIZON_MONTHS = 12
LONG_LEAVE_DAYS = 30  # shorter leave is covered by the roster, not a vacancy
DEFAULT_STAGE_DAYS = 30  # a stage's length until someone has been through it


def add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class ForecastPoint:
    day: dt.date
    vacancies: float
    hires: float


@dataclass(frozen=True)
class Forecast:
    as_of: dt.date
    horizon: dt.date
    open_now: int
    recorded: int  # open and unfilled at the horizon as recorded (incl. known separations)
    on_leave: int  # holders on long leave at the horizon
    turnover_rate: float  # positions emptied per filled position per year
    turnover: float  # expected by the horizon
    hires: float
    points: tuple[ForecastPoint, ...]

    @property
    def vacancies(self) -> float:
        return self.recorded + self.on_leave + self.turnover

    @property
    def expected_vacancies(self) -> int:
        return math.floor(self.vacancies + 0.5)

    @property
    def whole_hires(self) -> int:
        """Projected hires rounded to whole people, as the vacancies are."""
        return math.floor(self.hires + 0.5)

    @property
    def covered(self) -> int:
        return min(self.whole_hires, self.expected_vacancies)

    @property
    def sentence(self) -> str:
        by = f"{self.horizon:%B %Y}"
        v = self.expected_vacancies
        if v == 0:
            return f"no vacancies are expected by {by}; the pipeline holds " \
                   f"{self.whole_hires} projected hire{'s' * (self.whole_hires != 1)}"
        return (f"the pipeline covers {self.covered} of the {v} "
                f"vacanc{'ies' if v != 1 else 'y'} expected by {by}")


def _staffed(positions: Sequence[PositionFacts]) -> list[PositionFacts]:
    return [p for p in positions if p.role is not StaffRole.INTERN]


def turnover_rate(positions: Sequence[PositionFacts], as_of: dt.date) -> float:
    """Holds that ended in the year up to `as_of`, per position filled on average then."""
    staffed = _staffed(positions)
    year_ago = as_of - dt.timedelta(days=365)
    ended = sum(1 for p in staffed for h in p.holds
                if h.end is not None and year_ago < h.end <= as_of)
    days = weekly_days(year_ago, as_of)
    filled = sum(p.filled_on(d) for p in staffed for d in days) / len(days)
    return ended / filled if filled else 0.0


def _holder(p: PositionFacts, day: dt.date) -> int | None:
    return next((h.staff_id for h in p.holds if h.covers(day)), None)


def hire_arrivals(paths: Sequence[Path], as_of: dt.date) -> list[tuple[dt.date, float]]:
    """When each open candidate would be hired, and how likely: the time left in their
    stage and the stages after it (each its median so far, DEFAULT_STAGE_DAYS where
    nobody has left it yet), with the stage's conversion to a hire."""
    rates = conversion_by_stage(paths, as_of)
    medians = days_in_stage(paths, as_of)
    out = []
    for p in paths:
        stage = p.stage_on(as_of)
        if stage is None or stage.final or not rates.get(stage):
            continue
        since = max(d for s, d in p.steps if s is stage and d <= as_of)
        here = PIPELINE.index(stage)
        left = max(0.0, medians.get(stage, DEFAULT_STAGE_DAYS) - (as_of - since).days)
        left += sum(medians.get(s, DEFAULT_STAGE_DAYS) for s in PIPELINE[here + 1:-1])
        out.append((as_of + dt.timedelta(days=round(left)), rates[stage] or 0.0))
    return out


def forecast(positions: Sequence[PositionFacts], leave: Sequence[LeaveFacts],
             paths: Sequence[Path], as_of: dt.date,
             months: int = HORIZON_MONTHS) -> Forecast:
    staffed = _staffed(positions)
    rate = turnover_rate(positions, as_of)
    # Turnover applies to the filled positions whose holder has no known end date.
    stable = sum(1 for p in staffed for h in p.holds
                 if p.open_on(as_of) and h.covers(as_of) and h.end is None)
    long_leave = [x for x in leave
                  if x.end is None or (x.end - x.start).days >= LONG_LEAVE_DAYS]
    arrivals = hire_arrivals(paths, as_of)

    def at(day: dt.date) -> tuple[int, int, float]:
        recorded = sum(1 for p in staffed if p.open_on(day) and not p.filled_on(day))
        away = 0
        for p in staffed:
            holder = _holder(p, day) if p.open_on(day) else None
            if holder is not None and any(x.staff_id == holder and x.covers(day)
                                          for x in long_leave):
                away += 1
        churn = rate * stable * (day - as_of).days / 365
        return recorded, away, churn

    points = []
    for k in range(1, months + 1):
        day = add_months(as_of, k)
        recorded, away, churn = at(day)
        points.append(ForecastPoint(day, recorded + away + churn,
                                    sum(p for eta, p in arrivals if eta <= day)))
    horizon = add_months(as_of, months)
    recorded, away, churn = at(horizon)
    open_now = sum(1 for p in staffed if p.open_on(as_of) and not p.filled_on(as_of))
    hires = sum(p for eta, p in arrivals if eta <= horizon)
    return Forecast(as_of, horizon, open_now, recorded, away, rate, churn, hires,
                    tuple(points))
