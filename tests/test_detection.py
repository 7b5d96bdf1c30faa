"""Detection rules on synthetic weekly series whose answer is known."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_baseline import neg_binomial, seasonal_counts, seasonal_mean

from console.services.indicators.baseline import Baseline, count_baseline, rate_baseline
from console.services.indicators.detection import (
    COMBINED_THRESHOLDS,
    COUNT_THRESHOLDS,
    CUSUM_K,
    RATE_THRESHOLDS,
    TREND_THRESHOLDS,
    Trend,
    combined_cusum,
    count_cusum,
    ears_c2,
    ears_c2_statistic,
    lower_cusum,
    mann_kendall,
    naive_drop,
    naive_drop_statistic,
    rate_cusum,
    standardized,
    trend_statistic,
)
from console.services.indicators.model import Severity


def first_at_or_above(statistic: tuple[float | None, ...], limit: float, start: int) -> int | None:
    return next((t for t in range(start, len(statistic))
                 if (s := statistic[t]) is not None and s >= limit), None)


def alarm_starts(statistic: tuple[float | None, ...], limit: float, start: int) -> int:
    """Runs of weeks at or above the limit that begin at or after `start`."""
    above = [s is not None and s >= limit for s in statistic]
    return sum(above[t] and not above[t - 1] for t in range(max(start, 1), len(above)))


# --- Count CUSUM ------------------------------------------------------------------------


def test_count_cusum_of_a_clean_step_down_by_hand() -> None:
    """40 weeks of exactly 30 (spread sqrt(30), the Poisson floor), then 15 a week."""
    values: list[float | None] = [30.0] * 40 + [15.0] * 3
    stat = count_cusum(values, count_baseline(values))
    step = 15 / math.sqrt(30) - CUSUM_K
    assert stat[:12] == (None,) * 12
    assert stat[12:40] == (0.0,) * 28
    assert stat[40:] == pytest.approx((step, 2 * step, 3 * step))


def test_count_cusum_flags_a_sustained_quarter_drop_within_weeks() -> None:
    """Three years of seasonal counts, then 25% fewer: warning within 1-16 weeks."""
    delays = []
    for seed in range(12):
        rng = random.Random(100 + seed)
        values: list[float | None] = [
            neg_binomial(rng, seasonal_mean(t) * (0.75 if t >= 170 else 1.0))
            for t in range(220)]
        stat = count_cusum(values, count_baseline(values))
        flagged = first_at_or_above(stat, COUNT_THRESHOLDS.warning, 170)
        assert flagged is not None, seed
        delays.append(flagged - 170 + 1)
    delays.sort()
    assert 2 <= delays[len(delays) // 2] <= 9, delays
    assert delays[-2] <= 20, delays


def test_count_cusum_on_noise_stays_near_the_tuned_false_alarm_rate() -> None:
    """Stable seasonal series: about 0.5 warnings a year (tuned by the bench)."""
    alarms = 0
    years = 0
    for seed in range(60):
        values = seasonal_counts(156 + 104, seed=1000 + seed)
        stat = count_cusum(values, count_baseline(values))
        alarms += alarm_starts(stat, COUNT_THRESHOLDS.warning, 156)
        years += 2
    assert 0.3 <= alarms / years <= 0.8, alarms  # 0.53 with these seeds


def test_count_cusum_severity_on_the_thresholds() -> None:
    assert COUNT_THRESHOLDS.ordered()
    assert COUNT_THRESHOLDS.severity(COUNT_THRESHOLDS.warning) is Severity.WARNING
    assert COUNT_THRESHOLDS.severity(0.0) is Severity.OK


def test_count_cusum_is_none_without_baseline_and_holds_over_missing_weeks() -> None:
    baseline = Baseline((None, 10.0, 10.0, 10.0), (None, 1.0, 1.0, 1.0), "", (False,) * 4)
    stat = count_cusum([10.0, 7.0, None, 7.0], baseline, k=0.5)
    assert stat == (None, 2.5, None, 5.0)


# --- Rate CUSUM -------------------------------------------------------------------------


def test_rate_cusum_flags_a_falling_share() -> None:
    rng = random.Random(5)
    dens: list[float | None] = [float(rng.randint(30, 60)) for _ in range(80)]
    nums: list[float | None] = []
    for t, d in enumerate(dens):
        p = 0.6 if t < 60 else 0.4
        nums.append(float(sum(rng.random() < p for _ in range(int(d or 0)))))
    stat = rate_cusum(nums, dens, rate_baseline(nums, dens))
    assert first_at_or_above(stat, RATE_THRESHOLDS.warning, 0) in range(60, 66)
    assert all(s is None or s < RATE_THRESHOLDS.warning for s in stat[:60])


def test_rate_cusum_on_noise_stays_near_the_tuned_false_alarm_rate() -> None:
    """Binomial weeks of 30-50 calls at 60%, five years: about 0.5 warnings a year once
    the baseline is seasonal (tuned by the bench)."""
    rng = random.Random(21)
    alarms = 0
    for _ in range(40):
        dens: list[float | None] = [float(rng.randint(30, 50)) for _ in range(260)]
        nums: list[float | None] = [float(sum(rng.random() < 0.6 for _ in range(int(d or 0))))
                                    for d in dens]
        stat = rate_cusum(nums, dens, rate_baseline(nums, dens))
        alarms += alarm_starts(stat, RATE_THRESHOLDS.warning, 156)
    assert 0.25 <= alarms / 80 <= 0.8, alarms  # 0.46 with this seed


def test_rate_cusum_standardizes_by_the_weeks_denominator() -> None:
    """The same fall in share weighs more in a week with more calls."""
    baseline = Baseline((0.5, 0.5), (0.05, 0.025), "", (False, False))
    stat = rate_cusum([40.0, 160.0], [100.0, 400.0], baseline, k=0.0)
    assert stat == pytest.approx((2.0, 6.0))


# --- Combined ---------------------------------------------------------------------------


def test_combined_cusum_adds_what_moves_together() -> None:
    z = [[-1.0, -1.0], [-1.0, -1.0], [-1.0, None]]  # three indicators, two weeks
    first = 3 / math.sqrt(3) - 0.5
    assert combined_cusum(z, k=0.5) == pytest.approx((first, first + 2 / math.sqrt(2) - 0.5))
    assert combined_cusum([[-1.0, None]], k=0.0) == (1.0, None)
    assert combined_cusum([]) == ()


def test_combined_cusum_flags_a_shared_small_drop_sooner_than_each_alone() -> None:
    """Three independent counts each losing 15%: each alone barely moves, together they
    move sqrt(3) times as far."""
    alone_delays: list[int] = []
    together_delays: list[int] = []
    for seed in range(8):
        rng = random.Random(300 + seed)
        series = [[neg_binomial(rng, seasonal_mean(t) * (0.85 if t >= 170 else 1.0))
                   for t in range(230)] for _ in range(3)]
        zs = [standardized(v, count_baseline(v)) for v in series]
        for z in zs:
            flagged = first_at_or_above(lower_cusum(z), COUNT_THRESHOLDS.warning, 170)
            alone_delays.append(60 if flagged is None else flagged - 169)
        flagged = first_at_or_above(combined_cusum(zs), COUNT_THRESHOLDS.warning, 170)
        together_delays.append(60 if flagged is None else flagged - 169)
    alone_delays.sort()
    together_delays.sort()
    assert together_delays[4] < alone_delays[12], (together_delays, alone_delays)
    assert together_delays[4] <= 14


def test_combined_cusum_of_one_series_is_its_own_cusum() -> None:
    z = [0.3, -1.2, None, -2.0, 0.5]
    assert combined_cusum([z]) == lower_cusum(z)


# --- Mann-Kendall -----------------------------------------------------------------------


def test_mann_kendall_by_hand_with_a_tie() -> None:
    """1 2 2 3: S = 5, variance (4*3*13 - 2*1*9)/18, Sen's slope the median of 6."""
    trend = mann_kendall([1.0, 2.0, 2.0, 3.0])
    variance = (4 * 3 * 13 - 2 * 1 * 9) / 18
    assert trend.n == 4
    assert trend.s == 5
    assert trend.z == pytest.approx(4 / math.sqrt(variance))
    assert trend.p_value == pytest.approx(math.erfc(trend.z / math.sqrt(2)))
    assert trend.slope == pytest.approx((0.5 + 2 / 3) / 2)


