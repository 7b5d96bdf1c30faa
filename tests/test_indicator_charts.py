"""The indicator charts (no Qt): sparkline and drill-down on hand-built evaluations."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from indicator_values import BRIEFING, MOVE, STRUCTURAL, THRESHOLDS, evaluation
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.dates import date2num
from matplotlib.figure import Figure

from console.reports.indicator_charts import (
    LABEL_GAP,
    SPARK_WEEKS,
    draw_drilldown,
    draw_sparkline,
    label_heights,
)
from console.reports.indicator_style import (
    SEVERITY_COLOURS,
    is_percent,
    number,
    severity_line,
    with_unit,
)
from console.services.indicators.model import Severity, Thresholds


def _figure(width: float = 9, height: float = 5.2) -> Figure:
    """A drill-down's figure (constrained, as on screen); a small one for a sparkline."""
    fig = Figure(figsize=(width, height), dpi=100,
                 layout="constrained" if width > 3 else None)
    FigureCanvasAgg(fig)
    return fig


def _line(ax, label: str):  # type: ignore[no-untyped-def]
    return next(line for line in ax.get_lines() if line.get_label() == label)


def test_drilldown_draws_series_baseline_band_markers_and_thresholds() -> None:
    e = evaluation(severity=Severity.CRITICAL)
    fig = _figure()
    marked = draw_drilldown(fig, e)
    fig.canvas.draw()
    top, bottom = fig.axes
    assert marked == [MOVE, STRUCTURAL]  # numbered oldest first; the briefing is not
    weekly = _line(top, "Weekly value")
    assert list(weekly.get_ydata()) == [v for v in e.values]
    assert list(_line(top, "Baseline").get_ydata()) == list(e.expected)
    assert top.collections, "the baseline band is filled"
    numbers = [t.get_text() for t in top.texts]
    assert numbers == ["1", "2"]
    structural_x = {line.get_xdata()[0] for line in top.get_lines()
                    if line.get_linestyle() == "--" and line.get_label() != "Baseline"}
    assert structural_x == {date2num(MOVE.on), date2num(STRUCTURAL.on)}
    ticks = _line(top, "Briefing, ride-along or training")
    assert list(ticks.get_xdata()) == [date2num(BRIEFING.on)]
    # The thresholds: a horizontal line each, in its severity's colour, labelled.
    horizontal = {(line.get_ydata()[0], to_hex(line.get_color())) for line in bottom.get_lines()
                  if len(set(line.get_ydata())) == 1 and len(line.get_ydata()) == 2}
    assert {(THRESHOLDS.watch, SEVERITY_COLOURS[Severity.WATCH].strong),
            (THRESHOLDS.warning, SEVERITY_COLOURS[Severity.WARNING].strong),
            (THRESHOLDS.critical, SEVERITY_COLOURS[Severity.CRITICAL].strong)} <= horizontal
    assert {t.get_text().strip() for t in bottom.texts} == {"Watch 2", "Warning 4",
                                                            "Critical 6"}
    assert bottom.get_ylim()[1] > max(v for v in e.statistic if v is not None)
    legend = {t.get_text() for t in fig.legends[0].get_texts()}
    assert {"Expected range", "Baseline", "Weekly value", "Leadership change",
            "Office move", "Flagged: critical"} <= legend
    assert top.get_shared_x_axes().joined(top, bottom)
    assert top.get_title(loc="left").endswith("(requests a week) against its baseline")
    assert bottom.get_title(loc="left").startswith("CUSUM against its thresholds")


def test_weeks_without_a_value_are_gaps_not_zeros() -> None:
    e = evaluation(gaps=(5, 6, 80))
    fig = _figure()
    draw_drilldown(fig, e)
    top, bottom = fig.axes
    y = _line(top, "Weekly value").get_ydata()
    assert [i for i, v in enumerate(y) if math.isnan(v)] == [5, 6, 80]
    stat = [line for line in bottom.get_lines() if len(line.get_xdata()) == len(e.weeks)][0]
    assert math.isnan(stat.get_ydata()[80]) and stat.get_ydata()[79] == 0.0


def test_thresholds_where_lower_is_worse_stay_in_view() -> None:
    e = replace(evaluation(unit="share"), statistic=tuple([0.9] * 104),
                thresholds=Thresholds(0.8, 0.7, 0.5, above=False))
    fig = _figure()
    draw_drilldown(fig, e)
    bottom = fig.axes[1]
    low, high = bottom.get_ylim()
    assert low <= 0.5 and high >= 0.9
    assert "lower is worse" in bottom.get_title(loc="left")
    assert fig.axes[0].yaxis.get_major_formatter().format_data(0.72) == "72%"


