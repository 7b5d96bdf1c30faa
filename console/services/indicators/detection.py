"""Detection rules: per-week statistics where larger is worse, None where there is no baseline.

Pure functions over plain sequences. The count and rate rules are one-sided lower
CUSUMs of standardized residuals against a `Baseline`: a sustained drop accumulates,
noise drains away at `k` per week. Slowly moving levels are judged by Mann-Kendall's
trend test over a trailing window, with Sen's slope for the size of the trend. EARS C2
and the naive rule are here for the bench to compare against, not for the engine.

The default thresholds are tuned by `python bench/run.py detection` on simulated weekly
counts (mean 30, +-15% yearly seasonality, negative binomial noise with k = 20): the
warning threshold gives 0.5 false alarms per indicator-year on stable series, watch 2
(worth a look, expected about every six months by chance alone) and critical 0.1 (once
in ten years by chance). A false alarm is the start of a run of weeks at or above the
threshold.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from console.services.indicators.baseline import Baseline
from console.services.indicators.model import Thresholds

# The reference value, in spreads: a 25% drop of 30 a week is about 0.87 spreads; at the
# tuned false-alarm rate the bench finds 0.6 flags it soonest (0.4-0.8 within a week).
CUSUM_K = 0.6
TREND_WINDOW = 12

# Counts on a seasonal baseline (three years of history; the bench's figures 1.32, 2.42,
# 3.87). On the trailing baseline of a program's first two years the warning comes about
# 0.8 times a year instead: a trailing mean lags the seasons it cannot know yet.
COUNT_THRESHOLDS = Thresholds(watch=1.3, warning=2.4, critical=3.9)
# Shares of about 40 calls a week at 60%, binomial (1.47, 2.76, 4.41); the trailing
# baseline holds its rate here, shares having no season in the simulation.
RATE_THRESHOLDS = Thresholds(watch=1.5, warning=2.8, critical=4.4)
# -z of Mann-Kendall over 12 weeks: rank-based, so the same for any noise without ties
# (1.44, 2.13, 2.67 over 800 years of independent noise).
TREND_THRESHOLDS = Thresholds(watch=1.4, warning=2.1, critical=2.7)
# combined_cusum over patrol requests, requesting officers (4-week distinct) and
# visibility events (1.14, 2.66, 4.59): the officers come from the requests, so the
# parts move together even in noise and the sum needs a higher warning than one count.
COMBINED_THRESHOLDS = Thresholds(watch=1.1, warning=2.7, critical=4.6)


def standardized(values: Sequence[float | None], baseline: Baseline) -> tuple[float | None, ...]:
    """(value - expected) / spread per week; None where either is missing."""
    out: list[float | None] = []
    for y, e, s in zip(values, baseline.expected, baseline.spread, strict=True):
        out.append(None if y is None or e is None or s is None or s <= 0 else (y - e) / s)
    return tuple(out)


def lower_cusum(z: Sequence[float | None], *, k: float = CUSUM_K) -> tuple[float | None, ...]:
    """S_t = max(0, S_(t-1) - z_t - k): grows while values run below expected.

    A week without a value or a baseline (None) gives None and leaves the sum as it was:
    nothing restarts it, so the statistic the engine shows is the steady-state one the
    bench measures.
    """
    out: list[float | None] = []
    total = 0.0
    for value in z:
        if value is None:
            out.append(None)
            continue
        total = max(0.0, total - value - k)
        out.append(total)
    return tuple(out)


def count_cusum(values: Sequence[float | None], baseline: Baseline, *,
                k: float = CUSUM_K) -> tuple[float | None, ...]:
    """One-sided lower CUSUM of a count's standardized residuals: a drop."""
    return lower_cusum(standardized(values, baseline), k=k)


def shares(numerators: Sequence[float | None],
           denominators: Sequence[float | None]) -> tuple[float | None, ...]:
    """num / den per week; None where the denominator is missing or zero."""
    return tuple(None if n is None or d is None or d <= 0 else n / d
                 for n, d in zip(numerators, denominators, strict=True))


def rate_cusum(numerators: Sequence[float | None], denominators: Sequence[float | None],
               baseline: Baseline, *, k: float = CUSUM_K) -> tuple[float | None, ...]:
    """Lower CUSUM of a share's residuals, each week standardized by its own denominator."""
    return lower_cusum(standardized(shares(numerators, denominators), baseline), k=k)


