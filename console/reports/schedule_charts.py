"""The coverage heat maps: crisis calls by hour of week beside staffed co-responder hours."""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.services.schedule.coverage import WEEKDAYS, Coverage

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def draw_coverage(figure: Figure, c: Coverage) -> None:
    """Two heat maps on one hour-of-week grid, so a cold staffed cell under a hot demand
    cell is the gap to read."""
    figure.clear()
    demand_ax, staffed_ax = figure.subplots(1, 2, sharey=True)
    for ax, grid, title, cmap in (
        (demand_ax, c.demand_by_hour, f"In-scope calls by hour of week ({c.demand_calls:,})",
         "Reds"),
        (staffed_ax, c.staffed_by_hour,
         f"Staffed co-responder hours ({c.staffed_hours:,.0f} h)", "Blues"),
    ):
        image = ax.imshow(grid, aspect="auto", cmap=cmap, interpolation="nearest")
        ax.set_title(title, fontsize=9)
        ax.set_xticks(range(0, 24, 3), [f"{h:02d}" for h in range(0, 24, 3)], fontsize=8)
        ax.set_yticks(range(7), WEEKDAYS, fontsize=8)
        ax.set_xlabel("hour of day", fontsize=8)
        figure.colorbar(image, ax=ax, shrink=0.8)
    for u in c.uncovered_hours[:5]:
        demand_ax.add_patch(_outline(u.hour, u.weekday))


def _outline(hour: int, weekday: int) -> object:
    from matplotlib.patches import Rectangle

    return Rectangle((hour - 0.5, weekday - 0.5), 1, 1, fill=False, edgecolor="black",
                     linewidth=1.2)
