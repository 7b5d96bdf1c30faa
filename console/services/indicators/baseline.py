"""Baselines for weekly series: what each week was expected to be, and how far it may stray.

Pure functions over plain sequences (one value per consecutive week, None where the week
has no data), so the engine, the tests and the bench all call the same code.

Where at least two years of history exist before a week, the expected value comes from
a seasonal curve (a mean plus one yearly harmonic) fitted by least squares to up to
three earlier years, leaving out the latest half year. A curve fitted to every week of
the earlier years is far less noisy than an average of the same few weeks of each year
(the bench measures the difference), and leaving out the latest half year keeps a
recent drop from dragging its own baseline down. With less history the baseline is the
mean of a trailing window that leaves a shorter guard gap before the week; with less
than that, there is no baseline and the note says how much data there is and how much
is needed.

The spread of a week is the standard deviation of one week's value around the expected
value, from a noise model whose dispersion is estimated from the same history: counts
are negative binomial (variance mu + a mu^2, a >= 0, so never less than Poisson), shares
binomial with a dispersion factor of at least 1, levels plain residual variance.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

YEAR = 52  # weeks in the windows that count years of history
PERIOD = 365.25 / 7  # weeks in a year, for the seasonal curve
SEASONAL_YEARS = 2  # years of history from which the seasonal method is used
MAX_YEARS = 3  # years the seasonal curve is fitted to
SEASONAL_GUARD = 26  # latest weeks left out of the seasonal fit
TRAILING_WEEKS = 26
TRAILING_GUARD = 4
MIN_WEEKS = 8  # weeks of data a trailing baseline needs inside its window
MIN_SEASONAL_WEEKS = 52  # weeks of data the seasonal fit needs, else trailing


@dataclass(frozen=True)
class Baseline:
    """Per week of the input: the expected value and its spread, None without a baseline."""

    expected: tuple[float | None, ...]
    spread: tuple[float | None, ...]  # sd of one week's value around expected, same scale
    note: str  # for the last week, in plain words
    seasonal: tuple[bool, ...]  # per week: True where the seasonal method was used

    def band(self, width: float = 2.0) -> tuple[tuple[float | None, ...], tuple[float | None, ...]]:
        """Expected -/+ width spreads, for drawing; None where there is no baseline."""
        low = tuple(None if e is None or s is None else e - width * s
                    for e, s in zip(self.expected, self.spread, strict=True))
        high = tuple(None if e is None or s is None else e + width * s
                     for e, s in zip(self.expected, self.spread, strict=True))
        return low, high


@dataclass(frozen=True)
class _Fit:
    """A least-squares fit over one window: its curve and its residual sums."""

    coef: tuple[float, ...]
    n: int  # weeks of data in the window
    weight: float  # sum of weights
    mean: float  # weighted mean of the values
    rss: float  # weighted residual sum of squares
    fitted_sq: float  # weighted sum of fitted values squared


class _Sums:
    """Prefix sums of the normal equations, so any window's fit costs O(p^2), not O(n)."""

    def __init__(self, values: Sequence[float | None], weights: Sequence[float],
                 harmonic: bool) -> None:
        self.harmonic = harmonic
        p = 3 if harmonic else 1
        self.p = p
        size = p * (p + 1) // 2 + p + 3  # X'X (upper), X'y, y'y, n, sum w
        acc = [0.0] * size
        self.prefix = [tuple(acc)]
        for i, (y, w) in enumerate(zip(values, weights, strict=True)):
            if y is not None and w > 0:
                row = _row(i, harmonic)
                pos = 0
                for a in range(p):
                    for b in range(a, p):
                        acc[pos] += w * row[a] * row[b]
                        pos += 1
                for a in range(p):
                    acc[pos + a] += w * row[a] * y
                acc[-3] += w * y * y
                acc[-2] += 1
                acc[-1] += w
            self.prefix.append(tuple(acc))

    def count(self, start: int, stop: int) -> int:
        """Weeks of data in [start, stop)."""
        return round(self.prefix[stop][-2] - self.prefix[start][-2])

    def fit(self, start: int, stop: int) -> _Fit | None:
        """The fit over weeks [start, stop); None when the equations are singular."""
        lo, hi = self.prefix[start], self.prefix[stop]
        s = [h - low for h, low in zip(hi, lo, strict=True)]
        p = self.p
        xtx = [[0.0] * p for _ in range(p)]
        pos = 0
        for a in range(p):
            for b in range(a, p):
                xtx[a][b] = xtx[b][a] = s[pos]
                pos += 1
        xty = s[pos:pos + p]
        coef = _solve(xtx, xty)
        if coef is None:
            return None
        explained = sum(c * v for c, v in zip(coef, xty, strict=True))
        weight = s[-1]
        return _Fit(coef=tuple(coef), n=round(s[-2]), weight=weight, mean=xty[0] / weight,
                    rss=max(s[-3] - explained, 0.0), fitted_sq=explained)

    def at(self, fit: _Fit, week: int) -> float:
        return sum(c * x for c, x in zip(fit.coef, _row(week, self.harmonic), strict=True))