def test_mann_kendall_falling_with_ties_and_a_gap() -> None:
    """5 3 _ 3 1: S = -5 over four values; slopes use the weeks between them."""
    trend = mann_kendall([5.0, 3.0, None, 3.0, 1.0])
    assert trend.s == -5
    variance = (4 * 3 * 13 - 2 * 1 * 9) / 18
    assert trend.z == pytest.approx(-4 / math.sqrt(variance))
    # slopes: -2/1, -2/3, -4/4, 0/2, -2/3, -2/1 -> median of -2 -2 -1 -2/3 -2/3 0
    assert trend.slope == pytest.approx((-1 - 2 / 3) / 2)


def test_mann_kendall_below_four_values_is_plainly_no_evidence() -> None:
    assert mann_kendall([3.0, 2.0, 1.0]) == Trend(n=3, s=-3, z=0.0, p_value=1.0, slope=-1.0)
    assert mann_kendall([]) == Trend(n=0, s=0, z=0.0, p_value=1.0, slope=0.0)
    assert mann_kendall([7.0]).slope == 0.0


def test_mann_kendall_of_all_ties_is_no_trend() -> None:
    trend = mann_kendall([4.0] * 6)
    assert (trend.s, trend.z, trend.p_value, trend.slope) == (0, 0.0, 1.0, 0.0)


