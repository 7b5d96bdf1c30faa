"""The Program page's activation criteria: versions, their call types and reasons, a new
version (previewed before it re-classifies any call) and the one-page sheet (PDF).

Roles that may not edit the program see the versions and the sheet, no other buttons.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console import APP_NAME
from console.context import AppContext
from console.errors import UserError
from console.services.access import Action
from console.views.record_table import RecordTable
from console.views.record_table_model import Column
from console.views.tasks import TaskRunner, report_bug

if TYPE_CHECKING:
    from console.services.criteria.propose import Proposal
    from console.services.criteria.versions import CriteriaVersionRow, EntrySpec

VERSION_COLUMNS: list[Column[CriteriaVersionRow]] = [
    Column("Version", lambda v: v.name),
    Column("In force from", lambda v: v.effective_on),
    Column("Status", lambda v: v.status,
           "Approved versions were applied to the calls and never change; drafts decide "
           "nothing yet"),
    Column("In / out", lambda v: f"{len(v.in_scope_types)} / {len(v.out_of_scope_types)}"),
    Column("Approved by", lambda v: v.approved_by or "—"),
    Column("Policy", lambda v: v.policy_reference or "—"),
]
ENTRY_COLUMNS: list[Column[EntrySpec]] = [
    Column("Call type", lambda e: e.call_type),
    Column("Scope", lambda e: "In scope" if e.in_scope else "Out of scope"),
    Column("Reason", lambda e: e.reason),
]


class CriteriaView(QWidget):
    """Versions on the left, the chosen version's call types on the right."""

    changed = Signal()  # criteria applied: calls were re-classified

    def __init__(self, ctx: AppContext, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.tasks = ctx, tasks
        self.versions: list[CriteriaVersionRow] = []
        self.proposals: list[Proposal] = []
        self.dialog: QWidget | None = None
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel("Loading…")
        self.summary.setObjectName("muted")
        self.summary.setWordWrap(True)
        box.addWidget(self.summary)
        self.can_edit = ctx.access.allows(Action.EDIT_PROGRAM)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("New version…")
        self.new_button.setToolTip("Copy the version in force, change it, preview how many "
                                   "calls change, then approve and apply it")
        self.draft_button = QPushButton("Open draft…")
        self.delete_button = QPushButton("Delete draft…")
        self.export_button = QPushButton("Export sheet (PDF)…")
        self.export_button.setToolTip("The one-page criteria sheet for dispatch and patrol, "
                                      "of the version chosen on the left")
        if self.can_edit:
            for button in (self.new_button, self.draft_button, self.delete_button):
                buttons.addWidget(button)
            self.new_button.clicked.connect(self.open_new)
            self.draft_button.clicked.connect(self.open_draft)
            self.delete_button.clicked.connect(self._delete_draft)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        self.export_button.clicked.connect(self._ask_export)
        box.addLayout(buttons)
        self.table = RecordTable(VERSION_COLUMNS)  # the last column (policy) stretches
        self.table.setObjectName("criteriaVersions")
        self.table.keep_rows(4)
        self.table.setMaximumHeight(self.table.minimumHeight())
        box.addWidget(self.table)
        self.entries_title = QLabel("")
        self.entries_title.setObjectName("muted")
        box.addWidget(self.entries_title)
        self.entries = RecordTable(ENTRY_COLUMNS, stretch=2)
        self.entries.setObjectName("criteriaEntries")
        self.entries.keep_rows(13)
        self.entries.setWordWrap(True)
        box.addWidget(self.entries)
        self.table.selectionModel().selectionChanged.connect(self._chosen)
        self._chosen()

    def reload(self) -> None:
        """Read the versions and the call types not in them yet (off the GUI thread)."""
        from console.services.criteria.propose import propose
        from console.services.criteria.versions import list_versions

        access = self.ctx.access
        self.tasks.run(lambda _c: (list_versions(access), propose(access)), self._show,
                       self._failed, owner=self)

    def _show(self, result: tuple[list[CriteriaVersionRow], list[Proposal]]) -> None:
        from console.services.criteria.versions import in_force

        self.versions, self.proposals = result
        now = in_force(self.versions, dt.date.today())
        if now is None:
            self.summary.setText(
                "No criteria version yet: each import's call-type map decides which calls "
                "are in scope. Add a version to decide it for dispatch, patrol and the "
                "measures alike.")
        else:
            self.summary.setText(
                f"In force today: <b>{now.name}</b>, from {now.effective_on:%d %B %Y} "
                f"({len(now.in_scope_types)} call types in scope, "
                f"{len(now.out_of_scope_types)} out). A call is in scope by the version in "
                "force on the day it was received; calls before the first version keep their "
                "import's decision."
                + (f" {len(self.proposals)} call type(s) on the calls are not in the criteria "
                   "yet." if self.proposals else ""))
        self.table.set_rows(self.versions)
        if self.versions:
            chosen = self.versions.index(now) if now in self.versions else len(self.versions) - 1
            self.table.selectRow(self.table.proxy.mapFromSource(
                self.table.source.index(chosen, 0)).row())
        self._chosen()

    def chosen(self) -> CriteriaVersionRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        found: CriteriaVersionRow = self.table.source.rows[
            self.table.proxy.mapToSource(rows[0]).row()]
        return found

    def _chosen(self) -> None:
        version = self.chosen()
        self.entries_title.setText(
            f"Call types of “{version.name}” ({version.status.lower()}), in force from "
            f"{version.effective_on:%d %B %Y}" if version else "")
        self.entries.set_rows(list(version.entries) if version else [])
        self.entries.resizeRowsToContents()
        draft = version is not None and not version.applied
        self.draft_button.setEnabled(draft)
        self.delete_button.setEnabled(draft)
        self.export_button.setEnabled(version is not None)

    # --- actions ------------------------------------------------------------------------
    def open_new(self) -> QWidget:
        """The new-version dialog, copied from the newest approved version."""
        from console.services.criteria.versions import latest_applied
        from console.views.dialogs.criteria_version import CriteriaVersionDialog

        dialog = CriteriaVersionDialog(self.ctx.access, self.tasks, self._changed,
                                       latest_applied(self.versions),
                                       proposals=self.proposals, parent=self)
        self.dialog = dialog
        dialog.show()
        return dialog

    def open_draft(self) -> QWidget | None:
        from console.views.dialogs.criteria_version import CriteriaVersionDialog

        version = self.chosen()
        if version is None or version.applied:
            return None
        dialog = CriteriaVersionDialog(self.ctx.access, self.tasks, self._changed, version,
                                       editing=True, proposals=self.proposals, parent=self)
        self.dialog = dialog
        dialog.show()
        return dialog

    def _delete_draft(self) -> None:
        from console.services.criteria.versions import delete_draft

        version = self.chosen()
        if version is None or version.applied:
            return
        answer = QMessageBox.question(
            self, f"{APP_NAME} — Delete draft",
            f"Delete the draft criteria “{version.name}”? It decided nothing yet; the audit "
            "trail keeps a record of it.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        access = self.ctx.access
        self.tasks.run(lambda _c: delete_draft(access, version.id), lambda _r: self.reload(),
                       self._failed, writes=True, owner=self)

    def _ask_export(self) -> None:
        version = self.chosen()
        if version is None:
            return
        name = "".join(c if c.isalnum() else "-" for c in version.name).strip("-").lower()
        path, _ = QFileDialog.getSaveFileName(
            self, f"{APP_NAME} — Export criteria sheet",
            str(Path.home() / f"criteria-{name}.pdf"), "PDF (*.pdf)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the chosen version's sheet to `path` (off the GUI thread)."""
        from console.services.criteria.sheet import export_sheet

        version, access = self.chosen(), self.ctx.access
        if version is None:
            return
        self.export_button.setEnabled(False)
        self.tasks.run(lambda _c: export_sheet(access, path, version.id),
                       lambda _v: self._exported(path), self._failed, owner=self)

    def _exported(self, path: Path) -> None:
        self.export_button.setEnabled(True)
        self.summary.setText(self.summary.text().split(" — sheet written")[0]
                             + f" — sheet written to {path}")

    def _changed(self) -> None:
        self.changed.emit()
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(self.chosen() is not None)
        if isinstance(exc, UserError):
            QMessageBox.warning(self, APP_NAME, exc.message)
        else:
            report_bug(exc)