def _row(week: int, harmonic: bool) -> tuple[float, ...]:
    if not harmonic:
        return (1.0,)
    angle = 2 * math.pi * week / PERIOD
    return (1.0, math.sin(angle), math.cos(angle))


def _solve(a: list[list[float]], b: list[float]) -> list[float] | None:
    """Gaussian elimination with partial pivoting; None when singular."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    scale = max(abs(m[i][i]) for i in range(n)) or 1.0
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        if abs(m[pivot][col]) <= 1e-9 * scale:
            return None
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            for c in range(col, n + 1):
                m[r][c] -= f * m[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))) / m[r][r]
    return x


# A noise model turns a window's fit and a week's expected value into that week's variance.
_Noise = Callable[[_Fit, float, int], float]


def _count_noise(fit: _Fit, expected: float, p: int) -> float:
    """Negative binomial by moments: sum (y - mu)^2 ~ sum mu + a sum mu^2, a >= 0."""
    dof = fit.n - p
    excess = fit.rss * fit.n / dof - fit.mean * fit.n if dof > 0 else 0.0
    a = max(excess / fit.fitted_sq, 0.0) if fit.fitted_sq > 0 else 0.0
    return max(expected + a * expected * expected, 0.25)


def _level_noise(fit: _Fit, expected: float, p: int) -> float:
    dof = fit.n - p
    variance = fit.rss / dof if dof > 0 else 0.0
    return max(variance, (0.01 * expected) ** 2)


def _baseline(values: Sequence[float | None], weights: Sequence[float], noise: _Noise,
              *, seasonal: bool, clamp: tuple[float, float] | None,
              trailing_weeks: int, trailing_guard: int, min_weeks: int,
              seasonal_guard: int, max_years: int) -> tuple[list[float | None],
                                                            list[float | None], list[bool], str]:
    n = len(values)
    present = [y is not None and w > 0 for y, w in zip(values, weights, strict=True)]
    first = next((i for i, ok in enumerate(present) if ok), n)
    flat = _Sums(values, weights, harmonic=False)
    curve = _Sums(values, weights, harmonic=True) if seasonal else None
    expected: list[float | None] = []
    variances: list[float | None] = []
    used_seasonal: list[bool] = []
    note = f"not enough history: 0 weeks of data, {trailing_guard + min_weeks + 1} needed"
    for t in range(n):
        history = t - first
        fit: _Fit | None = None
        sums = flat
        if curve is not None and history >= SEASONAL_YEARS * YEAR:
            years = min(history // YEAR, max_years)
            start = max(first, t - years * YEAR)
            stop = t - seasonal_guard
            if curve.count(start, stop) >= MIN_SEASONAL_WEEKS:
                fit, sums = curve.fit(start, stop), curve
                note = f"the seasonal pattern of the {years} earlier years"
        if fit is None:
            stop = t - trailing_guard
            start = max(0, stop - trailing_weeks)
            have = flat.count(start, stop) if stop > 0 else 0
            if have >= min_weeks:
                fit, sums = flat.fit(start, stop), flat
                note = (f"the trailing {stop - max(start, first)} weeks "
                        f"(leaving out the latest {trailing_guard})")
            else:
                note = (f"not enough history: {flat.count(0, t + 1)} weeks of data, "
                        f"{trailing_guard + min_weeks + 1} needed")
        if fit is None:
            expected.append(None)
            variances.append(None)
            used_seasonal.append(False)
            continue
        value = sums.at(fit, t)
        if clamp is not None:
            value = min(max(value, clamp[0]), clamp[1])
        expected.append(value)
        variances.append(noise(fit, value, sums.p))
        used_seasonal.append(sums is curve)
    _calibrate(values, weights, expected, variances, used_seasonal, trailing_guard, min_weeks)
    return expected, variances, used_seasonal, note


def _calibrate(values: Sequence[float | None], weights: Sequence[float],
               expected: list[float | None], variances: list[float | None],
               seasonal: list[bool], guard: int, min_weeks: int) -> None:
    """Widen trailing baselines' variances by how badly they have predicted so far.

    A trailing mean lags any seasonal swing (it cannot model one it has not seen twice)
    and is itself noisy: its errors run larger than the noise model of a single week. The
    mean squared standardized error of the trailing weeks before the guard, when above 1
    and seen over at least `min_weeks` weeks, scales each later trailing week's variance.
    """
    model = list(variances)  # errors are judged against the noise model, not widened
    total, count = 0.0, 0
    for t in range(len(values)):
        s = t - guard - 1  # the latest week whose error is already known and trusted
        if s >= 0 and not seasonal[s]:
            y, e, v = values[s], expected[s], model[s]
            if y is not None and e is not None and v is not None and v > 0 and weights[s] > 0:
                total += weights[s] * (y - e) ** 2 / v
                count += 1
        v_t = variances[t]
        if v_t is not None and not seasonal[t] and count >= min_weeks:
            variances[t] = v_t * max(1.0, total / count)


def count_baseline(values: Sequence[float | None], *, trailing_weeks: int = TRAILING_WEEKS,
                   trailing_guard: int = TRAILING_GUARD, min_weeks: int = MIN_WEEKS,
                   seasonal_guard: int = SEASONAL_GUARD, max_years: int = MAX_YEARS,
                   seasonal: bool = True) -> Baseline:
    """Weekly counts: seasonal from two years of history, else trailing, else none."""
    expected, variances, used, note = _baseline(
        values, [1.0] * len(values), _count_noise, seasonal=seasonal,
        clamp=(0.0, math.inf), trailing_weeks=trailing_weeks,
        trailing_guard=trailing_guard, min_weeks=min_weeks, seasonal_guard=seasonal_guard,
        max_years=max_years)
    spread = tuple(None if v is None else math.sqrt(v) for v in variances)
    return Baseline(tuple(expected), spread, note, tuple(used))


def rate_baseline(numerators: Sequence[float | None], denominators: Sequence[float | None], *,
                  trailing_weeks: int = TRAILING_WEEKS, trailing_guard: int = TRAILING_GUARD,
                  min_weeks: int = MIN_WEEKS, seasonal_guard: int = SEASONAL_GUARD,
                  max_years: int = MAX_YEARS, seasonal: bool = True) -> Baseline:
    """Weekly shares num/den: the expected share 0-1, weighted by each week's denominator.

    The spread of a week is binomial for that week's denominator, times a dispersion
    factor (>= 1) estimated from the history (Pearson's chi-square over its degrees of
    freedom); None for a week with no denominator.
    """
    shares: list[float | None] = []
    weights: list[float] = []
    for num, den in zip(numerators, denominators, strict=True):
        ok = num is not None and den is not None and den > 0
        shares.append(num / den if ok else None)  # type: ignore[operator]
        weights.append(float(den) if ok else 0.0)  # type: ignore[arg-type]

    def noise(fit: _Fit, p: float, params: int) -> float:
        floor = 1.0 / fit.weight
        pq = max(p * (1 - p), floor * (1 - floor))
        dof = fit.n - params
        phi = max(fit.rss / pq / dof, 1.0) if dof > 0 else 1.0
        return phi * pq  # variance of one unit; the week's denominator divides it below

    expected, unit_var, used, note = _baseline(
        shares, weights, noise, seasonal=seasonal, clamp=(0.0, 1.0),
        trailing_weeks=trailing_weeks, trailing_guard=trailing_guard, min_weeks=min_weeks,
        seasonal_guard=seasonal_guard, max_years=max_years)
    spread: list[float | None] = []
    for v, den in zip(unit_var, denominators, strict=True):
        spread.append(None if v is None or den is None or den <= 0 else math.sqrt(v / den))
    return Baseline(tuple(expected), tuple(spread), note, tuple(used))


def level_baseline(values: Sequence[float | None], *, trailing_weeks: int = TRAILING_WEEKS,
                   trailing_guard: int = TRAILING_GUARD,
                   min_weeks: int = MIN_WEEKS) -> Baseline:
    """Slowly moving levels (staffed hours): the trailing mean and the residual spread."""
    expected, variances, used, note = _baseline(
        values, [1.0] * len(values), _level_noise, seasonal=False, clamp=None,
        trailing_weeks=trailing_weeks, trailing_guard=trailing_guard, min_weeks=min_weeks,
        seasonal_guard=SEASONAL_GUARD, max_years=MAX_YEARS)
    spread = tuple(None if v is None else math.sqrt(v) for v in variances)
    return Baseline(tuple(expected), spread, note, tuple(used))
