"""Charts drawn on a plain matplotlib Figure, shared by the screens and the documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

from console.data.enums import EventKind
from console.services.dashboard_service import WeeklySeries
from console.services.program_service import ProgramEventRow

INK = "#1f2937"
MUTED = "#6b7280"
GRID = "#e5e7eb"
SERIES = "#1d4ed8"
MARKER_COLOURS = {
    EventKind.LEADERSHIP_CHANGE: "#b91c1c",
    EventKind.SCHEDULE_CHANGE: "#c2410c",
    EventKind.OFFICE_MOVE: "#7c3aed",
}
VISIBILITY_COLOUR = "#059669"


def style_axes(ax) -> None:  # type: ignore[no-untyped-def]
    ax.spines[["top", "right"]].set_visible(False)
    ax.spines[["left", "bottom"]].set_color(GRID)
    ax.tick_params(colors=MUTED, labelsize=9)
    ax.grid(axis="y", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)


def draw_weekly_calls(
    fig: Figure, series: WeeklySeries, events: Sequence[ProgramEventRow]
) -> None:
    """Calls per week with structural events as labelled lines and visibility work as ticks."""
    fig.clear()
    ax = fig.add_subplot(1, 1, 1)
    style_axes(ax)
    if not series.weeks:
        ax.text(0.5, 0.5, "No calls recorded yet", ha="center", va="center",
                color=MUTED, transform=ax.transAxes)
        ax.set_xticks([])
        ax.set_yticks([])
        return
    weeks = list(series.weeks)
    counts = list(series.counts)
    if series.last_week_partial and len(weeks) > 1:
        ax.plot(weeks[-2:], counts[-2:], color=SERIES, linewidth=1.2, linestyle=":")
        weeks, counts = weeks[:-1], counts[:-1]
    ax.plot(weeks, counts, color=SERIES, linewidth=1.4, label="Calls per week")
    ax.set_ylim(bottom=0, top=max(series.counts) * 1.22)
    ax.set_ylabel("Calls per week", color=MUTED, fontsize=9)
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))

    top = ax.get_ylim()[1]
    seen: set[EventKind] = set()
    for event in events:
        if event.kind in MARKER_COLOURS:
            colour = MARKER_COLOURS[event.kind]
            ax.axvline(event.occurred_on, color=colour, linewidth=1.1, linestyle="--",
                       label=None if event.kind in seen else event.kind.label)
            seen.add(event.kind)
            ax.annotate(event.title, (event.occurred_on, top * 0.97), rotation=90,
                        fontsize=7.5, color=colour, ha="right", va="top",
                        xytext=(-2, 0), textcoords="offset points")
    visibility = [e.occurred_on for e in events if e.kind.is_visibility]
    if visibility:
        ax.plot(visibility, [top * 0.015] * len(visibility), linestyle="none", marker="|",
                markersize=7, color=VISIBILITY_COLOUR, alpha=0.7,
                label="Briefing, ride-along or training")
    ax.legend(loc="upper left", fontsize=8, frameon=False, ncol=4)
    ax.set_xlim(weeks[0] - dt.timedelta(days=7), series.weeks[-1] + dt.timedelta(days=7))
