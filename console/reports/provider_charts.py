"""Provider scorecard charts on a plain matplotlib Figure (no Qt, Agg-safe): a provider's
(or the network's) referrals month by month and how often it answered."""

from __future__ import annotations

from matplotlib.dates import DateFormatter, MonthLocator, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from console.reports.charts import INK, MUTED, style_axes
from console.services.referrals.scorecard import ScoreLine

# Colour-blind-safe (Okabe-Ito) hues.
WARM = "#0072B2"
INFO_ONLY = "#9ca3af"
REACHED = "#009E73"
AFTER_HOURS = "#D55E00"
FLAG = "#b91c1c"
# A month with fewer after-hours referrals than this draws a hollow marker: a share of
# two or three is noise.
FEW_AFTER_HOURS = 4


def draw_provider_trend(fig: Figure, line: ScoreLine) -> None:
    """Referrals per month (warm handoffs and information only, stacked, top) and the
    shares reached and answered after hours (bottom)."""
    fig.clear()
    months = [p.month for p in line.trend]
    if not months or not line.counts.referrals:
        ax = fig.add_subplot(1, 1, 1)
        ax.text(0.5, 0.5, f"No referrals to {line.name} in this period", ha="center",
                va="center", color=MUTED, transform=ax.transAxes)
        ax.set_axis_off()
        return
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [1, 1.3]})
    for ax in (top, bottom):
        style_axes(ax)
    x = date2num(months)
    warm = [p.counts.warm for p in line.trend]
    info = [p.counts.referrals - p.counts.warm for p in line.trend]
    width = 20 if len(months) > 1 else 10
    top.bar(x, warm, width=width, color=WARM, label="Warm handoffs")
    top.bar(x, info, width=width, bottom=warm, color=INFO_ONLY, label="Information only")
    top.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    top.set_ylabel("Referrals", color=MUTED, fontsize=9)
    top.legend(loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=8, frameon=False, ncols=2)
    title = line.name + ("  —  flagged: stopped answering after hours" if line.flagged else "")
    top.set_title(title, loc="left", fontsize=10, color=FLAG if line.flagged else INK,
                  pad=22)

    reached = [_nan(p.counts.reached_share) for p in line.trend]
    after = [_nan(p.counts.after_hours_answered_share) for p in line.trend]
    bottom.plot(x, reached, color=REACHED, linewidth=1.6, marker="o", markersize=4,
                label="Reached in real time")
    bottom.plot(x, after, color=AFTER_HOURS, linewidth=1.6, label="After hours answered")
    solid = [i for i, p in enumerate(line.trend) if p.counts.after_hours >= FEW_AFTER_HOURS]
    hollow = [i for i, p in enumerate(line.trend)
              if 0 < p.counts.after_hours < FEW_AFTER_HOURS]
    bottom.plot([x[i] for i in solid], [after[i] for i in solid], linestyle="none",
                marker="o", markersize=4, color=AFTER_HOURS)
    if hollow:
        bottom.plot([x[i] for i in hollow], [after[i] for i in hollow], linestyle="none",
                    marker="o", markersize=5, markerfacecolor="white", color=AFTER_HOURS,
                    label=f"fewer than {FEW_AFTER_HOURS} after-hours referrals")
    bottom.set_ylim(0, 1.05)
    bottom.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    bottom.legend(loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=8, frameon=False,
                  ncols=3)
    step = 1 if len(months) <= 14 else 3 if len(months) <= 40 else 6
    bottom.xaxis.set_major_locator(MonthLocator(interval=step))
    bottom.xaxis.set_major_formatter(DateFormatter("%b\n%Y" if step > 1 else "%b\n%y"))
    bottom.set_xlim(x[0] - 20, x[-1] + 20)


def _nan(value: float | None) -> float:
    return float("nan") if value is None else value