def combined_cusum(series: Sequence[Sequence[float | None]], *,
                   k: float = CUSUM_K) -> tuple[float | None, ...]:
    """Lower CUSUM of the standardized sum of several indicators' standardized residuals.

    Indicators that fall together each move a little; their sum, divided by the square
    root of how many there are that week, moves more than any one of them.
    """
    if not series:
        return ()
    combined: list[float | None] = []
    for week in zip(*series, strict=True):
        present = [z for z in week if z is not None]
        combined.append(sum(present) / math.sqrt(len(present)) if present else None)
    return lower_cusum(combined, k=k)


@dataclass(frozen=True)
class Trend:
    """Mann-Kendall's test on a series, with Sen's slope (change per week)."""

    n: int
    s: int
    z: float
    p_value: float  # two-sided
    slope: float


def mann_kendall(values: Sequence[float | None]) -> Trend:
    """Mann-Kendall S with the tie-corrected variance, and Sen's slope.

    None values are skipped but keep their place in time, so the slope stays per week.
    Below 4 values the normal approximation means nothing: z is 0 and p is 1.
    """
    points = [(i, float(y)) for i, y in enumerate(values) if y is not None]
    n = len(points)
    s = 0
    slopes: list[float] = []
    for a in range(n):
        ia, ya = points[a]
        for b in range(a + 1, n):
            ib, yb = points[b]
            s += (yb > ya) - (yb < ya)
            slopes.append((yb - ya) / (ib - ia))
    slope = statistics.median(slopes) if slopes else 0.0
    if n < 4:
        return Trend(n=n, s=s, z=0.0, p_value=1.0, slope=slope)
    ties: dict[float, int] = {}
    for _, y in points:
        ties[y] = ties.get(y, 0) + 1
    variance = (n * (n - 1) * (2 * n + 5)
                - sum(t * (t - 1) * (2 * t + 5) for t in ties.values())) / 18
    # S != 0 means two values differ, so the variance is positive; 1 is the continuity step.
    z = 0.0 if s == 0 else (s - math.copysign(1, s)) / math.sqrt(variance)
    return Trend(n=n, s=s, z=z, p_value=math.erfc(abs(z) / math.sqrt(2)), slope=slope)


def trend_statistic(values: Sequence[float | None],
                    window: int = TREND_WINDOW) -> tuple[float | None, ...]:
    """Per week: -z of Mann-Kendall over the trailing `window` weeks (larger = stronger fall).

    None until the window holds at least two thirds of its weeks with data.
    """
    need = max(4, (2 * window + 2) // 3)
    out: list[float | None] = []
    for t in range(len(values)):
        recent = values[max(0, t - window + 1):t + 1]
        if sum(y is not None for y in recent) < need:
            out.append(None)
            continue
        out.append(-mann_kendall(recent).z)
    return tuple(out)


def _trailing(values: Sequence[float | None], t: int, weeks: int,
              guard: int) -> list[float]:
    stop = t - guard
    return [float(y) for y in values[max(0, stop - weeks):max(0, stop)] if y is not None]


def naive_drop_statistic(values: Sequence[float | None],
                         weeks: int = 12) -> tuple[float | None, ...]:
    """Share by which a week fell below the mean of the `weeks` before it (0.2 = 20%)."""
    out: list[float | None] = []
    for t, y in enumerate(values):
        before = _trailing(values, t, weeks, 0)
        mean = sum(before) / len(before) if len(before) == weeks else 0.0
        out.append(None if y is None or mean <= 0 else 1 - y / mean)
    return tuple(out)


def naive_drop(values: Sequence[float | None], drop: float = 0.2) -> tuple[bool, ...]:
    """The naive rule: a week 20% or more below the trailing 12-week mean."""
    return tuple(s is not None and s >= drop for s in naive_drop_statistic(values))


def ears_c2_statistic(values: Sequence[float | None]) -> tuple[float | None, ...]:
    """CDC EARS C2 turned downward: (mean - value) / sd of the 7 weeks ending 3 weeks before."""
    out: list[float | None] = []
    for t, y in enumerate(values):
        before = _trailing(values, t, 7, 2)
        if y is None or len(before) < 7:
            out.append(None)
            continue
        mean = sum(before) / 7
        sd = max(statistics.stdev(before), 0.2)
        out.append((mean - y) / sd)
    return tuple(out)


def ears_c2(values: Sequence[float | None], threshold: float = 3.0) -> tuple[bool, ...]:
    """EARS C2 for a drop: 3 standard deviations below the guarded 7-week mean."""
    return tuple(s is not None and s >= threshold for s in ears_c2_statistic(values))
