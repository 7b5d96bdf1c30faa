"""Adding or editing a funding source (with the positions it pays), a budget line or a
unit cost: saved through the funding services, which refuse stale versions (an edit
someone else saved first opens the conflict dialog)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QWidget,
)

from console.data.funding_enums import BudgetCategory, FundingKind, RenewalStatus, UnitCostKind
from console.views.dialogs.form import date_edit, picked
from console.views.dialogs.versioned_form import VersionedFormDialog
from console.views.tasks import TaskRunner

if TYPE_CHECKING:
    from console.services.access import Access
    from console.services.funding.budget import BudgetEdit, BudgetRow
    from console.services.funding.runway import OpenPosition
    from console.services.funding.sources import SourceEdit, SourceRow
    from console.services.funding.unit_costs import UnitCostEdit, UnitCostRow


def _combo(name: str, items: Sequence[Any], current: Any) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for item in items:
        combo.addItem(item.label, item.value)
    combo.setCurrentIndex(list(items).index(current))
    return combo


def _notes(text: str) -> QPlainTextEdit:
    notes = QPlainTextEdit(text)
    notes.setObjectName("notes")
    notes.setTabChangesFocus(True)
    notes.setFixedHeight(notes.fontMetrics().lineSpacing() * 3 + 12)
    return notes


def _cents(text: str, what: str) -> int | str:
    """Cents, or the reason the text is not an amount."""
    from console.errors import UserError
    from console.services.funding.edits import parse_money

    try:
        return parse_money(text, what)
    except UserError as exc:
        return exc.message


def _dollars(cents: int) -> str:
    return f"{cents // 100:,}" if cents % 100 == 0 else f"{cents / 100:,.2f}"


class _Form(VersionedFormDialog):
    """The shared part: the service call for add or update on the task runner."""

    record: Any

    def __init__(self, access: Access, tasks: TaskRunner, on_saved: Callable[[], None],
                 title: str, intro: str, fields: list[tuple[str, str, bool]], record: Any,
                 parent: QWidget | None) -> None:
        super().__init__(title, intro, fields, "Save" if record else "Add", parent)
        self.access, self.tasks, self.on_saved, self.record = access, tasks, on_saved, record
        self.extra: list[QWidget] = []
        self.on_submit = self._save

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        for widget in getattr(self, "extra", []):
            widget.setEnabled(not busy)

    def _run(self, add: Callable[[Access, Any], Any],
             update: Callable[[Access, int, int, Any], Any], edit: Any,
             version: int | None) -> None:
        access, record = self.access, self.record
        if record is None:
            self.tasks.run(lambda _c: add(access, edit), self._saved, self._failed,
                           writes=True)
            return
        read = record.version if version is None else version
        self.tasks.run(lambda _c: update(access, record.id, read, edit), self._saved,
                       self._failed, writes=True)


class FundingSourceDialog(_Form):
    """A new source (`source` None) or an edit of it, with the positions it pays."""

    def __init__(self, access: Access, tasks: TaskRunner, on_saved: Callable[[], None],
                 positions: Sequence[OpenPosition], source: SourceRow | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            access, tasks, on_saved, "Edit funding source" if source else "Add a funding source",
            "Money the program receives, the term it runs and the positions it pays. The "
            "end date is the last day of the current term; leave it open for an ongoing "
            "appropriation.",
            [("name", "Name", False), ("amount", "Amount a year ($)", False)], source, parent)
        e = source.edit if source else None
        self.edits["name"].setText(e.name if e else "")
        self.edits["amount"].setText(_dollars(e.annual_cents) if e else "")
        self.edits["amount"].setPlaceholderText("e.g. 185,000")
        self.kind = _combo("kind", list(FundingKind), e.kind if e else FundingKind.GRANT)
        self.start = date_edit("start_on", e.start_on if e else dt.date.today())
        self.end = date_edit("end_on", (e.end_on if e and e.end_on else dt.date.today()))
        self.ongoing = QCheckBox("No end date (ongoing)")
        self.ongoing.setObjectName("ongoing")
        self.ongoing.setChecked(e is not None and e.end_on is None)
        self.ongoing.toggled.connect(lambda on: self.end.setEnabled(not on))
        self.end.setEnabled(not self.ongoing.isChecked())
        ends = QWidget()
        row = QHBoxLayout(ends)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.end)
        row.addWidget(self.ongoing)
        row.addStretch(1)
        self.renewal = _combo("renewal", list(RenewalStatus), e.renewal if e else
                              RenewalStatus.NONE)
        self.notes = _notes(e.notes if e else "")
        shares = dict(e.positions) if e else {}
        grid_box = QWidget()
        grid = QGridLayout(grid_box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.position_rows: list[tuple[int, QCheckBox, QSpinBox]] = []
        for n, p in enumerate(positions):
            gone = f" (abolished {p.abolished_on})" if p.abolished_on else ""
            check = QCheckBox(f"#{p.id} {p.title}{gone}")
            share = QSpinBox()
            share.setRange(1, 100)
            share.setSuffix(" %")
            share.setValue(shares.get(p.id, 100))
            check.setChecked(p.id in shares)
            share.setEnabled(check.isChecked())
            check.toggled.connect(share.setEnabled)
            grid.addWidget(check, n, 0)
            grid.addWidget(share, n, 1)
            self.position_rows.append((p.id, check, share))
        scroll = QScrollArea()
        scroll.setObjectName("positionsPaid")
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_box)
        scroll.setMinimumHeight(min(6, max(1, len(positions))) * 30)
        self.form.insertRow(1, "Kind", self.kind)
        self.form.addRow("Starts", self.start)
        self.form.addRow("Ends", ends)
        self.form.addRow("Renewal", self.renewal)
        self.form.addRow("Positions paid", scroll)
        self.form.addRow("Notes", self.notes)
        self.extra = [self.kind, self.start, self.end, self.ongoing, self.renewal, self.notes,
                      scroll]

    def check(self, values: dict[str, str]) -> str:
        if not values["name"].strip():
            return "Give the source a name, e.g. State crisis response grant."
        cents = _cents(values["amount"], "Amount a year")
        return cents if isinstance(cents, str) else ""

    def edit(self) -> SourceEdit:
        from console.services.funding.sources import SourceEdit

        cents = _cents(self.edits["amount"].text(), "Amount a year")
        return SourceEdit(
            self.edits["name"].text(), FundingKind(self.kind.currentData()),
            cents if isinstance(cents, int) else 0, picked(self.start),
            None if self.ongoing.isChecked() else picked(self.end),
            RenewalStatus(self.renewal.currentData()), self.notes.toPlainText(),
            tuple((pid, share.value()) for pid, check, share in self.position_rows
                  if check.isChecked()))

    def _save(self, _values: dict[str, str], version: int | None = None) -> None:
        from console.services.funding.sources import add_source, update_source

        self._run(add_source, update_source, self.edit(), version)


class BudgetLineDialog(_Form):
    def __init__(self, access: Access, tasks: TaskRunner, on_saved: Callable[[], None],
                 fiscal_year: int, line: BudgetRow | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(access, tasks, on_saved,
                         "Edit budget line" if line else "Add a budget line",
                         "One line of a fiscal year's budget (named for the year it ends in).",
                         [("description", "Description", False), ("amount", "Amount ($)", False)],
                         line, parent)
        e = line.edit if line else None
        self.edits["description"].setText(e.description if e else "")
        self.edits["amount"].setText(_dollars(e.amount_cents) if e else "")
        self.year = QSpinBox()
        self.year.setObjectName("fiscal_year")
        self.year.setRange(1990, 2100)
        self.year.setPrefix("FY")
        self.year.setValue(e.fiscal_year if e else fiscal_year)
        self.category = _combo("category", list(BudgetCategory),
                               e.category if e else BudgetCategory.PERSONNEL)
        self.form.insertRow(0, "Fiscal year", self.year)
        self.form.insertRow(1, "Category", self.category)
        self.extra = [self.year, self.category]

    def check(self, values: dict[str, str]) -> str:
        if not values["description"].strip():
            return "Describe the line, e.g. Salaries and benefits."
        cents = _cents(values["amount"], "Amount")
        return cents if isinstance(cents, str) else ""

    def edit(self) -> BudgetEdit:
        from console.services.funding.budget import BudgetEdit

        cents = _cents(self.edits["amount"].text(), "Amount")
        return BudgetEdit(self.year.value(), BudgetCategory(self.category.currentData()),
                          self.edits["description"].text(), cents if isinstance(cents, int) else 0)

    def _save(self, _values: dict[str, str], version: int | None = None) -> None:
        from console.services.funding.budget import add_budget_line, update_budget_line

        self._run(add_budget_line, update_budget_line, self.edit(), version)


class UnitCostDialog(_Form):
    def __init__(self, access: Access, tasks: TaskRunner, on_saved: Callable[[], None],
                 missing: Sequence[UnitCostKind], cost: UnitCostRow | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(access, tasks, on_saved,
                         "Edit unit cost" if cost else "Add a unit cost",
                         "What one outcome costs the public, and where the figure comes "
                         "from: cost avoidance on the Outcomes page is priced with it.",
                         [("amount", "Amount ($)", False), ("source", "Source", False)],
                         cost, parent)
        e = cost.edit if cost else None
        kinds = [e.kind] if e else list(missing)
        self.kind = _combo("kind", kinds, kinds[0]) if kinds else QComboBox()
        self.kind.setEnabled(e is None)
        self.edits["amount"].setText(_dollars(e.amount_cents) if e else "")
        self.edits["source"].setText(e.source if e else "")
        self.edits["source"].setPlaceholderText("Who publishes it: report, table, year")
        self.year = QSpinBox()
        self.year.setObjectName("year")
        self.year.setRange(1990, 2100)
        self.year.setValue(e.year if e else dt.date.today().year)
        self.checked = date_edit("checked_on", e.checked_on if e else dt.date.today())
        self.notes = _notes(e.notes if e else "")
        self.form.insertRow(0, "Unit cost", self.kind)
        self.form.addRow("Priced in year", self.year)
        self.form.addRow("Checked on", self.checked)
        self.form.addRow("Notes", self.notes)
        self.extra = [self.year, self.checked, self.notes]
        self.kinds_left = bool(kinds)
        self.setMinimumWidth(560)  # sources are long: "County cost report 2025, table 4"

    def check(self, values: dict[str, str]) -> str:
        if not self.kinds_left:
            return "Every kind of unit cost is recorded already: edit one instead."
        if not values["source"].strip():
            return "Say where the figure comes from: a source makes it defensible."
        cents = _cents(values["amount"], "Amount")
        return cents if isinstance(cents, str) else ""

    def edit(self) -> UnitCostEdit:
        from console.services.funding.unit_costs import UnitCostEdit

        cents = _cents(self.edits["amount"].text(), "Amount")
        return UnitCostEdit(UnitCostKind(self.kind.currentData()),
                            cents if isinstance(cents, int) else 0, self.edits["source"].text(),
                            self.year.value(), picked(self.checked), self.notes.toPlainText())

    def _save(self, _values: dict[str, str], version: int | None = None) -> None:
        from console.services.funding.unit_costs import add_unit_cost, update_unit_cost

        self._run(add_unit_cost, update_unit_cost, self.edit(), version)


__all__ = ["BudgetLineDialog", "FundingSourceDialog", "UnitCostDialog"]
