"""Indicator charts on a plain matplotlib Figure (no Qt, Agg-safe): the Dashboard's
sparklines and drill-down, and the same drawings in documents.

A week without a value (None) is a gap in the line, never a zero.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter
from matplotlib.transforms import blended_transform_factory

from console.reports.charts import (
    INK,
    MARKER_COLOURS,
    MUTED,
    SERIES,
    VISIBILITY_COLOUR,
    style_axes,
)
from console.reports.indicator_style import (
    SEVERITY_COLOURS,
    is_percent,
    statistic_is_share,
    statistic_number,
)
from console.services.indicators.model import Evaluation, Marker, Severity

SPARK_WEEKS = 52  # a sparkline shows the last year: long enough to see a slide begin
BASELINE = "#6b7280"
BAND = "#bfdbfe"
STATISTIC = "#374151"
OTHER_STRUCTURAL = "#374151"  # a structural kind with no colour of its own yet
THRESHOLD_LEVELS = (Severity.WATCH, Severity.WARNING, Severity.CRITICAL)
LABEL_GAP = 0.11  # threshold labels at least this far apart (a fraction of the panel)


def _floats(values: Sequence[float | None]) -> np.ndarray:
    return np.array([math.nan if v is None else float(v) for v in values], dtype=float)


def marker_colour(marker: Marker) -> str:
    if not marker.structural:
        return VISIBILITY_COLOUR
    return MARKER_COLOURS.get(marker.kind, OTHER_STRUCTURAL)


def _finite(*arrays: np.ndarray) -> np.ndarray:
    joined = np.concatenate([a[np.isfinite(a)] for a in arrays]) if arrays else np.array([])
    return joined


def draw_sparkline(target: Figure | Axes, evaluation: Evaluation,
                   weeks: int = SPARK_WEEKS) -> None:
    """The last `weeks` of the series, its baseline faint, the last point in the
    severity's colour; no axes, no text (the tile around it says what it is)."""
    if isinstance(target, Figure):
        target.clear()
        ax = target.add_axes((0.02, 0.08, 0.96, 0.84))
    else:
        ax = target
        ax.clear()
    ax.set_axis_off()
    x = date2num(list(evaluation.weeks[-weeks:])) if evaluation.weeks else np.array([])
    values = _floats(evaluation.values[-weeks:])
    expected = _floats(evaluation.expected[-weeks:])
    shown = _finite(values, expected)
    if not len(x) or not len(shown):
        return
    ax.plot(x, expected, color=BASELINE, linewidth=1.0, alpha=0.45)
    ax.plot(x, values, color=SERIES, linewidth=1.3)
    last = np.flatnonzero(np.isfinite(values))
    if len(last):
        i = last[-1]
        ax.plot([x[i]], [values[i]], linestyle="none", marker="o", markersize=4.5,
                color=SEVERITY_COLOURS[evaluation.severity].strong)
    low, high = float(shown.min()), float(shown.max())
    pad = (high - low) * 0.12 or max(abs(high) * 0.1, 1e-6)
    ax.set_ylim(low - pad, high + pad)
    span = max(float(x[-1] - x[0]), 7.0)
    ax.set_xlim(x[0] - span * 0.01, x[-1] + span * 0.03)  # room for the last point


def draw_drilldown(fig: Figure, evaluation: Evaluation,
                   legend_columns: int = 5) -> list[Marker]:
    """The weekly series against its baseline and band, program events as markers (top);
    the detection statistic against its watch, warning and critical thresholds (bottom).

    Returns the numbered (structural) markers, oldest first, for a caption to explain.
    The legend lies under the chart in `legend_columns` columns (fewer on a narrow figure).
    The figure needs a constrained layout for the legend to get its own room.
    """
    fig.clear()
    if not evaluation.weeks:
        ax = fig.add_subplot(1, 1, 1)
        ax.text(0.5, 0.5, "No weeks to show yet", ha="center", va="center", color=MUTED,
                transform=ax.transAxes)
        ax.set_axis_off()
        return []
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    for ax in (top, bottom):
        style_axes(ax)
    weeks = list(evaluation.weeks)
    x = date2num(weeks)
    first, last = weeks[0], weeks[-1] + dt.timedelta(days=7)

    _alert_period(top, bottom, evaluation, last)
    _series_panel(top, evaluation, x)
    marked = _markers(top, bottom, evaluation.markers, first, last)
    _statistic_panel(bottom, evaluation, x)
    handles, labels = top.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", fontsize=8, frameon=False,
               ncol=min(len(labels), legend_columns))

    locator = AutoDateLocator()
    bottom.xaxis.set_major_locator(locator)
    bottom.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    bottom.set_xlim(date2num(first - dt.timedelta(days=7)), date2num(last))
    return marked


def _alert_period(top: Axes, bottom: Axes, evaluation: Evaluation, last: dt.date) -> None:
    """The weeks of the current alert, shaded faintly in its severity's colour."""
    if evaluation.flagged_since is None or evaluation.severity is Severity.OK:
        return
    colour = SEVERITY_COLOURS[evaluation.severity].soft
    for ax in (top, bottom):
        ax.axvspan(date2num(evaluation.flagged_since), date2num(last), color=colour,
                   alpha=0.6, linewidth=0, zorder=0,
                   label=f"Flagged: {evaluation.severity.label.lower()}" if ax is top else None)