def test_an_evaluation_without_weeks_says_so() -> None:
    e = replace(evaluation(), weeks=(), values=(), expected=(), band_low=(), band_high=(),
                statistic=())
    fig = _figure()
    assert draw_drilldown(fig, e) == []
    assert fig.axes[0].texts[0].get_text() == "No weeks to show yet"
    draw_sparkline(_figure(2.4, 0.5), e)  # nothing to draw, and no error


@pytest.mark.parametrize("severity", list(Severity))
def test_sparkline_shows_the_last_year_and_colours_the_last_point(severity: Severity) -> None:
    e = evaluation(severity=severity, gaps=(103,))  # the newest week has no value
    fig = _figure(2.4, 0.5)
    draw_sparkline(fig, e)
    ax = fig.axes[0]
    assert not ax.axison
    series = [line for line in ax.get_lines() if len(line.get_xdata()) == SPARK_WEEKS]
    assert len(series) == 2  # the series and its baseline
    last = [line for line in ax.get_lines() if len(line.get_xdata()) == 1][0]
    assert to_hex(last.get_color()) == SEVERITY_COLOURS[severity].strong
    assert last.get_ydata()[0] == e.values[102]  # the last week that has a value
    assert last.get_xdata()[0] == date2num(e.weeks[102])


def test_sparkline_draws_on_given_axes() -> None:
    fig = _figure(4, 1)
    ax = fig.add_subplot(1, 2, 1)
    draw_sparkline(ax, evaluation())
    assert len(fig.axes) == 1 and len(ax.get_lines()) == 3


def test_values_read_with_their_unit() -> None:
    counts, hours = evaluation(unit="a week"), evaluation(unit="hours a week")
    assert with_unit(23.0, counts) == "23 a week"
    assert with_unit(0.716, evaluation(unit="share")) == "72%"
    assert with_unit(0.0227, evaluation(unit="share")) == "2.3%"
    assert with_unit(None, evaluation(unit="days")) == "—"
    assert number(1204.4, hours) == "1,204"
    assert number(7.46, hours) == "7.5"
    # The evaluation says which indicators are shares, whatever their unit's words.
    filled = replace(evaluation("positions_filled", unit=""), percent=True)
    assert is_percent(filled) and with_unit(0.91, filled) == "91%"
    assert not is_percent(evaluation("vacancy_age", unit="days"))
    e = evaluation(severity=Severity.WARNING)
    assert severity_line(e).startswith("Warning since ")
    assert severity_line(replace(e, severity=Severity.OK, flagged_since=None)) == "OK"


@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=3))
def test_threshold_labels_keep_their_order_apart_and_inside(wanted: list[float]) -> None:
    placed = label_heights(wanted)
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    heights = [placed[i] for i in order]
    assert all(b - a >= LABEL_GAP - 1e-9 for a, b in zip(heights, heights[1:], strict=False))
    assert max(placed) <= 1.0 + 1e-9
    spread = all(b - a >= LABEL_GAP for a, b in
                 zip(sorted(wanted), sorted(wanted)[1:], strict=False))
    if spread:
        assert placed == wanted  # lines far enough apart keep their labels beside them


def test_close_thresholds_get_labels_apart() -> None:
    e = replace(evaluation(), thresholds=Thresholds(2.0, 3.5, 5.0),
                statistic=tuple([30.0] * 104))
    fig = _figure()
    draw_drilldown(fig, e)
    bottom = fig.axes[1]
    heights = sorted(t.get_position()[1] for t in bottom.texts)
    assert heights[1] - heights[0] >= LABEL_GAP - 1e-9
    assert heights[2] - heights[1] >= LABEL_GAP - 1e-9


def test_a_single_week_without_baseline_still_draws() -> None:
    one = evaluation(weeks=1, drop_weeks=0, severity=Severity.OK)
    one = replace(one, expected=(None,), band_low=(None,), band_high=(None,),
                  statistic=(None,), baseline=None)
    fig = _figure()
    draw_drilldown(fig, one)
    fig.canvas.draw()
    top, _bottom = fig.axes
    assert list(_line(top, "Weekly value").get_ydata()) == [30.0 - 2]
    assert top.get_title(loc="left") == "Patrol requests (requests a week), week by week"
    spark = _figure(2.4, 0.5)
    draw_sparkline(spark, one)
    spark.canvas.draw()
