"""The Program page's Funding section: the runway and the grant cliffs, funding by
source over time, and the records behind them (sources with the positions they pay,
budget lines by fiscal year, unit costs), each editable by those who may edit the
program. Reads through console.services.funding; writes through its dialogs."""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console import APP_NAME
from console.context import AppContext
from console.data.funding_enums import UnitCostKind
from console.errors import UserError
from console.services.access import Action
from console.views.chart_box import ChartBox, import_matplotlib
from console.views.record_table import RecordTable
from console.views.record_table_model import Column
from console.views.tasks import TaskRunner, report_bug

if TYPE_CHECKING:
    from console.services.funding.overview import FundingOverview
    from console.services.funding.runway import Cliff, PositionRunway, Runway, Term

CRITICAL, WARNING = "#b91c1c", "#b45309"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def _money(cents: int) -> str:
    from console.services.funding.edits import money

    return money(cents, whole=True)


def _ends(day: dt.date | None) -> str:
    return day.isoformat() if day else "no end recorded"


def _counted(names: Sequence[str]) -> str:
    """"A, A, B" -> "2 \u00d7 A, B": positions of the same title counted."""
    counts = Counter(names)
    return ", ".join(f"{n} \u00d7 {name}" if n > 1 else name for name, n in counts.items())


SOURCE_COLUMNS: list[Column[Any]] = [
    Column("Source", lambda r: r.name),
    Column("Kind", lambda r: r.edit.kind),
    Column("A year", lambda r: _money(r.edit.annual_cents)),
    Column("Starts", lambda r: r.edit.start_on),
    Column("Ends", lambda r: r.edit.end_on or "ongoing",
           "The last day of the current term"),
    Column("Renewal", lambda r: r.edit.renewal,
           "Where the next term stands: none, pending, renewed or denied"),
    Column("Positions paid", lambda r: _counted(
        [f"{p.title} ({p.share_percent}%)" for p in r.paid]) or "none"),
]
POSITION_COLUMNS: list[Column[PositionRunway]] = [
    Column("Position", lambda r: f"#{r.position_id} {r.title}"),
    Column("Paid", lambda r: f"{r.share_percent}%", "Share paid today, all sources together",
           alert=lambda r: r.share_percent < 100),
    Column("Sources", lambda r: ", ".join(r.sources)),
    Column("If pending renewals fail", lambda r: _ends(r.funded_until_if_pending_fail),
           "The last funded day with pending renewals failing (the runway counts this)",
           alert=lambda r: r.relies_on_pending),
    Column("Funded until", lambda r: _ends(r.funded_until),
           "The last funded day with pending renewals granted"),
    Column("Paid less from", lambda r: r.share_falls_on,
           "The first day a source of it ends (pending renewals failing)"),
]
BUDGET_COLUMNS: list[Column[Any]] = [
    Column("Fiscal year", lambda r: f"FY{r.edit.fiscal_year}"),
    Column("Category", lambda r: r.edit.category),
    Column("Line", lambda r: r.edit.description),
    Column("Amount", lambda r: _money(r.edit.amount_cents)),
]
UNIT_COLUMNS: list[Column[Any]] = [
    Column("Unit cost", lambda r: r.kind),
    Column("Amount", lambda r: _money(r.edit.amount_cents) if r.edit.amount_cents % 100 == 0
           else f"${r.edit.amount_cents / 100:,.2f}"),
    Column("Year", lambda r: r.edit.year, "The year the figure is priced in"),
    Column("Checked", lambda r: r.edit.checked_on, "When someone last confirmed the source"),
    Column("Source", lambda r: r.edit.source),
]


