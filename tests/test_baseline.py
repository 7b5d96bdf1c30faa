"""Baselines on synthetic weekly series whose answer is known."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.services.indicators.baseline import (
    PERIOD,
    Baseline,
    count_baseline,
    level_baseline,
    rate_baseline,
)


def seasonal_mean(week: int, mean: float = 30.0, amplitude: float = 0.15) -> float:
    return mean * (1 + amplitude * math.sin(2 * math.pi * week / PERIOD))


def neg_binomial(rng: random.Random, mu: float, k: float = 20.0) -> float:
    """A draw with mean mu and variance mu + mu^2 / k (gamma-Poisson)."""
    lam = rng.gammavariate(k, mu / k)
    # Poisson by inversion: fine for the small means used here.
    x, p, u = 0, math.exp(-lam), rng.random()
    cumulative = p
    while u > cumulative:
        x += 1
        p *= lam / x
        cumulative += p
    return float(x)


def seasonal_counts(weeks: int, seed: int, k: float = 20.0) -> list[float | None]:
    rng = random.Random(seed)
    return [neg_binomial(rng, seasonal_mean(t), k) for t in range(weeks)]


# --- Too little history ----------------------------------------------------------------


def test_too_little_history_gives_none_and_says_how_much_is_needed() -> None:
    b = count_baseline([30.0] * 5)
    assert b.expected == (None,) * 5
    assert b.spread == (None,) * 5
    assert b.note == "not enough history: 5 weeks of data, 13 needed"
    assert b.seasonal == (False,) * 5


def test_empty_series_has_no_baseline() -> None:
    b = count_baseline([])
    assert b == Baseline((), (), "not enough history: 0 weeks of data, 13 needed", ())


def test_missing_weeks_do_not_count_as_history() -> None:
    values: list[float | None] = [None] * 20 + [30.0] * 6
    b = count_baseline(values)
    assert all(e is None for e in b.expected)
    assert b.note == "not enough history: 6 weeks of data, 13 needed"


def test_first_baseline_after_the_guard_and_the_minimum_window() -> None:
    b = count_baseline([30.0] * 13)
    assert b.expected[:12] == (None,) * 12
    assert b.expected[12] == pytest.approx(30.0)
    assert b.note == "the trailing 8 weeks (leaving out the latest 4)"


# --- Trailing window ---------------------------------------------------------------------


def test_trailing_baseline_leaves_out_the_latest_weeks() -> None:
    """A drop in the latest 4 weeks does not drag its own baseline down."""
    values: list[float | None] = [40.0] * 30 + [10.0] * 5  # 4 guard + this week
    b = count_baseline(values)
    assert b.expected[-1] == pytest.approx(40.0)
    assert b.note == "the trailing 26 weeks (leaving out the latest 4)"
    assert not any(b.seasonal)


def test_trailing_window_is_the_26_weeks_before_the_guard() -> None:
    values: list[float | None] = [100.0] * 10 + [20.0] * 26 + [0.0] * 5  # 4 guard + this
    b = count_baseline(values)
    assert b.expected[-1] == pytest.approx(20.0)


def test_count_spread_is_at_least_poisson() -> None:
    """A series that never varies still has the noise of a count."""
    b = count_baseline([25.0] * 40)
    assert b.spread[-1] == pytest.approx(5.0)


def test_count_spread_estimates_overdispersion() -> None:
    rng = random.Random(3)
    values: list[float | None] = [neg_binomial(rng, 30.0, k=5.0) for _ in range(100)]
    b = count_baseline(values, trailing_weeks=90)
    truth = math.sqrt(30 + 30**2 / 5)  # 14.5, against 5.5 for Poisson
    assert b.spread[-1] == pytest.approx(truth, rel=0.2)


# --- Seasonal ---------------------------------------------------------------------------


def test_seasonal_exactly_from_two_years_of_history() -> None:
    values = seasonal_counts(160, seed=1)
    b = count_baseline(values)
    assert b.seasonal[:104] == (False,) * 104
    assert b.seasonal[104:] == (True,) * 56
    assert b.note == "the seasonal pattern of the 3 earlier years"
    short = count_baseline(values[:105])
    assert short.note == "the seasonal pattern of the 2 earlier years"
    assert count_baseline(values[:104]).note.startswith("the trailing 26 weeks")


def test_two_years_count_from_the_first_week_with_data() -> None:
    values: list[float | None] = [None] * 10 + seasonal_counts(120, seed=2)
    b = count_baseline(values)
    assert not b.seasonal[113]
    assert b.seasonal[114]


def test_seasonal_baseline_follows_the_true_curve() -> None:
    """Three years of +-15% seasonality: the fitted curve is within a few percent."""
    for seed in range(5):
        values = seasonal_counts(208, seed=seed)
        b = count_baseline(values)
        errors = [abs(e - seasonal_mean(t)) for t, e in enumerate(b.expected)
                  if t >= 156 and e is not None]
        assert max(errors) < 4.0, seed  # the week's own noise has sd 8.7
        truth = math.sqrt(30 + 30**2 / 20)
        assert b.spread[-1] == pytest.approx(truth, rel=0.25)


def test_seasonal_baseline_ignores_the_latest_half_year() -> None:
    values = seasonal_counts(182, seed=4)
    dropped = values[:156] + [None if v is None else 0.5 * v for v in values[156:]]
    assert count_baseline(dropped).expected[-1] == count_baseline(values).expected[-1]


def test_seasonal_can_be_turned_off() -> None:
    b = count_baseline(seasonal_counts(120, seed=5), seasonal=False)
    assert not any(b.seasonal)


# --- Rates ------------------------------------------------------------------------------


def test_rate_baseline_pools_shares_by_their_denominators() -> None:
    nums: list[float | None] = [10.0, 90.0] * 16  # the last week's window: 13 of each
    dens: list[float | None] = [100.0, 100.0] * 16
    b = rate_baseline(nums, dens)
    assert b.expected[-1] == pytest.approx(0.5)
    weighted = rate_baseline([1.0, 90.0] * 16, [10.0, 100.0] * 16)
    assert weighted.expected[-1] == pytest.approx(91 / 110)


def test_rate_spread_is_binomial_for_each_weeks_denominator() -> None:
    rng = random.Random(7)
    dens: list[float | None] = [float(rng.choice((40, 160))) for _ in range(60)]
    nums: list[float | None] = [float(sum(rng.random() < 0.3 for _ in range(int(d or 0))))
                                for d in dens]
    b = rate_baseline(nums, dens, trailing_weeks=50)
    p = b.expected[-1]
    assert p == pytest.approx(0.3, abs=0.03)
    assert p is not None and dens[-1] is not None
    binomial = math.sqrt(p * (1 - p) / dens[-1])
    spread = b.spread[-1]
    assert spread is not None and binomial <= spread < 1.3 * binomial
    # two neighbouring weeks, one of 40 calls and one of 160: half the spread
    small = next(t for t in range(40, 59) if {dens[t], dens[t + 1]} == {40.0, 160.0})
    ratio = b.spread[small] / b.spread[small + 1]  # type: ignore[operator]
    assert ratio == pytest.approx(2.0 if dens[small] == 40.0 else 0.5, rel=0.02)


def test_rate_spread_shows_overdispersion() -> None:
    """Shares that swing more than binomial noise widen the spread."""
    nums: list[float | None] = [20.0, 80.0] * 20
    dens: list[float | None] = [100.0] * 40
    b = rate_baseline(nums, dens)
    assert b.spread[-1] == pytest.approx(0.3, rel=0.05)  # the sd of the shares themselves


def test_rate_weeks_without_denominator_have_no_spread() -> None:
    nums: list[float | None] = [5.0] * 20 + [0.0]
    dens: list[float | None] = [10.0] * 20 + [0.0]
    b = rate_baseline(nums, dens)
    assert b.expected[-1] == pytest.approx(0.5)
    assert b.spread[-1] is None


# --- Levels -----------------------------------------------------------------------------


def test_level_baseline_is_the_trailing_mean_and_sd() -> None:
    values: list[float | None] = [38.0, 42.0] * 16  # the last week's window: 13 of each
    b = level_baseline(values)
    assert b.expected[-1] == pytest.approx(40.0)
    assert b.spread[-1] == pytest.approx(math.sqrt(4 * 26 / 25))
    assert not any(b.seasonal)


def test_level_baseline_of_a_constant_has_a_small_spread() -> None:
    b = level_baseline([40.0] * 20)
    assert b.spread[-1] == pytest.approx(0.4)


# --- Properties -------------------------------------------------------------------------

counts = st.lists(st.one_of(st.none(), st.integers(0, 200).map(float)), max_size=130)


@settings(max_examples=60, deadline=None)
@given(counts)
def test_count_baseline_is_never_negative_and_at_least_poisson(values: list[float | None]) -> None:
    b = count_baseline(values)
    assert len(b.expected) == len(b.spread) == len(b.seasonal) == len(values)
    for e, s in zip(b.expected, b.spread, strict=True):
        assert (e is None) == (s is None)
        if e is not None and s is not None:
            assert e >= 0
            assert s >= math.sqrt(e) - 1e-9
            assert s >= 0.5


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), max_size=80))
def test_rate_baseline_stays_a_share(pairs: list[tuple[int, int]]) -> None:
    nums: list[float | None] = [float(min(a, b)) for a, b in pairs]
    dens: list[float | None] = [float(b) for _, b in pairs]
    out = rate_baseline(nums, dens)
    for e, s in zip(out.expected, out.spread, strict=True):
        if e is not None:
            assert 0.0 <= e <= 1.0
        if s is not None:
            assert s > 0


def test_band_is_expected_plus_minus_spreads() -> None:
    b = Baseline((None, 10.0), (None, 2.0), "", (False, False))
    assert b.band() == ((None, 6.0), (None, 14.0))
    assert b.band(1.0) == ((None, 8.0), (None, 12.0))


def test_trailing_spread_widens_by_how_badly_the_trailing_mean_predicted() -> None:
    """A steady rise: the trailing mean lags it by about 9 weeks' growth, so its errors run
    larger than Poisson noise, and the spread says so once the errors are known."""
    values: list[float | None] = [20 + 0.5 * t for t in range(60)]
    b = count_baseline(values)
    first = b.expected.index(next(e for e in b.expected if e is not None))
    assert b.spread[first] == pytest.approx(math.sqrt(b.expected[first]))  # type: ignore[arg-type]
    e, s = b.expected[-1], b.spread[-1]
    assert e is not None and s is not None
    lag = 0.5 * (4 + 26 / 2 + 0.5)  # the guard, half the window
    assert values[-1] - e == pytest.approx(lag)
    assert s > 1.2 * math.sqrt(e)
    assert abs((values[-1] - e) / s) < 1.2  # against the Poisson spread alone: 1.37


def test_trailing_spread_is_scaled_by_the_mean_squared_error_so_far() -> None:
    """On a noiseless ramp the noise model stays Poisson (the window varies less than
    its mean), so each week's squared error over its expected value is known by hand."""
    values: list[float | None] = [20 + 0.5 * t for t in range(60)]
    b = count_baseline(values)
    t = len(values) - 1
    known = [((values[s] or 0) - e) ** 2 / e for s, e in enumerate(b.expected[:t - 4])
             if e is not None]
    e_t, s_t = b.expected[t], b.spread[t]
    assert e_t is not None and s_t is not None
    assert s_t**2 == pytest.approx(e_t * sum(known) / len(known))