def test_mann_kendall_finds_a_slow_trend_and_its_slope() -> None:
    """Staffed hours losing 0.4 hours a week under noise of sd 2 over 26 weeks."""
    rng = random.Random(11)
    values: list[float | None] = [120 - 0.4 * t + rng.gauss(0, 2) for t in range(26)]
    trend = mann_kendall(values)
    assert trend.z < -4
    assert trend.p_value < 1e-4
    assert trend.slope == pytest.approx(-0.4, abs=0.08)


def test_trend_statistic_rises_on_a_fall_and_stays_low_on_noise() -> None:
    rng = random.Random(12)
    flat: list[float | None] = [40 + rng.gauss(0, 2) for _ in range(40)]
    falling = flat + [40 - 0.8 * t + rng.gauss(0, 2) for t in range(1, 13)]
    stat = trend_statistic(falling)
    assert stat[:7] == (None,) * 7  # 8 of 12 weeks needed
    assert first_at_or_above(stat, TREND_THRESHOLDS.warning, 40) in range(40, 52)


def test_trend_false_alarm_rate_on_noise() -> None:
    rng = random.Random(13)
    alarms = 0
    for _ in range(80):
        values: list[float | None] = [rng.gauss(40, 3) for _ in range(64)]
        alarms += alarm_starts(trend_statistic(values), TREND_THRESHOLDS.warning, 12)
    assert 0.25 <= alarms / 80 <= 0.9, alarms  # tuned to 0.5 a year


# --- Comparison rules -------------------------------------------------------------------


def test_naive_drop_is_twenty_percent_below_the_trailing_twelve_weeks() -> None:
    values: list[float | None] = [50.0] * 12 + [41.0, 38.0]
    assert naive_drop_statistic(values)[:12] == (None,) * 12
    assert naive_drop_statistic(values)[12] == pytest.approx(0.18)
    assert naive_drop_statistic(values)[13] == pytest.approx(1 - 38 / (50 - 9 / 12))
    assert naive_drop(values) == (False,) * 13 + (True,)


def test_ears_c2_is_three_sds_below_the_guarded_seven_weeks() -> None:
    values: list[float | None] = [10.0, 14.0] * 4 + [0.0, 0.0, 0.0]
    stat = ears_c2_statistic(values)
    assert stat[:9] == (None,) * 9
    # weeks 0-6 before the guard of week 9: mean 76/7, sd from seven values
    window = [10.0, 14.0, 10.0, 14.0, 10.0, 14.0, 10.0]
    mean = sum(window) / 7
    sd = math.sqrt(sum((v - mean) ** 2 for v in window) / 6)
    assert stat[9] == pytest.approx(mean / sd)
    assert ears_c2(values) == (False,) * 9 + (True, True)


# --- Properties -------------------------------------------------------------------------

zs = st.lists(st.one_of(st.none(), st.floats(-10, 10)), max_size=60)


@given(zs, st.floats(0, 2))
def test_cusum_is_never_negative(z: list[float | None], k: float) -> None:
    stat = lower_cusum(z, k=k)
    assert len(stat) == len(z)
    assert all((s is None) == (v is None) for s, v in zip(stat, z, strict=True))
    assert all(s >= 0 for s in stat if s is not None)


@given(st.lists(st.floats(0, 50), min_size=1, max_size=60))
def test_a_series_at_or_above_expected_never_alarms(excess: list[float]) -> None:
    baseline = Baseline((20.0,) * len(excess), (4.0,) * len(excess), "", (False,) * len(excess))
    values = [20.0 + e for e in excess]
    assert set(count_cusum(values, baseline, k=0.0)) == {0.0}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-20, 20), min_size=4, max_size=25),
       st.floats(0.01, 100), st.floats(-1000, 1000))