def runway_text(r: Runway) -> str:
    """The runway in one paragraph (rich text), with the definitions the tooltip repeats."""
    if not r.positions:
        return "No funded positions: record the sources and the positions they pay."
    if r.ends_on is None:
        text = "<b>Runway: no end recorded</b> for any funded position."
    else:
        colour = (CRITICAL if (r.days or 0) <= 90 else WARNING if (r.days or 0) <= 180
                  else "#1f2937")
        first = html.escape(_counted(r.first_to_lose))
        text = (f"<b style='color:{colour}'>Runway: {r.months:.1f} months</b> ({r.days} days): "
                f"funded positions are funded until <b>{r.ends_on:%d %b %Y}</b> if pending "
                f"renewals fail; first to lose funding: {first}.")
        granted = r.ends_on_if_pending_granted
        text += (" With pending renewals granted: until "
                 f"{granted:%d %b %Y}." if granted else
                 " With pending renewals granted: no end recorded.")
    if r.unfunded:
        text += f" Open positions no source pays: {html.escape(', '.join(r.unfunded))}."
    return text


def cliffs_text(cliffs: Sequence[Cliff]) -> str:
    if not cliffs:
        return "No source ends within 180 days."
    lines = []
    for c in cliffs:
        colour, level = (CRITICAL, "Critical") if c.critical else (WARNING, "Warning")
        lines.append(f"<span style='color:{colour}'><b>{level}:</b></span> "
                     f"{html.escape(c.name)} ends {c.end_on:%d %b %Y} (in {c.days} days, "
                     f"renewal {c.renewal.label.lower()}, {_money(c.annual_cents)} a year); "
                     f"pays {html.escape(_counted(c.positions) or 'no positions')}.")
    return "<br>".join(lines)


def chart_caption(marked: Sequence[Term], as_of: dt.date) -> str:
    parts = [f"{n}: {t.name} ends {t.end_on:%d %b %Y}" for n, t in enumerate(marked, start=1)
             if t.end_on is not None]
    text = ("Funding a month by source, stacked; hatched: pending renewals, money asked "
            "for and not granted. Dashed lines: sources ending without a renewal (red "
            "within 90 days, amber within 180).")
    return text + (" " + "; ".join(parts) + "." if parts else "")


class _Records(QWidget):
    """A table with Add, Edit and Delete buttons (the buttons only for those who edit)."""

    def __init__(self, columns: Sequence[Column[Any]], can_edit: bool, name: str,
                 add: Callable[[], None], edit: Callable[[Any], None],
                 delete: Callable[[Any], None] | None, above: QWidget | None = None) -> None:
        super().__init__()
        self.box = box = QVBoxLayout(self)
        box.setContentsMargins(0, 8, 0, 0)
        bar = QHBoxLayout()
        if above is not None:
            bar.addWidget(above)
        self.add_button = QPushButton("Add…")
        self.edit_button = QPushButton("Edit…")
        self.delete_button = QPushButton("Delete…")
        if can_edit:
            for button in (self.add_button, self.edit_button, self.delete_button):
                if button is self.delete_button and delete is None:
                    continue
                bar.addWidget(button)
        bar.addStretch(1)
        box.addLayout(bar)
        self.table = RecordTable(columns)
        self.table.setObjectName(name)
        self.table.keep_rows(5)
        box.addWidget(self.table, 1)
        self._edit, self._delete = edit, delete
        self.add_button.clicked.connect(add)
        self.edit_button.clicked.connect(lambda: self._with_selected(self._edit))
        self.delete_button.clicked.connect(lambda: self._with_selected(self._delete))
        if can_edit:
            self.table.doubleClicked.connect(lambda _i: self._with_selected(self._edit))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._selection_changed()

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.table.source.rows[self.table.proxy.mapToSource(rows[0]).row()]

    def _with_selected(self, act: Callable[[Any], None] | None) -> None:
        row = self.selected()
        if row is not None and act is not None:
            act(row)

    def _selection_changed(self) -> None:
        chosen = bool(self.table.selectionModel().selectedRows())
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.table.set_rows(rows)
        self._selection_changed()


