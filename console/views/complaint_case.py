"""One complaint as its reader may see it: facts, the steps they may take, the account
behind a button (each showing is recorded in the access log), checklist, documents and
the history of every transition, note and access."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.services.complaints.records import (
    AttachmentRow,
    CaseDetail,
    ChecklistRow,
    Confidential,
    StaffChoice,
    TimelineRow,
)
from console.services.complaints.workflow import WorkflowAction
from console.views.record_table import RecordTable
from console.views.record_table_model import Column
from console.views.tasks import TaskRunner
from console.views.tile_grid import TileGrid

if TYPE_CHECKING:
    from console.services.access import Access

TIMELINE_COLUMNS: list[Column[TimelineRow]] = [
    Column("When", lambda r: r.at),
    Column("Who", lambda r: r.actor),
    Column("What", lambda r: r.text, alert=lambda r: r.kind == "access"),
    Column("Note", lambda r: r.note),
]
CHECKLIST_COLUMNS: list[Column[ChecklistRow]] = [
    Column("Document", lambda r: r.kind.label, alert=lambda r: r.needed_next),
    Column("Status", lambda r: r.status),
    Column("Done", lambda r: r.done_on),
    Column("By", lambda r: r.done_by),
]
ATTACHMENT_COLUMNS: list[Column[AttachmentRow]] = [
    Column("Document", lambda r: r.filename or f"Document {r.id} (name withheld)"),
    Column("Type", lambda r: r.media_type),
    Column("Size (bytes)", lambda r: r.size_bytes),
    Column("Added", lambda r: r.added_at),
    Column("By", lambda r: r.added_by),
]


class CaseView(QWidget):
    """The case panel of the Complaints page; `changed` asks the page to reload."""

    changed = Signal(int)

    def __init__(self, access: Access, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.access, self.tasks = access, tasks
        self.case: CaseDetail | None = None
        self.dialog: QDialog | None = None
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel("Choose a case in the queue")
        self.heading.setObjectName("sectionTitle")
        self.heading.setWordWrap(True)
        self.facts = QLabel("")
        self.facts.setWordWrap(True)
        self.facts.setObjectName("caseFacts")
        self.steps = TileGrid(max_columns=3, spacing=6, min_column_chars=16)
        self.tools = TileGrid(max_columns=4, spacing=6, min_column_chars=14)
        self.account = QLabel("")
        self.account.setWordWrap(True)
        self.account.setObjectName("caseAccount")
        self.show_account = QPushButton("Show the complainant and account")
        self.show_account.setToolTip("Each showing is recorded in the case's access log")
        self.show_account.clicked.connect(self._read_account)
        self.tabs = QTabWidget()
        self.timeline = RecordTable(TIMELINE_COLUMNS)  # the note takes what is left
        self.checklist = RecordTable(CHECKLIST_COLUMNS, stretch=0)
        self.documents = RecordTable(ATTACHMENT_COLUMNS, stretch=0)
        for table in (self.timeline, self.checklist, self.documents):
            table.keep_rows(5)
        self.tabs.addTab(self.timeline, "History")
        self.tabs.addTab(self.checklist, "Checklist")
        self.tabs.addTab(self.documents, "Documents")
        self.checklist.doubleClicked.connect(lambda _i: self._checklist_item())
        self.documents.setToolTip("Double-click a document to save a copy (recorded in the "
                                  "case's access log)")
        self.documents.doubleClicked.connect(lambda index: self._save_copy(
            self.documents.source.rows[self.documents.proxy.mapToSource(index).row()]))
        for w in (self.heading, self.facts, self.steps, self.tools, self.show_account,
                  self.account):
            box.addWidget(w)
        box.addWidget(self.tabs, 1)
        self.show_account.hide()
        self.account.hide()

    # --- showing a case --------------------------------------------------------------
    def show_case(self, case: CaseDetail | None) -> None:
        same = case is not None and self.case is not None and case.id == self.case.id
        self.case = case
        if not same:  # the account stays shown while its case is reloaded
            self._set_account("")
        self._clear(self.steps)
        self._clear(self.tools)
        if case is None:
            self._set_account("")
            self.heading.setText("Choose a case in the queue")
            self.facts.clear()
            self.show_account.hide()
            for table in (self.timeline, self.checklist, self.documents):
                table.set_rows([])
            return
        due = "finished" if case.due_on is None else (
            f"{case.step} due {case.due_on:%d %b %Y}" + (" — OVERDUE" if case.overdue else ""))
        self.heading.setText(f"{case.reference} · {case.state.label} · {due}")
        subjects = ", ".join(name for _, name in case.subjects)
        lines = [
            ("Received", f"{case.received_on:%d %b %Y} by {case.channel.label.lower()}"
             + (" (anonymous)" if case.anonymous else "")),
            ("About", subjects), ("Allegations", ", ".join(c.label for c in case.categories)),
            ("Classification", case.classification.label if case.classification else "—"),
            ("Reviewer", case.reviewer or "—"), ("Related call", case.call_incident or "—"),
        ]
        if case.proposed_finding:
            lines.append(("Proposed finding", case.proposed_finding.label))
        if case.finding:
            lines.append(("Finding", case.finding.label))
        if case.decision:
            lines.append(("Command decision", case.decision))
        self.facts.setText("<br>".join(f"<b>{k}:</b> {escape(v)}" for k, v in lines))
        for action in case.actions:
            button = QPushButton(action.label + "…")
            button.setObjectName(f"step_{action.value}")
            button.clicked.connect(lambda _c=False, a=action: self._step(a))
            self.steps.add(button)
        if case.may_edit:
            for text, slot in (("Add note…", self._note), ("Checklist item…", self._checklist_item),
                               ("Attach document…", self._attach)):
                self.tools.add(self._button(text, slot))
        self.tools.add(self._button("Case summary PDF…", self._pdf))
        self.show_account.setVisible(case.may_read_confidential)
        if not case.may_read_confidential:
            self._set_account("<i>The complainant, the account, notes and documents are "
                              "shown only to the case's supervisor, director and assigned "
                              "reviewer.</i>")
        self.timeline.set_rows(list(reversed(case.timeline)))
        what = self.timeline.columnWidth(2)
        self.timeline.setColumnWidth(2, min(what, self.timeline.fontMetrics()
                                            .averageCharWidth() * 44))
        self.checklist.set_rows(case.checklist)
        self.documents.set_rows(case.attachments)

    def _set_account(self, text: str) -> None:
        self.account.setText(text)
        self.account.setVisible(bool(text))

    @staticmethod
    def _button(text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda _c=False: slot())
        return button

    @staticmethod
    def _clear(grid: TileGrid) -> None:
        while (item := grid.grid.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.setParent(None)  # gone from the case panel at once
                widget.deleteLater()

    def _read_account(self) -> None:
        from console.services.complaints import read_confidential

        if self.case is None:
            return
        access, case_id = self.access, self.case.id
        self.tasks.run(lambda _c: read_confidential(access, case_id), self._show_account,
                       writes=True, owner=self)

    def _show_account(self, seen: Confidential) -> None:
        who = "Anonymous complainant" if seen.anonymous else \
            f"{seen.complainant_name} ({seen.complainant_contact or 'no contact given'})"
        text = f"<b>Complainant:</b> {escape(who)}<br><b>Account:</b> {escape(seen.narrative)}"
        if seen.closing_letter:
            text += f"<br><b>Closing letter:</b> {escape(seen.closing_letter)}"
        self._set_account(text)
        if self.case is not None:
            self.changed.emit(self.case.id)  # the history now shows this access

    # --- acting on it ------------------------------------------------------------------
    def _done(self) -> None:
        if self.case is not None:
            self.changed.emit(self.case.id)

    def _step(self, action: WorkflowAction) -> None:
        from console.services.complaints import reviewer_choices

        assert self.case is not None
        case, access = self.case, self.access
        if action is WorkflowAction.ASSIGN:
            self.tasks.run(lambda _c: reviewer_choices(access, case.id),
                           lambda found: self._open_step(case, action, found), owner=self)
        else:
            self._open_step(case, action, [])

    def _open_step(self, case: CaseDetail, action: WorkflowAction,
                   reviewers: list[StaffChoice]) -> None:
        from console.views.dialogs.complaint_forms import StepDialog

        self.dialog = StepDialog(self.access, self.tasks, case, action, reviewers, self._done,
                                 self)
        self.dialog.show()

    def _note(self) -> None:
        from console.views.dialogs.complaint_forms import NoteDialog

        assert self.case is not None
        self.dialog = NoteDialog(self.access, self.tasks, self.case, self._done, self)
        self.dialog.show()

    def _selected_item(self) -> ChecklistRow | None:
        rows = self.checklist.selectionModel().selectedRows() \
            if self.checklist.selectionModel() else []
        if not rows or self.case is None:
            return None
        return self.checklist.source.rows[self.checklist.proxy.mapToSource(rows[0]).row()]

    def _checklist_item(self) -> None:
        from console.views.dialogs.complaint_forms import ChecklistDialog

        item = self._selected_item()
        if self.case is None or not self.case.may_edit:
            return
        if item is None:
            self.tabs.setCurrentWidget(self.checklist)
            self._set_account("<i>Choose an item in the checklist first.</i>")
            return
        self.dialog = ChecklistDialog(self.access, self.tasks, self.case, item.kind,
                                      self._done, self)
        self.dialog.show()

    def _attach(self) -> None:
        from console.services.complaints import attach

        if self.case is None:
            return
        name, _ = QFileDialog.getOpenFileName(self, "Attach a document to the case")
        if not name:
            return
        item = self._selected_item()
        kind = item.kind if item is not None else None
        access, case_id, path = self.access, self.case.id, Path(name)
        self.tasks.run(lambda _c: attach(access, case_id, path.name, path.read_bytes(),
                                         _media_type(path), kind),
                       lambda _id: self._done(), writes=True, owner=self)

    def _pdf(self) -> None:
        from console.reports.complaint_pdf import write_case_summary
        from console.services.complaints.queries import case_summary

        if self.case is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the case summary", f"{self.case.reference}-summary.pdf", "PDF (*.pdf)")
        if not name:
            return
        access, case_id, target = self.access, self.case.id, Path(name)
        actor = access.actor
        reader = f"{actor.display_name or actor.username} ({actor.role.label})"

        def work(_control: object) -> Path:
            detail, confidential = case_summary(access, case_id)
            return write_case_summary(target, detail, confidential, reader)

        self.tasks.run(work, lambda _p: self._done(), writes=True, owner=self)


    def _save_copy(self, row: AttachmentRow) -> None:
        """A copy the user asked for, where they chose, owner-only; the read is audited."""
        from console.private_files import open_private
        from console.services.complaints import open_attachment

        if self.case is None or not self.case.may_read_confidential:
            return
        name, _ = QFileDialog.getSaveFileName(self, "Save a copy of the document",
                                              row.filename or f"document-{row.id}")
        if not name:
            return
        access, target = self.access, Path(name)

        def work(_control: object) -> Path:
            _filename, _media, data = open_attachment(access, row.id)
            with open_private(target, "wb") as out:
                out.write(data)
            return target

        self.tasks.run(work, lambda _p: self._done(), writes=True, owner=self)


def _media_type(path: Path) -> str:
    import mimetypes

    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"
