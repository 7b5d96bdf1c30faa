"""The reporting-structure chart: a box per post (its holder named) and a line per
reporting line, drawn on a plain matplotlib Figure (no Qt), so the Program page, the
command line and the reports draw the same chart.

Every box and line carries a gid ("post-ID", "line-ID"): in an SVG they are groups a
test, or a reader of the file, can find.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch

from console.reports.charts import INK, MUTED
from console.reports.indicator_style import SEVERITY_COLOURS
from console.services.governance.chart import ChartLayout, ChartNode
from console.services.indicators.model import Severity

BOX_W, BOX_H = 1.12, 0.62  # in the layout's units (X_STEP 1.35 between centres)
LINE = "#475569"
FORMATS = (".svg", ".png")


def figure_size(layout: ChartLayout) -> tuple[float, float]:
    """Inches wide and high for a layout: about 2.5 in per box across, 1.5 per level."""
    return max(6.0, 2.5 * layout.width), 0.9 + 1.5 * layout.depth


def draw_governance_chart(figure: Figure, layout: ChartLayout) -> None:
    """Draw the chart on `figure` (cleared first)."""
    figure.clear()
    ax = figure.add_subplot()
    ax.set_axis_off()
    ax.set_title(f"{layout.title}\n{layout.as_of_text}", fontsize=10, color=INK, loc="left")
    if not layout.nodes:
        ax.text(0.5, 0.5, "No posts recorded yet: name the program owner first.",
                ha="center", va="center", color=MUTED, fontsize=10, transform=ax.transAxes)
        return
    for edge in layout.edges:
        _draw_edge(ax, layout.node(edge.post_id), layout.node(edge.reports_to_id),
                   edge.dotted, f"line-{edge.line_id}")
    for node in layout.nodes:
        _draw_box(ax, node)
    xs = [n.x for n in layout.nodes]
    ys = [n.y for n in layout.nodes]
    ax.set_xlim(min(xs) - BOX_W / 2 - 0.08, max(xs) + BOX_W / 2 + 0.08)
    ax.set_ylim(max(ys) + BOX_H / 2 + 0.08, min(ys) - BOX_H / 2 - 0.08)  # top level up


def _draw_box(ax, node: ChartNode) -> None:  # type: ignore[no-untyped-def]
    flagged = node.severity > Severity.OK
    colours = SEVERITY_COLOURS[node.severity]
    box = FancyBboxPatch((node.x - BOX_W / 2, node.y - BOX_H / 2), BOX_W, BOX_H,
                         boxstyle="round,pad=0,rounding_size=0.05",
                         facecolor=colours.soft if flagged else "white",
                         edgecolor=colours.strong if flagged else LINE,
                         linewidth=2.0 if flagged else 1.0, zorder=2)
    box.set_gid(f"post-{node.post_id}")
    ax.add_patch(box)
    title = node.title + (f"  [{node.severity.label}]" if flagged else "")
    ax.text(node.x, node.y - BOX_H / 2 + 0.09, title, ha="center", va="top", fontsize=8,
            color=MUTED, zorder=3, gid=f"post-{node.post_id}-title")
    ax.text(node.x, node.y, "\n".join(textwrap.wrap(node.holder, 30)[:2]), ha="center",
            va="center", fontsize=9, fontweight="bold", color=INK, zorder=3,
            gid=f"post-{node.post_id}-holder")
    if node.detail:
        ax.text(node.x, node.y + BOX_H / 2 - 0.07, "\n".join(textwrap.wrap(node.detail, 42)[:2]),
                ha="center", va="bottom", fontsize=6.5, color=MUTED, zorder=3,
                gid=f"post-{node.post_id}-detail")


def _draw_edge(ax, low: ChartNode, high: ChartNode, dotted: bool,  # type: ignore[no-untyped-def]
               gid: str) -> None:
    """An elbow from the top of the one who reports to the bottom of the one above; a
    dotted line between posts on one level runs side to side."""
    if abs(low.y - high.y) < 1e-9:
        side = 1 if high.x > low.x else -1
        xs = [low.x + side * BOX_W / 2, high.x - side * BOX_W / 2]
        ys = [low.y, high.y]
    else:
        mid = (low.y - BOX_H / 2 + high.y + BOX_H / 2) / 2
        xs = [low.x, low.x, high.x, high.x]
        ys = [low.y - BOX_H / 2, mid, mid, high.y + BOX_H / 2]
    line = Line2D(xs, ys, color=LINE, linewidth=1.2, zorder=1, gid=gid)
    if dotted:
        line.set_linestyle((0, (2, 2)))
    ax.add_line(line)


def new_chart_figure(layout: ChartLayout) -> Figure:
    figure = Figure(figsize=figure_size(layout), dpi=100, facecolor="white",
                    layout="constrained")
    draw_governance_chart(figure, layout)
    return figure


def save_chart(layout: ChartLayout, path: Path) -> Path:
    """Write the chart to `path`: SVG (text kept as text) or PNG (150 dpi), by suffix."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        from console.errors import UserError

        raise UserError(f"{path.name}: write the chart as .svg or .png")
    figure = new_chart_figure(layout)
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "governance"}):
        figure.savefig(path, format=suffix[1:], dpi=150)
    return path


def save_chart_files(layout: ChartLayout, stem: Path) -> tuple[Path, Path]:
    """Write the chart both ways, `stem`.svg and `stem`.png (for a report's folder)."""
    return (save_chart(layout, stem.with_suffix(".svg")),
            save_chart(layout, stem.with_suffix(".png")))