def test_mann_kendall_ignores_scale_and_shift(values: list[int], scale: float,
                                              shift: float) -> None:
    raw = mann_kendall([float(v) for v in values])
    moved = mann_kendall([v * scale + shift for v in values])
    assert (moved.s, moved.n) == (raw.s, raw.n)
    assert moved.z == pytest.approx(raw.z)
    assert moved.slope == pytest.approx(raw.slope * scale, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-100, 100), min_size=4, max_size=25))
def test_mann_kendall_reversed_is_the_mirror(values: list[float]) -> None:
    forward = mann_kendall(values)
    mirrored = mann_kendall([-v for v in values])
    assert mirrored.s == -forward.s
    assert mirrored.z == pytest.approx(-forward.z)
    assert 0 <= forward.p_value <= 1


def test_standardized_is_none_without_a_spread() -> None:
    baseline = Baseline((10.0, 10.0, None), (2.0, 0.0, None), "", (False,) * 3)
    assert standardized([6.0, 6.0, 6.0], baseline) == (-2.0, None, None)


def test_thresholds_are_ordered() -> None:
    for thresholds in (COUNT_THRESHOLDS, RATE_THRESHOLDS, TREND_THRESHOLDS,
                       COMBINED_THRESHOLDS):
        assert thresholds.ordered()
        assert thresholds.above


def test_shares_by_hand() -> None:
    from console.services.indicators.detection import shares

    assert shares([1.0, None, 3.0, 2.0, 4.0], [2.0, 4.0, None, 0.0, 1.0]) == (
        0.5, None, None, None, 4.0)


def test_unequal_lengths_are_refused() -> None:
    from console.services.indicators.detection import shares

    baseline = Baseline((1.0,), (1.0,), "", (False,))
    with pytest.raises(ValueError):
        standardized([1.0, 2.0], baseline)
    with pytest.raises(ValueError):
        combined_cusum([[1.0, 2.0], [1.0]])
    with pytest.raises(ValueError):
        shares([1.0], [1.0, 2.0])


def test_standardized_needs_both_expected_and_spread() -> None:
    baseline = Baseline((None, 10.0), (1.0, None), "", (False, False))
    assert standardized([5.0, 5.0], baseline) == (None, None)
    assert Baseline((5.0,), (None,), "", (False,)).band() == ((None,), (None,))


def test_trend_statistic_needs_two_thirds_of_its_window() -> None:
    eight: list[float | None] = [None] * 4 + [float(v) for v in range(8, 0, -1)]
    assert trend_statistic(eight)[-1] == pytest.approx(-mann_kendall(eight).z)
    seven: list[float | None] = [None] * 5 + [float(v) for v in range(7, 0, -1)]
    assert trend_statistic(seven)[-1] is None
    short: list[float | None] = [4.0, 3.0, 2.0, 1.0, 0.0]
    stat = trend_statistic(short, window=4)
    assert stat[:3] == (None, None, None)
    assert stat[3] == pytest.approx(-mann_kendall(short[:4]).z)
    assert stat[4] == pytest.approx(-mann_kendall(short[1:]).z)


def test_ears_c2_window_and_floor_by_hand() -> None:
    values: list[float | None] = [2.0] + [10.0] * 7 + [9.0, 9.0, 8.0]
    stat = ears_c2_statistic(values)
    # week 9: weeks 0-6 (one 2, six 10s); week 10: weeks 1-7, all 10, sd floored at 0.2
    window = [2.0] + [10.0] * 6
    mean = sum(window) / 7
    sd = math.sqrt(sum((v - mean) ** 2 for v in window) / 6)
    assert stat[9] == pytest.approx((mean - 9.0) / sd)
    assert stat[10] == pytest.approx((10.0 - 8.0) / 0.2)
    assert ears_c2([10.0] * 9 + [4.0], threshold=30.0)[-1] is True  # exactly 30 sd below


def test_naive_drop_at_exactly_twenty_percent_and_small_means() -> None:
    assert naive_drop([40.0] * 12 + [30.0], drop=0.25)[-1] is True  # exactly a quarter
    assert naive_drop_statistic([0.5] * 12 + [0.25])[-1] == pytest.approx(0.5)


def test_mann_kendall_variance_counts_only_tied_groups() -> None:
    """1 2 3 4 5 without ties: S = 10, variance 5*4*15/18."""
    trend = mann_kendall([1.0, 2.0, 3.0, 4.0, 5.0])
    assert trend.z == pytest.approx(9 / math.sqrt(5 * 4 * 15 / 18))