class FundingView(QWidget):
    """Runway, cliffs, the chart and the funding records, as of today."""

    def __init__(self, ctx: AppContext, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fundingView")
        self.ctx, self.tasks = ctx, tasks
        self.overview: FundingOverview | None = None
        self.dialog: QWidget | None = None
        # Told after an edit: the page passes it on (the Dashboard's warnings read funding).
        self.on_changed: Callable[[], None] | None = None
        self.can_edit = ctx.access.allows(Action.EDIT_PROGRAM)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(8)
        self.runway = QLabel("Loading…")
        self.runway.setObjectName("runwayText")
        self.runway.setWordWrap(True)
        self.runway.setTextFormat(Qt.TextFormat.RichText)
        self.runway.setToolTip(
            "A funded position is open today and paid by at least one source. It is funded "
            "until the last day of the unbroken run of days a source of it pays. Pending "
            "renewals count as failing for the runway (asked for is not money yet) and as "
            "granted for 'with pending renewals granted'. Months = days / 30.44.")
        box.addWidget(self.runway)
        self.cliffs = QLabel("")
        self.cliffs.setObjectName("cliffsText")
        self.cliffs.setWordWrap(True)
        self.cliffs.setTextFormat(Qt.TextFormat.RichText)
        box.addWidget(self.cliffs)
        self.chart = ChartBox("fundingChart", min_height=300)
        self.caption = QLabel("")
        self.caption.setObjectName("muted")
        self.caption.setWordWrap(True)
        self.chart.box.addWidget(self.caption)
        box.addWidget(self.chart)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("fundingTabs")
        self.sources = _Records(SOURCE_COLUMNS, self.can_edit, "sourcesTable",
                                lambda: self._source_dialog(None), self._source_dialog,
                                self._delete_source)
        self.positions = RecordTable(POSITION_COLUMNS)
        self.positions.setObjectName("positionsPaidTable")
        self.positions.keep_rows(5)
        self.fiscal = QComboBox()
        self.fiscal.setObjectName("fiscalStart")
        for n, month in enumerate(MONTHS, start=1):
            self.fiscal.addItem(f"Fiscal year starts in {month}", n)
        self.fiscal.setEnabled(self.can_edit)
        self.fiscal.activated.connect(self._fiscal_chosen)
        self.budget = _Records(BUDGET_COLUMNS, self.can_edit, "budgetTable",
                               lambda: self._budget_dialog(None), self._budget_dialog,
                               self._delete_budget, above=self.fiscal)
        self.budget_totals = QLabel("")
        self.budget_totals.setObjectName("muted")
        self.budget_totals.setWordWrap(True)
        self.budget.box.addWidget(self.budget_totals)
        self.costs = _Records(UNIT_COLUMNS, self.can_edit, "unitCostsTable",
                              lambda: self._cost_dialog(None), self._cost_dialog, None)
        self.cost_note = QLabel("Cost avoidance on the Outcomes page multiplies avoided ED "
                                "transports, arrests avoided and patrol hours returned by "
                                "the ED visit, jail booking and officer hour costs.")
        self.cost_note.setObjectName("muted")
        self.cost_note.setWordWrap(True)
        self.costs.box.addWidget(self.cost_note)
        self.tabs.addTab(self.sources, "Sources")
        self.tabs.addTab(self.positions, "Positions paid")
        self.tabs.addTab(self.budget, "Budget")
        self.tabs.addTab(self.costs, "Unit costs")
        box.addWidget(self.tabs, 1)

    # --- reading ------------------------------------------------------------------------
    def reload(self) -> None:
        from console.services.funding.overview import funding_overview

        access = self.ctx.access

        def query(_control: object) -> FundingOverview:
            import_matplotlib()
            return funding_overview(access)

        self.tasks.run(query, self._show, self._failed, owner=self)

    def _show(self, o: FundingOverview) -> None:
        from console.reports.funding_charts import draw_funding

        self.overview = o
        self.runway.setText(runway_text(o.runway))
        self.cliffs.setText(cliffs_text(o.runway.cliffs))
        marked = self.chart.draw(lambda fig: draw_funding(fig, o.funding, o.as_of))
        self.caption.setText(chart_caption(marked, o.as_of))
        self.sources.set_rows(o.sources)
        self.positions.set_rows(o.runway.positions)
        self.budget.set_rows(o.budget)
        self.fiscal.setCurrentIndex(o.fiscal_start_month - 1)
        self.costs.set_rows(o.unit_costs)
        full = len(o.unit_costs) >= len(UnitCostKind)
        self.costs.add_button.setEnabled(not full)
        self.costs.add_button.setToolTip("Every kind of unit cost is recorded: edit one"
                                         if full else "Record another kind of unit cost")
        self.budget_totals.setText(self._totals(o))

    @staticmethod
    def _totals(o: FundingOverview) -> str:
        from console.services.funding.budget import fiscal_year_span, totals

        by_year = totals(list(o.budget))
        if not by_year:
            return "No budget lines recorded."
        parts = []
        for year in sorted(by_year, reverse=True)[:3]:
            first, last = fiscal_year_span(year, o.fiscal_start_month)
            parts.append(f"FY{year} ({first:%b %Y}\u2013{last:%b %Y}): "
                         f"{_money(sum(by_year[year].values()))}")
        return "Totals: " + "; ".join(parts) + "."

    # --- editing ------------------------------------------------------------------------
    def _source_dialog(self, row: Any) -> None:
        from console.views.dialogs.funding_forms import FundingSourceDialog

        positions = self.overview.funding.positions if self.overview else ()
        self._open(FundingSourceDialog(self.ctx.access, self.tasks, self._changed, positions,
                                       row, self))

    def _budget_dialog(self, row: Any) -> None:
        from console.views.dialogs.funding_forms import BudgetLineDialog

        year = self.overview.fiscal_year if self.overview else dt.date.today().year
        self._open(BudgetLineDialog(self.ctx.access, self.tasks, self._changed, year, row,
                                    self))

    def _cost_dialog(self, row: Any) -> None:
        from console.views.dialogs.funding_forms import UnitCostDialog

        have = {c.kind for c in self.overview.unit_costs} if self.overview else set()
        missing = [k for k in UnitCostKind if k not in have]
        self._open(UnitCostDialog(self.ctx.access, self.tasks, self._changed, missing, row, self))

    def _open(self, dialog: QWidget) -> None:
        self.dialog = dialog
        dialog.show()

    def _confirm(self, what: str) -> bool:
        answer = QMessageBox.question(
            self, f"{APP_NAME} — Delete", f"Delete {what}? The audit trail keeps a record of it.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _delete_source(self, row: Any) -> None:
        from console.services.funding.sources import delete_source

        if self._confirm(f"the funding source \u201c{row.name}\u201d and the positions it pays"):
            access = self.ctx.access
            self.tasks.run(lambda _c: delete_source(access, row.id, row.version),
                           lambda _r: self._changed(), self._failed, writes=True, owner=self)

    def _delete_budget(self, row: Any) -> None:
        from console.services.funding.budget import delete_budget_line

        if self._confirm(f"the budget line \u201c{row.edit.description}\u201d "
                         f"(FY{row.edit.fiscal_year})"):
            access = self.ctx.access
            self.tasks.run(lambda _c: delete_budget_line(access, row.id, row.version),
                           lambda _r: self._changed(), self._failed, writes=True, owner=self)

    def _fiscal_chosen(self, index: int) -> None:
        from console.services.funding.budget import set_fiscal_year_start_month

        access, month = self.ctx.access, index + 1
        self.tasks.run(lambda _c: set_fiscal_year_start_month(access, month),
                       lambda _r: self._changed(), self._failed, writes=True, owner=self)

    def _changed(self) -> None:
        self.reload()
        if self.on_changed is not None:
            self.on_changed()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            QMessageBox.warning(self, APP_NAME, exc.message)
        else:
            report_bug(exc)