def _series_panel(ax: Axes, evaluation: Evaluation, x: np.ndarray) -> None:
    values = _floats(evaluation.values)
    expected = _floats(evaluation.expected)
    low, high = _floats(evaluation.band_low), _floats(evaluation.band_high)
    band = np.isfinite(low) & np.isfinite(high)
    if band.any():
        ax.fill_between(x, low, high, where=band, color=BAND, alpha=0.55, linewidth=0,
                        label="Expected range")
    if np.isfinite(expected).any():
        ax.plot(x, expected, color=BASELINE, linewidth=1.2, linestyle="--", label="Baseline")
    ax.plot(x, values, color=SERIES, linewidth=1.5, label="Weekly value")
    # A lone week between gaps has no line to show it: a dot does.
    ax.plot(x, values, linestyle="none", marker="o", markersize=2.2, color=SERIES)
    shown = _finite(values, expected, low, high)
    if len(shown):
        top_value = float(shown.max())
        bottom_value = min(0.0, float(shown.min()))
        ax.set_ylim(bottom_value, top_value * 1.15 if top_value > 0 else 1.0)
    if is_percent(evaluation):
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    unit = "" if is_percent(evaluation) else f" ({evaluation.unit})" if evaluation.unit else ""
    against = " against its baseline" if np.isfinite(expected).any() else ", week by week"
    ax.set_title(f"{evaluation.title}{unit}{against}", color=MUTED, fontsize=9, loc="left")


def _markers(top: Axes, bottom: Axes, markers: Sequence[Marker], first: dt.date,
             last: dt.date) -> list[Marker]:
    """Structural events as numbered lines on both panels (as on the weekly calls chart);
    other events (visibility work) as faint ticks at the foot of the top panel."""
    shown = sorted((m for m in markers if first <= m.on < last), key=lambda m: m.on)
    numbered = [m for m in shown if m.structural]
    top_band = blended_transform_factory(top.transData, top.transAxes)
    seen: set[object] = set()
    for number, marker in enumerate(numbered, start=1):
        colour = marker_colour(marker)
        at = date2num(marker.on)
        top.axvline(at, color=colour, linewidth=1.2, linestyle="--",
                    label=None if marker.kind in seen else marker.kind.label)
        bottom.axvline(at, color=colour, linewidth=1.0, linestyle="--", alpha=0.7)
        seen.add(marker.kind)
        top.text(at, 1.0, str(number), transform=top_band, ha="center", va="bottom",
                 fontsize=8, color="white", fontweight="bold", clip_on=False,
                 bbox={"boxstyle": "circle,pad=0.25", "facecolor": colour, "edgecolor": "none"})
    light = [date2num(m.on) for m in shown if not m.structural]
    if light:
        top.plot(light, [0.015] * len(light), transform=top_band, linestyle="none",
                 marker="|", markersize=7, color=VISIBILITY_COLOUR, alpha=0.6,
                 label="Briefing, ride-along or training")
    return numbered


def _statistic_panel(ax: Axes, evaluation: Evaluation, x: np.ndarray) -> None:
    statistic = _floats(evaluation.statistic)
    ax.plot(x, statistic, color=STATISTIC, linewidth=1.4)
    ax.plot(x, statistic, linestyle="none", marker="o", markersize=2.0, color=STATISTIC)
    thresholds = evaluation.thresholds
    limits = {Severity.WATCH: thresholds.watch, Severity.WARNING: thresholds.warning,
              Severity.CRITICAL: thresholds.critical}
    for level in THRESHOLD_LEVELS:
        ax.axhline(limits[level], color=SEVERITY_COLOURS[level].strong, linewidth=1.2)
    values = [*limits.values(), *statistic[np.isfinite(statistic)]]
    low, high = min(values), max(values)
    pad = (high - low) * 0.1 or 1.0
    bottom, top = (0.0 if low >= 0 else low - pad), high + pad
    ax.set_ylim(bottom, top)
    # Each line's label at the right edge, moved apart where the lines lie close.
    heights = label_heights([(limits[level] - bottom) / (top - bottom)
                             for level in THRESHOLD_LEVELS])
    for level, height in zip(THRESHOLD_LEVELS, heights, strict=True):
        ax.text(1.0, height, f" {level.label} {statistic_number(limits[level], evaluation)}",
                transform=ax.transAxes, ha="left", va="center", fontsize=8,
                color=SEVERITY_COLOURS[level].strong, fontweight="bold", clip_on=False)
    if statistic_is_share(evaluation):
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_title(
        f"{_capital(evaluation.statistic_label)} against its thresholds "
        f"({'higher' if thresholds.above else 'lower'} is worse)",
        color=MUTED, fontsize=9, loc="left")
    ax.tick_params(axis="x", colors=INK)


def label_heights(heights: Sequence[float], gap: float = LABEL_GAP) -> list[float]:
    """Heights (fractions of the axes) for labels wanted at `heights`, each at least
    `gap` from the next, in the same order, as near their lines as that allows."""
    order = sorted(range(len(heights)), key=lambda i: heights[i])
    placed = [heights[i] for i in order]
    for n in range(1, len(placed)):
        placed[n] = max(placed[n], placed[n - 1] + gap)
    overflow = placed[-1] - 1.0 if placed else 0.0
    if overflow > 0:  # pushed above the top: slide them all down, keeping the gaps
        placed = [h - overflow for h in placed]
        for n in range(len(placed) - 2, -1, -1):
            placed[n] = min(placed[n], placed[n + 1] - gap)
    out = [0.0] * len(heights)
    for n, i in enumerate(order):
        out[i] = placed[n]
    return out


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
