"""A new version of the activation criteria (or a draft's edit): copied from the version
in force, each call type toggled in or out with its reason, then previewed and applied.

The preview is the confirmation: Apply stays disabled until the preview of exactly what
the form says has come back, and says how many calls will change scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console import APP_NAME
from console.errors import UserError
from console.views.dialogs.form import date_edit, picked
from console.views.tasks import TaskRunner, report_bug

if TYPE_CHECKING:
    from console.services.access import Access
    from console.services.criteria.propose import Proposal
    from console.services.criteria.reclassify import ScopeChange
    from console.services.criteria.versions import CriteriaVersionRow, EntrySpec, VersionSpec

COL_TYPE, COL_SCOPE, COL_REASON = range(3)
IN_TEXT, OUT_TEXT = "In scope", "Out of scope"


class CriteriaVersionDialog(QDialog):
    """`base`: the version to copy (a new version) or the draft to edit (`editing`)."""

    def __init__(self, access: Access, tasks: TaskRunner, on_done: Callable[[], None],
                 base: CriteriaVersionRow | None, *, editing: bool = False,
                 proposals: Sequence[Proposal] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.access, self.tasks, self.on_done = access, tasks, on_done
        self.draft = base if editing else None
        self.proposals = list(proposals)
        title = "Edit draft criteria" if editing else "New criteria version"
        self.setWindowTitle(f"{APP_NAME} — {title}")
        self.setModal(True)
        self.setMinimumWidth(640)
        box = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("dialogTitle")
        box.addWidget(heading)
        intro = QLabel("Calls received from the effective date on take the scope this "
                       "version gives their call type; earlier calls keep theirs. Copied "
                       "from the version in force: toggle a call type in or out and say why.")
        intro.setObjectName("dialogIntro")
        intro.setWordWrap(True)
        box.addWidget(intro)
        today = dt.date.today()
        self.name = QLineEdit(base.name if editing and base else "")
        self.name.setObjectName("name")
        self.name.setPlaceholderText(f"e.g. {today.year} criteria, revision 2")
        self.name.setMaxLength(200)
        self.effective = date_edit("effective_on", base.effective_on if editing and base
                                   else today + dt.timedelta(days=1))
        self.approved_by = QLineEdit(base.approved_by if editing and base else "")
        self.approved_by.setObjectName("approved_by")
        self.approved_by.setPlaceholderText("Who approved it, e.g. Chief Marsh")
        self.approved_on = date_edit(
            "approved_on", base.approved_on if editing and base and base.approved_on else today)
        self.policy = QLineEdit(base.policy_reference if base else "")
        self.policy.setObjectName("policy_reference")
        self.policy.setPlaceholderText("e.g. General Order 4.12")
        self.notes = QPlainTextEdit(base.notes if editing and base else "")
        self.notes.setObjectName("notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 3 + 12)
        form = QFormLayout()
        form.addRow("Name", self.name)
        dates = QHBoxLayout()
        dates.addWidget(self.effective)
        dates.addWidget(QLabel("approved on"))
        dates.addWidget(self.approved_on)
        dates.addStretch(1)
        form.addRow("Effective from", dates)
        form.addRow("Approved by", self.approved_by)
        form.addRow("Policy reference", self.policy)
        form.addRow("Notes", self.notes)
        box.addLayout(form)

        self.model = QStandardItemModel(0, 3, self)
        self.model.setHorizontalHeaderLabels(["Call type", "Scope", "Reason"])
        self.table = QTableView()
        self.table.setObjectName("entries")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_REASON, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(220)
        box.addWidget(self.table, 1)
        for e in base.entries if base else ():
            self.add_entry(e.call_type, e.in_scope, e.reason, fixed=True)
        self.table.resizeColumnToContents(COL_SCOPE)
        header.resizeSection(COL_SCOPE, max(header.sectionSize(COL_SCOPE),
                                            self.fontMetrics().horizontalAdvance(OUT_TEXT) + 40))
        rows = QHBoxLayout()
        self.add_button = QPushButton("Add call type")
        self.add_button.clicked.connect(lambda: self._add_blank())
        self.propose_button = QPushButton(f"Add the {len(self.proposals)} not in the "
                                          "criteria yet")
        self.propose_button.setToolTip("Call types on the calls that no version lists yet, "
                                       "with the scope their import gave most of them")
        self.propose_button.setVisible(bool(self.proposals))
        self.propose_button.clicked.connect(self._add_proposals)
        rows.addWidget(self.add_button)
        rows.addWidget(self.propose_button)
        rows.addStretch(1)
        box.addLayout(rows)

        self.preview_label = QLabel("Preview to see how many calls change scope.")
        self.preview_label.setObjectName("muted")
        self.preview_label.setWordWrap(True)
        box.addWidget(self.preview_label)
        self.error = QLabel("")
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.hide()
        box.addWidget(self.error)
        buttons = QHBoxLayout()
        self.preview_button = QPushButton("Preview")
        self.save_button = QPushButton("Save draft")
        self.apply_button = QPushButton("Approve and apply")
        self.apply_button.setEnabled(False)
        self.apply_button.setToolTip("Re-classifies the calls the preview counted; an "
                                     "approved version never changes afterwards")
        cancel = QPushButton("Cancel")
        buttons.addWidget(self.preview_button)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.apply_button)
        box.addLayout(buttons)
        self.preview_button.clicked.connect(self.preview)
        self.save_button.clicked.connect(self.save_draft)
        self.apply_button.clicked.connect(self.apply)
        cancel.clicked.connect(self.reject)
        self.previewed: VersionSpec | None = None
        for edit in (self.name, self.approved_by, self.policy):
            edit.textChanged.connect(self._stale)
        for date in (self.effective, self.approved_on):
            date.dateChanged.connect(self._stale)
        self.notes.textChanged.connect(self._stale)
        self.model.itemChanged.connect(self._item_changed)

    # --- entries ------------------------------------------------------------------------
    def add_entry(self, call_type: str, in_scope: bool, reason: str = "", *,
                  fixed: bool = False) -> None:
        kind = QStandardItem(call_type)
        kind.setEditable(not fixed)
        if fixed:
            kind.setToolTip("Listed by the version in force: a version never drops a call "
                            "type; mark it out of scope instead")
        scope = QStandardItem(IN_TEXT if in_scope else OUT_TEXT)
        scope.setCheckable(True)
        scope.setEditable(False)
        scope.setCheckState(Qt.CheckState.Checked if in_scope else Qt.CheckState.Unchecked)
        self.model.appendRow([kind, scope, QStandardItem(reason)])
        self.table.resizeColumnToContents(COL_TYPE)

    def _add_blank(self) -> None:
        self.add_entry("", True)
        index = self.model.index(self.model.rowCount() - 1, COL_TYPE)
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def _add_proposals(self) -> None:
        for p in self.proposals:
            self.add_entry(p.call_type, p.suggested,
                           f"Proposed from the import's call-type map ({p.calls:,} calls)")
        self.proposals = []
        self.propose_button.hide()

    def row_of(self, call_type: str) -> int:
        for row in range(self.model.rowCount()):
            if self.model.item(row, COL_TYPE).text().casefold() == call_type.casefold():
                return row
        raise KeyError(call_type)

    def set_scope(self, call_type: str, in_scope: bool, reason: str | None = None) -> None:
        """Toggle a call type as a person does (the check box), and give the reason."""
        row = self.row_of(call_type)
        self.model.item(row, COL_SCOPE).setCheckState(
            Qt.CheckState.Checked if in_scope else Qt.CheckState.Unchecked)
        if reason is not None:
            self.model.item(row, COL_REASON).setText(reason)

    def _item_changed(self, item: QStandardItem) -> None:
        if item.column() == COL_SCOPE:
            text = IN_TEXT if item.checkState() == Qt.CheckState.Checked else OUT_TEXT
            if item.text() != text:
                item.setText(text)
        self._stale()

    def entries(self) -> tuple[EntrySpec, ...]:
        from console.services.criteria.versions import EntrySpec

        out = []
        for row in range(self.model.rowCount()):
            call_type = self.model.item(row, COL_TYPE).text()
            if not call_type.strip():
                continue  # an added row left empty
            out.append(EntrySpec(
                call_type, self.model.item(row, COL_SCOPE).checkState() == Qt.CheckState.Checked,
                self.model.item(row, COL_REASON).text()))
        return tuple(out)

    def spec(self) -> VersionSpec:
        from console.services.criteria.versions import VersionSpec

        return VersionSpec(self.name.text(), picked(self.effective), self.entries(),
                           self.approved_by.text(), picked(self.approved_on), self.policy.text(),
                           self.notes.toPlainText())

    # --- preview, save, apply -----------------------------------------------------------
    def _stale(self, *_args: object) -> None:
        if self.previewed is not None:
            self.previewed = None
            self.preview_label.setText("Changed since the preview: preview again.")
        self.apply_button.setEnabled(False)

    def _busy(self, busy: bool) -> None:
        for button in (self.preview_button, self.save_button, self.add_button):
            button.setEnabled(not busy)
        if busy:
            self.apply_button.setEnabled(False)
            self.error.hide()

    def preview(self) -> None:
        from console.services.criteria.reclassify import preview_spec

        access, spec = self.access, self.spec()
        self._busy(True)
        self.preview_label.setText("Counting the calls that would change…")
        self.tasks.run(lambda _c: preview_spec(access, spec),
                       lambda change: self._previewed(spec, change), self._failed, owner=self)

    def _previewed(self, spec: VersionSpec, change: ScopeChange) -> None:
        self._busy(False)
        self.previewed = spec
        lines = [change.summary() + "."]
        lines += [f"{c.call_type}: {c.calls:,} call{'s' * (c.calls != 1)} "
                  f"{'unknown' if c.before is None else 'in' if c.before else 'out'} → "
                  f"{'in' if c.after else 'out'}" for c in change.by_type[:6]]
        self.preview_label.setText("\n".join(lines))
        self.apply_button.setEnabled(self.spec() == spec)

    def save_draft(self) -> None:
        from console.services.criteria.versions import create_draft, update_draft

        access, spec, draft = self.access, self.spec(), self.draft
        self._busy(True)
        if draft is None:
            self.tasks.run(lambda _c: create_draft(access, spec), self._done, self._failed,
                           writes=True, owner=self)
        else:
            self.tasks.run(lambda _c: update_draft(access, draft.id, draft.version, spec),
                           self._done, self._failed, writes=True, owner=self)

    def apply(self) -> None:
        from console.services.criteria.reclassify import apply_draft, apply_spec

        spec, draft, access = self.previewed, self.draft, self.access
        if spec is None or spec != self.spec():
            self._stale()
            return
        self._busy(True)
        if draft is None:
            self.tasks.run(lambda _c: apply_spec(access, spec), self._done, self._failed,
                           writes=True, owner=self)
            return
        self.tasks.run(lambda _c: apply_draft(access, draft.id, draft.version, spec),
                       self._done, self._failed, writes=True, owner=self)

    def _done(self, _result: object) -> None:
        self.accept()
        self.on_done()

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self.preview_label.setText("Preview to see how many calls change scope.")
        if isinstance(exc, UserError):
            self.error.setText(exc.message)
            self.error.show()
        else:
            self.error.setText("could not finish; the details are in the log")
            self.error.show()
            report_bug(exc)
