"""Staffing over the program's life and the vacancy forecast, on a plain matplotlib
Figure (the screens now, the budget-defense packet later). Program events are marked
the way the weekly calls chart marks them: numbered dashed lines in the same colours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import blended_transform_factory

from console.data.enums import EventKind
from console.reports.charts import (
    MARKER_COLOURS,
    MUTED,
    SERIES,
    structural_events,
    style_axes,
)
from console.services.people.forecast import Forecast
from console.services.people.history import Point
from console.services.program_service import ProgramEventRow

AUTHORIZED = "#9ca3af"
VACANT = "#fca5a5"
HIRES = "#059669"


def mark_events(ax, events: Sequence[ProgramEventRow], first: dt.date,  # type: ignore[no-untyped-def]
                last: dt.date) -> list[ProgramEventRow]:
    """Structural events between `first` and `last` as numbered dashed lines; returns them
    in number order so a caption can explain the numbers."""
    marked = [e for e in structural_events(events) if first <= e.occurred_on <= last]
    top = blended_transform_factory(ax.transData, ax.transAxes)
    seen: set[EventKind] = set()
    for number, event in enumerate(marked, start=1):
        colour = MARKER_COLOURS[event.kind]
        x = date2num(event.occurred_on)
        ax.axvline(x, color=colour, linewidth=1.1, linestyle="--",
                   label=None if event.kind in seen else event.kind.label)
        seen.add(event.kind)
        ax.text(x, 1.0, str(number), transform=top, ha="center", va="bottom", fontsize=8,
                color="white", fontweight="bold",
                bbox={"boxstyle": "circle,pad=0.25", "facecolor": colour, "edgecolor": "none"})
    return marked


def _dates(ax) -> None:  # type: ignore[no-untyped-def]
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))


def draw_staffing(fig: Figure, points: Sequence[Point], events: Sequence[ProgramEventRow],
                  legend_columns: int = 4) -> list[ProgramEventRow]:
    """Authorized against filled positions week by week (one of StaffingSeries' series),
    the gap shaded as vacancy."""
    fig.clear()
    ax = fig.add_subplot(1, 1, 1)
    style_axes(ax)
    if len(points) < 2 or not any(p.authorized for p in points):
        ax.text(0.5, 0.5, "No authorized positions recorded yet", ha="center", va="center",
                color=MUTED, transform=ax.transAxes)
        ax.set_axis_off()
        return []
    x = date2num([p.day for p in points])
    authorized = [p.authorized for p in points]
    filled = [p.filled for p in points]
    ax.step(x, authorized, where="post", color=AUTHORIZED, linewidth=1.6, label="Authorized")
    ax.step(x, filled, where="post", color=SERIES, linewidth=1.6, label="Filled")
    ax.fill_between(x, filled, authorized, step="post", color=VACANT, alpha=0.5,
                    label="Vacant")
    ax.set_ylim(0, max(authorized) + 1)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("Positions", color=MUTED, fontsize=9)
    _dates(ax)
    ax.set_xlim(x[0], x[-1])
    marked = mark_events(ax, events, points[0].day, points[-1].day)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), fontsize=8, frameon=False,
              ncol=legend_columns)
    return marked


def draw_forecast(fig: Figure, forecast: Forecast) -> None:
    """Vacancies expected each month for a year against the hires the pipeline projects."""
    fig.clear()
    ax = fig.add_subplot(1, 1, 1)
    style_axes(ax)
    days = [p.day for p in forecast.points]
    x = date2num(days)
    ax.bar(x, [p.vacancies for p in forecast.points], width=20, color=VACANT,
           label="Vacancies expected")
    ax.step(x, [p.hires for p in forecast.points], where="mid", color=HIRES, linewidth=2,
            label="Projected hires, cumulative")
    top = max([p.vacancies for p in forecast.points] + [forecast.hires, 1.0])
    ax.set_ylim(0, top * 1.2)
    ax.set_ylabel("People", color=MUTED, fontsize=9)
    _dates(ax)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), fontsize=8, frameon=False,
              ncol=2)
