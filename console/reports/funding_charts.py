"""Funding by source over time, month by month, with the grant cliffs marked: on a plain
matplotlib Figure (the Program page now, the budget-defense packet later)."""

from __future__ import annotations

import datetime as dt

from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import blended_transform_factory

from console.reports.charts import INK, MUTED, style_axes
from console.services.funding.runway import CRITICAL_DAYS, WARNING_DAYS, Funding, Term

# One colour per source, in the order the sources are listed; more sources reuse them.
PALETTE = ("#1d4ed8", "#059669", "#d97706", "#7c3aed", "#0891b2", "#be185d", "#4d7c0f")
CRITICAL, WARNING, TODAY = "#b91c1c", "#d97706", "#111827"


def month_starts(first: dt.date, count: int) -> list[dt.date]:
    out, day = [], first.replace(day=1)
    for _ in range(count):
        out.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


def _paid_share(term: Term, month: dt.date, pending_granted: bool) -> float:
    """The share of the month's days the source pays."""
    following = month_starts(month, 2)[1]
    days = (following - month).days
    paid = sum(term.pays_on(month + dt.timedelta(days=i), pending_granted) for i in range(days))
    return paid / days


def draw_funding(fig: Figure, funding: Funding, as_of: dt.date, months_before: int = 24,
                 months_after: int = 24) -> list[Term]:
    """Monthly funding by source (stacked bars, thousands of dollars) from
    `months_before` before the as-of day to `months_after` after it. Pending renewals
    show hatched past their end date: money asked for, not granted. Each source ending
    in the window without renewal gets a dashed line at its end, red within 90 days of
    the as-of day, amber within 180, numbered at the top. Returns the sources marked in
    number order (soonest first), so a caption can name them."""
    fig.clear()
    ax = fig.add_subplot()
    style_axes(ax)
    months = month_starts(dt.date(as_of.year, as_of.month, 1) - dt.timedelta(
        days=int(months_before * 30.44)), months_before + months_after + 1)
    x = [date2num(m + dt.timedelta(days=14)) for m in months]
    bottom = [0.0] * len(months)
    terms = sorted(funding.terms, key=lambda t: (t.end_on is not None, t.name))
    for n, term in enumerate(terms):
        colour = PALETTE[n % len(PALETTE)]
        monthly = term.annual_cents / 100 / 12 / 1000
        sure = [monthly * _paid_share(term, m, False) for m in months]
        ax.bar(x, sure, width=31, bottom=bottom, color=colour, label=term.name,
               linewidth=0)
        bottom = [b + s for b, s in zip(bottom, sure, strict=True)]
        hoped = [monthly * _paid_share(term, m, True) - s for m, s in zip(months, sure,
                                                                         strict=True)]
        if any(h > 0 for h in hoped):
            ax.bar(x, hoped, width=31, bottom=bottom, color="white", edgecolor=colour,
                   hatch="///", linewidth=0.6, label=f"{term.name}: renewal pending")
            bottom = [b + h for b, h in zip(bottom, hoped, strict=True)]
    first, last = months[0], month_starts(months[-1], 2)[1]
    top = blended_transform_factory(ax.transData, ax.transAxes)
    marked = [t for t in funding.terms
              if t.end_on is not None and first <= t.end_on < last
              and t.pays_until(pending_granted=False) is not None]
    marked.sort(key=lambda t: t.end_on or dt.date.max)
    for term in marked:
        assert term.end_on is not None
        days = (term.end_on - as_of).days
        colour = (CRITICAL if 0 <= days <= CRITICAL_DAYS else WARNING
                  if 0 <= days <= WARNING_DAYS else MUTED)
        end = date2num(term.end_on)
        ax.axvline(end, color=colour, linestyle="--", linewidth=1.4)
        ax.text(end, 1.0, str(marked.index(term) + 1), transform=top, ha="center",
                va="bottom", fontsize=8, color="white", fontweight="bold",
                bbox={"boxstyle": "circle,pad=0.25", "facecolor": colour, "edgecolor": "none"})
    ax.axvline(date2num(as_of), color=TODAY, linewidth=1.0)
    ax.text(date2num(as_of), 0.99, f" {as_of:%d %b %Y}", transform=top, ha="left", va="top",
            fontsize=8, color=INK)
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"${v:,.0f}k"))
    ax.set_ylabel("funding a month", color=MUTED, fontsize=9)
    ax.set_xlim(date2num(first), date2num(last))
    if terms:
        # Under the plot, not beside it: grant names are long, and beside a narrow window's
        # chart they left the bars a third of its width.
        handles, labels = ax.get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=min(3, len(labels)),
                   fontsize=8, frameon=False)
    else:
        ax.text(0.5, 0.5, "No funding sources recorded", transform=ax.transAxes,
                ha="center", color=MUTED)
    return marked
