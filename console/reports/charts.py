"""Charts drawn on a plain matplotlib Figure, shared by the screens and the documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from console.data.enums import EventKind
from console.services.dashboard_service import WeeklySeries
from console.services.program_service import ProgramEventRow

INK = "#1f2937"
MUTED = "#6b7280"
GRID = "#e5e7eb"
SERIES = "#1d4ed8"
MARKER_COLOURS = {
    EventKind.LEADERSHIP_CHANGE: "#b91c1c",
    EventKind.SCHEDULE_CHANGE: "#d97706",
    EventKind.OFFICE_MOVE: "#7c3aed",
}
VISIBILITY_COLOUR = "#059669"


def style_axes(ax) -> None:  # type: ignore[no-untyped-def]
    ax.spines[["top", "right"]].set_visible(False)
    ax.spines[["left", "bottom"]].set_color(GRID)
    ax.tick_params(colors=MUTED, labelsize=9)
    ax.grid(axis="y", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)


def structural_events(events: Sequence[ProgramEventRow]) -> list[ProgramEventRow]:
    """The events drawn as numbered markers, oldest first (number = position + 1)."""
    return [e for e in events if e.kind in MARKER_COLOURS]


def draw_weekly_calls(
    fig: Figure, series: WeeklySeries, events: Sequence[ProgramEventRow],
    legend_columns: int = 5,
) -> list[ProgramEventRow]:
    """Calls per complete week, structural events as numbered lines, visibility work as ticks.

    Returns the numbered events so a caption or a table can explain the numbers. A narrow
    figure needs fewer legend columns: a legend wider than the axes squeezes them to nothing.
    """
    fig.clear()
    ax = fig.add_subplot(1, 1, 1)
    style_axes(ax)
    weeks = list(series.weeks)
    counts = list(series.counts)
    if series.last_week_partial:  # a half week would read as a collapse
        weeks, counts = weeks[:-1], counts[:-1]
    if not weeks:
        ax.text(0.5, 0.5, "No calls recorded yet", ha="center", va="center",
                color=MUTED, transform=ax.transAxes)
        ax.set_axis_off()
        return []
    ax.plot(date2num(weeks), counts, color=SERIES, linewidth=1.4, label="Calls per week")
    ax.set_ylim(bottom=0, top=max(counts) * 1.12)
    ax.set_ylabel("Calls per week", color=MUTED, fontsize=9)
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.set_xlim(date2num(weeks[0] - dt.timedelta(days=7)),
                date2num(weeks[-1] + dt.timedelta(days=7)))

    marked = [e for e in structural_events(events) if weeks[0] <= e.occurred_on]
    top_band = blended_transform_factory(ax.transData, ax.transAxes)
    seen: set[EventKind] = set()
    for number, event in enumerate(marked, start=1):
        colour = MARKER_COLOURS[event.kind]
        x = date2num(event.occurred_on)
        ax.axvline(x, color=colour, linewidth=1.1, linestyle="--",
                   label=None if event.kind in seen else event.kind.label)
        seen.add(event.kind)
        ax.text(x, 1.0, str(number), transform=top_band, ha="center",
                va="bottom", fontsize=8, color="white", fontweight="bold",
                bbox={"boxstyle": "circle,pad=0.25", "facecolor": colour, "edgecolor": "none"})
    visibility = [e.occurred_on for e in events
                  if e.kind.is_visibility and weeks[0] <= e.occurred_on]
    if visibility:
        ax.plot(date2num(visibility), [0.012] * len(visibility), transform=top_band,
                linestyle="none", marker="|", markersize=7, color=VISIBILITY_COLOUR, alpha=0.7,
                label="Briefing, ride-along or training")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), fontsize=8, frameon=False,
              ncol=legend_columns)
    return marked