def test_calibration_waits_for_enough_errors() -> None:
    """The first trailing weeks have too few known errors to judge the baseline by."""
    values: list[float | None] = [20 + 0.5 * t for t in range(40)]
    b = count_baseline(values)
    first = next(t for t, e in enumerate(b.expected) if e is not None)  # week 12
    for t in range(first, first + 12):  # 8 errors needed, each known 5 weeks later
        e = b.expected[t]
        assert e is not None and b.spread[t] == pytest.approx(math.sqrt(e)), t
    e = b.expected[first + 12]
    assert e is not None and b.spread[first + 12] > 1.01 * math.sqrt(e)


def test_an_all_zero_count_has_zero_expected_and_the_floor_spread() -> None:
    b = count_baseline([0.0] * 20)
    assert b.expected[-1] == 0.0
    assert b.spread[-1] == pytest.approx(0.5)


def test_a_seasonal_curve_never_expects_fewer_than_zero() -> None:
    values: list[float | None] = [0.0 if (t // 26) % 2 else 6.0 for t in range(160)]
    b = count_baseline(values)
    seasonal = [e for e, s in zip(b.expected, b.seasonal, strict=True) if s]
    assert min(e for e in seasonal if e is not None) == 0.0


def test_one_week_windows_fall_back_to_plain_noise() -> None:
    """With one week in the window there are no degrees of freedom for a dispersion."""
    b = count_baseline([5.0, 7.0], trailing_guard=0, min_weeks=1)
    assert b.expected[1] == pytest.approx(5.0)
    assert b.spread[1] == pytest.approx(math.sqrt(5.0))
    level = level_baseline([40.0, 30.0], trailing_guard=0, min_weeks=1)
    assert level.spread[1] == pytest.approx(0.4)
    rate = rate_baseline([3.0, 1.0], [10.0, 10.0], trailing_guard=0, min_weeks=1)
    assert rate.spread[1] == pytest.approx(math.sqrt(0.3 * 0.7 / 10))


def test_a_share_always_at_one_keeps_a_spread() -> None:
    """All 10 of 10 for 20 weeks: the spread comes from a floor of one in the window."""
    b = rate_baseline([10.0] * 20, [10.0] * 20)
    assert b.expected[-1] == 1.0
    floor = 1 / 150  # the last week's window: 15 weeks of 10
    assert b.spread[-1] == pytest.approx(math.sqrt(floor * (1 - floor) / 10))


def test_rate_weeks_of_one_call_count() -> None:
    b = rate_baseline([1.0, 0.0] * 8 + [1.0], [1.0] * 17)
    assert b.expected[-1] == pytest.approx(0.5)
    assert b.spread[-1] is not None and b.spread[-1] >= 0.5


def test_rate_baseline_is_seasonal_from_two_years() -> None:
    """A share swinging between 40% and 80% over the year: the seasonal fit follows it."""
    rng = random.Random(17)
    dens: list[float | None] = [200.0] * 160
    nums: list[float | None] = []
    for t in range(160):
        p = 0.6 + 0.2 * math.sin(2 * math.pi * t / PERIOD)
        nums.append(float(sum(rng.random() < p for _ in range(200))))
    b = rate_baseline(nums, dens)
    assert b.seasonal[103:105] == (False, True)
    assert b.note == "the seasonal pattern of the 3 earlier years"
    for t in range(110, 160, 7):
        truth = 0.6 + 0.2 * math.sin(2 * math.pi * t / PERIOD)
        assert b.expected[t] == pytest.approx(truth, abs=0.03), t
    assert not any(rate_baseline(nums, dens, seasonal=False).seasonal)


def test_level_baseline_says_what_it_used() -> None:
    b = level_baseline([40.0] * 130)
    assert b.note == "the trailing 26 weeks (leaving out the latest 4)"
    assert not any(b.seasonal)


def test_series_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError):
        rate_baseline([1.0, 2.0], [3.0])
    with pytest.raises(ValueError):
        Baseline((1.0, 2.0), (1.0,), "", (False, False)).band()


def test_rate_dispersion_by_hand_before_any_calibration() -> None:
    """Week 20: the window is weeks 0-15, eight at 20% and eight at 80% of 100 calls.
    Pearson's chi-square over 15 degrees of freedom: 16*100*0.09 / 0.25 / 15 = 38.4."""
    nums: list[float | None] = [20.0, 80.0] * 20
    dens: list[float | None] = [100.0] * 40
    b = rate_baseline(nums, dens)
    assert b.expected[20] == pytest.approx(0.5)
    assert b.spread[20] == pytest.approx(math.sqrt(38.4 * 0.25 / 100))


def test_count_dispersion_by_hand_before_any_calibration() -> None:
    """Week 20: weeks 0-15 alternate 10 and 30. Their squared deviations sum to 1600,
    1600*16/15 - 320 = 1386.7 = a * 16 * 20^2, so a = 0.2167: variance 20 + a*400."""
    values: list[float | None] = [10.0, 30.0] * 20
    b = count_baseline(values)
    a = (1600 * 16 / 15 - 320) / (16 * 400)
    assert b.spread[20] == pytest.approx(math.sqrt(20 + a * 400))


def test_a_seasonal_share_stays_at_most_one() -> None:
    dens: list[float | None] = [100.0] * 160
    nums: list[float | None] = [
        100.0 * min(1.0, 0.95 + 0.1 * math.sin(2 * math.pi * t / PERIOD)) for t in range(160)]
    b = rate_baseline(nums, dens)
    assert max(e for e in b.expected if e is not None) == 1.0
