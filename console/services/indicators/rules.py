"""How each kind of indicator is judged: a baseline, a detection statistic, a band.

A rule takes an indicator's inputs (weekly counts, a numerator and denominator, hours,
a level) and returns a `Judged`: the series as shown, its baseline and band on the same
scale, and the statistic compared with the thresholds (larger is worse unless the
thresholds say otherwise). The statistics themselves live in `detection`, the
baselines in `baseline`; this module only puts them together per kind of data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from console.services.indicators import baseline as bl
from console.services.indicators import detection as det
from console.services.indicators.model import Thresholds

Values = tuple[float | None, ...]
BAND_SDS = 2.0  # the band drawn around the baseline: about 95% of ordinary weeks
TREND_WEEKS = 12  # the window of the trend test on levels
RECENT_WEEKS = 4  # a level is judged on the mean of its last four weeks
# A level's trailing baseline leaves out the latest quarter: a schedule cut stays
# measured against the schedule before it for a quarter, not absorbed in a month.
LEVEL_GUARD_WEEKS = 13
# Shortfalls of a level (share of its baseline): staffed hours move with leave and
# holidays by a few percent; a tenth lost is worth watching, a fifth is a cut.
LEVEL_THRESHOLDS = Thresholds(watch=0.10, warning=0.20, critical=0.35)
# Shares of a few dozen calls a week swing by ten points on chance alone, and the engine
# watches several shares of the same calls: a warning on a share is kept far rarer than
# on a count. On binomial weeks of 40 (k = 0.6, 400 simulated years) a CUSUM reaches 3.5
# about 0.23 times a year, 6 about 0.01 times and 8 almost never; a sustained fall of
# 15 points still reaches the warning in about four weeks, 10 points in about eight.
RATE_THRESHOLDS = Thresholds(watch=3.5, warning=6.0, critical=8.0)


@dataclass(frozen=True)
class Judged:
    values: Values  # as shown (a 4-week total, a share, hours)
    expected: Values
    band_low: Values
    band_high: Values
    statistic: Values
    baseline_note: str
    # Per week: what the shown value's baseline is, on the detection's own scale, for
    # the explanation (a week's count, a share): (actual, expected) or None.
    per_week: tuple[tuple[float, float] | None, ...]
    trend: det.Trend | None = None


@dataclass(frozen=True)
class CountRule:
    """Weekly counts: one-sided CUSUM of the standardized shortfall on a seasonal baseline.

    `window` > 1 shows (and explains) the counts as a rolling total over that many weeks
    while detection still runs week by week. An input that is itself a rolling figure
    (distinct officers over 4 weeks) keeps the count thresholds: the bench measures them
    at 0.13 false alarms a year on such a series, fewer than on weekly counts.
    """

    window: int = 1
    text: str = "one-sided CUSUM of the shortfall against a seasonal baseline"
    statistic_label: str = "CUSUM (standard deviations below baseline, accumulated)"

    @property
    def thresholds(self) -> Thresholds:
        return det.COUNT_THRESHOLDS

    def judge(self, counts: Values) -> Judged:
        base = bl.count_baseline(counts)
        stat = det.count_cusum(counts, base)
        shown = _rolling(counts, self.window)
        expected = _rolling(base.expected, self.window)
        spread = _rolling_spread(base.spread, self.window)
        low, high = _band(expected, spread)
        per_week = tuple(
            (c, e) if c is not None and e is not None else None
            for c, e in zip(counts, base.expected, strict=True)
        )
        return Judged(shown, expected, low, high, stat, base.note, per_week)


@dataclass(frozen=True)
class RateRule:
    """A weekly share: a CUSUM of the fall of the share against its own baseline.

    `worse_when_higher`: the share shown is one where a rise is the erosion (repeat
    calls, out-of-scope work); detection then watches its complement fall.
    """

    worse_when_higher: bool = False
    text: str = "proportion CUSUM against the share's own baseline"
    statistic_label: str = "CUSUM of the share's shortfall (standard deviations)"

    @property
    def thresholds(self) -> Thresholds:
        return RATE_THRESHOLDS

    def judge(self, inputs: tuple[Values, Values]) -> Judged:
        hits, totals = inputs
        good = hits if not self.worse_when_higher else tuple(
            None if h is None or t is None else t - h for h, t in zip(hits, totals, strict=True))
        base = bl.rate_baseline(good, totals)
        stat = det.rate_cusum(good, totals, base)
        shares = tuple(_share(g, t) for g, t in zip(good, totals, strict=True))
        low, high = _band(base.expected, base.spread)
        per_week = tuple(
            (s, e) if s is not None and e is not None else None
            for s, e in zip(shares, base.expected, strict=True)
        )
        if self.worse_when_higher:
            flip = _flip
            shares, expected = tuple(map(flip, shares)), tuple(map(flip, base.expected))
            low, high = tuple(map(flip, high)), tuple(map(flip, low))
            per_week = tuple(None if p is None else (1 - p[0], 1 - p[1]) for p in per_week)
        else:
            expected = base.expected
        return Judged(shares, expected, _clip01(low), _clip01(high), stat, base.note, per_week)


@dataclass(frozen=True)
class LevelRule:
    """A slowly moving level (staffed hours): how far the last four weeks fall short of
    the baseline, or are heading to within 12 weeks where a Mann-Kendall test finds a
    significant fall (Sen's slope), whichever is worse. The statistic is that shortfall
    as a share of the baseline."""

    text: str = ("shortfall of the last 4 weeks against the baseline, with a Mann-Kendall "
                 "trend test and Sen's slope over 12 weeks")
    statistic_label: str = "shortfall against the baseline (share)"

    @property
    def thresholds(self) -> Thresholds:
        return LEVEL_THRESHOLDS

    def judge(self, values: Values) -> Judged:
        base = bl.level_baseline(values, trailing_guard=LEVEL_GUARD_WEEKS)
        stat: list[float | None] = []
        trend: det.Trend | None = None
        for i in range(len(values)):
            expected = base.expected[i]
            recent = [v for v in values[max(0, i - RECENT_WEEKS + 1): i + 1] if v is not None]
            if expected is None or not expected or not recent or values[i] is None:
                stat.append(None)
                continue
            shortfall = max(0.0, 1 - (sum(recent) / len(recent)) / expected)
            window = [v for v in values[max(0, i - TREND_WEEKS + 1): i + 1] if v is not None]
            trend = det.mann_kendall(window) if len(window) >= RECENT_WEEKS else None
            if trend is not None and trend.p_value < 0.05 and trend.slope < 0:
                heading = -trend.slope * TREND_WEEKS / expected
                shortfall = max(shortfall, min(heading, 1.0))
            stat.append(shortfall)
        low, high = _band(base.expected, base.spread)
        per_week = tuple(
            (v, e) if v is not None and e is not None else None
            for v, e in zip(values, base.expected, strict=True)
        )
        return Judged(values, base.expected, low, high, tuple(stat), base.note, per_week,
                      trend)


@dataclass(frozen=True)
class ThresholdRule:
    """A value judged against fixed thresholds (positions filled, vacancy age, coverage):
    where the honest rule is a line a program should not cross, not a change."""

    defaults: Thresholds
    text: str = "fixed thresholds"
    statistic_label: str = "value"

    @property
    def thresholds(self) -> Thresholds:
        return self.defaults

    def judge(self, values: Values) -> Judged:
        none: Values = tuple(None for _ in values)
        per_week = tuple(None if v is None else (v, v) for v in values)
        return Judged(values, none, none, none, values, "fixed thresholds, no baseline",
                      per_week)


Rule = CountRule | RateRule | LevelRule | ThresholdRule


def _share(hits: float | None, total: float | None) -> float | None:
    return hits / total if hits is not None and total else None


def _flip(value: float | None) -> float | None:
    return None if value is None else 1.0 - value


def _clip01(values: Values) -> Values:
    return tuple(None if v is None else min(1.0, max(0.0, v)) for v in values)


def _band(expected: Sequence[float | None], spread: Sequence[float | None]) -> tuple[
        Values, Values]:
    low = tuple(None if e is None or s is None else max(0.0, e - BAND_SDS * s)
                for e, s in zip(expected, spread, strict=True))
    high = tuple(None if e is None or s is None else e + BAND_SDS * s
                 for e, s in zip(expected, spread, strict=True))
    return low, high


def _rolling(values: Sequence[float | None], window: int) -> Values:
    if window == 1:
        return tuple(values)
    out: list[float | None] = []
    for i in range(len(values)):
        part = values[i - window + 1: i + 1] if i >= window - 1 else []
        out.append(sum(part) if part and all(v is not None for v in part) else None)  # type: ignore[arg-type]
    return tuple(out)


def _rolling_spread(spread: Sequence[float | None], window: int) -> Values:
    if window == 1:
        return tuple(spread)
    squares = [None if s is None else s * s for s in spread]
    return tuple(None if v is None else math.sqrt(v) for v in _rolling(squares, window))
