"""Where each post sits on the reporting-structure chart, from the records alone.

Levels follow the solid reporting lines (a post sits one level under the lowest of the
posts it reports to); dotted lines are drawn but do not place anything. No matplotlib
here: reports/governance_chart.py draws the layout, so a report and the Program page
draw the same chart.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.data.governance_enums import PostKind
from console.services.governance.flags import Flag, governance_flags
from console.services.governance.records import Governance, PostRow
from console.services.indicators.model import Severity

X_STEP, Y_STEP = 1.35, 1.0  # centre to centre, in box widths and level heights


@dataclass(frozen=True)
class ChartNode:
    post_id: int
    title: str
    holder: str  # "Deputy Chief Ana Reyes (acting)" or "Vacant"
    detail: str  # "Sworn · Port Alder Police Department · since 2024-03-01"
    severity: Severity  # the worst flag on the post (OK without one)
    x: float
    y: float  # 0 at the top, growing downward


@dataclass(frozen=True)
class ChartEdge:
    line_id: int
    post_id: int  # who reports
    reports_to_id: int
    dotted: bool


@dataclass(frozen=True)
class ChartLayout:
    title: str
    as_of_text: str
    nodes: tuple[ChartNode, ...]
    edges: tuple[ChartEdge, ...]

    @property
    def width(self) -> int:
        """The most boxes on one level."""
        levels: dict[float, int] = {}
        for n in self.nodes:
            levels[n.y] = levels.get(n.y, 0) + 1
        return max(levels.values(), default=1)

    @property
    def depth(self) -> int:
        return len({n.y for n in self.nodes}) or 1

    def node(self, post_id: int) -> ChartNode:
        return next(n for n in self.nodes if n.post_id == post_id)


def chart_layout(g: Governance, flags: tuple[Flag, ...] | None = None) -> ChartLayout:
    """Place every post of `g` with its holder as of `g.as_of`."""
    flags = governance_flags(g) if flags is None else flags
    bosses = {p.id: [x.reports_to_id for x in g.lines if x.post_id == p.id and not x.dotted]
              for p in g.posts}
    level: dict[int, int] = {}

    def level_of(post_id: int, path: frozenset[int] = frozenset()) -> int:
        if post_id not in level:
            ups = [b for b in bosses.get(post_id, []) if b not in path and b in bosses]
            level[post_id] = 1 + max((level_of(b, path | {post_id}) for b in ups), default=-1)
        return level[post_id]

    by_level: dict[int, list[PostRow]] = {}
    for p in g.posts:
        by_level.setdefault(level_of(p.id), []).append(p)
    xs: dict[int, float] = {}
    width = max((len(v) for v in by_level.values()), default=1)
    for lv in sorted(by_level):
        def anchor(p: PostRow) -> float:
            ups = [xs[b] for b in bosses[p.id] if b in xs]
            return sum(ups) / len(ups) if ups else 0.0
        row = sorted(by_level[lv], key=lambda p: (anchor(p), list(PostKind).index(p.kind)))
        left = (width - len(row)) / 2
        for i, p in enumerate(row):
            xs[p.id] = (left + i) * X_STEP
    nodes = tuple(ChartNode(p.id, p.title, *_holder_text(p, g), _severity(p, flags),
                            xs[p.id], level[p.id] * Y_STEP) for p in g.posts)
    edges = tuple(ChartEdge(x.id, x.post_id, x.reports_to_id, x.dotted) for x in g.lines)
    model = f" · {g.model.label} model" if g.model else ""
    return ChartLayout(f"{g.program}{model}", f"Reporting structure as of {g.as_of:%d %B %Y}",
                       nodes, edges)


def _holder_text(p: PostRow, g: Governance) -> tuple[str, str]:
    h = p.holder
    if h is None:
        return "Vacant", ""
    parts = ["Sworn" if h.sworn else "Civilian"]
    if h.agency:
        parts.append(h.agency)
    parts.append(f"since {h.since_on:%Y-%m-%d}")
    return h.described, " · ".join(parts)


def _severity(p: PostRow, flags: tuple[Flag, ...]) -> Severity:
    return max((f.severity for f in flags if f.post_kind is p.kind and p.kind.required),
               default=Severity.OK)
