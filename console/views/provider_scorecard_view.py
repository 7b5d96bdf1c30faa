"""The Scorecard tab of the Referrals page: providers ranked by how they answered the
unit's referrals in a period, the ones that stopped answering after hours flagged, and a
chart for the provider chosen (the whole network until one is)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from console.services.populations import Period
from console.views.chart_box import ChartBox, import_matplotlib
from console.views.latest import LatestOnly
from console.views.measure_tile import percent
from console.views.period_bar import PeriodBar
from console.views.record_table import RecordTable
from console.views.record_table_model import Column

if TYPE_CHECKING:
    from console.services.access import Access
    from console.services.referrals.scorecard import Scorecard, ScoreLine
    from console.views.page import Page


class Share(float):
    """A share that sorts as a number and reads as a percentage ("—" for none)."""

    @property
    def label(self) -> str:
        return percent(self) if self == self else "—"


def _share(value: float | None) -> Share:
    return Share(float("nan") if value is None else value)


class Hours(float):
    @property
    def label(self) -> str:
        return f"{self:.1f}" if self == self else "—"


def _hours(value: float | None) -> Hours:
    return Hours(float("nan") if value is None else value)


def _flagged(line: ScoreLine) -> bool:
    return line.flagged


SCORE_COLUMNS: list[Column[ScoreLine]] = [
    Column("Rank", lambda s: s.rank,
           "By the share reached in real time, then after hours, then hours to first "
           "service; fewer than 5 referrals: not ranked"),
    Column("Provider", lambda s: s.name + (" (retired)" if s.retired else ""),
           alert=_flagged),
    Column("Referrals", lambda s: s.counts.referrals),
    Column("Warm", lambda s: _share(s.counts.warm_share), "Share that were warm handoffs"),
    Column("Reached", lambda s: _share(s.counts.reached_share),
           "Share where the provider was reached then (not recorded counts as not reached)"),
    Column("After hours answered", lambda s: _share(s.counts.after_hours_answered_share),
           "Of the referrals made outside 08:00-18:00 on weekdays, the share reached",
           alert=_flagged),
    Column("After-hours referrals", lambda s: s.counts.after_hours),
    Column("Median h to service", lambda s: _hours(s.counts.median_hours_to_service),
           "Median hours from the call to the first service, over those with one"),
    Column("Accepted", lambda s: _share(s.counts.acceptance_share),
           "Of the referrals whose result is known"),
    Column("No-show", lambda s: _share(s.counts.no_show_share),
           "Of the referrals whose result is known"),
    Column("Flag", lambda s: s.flag_reason or None,
           "A provider that stopped answering after hours: its last 8 weeks against the "
           "rest of the period (from 8 after-hours referrals)", alert=_flagged),
]


def network_sentence(card: Scorecard) -> str:
    c = card.network.counts
    if not c.referrals:
        return "No referrals in this period."
    hours = c.median_hours_to_service
    text = (f"Whole network: {c.referrals:,} referrals, {_share(c.warm_share).label} warm "
            f"handoffs, {_share(c.reached_share).label} reached in real time, "
            f"{_share(c.after_hours_answered_share).label} of {c.after_hours:,} after-hours "
            "referrals answered, median "
            f"{'—' if hours is None else f'{hours:.1f}'} h from call to first service.")
    flagged = card.flagged
    if flagged:
        text += (f" {len(flagged)} provider{'s' if len(flagged) != 1 else ''} stopped "
                 "answering after hours: " + "; ".join(f"{p.name} {p.flag_reason}"
                                                       for p in flagged) + ".")
    return text


class ScorecardTab(QWidget):
    """The ranked scorecard for the period chosen, with a chart for the chosen row."""

    def __init__(self, page: Page, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scorecardTab")
        self.page = page
        self._latest = LatestOnly(page.load)
        self.card: Scorecard | None = None
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 8, 0, 0)
        top = QHBoxLayout()
        self.period_bar = PeriodBar()
        self.period_bar.combo.setToolTip("The referrals counted, by the day they were made")
        self.period_bar.changed.connect(lambda _p: self.refresh())
        top.addWidget(self.period_bar)
        top.addStretch(1)
        box.addLayout(top)
        self.summary = QLabel("Loading…")
        self.summary.setObjectName("muted")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        box.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        self.table = RecordTable(SCORE_COLUMNS, stretch=len(SCORE_COLUMNS) - 1)
        self.table.setObjectName("scorecardTable")
        self.table.keep_rows(4)
        self.table.setToolTip("Choose a provider to see its months below")
        self.table.selectionModel().selectionChanged.connect(self._draw)
        split.addWidget(self.table)
        self.chart = ChartBox("providerTrendChart", min_height=240)
        split.addWidget(self.chart)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        box.addWidget(split, 1)

    def refresh(self) -> None:
        from console.services.referrals.scorecard import provider_scorecard

        period: Period = self.period_bar.period()

        def query(access: Access) -> Scorecard:
            import_matplotlib()
            import console.reports.provider_charts  # noqa: F401  (off the GUI thread)

            return provider_scorecard(access, period.start, period.end)

        self._latest.restart()
        self._latest.load(query, self._show)

    def _show(self, card: Scorecard) -> None:
        self.card = card
        self.table.set_rows(card.providers)
        self.summary.setText(network_sentence(card))
        self._draw()

    def chosen(self) -> ScoreLine | None:
        """The row chosen in the table, else the whole network."""
        if self.card is None:
            return None
        picked = self.table.selectionModel().selectedRows()
        if not picked:
            return self.card.network
        row: ScoreLine = self.table.source.rows[
            self.table.proxy.mapToSource(picked[0]).row()]
        return row

    def _draw(self, *_args: object) -> None:
        from console.reports.provider_charts import draw_provider_trend

        line = self.chosen()
        if line is None:
            return
        self.chart.draw(lambda fig: draw_provider_trend(fig, line))
