"""Outcome charts on a plain matplotlib Figure (no Qt, Agg-safe): monthly trends,
demand by hour of week, the disposition mix. Shared by the Calls & outcomes page and
the documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from matplotlib.dates import DateFormatter, MonthLocator, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from console.data.enums import Disposition
from console.reports.charts import GRID, INK, MUTED, style_axes
from console.services.outcomes_service import (
    CUSTODY,
    ED,
    HOLDS,
    PATROL_HOURS,
    RESOLVED,
    DispositionMix,
    HourOfWeek,
    MonthOutcomes,
)

# Colour-blind-safe (Okabe-Ito) hues, one per measure wherever it is drawn.
TREND_COLOURS = {
    RESOLVED: "#009E73",
    CUSTODY: "#D55E00",
    HOLDS: "#CC79A7",
    ED: "#0072B2",
}
WITH_UNIT = "#1d4ed8"
WITHOUT_UNIT = "#9ca3af"
HOURS_COLOUR = "#93c5fd"
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Months with fewer co-responses than this get a hollow marker: their rate is noisy.
FEW_CALLS = 20


def _empty(fig: Figure, text: str) -> None:
    ax = fig.add_subplot(1, 1, 1)
    ax.text(0.5, 0.5, text, ha="center", va="center", color=MUTED, transform=ax.transAxes)
    ax.set_axis_off()


def _month_axis(ax, months: Sequence[dt.date]) -> None:  # type: ignore[no-untyped-def]
    step = 1 if len(months) <= 14 else 3 if len(months) <= 40 else 6
    ax.xaxis.set_major_locator(MonthLocator(interval=step))
    ax.xaxis.set_major_formatter(DateFormatter("%b\n%Y" if step > 1 else "%b\n%y"))
    pad = 20
    ax.set_xlim(date2num(months[0]) - pad, date2num(months[-1]) + pad)


def draw_monthly_outcomes(fig: Figure, months: Sequence[MonthOutcomes]) -> None:
    """Monthly trends of co-responses: resolved on scene (top); arrests, holds and ED
    transports (middle, their own scale: a few percent each); patrol hours returned (bottom).

    A month with fewer than FEW_CALLS usable calls draws a hollow marker: a noisy rate.
    """
    fig.clear()
    if not months:
        _empty(fig, "No calls in this period")
        return
    top, middle, bottom = fig.subplots(
        3, 1, sharex=True, gridspec_kw={"height_ratios": [1.2, 1.6, 1.0]})
    for ax in (top, middle, bottom):
        style_axes(ax)
    x = date2num([m.month for m in months])
    for ax, keys in ((top, (RESOLVED,)), (middle, (CUSTODY, HOLDS, ED))):
        highest = 0.0
        for key in keys:
            measures = [m.measure(key) for m in months]
            values = [m.value if m.value is not None else float("nan") for m in measures]
            highest = max([highest, *(v for v in values if v == v)])
            colour = TREND_COLOURS[key]
            ax.plot(x, values, color=colour, linewidth=1.6, label=measures[0].label)
            solid = [i for i, m in enumerate(measures) if m.denominator >= FEW_CALLS]
            hollow = [i for i, m in enumerate(measures) if 0 < m.denominator < FEW_CALLS]
            ax.plot(x[solid], [values[i] for i in solid], linestyle="none", marker="o",
                    markersize=3.5, color=colour)
            ax.plot(x[hollow], [values[i] for i in hollow], linestyle="none", marker="o",
                    markersize=4.5, markerfacecolor="white", color=colour)
        ax.set_ylim(0, min(1.0, max(0.05, highest * 1.25)))
        ax.yaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 5, 10]))
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    top.set_title("Share of co-responses, by month", color=MUTED, fontsize=9, loc="left")

    hours = [m.measure(PATROL_HOURS).value or 0.0 for m in months]
    bottom.bar(x, hours, width=20, color=HOURS_COLOUR, label="Patrol hours returned")
    bottom.yaxis.set_major_locator(MaxNLocator(3, integer=True))
    bottom.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    bottom.set_ylabel("Hours", color=MUTED, fontsize=9)
    bottom.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    _month_axis(bottom, [m.month for m in months])


def draw_hour_of_week(fig: Figure, demand: HourOfWeek) -> None:
    """Demand as a 7 x 24 heat map: calls per week in each hour (local time as recorded)."""
    fig.clear()
    if demand.total == 0:
        _empty(fig, "No calls in this period")
        return
    ax = fig.add_subplot(1, 1, 1)
    weeks = demand.weeks if demand.weeks >= 1 else 1.0
    per_week = [[n / weeks for n in row] for row in demand.counts]
    image = ax.imshow(per_week, aspect="auto", cmap="YlOrRd", interpolation="nearest",
                      vmin=0)
    ax.set_yticks(range(7), DAYS)
    ax.set_xticks(range(0, 24, 3), [f"{h:02d}:00" for h in range(0, 24, 3)])
    ax.set_xticks([h - 0.5 for h in range(25)], minor=True)
    ax.set_yticks([d - 0.5 for d in range(8)], minor=True)
    ax.grid(which="minor", color="white", linewidth=0.8)
    ax.tick_params(which="minor", length=0)
    ax.tick_params(colors=INK, labelsize=9, length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    label = "Calls per week" if demand.weeks >= 1 else "Calls"
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label(label, color=MUTED, fontsize=9)
    bar.ax.tick_params(labelsize=8, colors=MUTED)
    bar.outline.set_visible(False)
    peak_day, peak_hour = max(((d, h) for d in range(7) for h in range(24)),
                              key=lambda dh: per_week[dh[0]][dh[1]])
    ax.set_title(f"Busiest hour: {DAYS[peak_day]} {peak_hour:02d}:00\u2013{peak_hour + 1:02d}:00",
                 color=MUTED, fontsize=9, loc="left")


def draw_disposition_mix(fig: Figure, mix: DispositionMix) -> None:
    """How calls ended: shares by disposition, co-responses beside calls without the unit."""
    fig.clear()
    attended = DispositionMix.shares(mix.attended)
    without = DispositionMix.shares(mix.without_unit)
    if not attended and not without:
        _empty(fig, "No calls in this period")
        return
    ax = fig.add_subplot(1, 1, 1)
    style_axes(ax)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color=GRID, linewidth=0.8)
    keys = [d for d, _ in mix.attended] + [d for d, _ in mix.without_unit]
    order = list(dict.fromkeys(k for k in (*Disposition, None) if k in keys))
    labels = [d.label if d is not None else "Blank" for d in order]
    y = list(range(len(order)))
    height = 0.38
    n_on = sum(n for _, n in mix.attended)
    n_off = sum(n for _, n in mix.without_unit)
    ax.barh([i - height / 2 for i in y], [attended.get(d, 0.0) for d in order], height,
            color=WITH_UNIT, label=f"Co-responses ({n_on:,})")
    ax.barh([i + height / 2 for i in y], [without.get(d, 0.0) for d in order], height,
            color=WITHOUT_UNIT, label=f"Without the unit ({n_off:,})")
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.tick_params(axis="y", colors=INK)
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), fontsize=8, frameon=False, ncol=2)
