"""Program: who takes part, and the events that kept the unit visible or shook it.

Four tabs: governance, activation criteria, funding and events. Events are entered here
first (add, edit, delete, or an events list imported through the import wizard): the
visibility-events warning is only as good as this entry is easy. Roles that may not edit
the program see no buttons (the service refuses anyway).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
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
from console.errors import UserError
from console.services.access import Action
from console.services.program_service import (
    ProgramEventRow,
    ProgramSummary,
    program_events,
    program_summary,
)
from console.views.criteria_view import CriteriaView
from console.views.dialogs.program_event import visibility_kinds
from console.views.funding_view import FundingView
from console.views.governance_view import GovernanceSection
from console.views.page import Page
from console.views.record_table import RecordTable
from console.views.record_table_model import Column
from console.views.tasks import TaskRunner, report_bug
from console.views.widgets import scroll_area

EVENT_COLUMNS: list[Column[ProgramEventRow]] = [
    Column("Date", lambda r: r.occurred_on),
    Column("Kind", lambda r: r.kind),
    Column("Event", lambda r: r.title),
    Column("Notes", lambda r: r.notes),
]


def _scrolled(section: QWidget) -> QWidget:
    """A section with room around it, scrolling when the window is too small for it."""
    body = QWidget()
    box = QVBoxLayout(body)
    box.setContentsMargins(0, 8, 8, 0)
    box.addWidget(section)
    box.addStretch(1)
    return scroll_area(body, "programTabScroll")


class ProgramPage(Page):
    title = "Program"
    subtitle = (
        "Participating agencies, the program's governance, its activation criteria, its "
        "funding and its history of visibility work and structural change."
    )
    scrolls = False  # each tab scrolls by itself

    TABS = ("governance", "criteria", "funding", "events")

    def __init__(self, ctx: AppContext, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tasks, parent)
        self.summary = QLabel("Loading…")
        self.summary.setObjectName("muted")
        self.summary.setWordWrap(True)
        self.layout_.addWidget(self.summary)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("programTabs")
        self.tabs.setDocumentMode(True)
        self.layout_.addWidget(self.tabs, 1)
        self.governance = GovernanceSection(ctx, tasks, self.data_changed.emit, self)
        self.tabs.addTab(_scrolled(self.governance), "Governance")
        self.criteria = CriteriaView(ctx, tasks)
        self.criteria.changed.connect(self.data_changed.emit)
        self.tabs.addTab(_scrolled(self.criteria), "Activation criteria")
        self.funding = FundingView(ctx, tasks)
        self.funding.on_changed = self.data_changed.emit
        self.tabs.addTab(_scrolled(self.funding), "Funding")
        self.tabs.addTab(self._events_tab(ctx), "Events")
        self.dialog: QWidget | None = None
        self.wizard: QWidget | None = None

    def show_tab(self, key: str) -> None:
        """Bring a tab to the front: "governance", "criteria", "funding" or "events"."""
        self.tabs.setCurrentIndex(self.TABS.index(key))

    def _events_tab(self, ctx: AppContext) -> QWidget:
        tab = QWidget()
        box = QVBoxLayout(tab)
        box.setContentsMargins(0, 8, 0, 0)
        box.setSpacing(8)
        legend = QLabel(f"Visibility work, counted by the visibility warning: "
                        f"{visibility_kinds()}. Office moves, schedule changes and "
                        "leadership changes are drawn on every warning's chart.")
        legend.setObjectName("muted")
        legend.setWordWrap(True)
        box.addWidget(legend)
        self.can_edit = ctx.access.allows(Action.EDIT_PROGRAM)
        self.add_button = QPushButton("Add event…")
        self.edit_button = QPushButton("Edit…")
        self.delete_button = QPushButton("Delete…")
        self.import_button = QPushButton("Import events…")
        self.import_button.setToolTip("Import a list of events (CSV or Excel): date, kind, "
                                      "title and notes per row")
        if self.can_edit:
            buttons = QHBoxLayout()
            for button in (self.add_button, self.edit_button, self.delete_button):
                buttons.addWidget(button)
            buttons.addStretch(1)
            buttons.addWidget(self.import_button)
            box.addLayout(buttons)
            self.add_button.clicked.connect(lambda: self._open_dialog(None))
            self.edit_button.clicked.connect(self._edit_selected)
            self.delete_button.clicked.connect(self._delete_selected)
            self.import_button.clicked.connect(lambda: self.open_import())
        self.events = RecordTable(EVENT_COLUMNS, stretch=3)
        box.addWidget(self.events, 1)
        if self.can_edit:
            self.events.setToolTip("Double-click an event to edit it")
            self.events.doubleClicked.connect(self._edit_at)
            self.events.selectionModel().selectionChanged.connect(self._selection_changed)
        self._selection_changed()
        return tab

    def first_activate(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the program and its events again (off the GUI thread)."""
        self._activated = True
        self.governance.reload()
        self.load(lambda access: (program_summary(access), program_events(access)),
                  self._show)
        self.criteria.reload()
        self.funding.reload()

    def _show(self, result: tuple[ProgramSummary | None, list[ProgramEventRow]]) -> None:
        summary, events = result
        if summary is None:
            self.summary.setText("No program in this database yet.")
        else:
            agencies = ", ".join(
                f"{a.name} (lead)" if a.is_lead else a.name for a in summary.agencies
            )
            self.summary.setText(
                f"<b>{summary.name}</b>, {summary.jurisdiction}. Running since "
                f"{summary.started_on:%d %B %Y}. Agencies: {agencies or 'none recorded'}."
            )
        self.add_button.setEnabled(summary is not None)
        self.import_button.setEnabled(summary is not None)
        self.events.set_rows(list(reversed(events)))
        self._selection_changed()

    # --- editing ------------------------------------------------------------------------
    def selected_event(self) -> ProgramEventRow | None:
        rows = self.events.selectionModel().selectedRows()
        if not rows:
            return None
        return self._row_at(rows[0])

    def _row_at(self, index: QModelIndex) -> ProgramEventRow:
        row: ProgramEventRow = self.events.source.rows[self.events.proxy.mapToSource(index).row()]
        return row

    def _selection_changed(self) -> None:
        chosen = bool(self.events.selectionModel().selectedRows())
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def _edit_at(self, index: QModelIndex) -> None:
        self._open_dialog(self._row_at(index))

    def _edit_selected(self) -> None:
        event = self.selected_event()
        if event is not None:
            self._open_dialog(event)

    def _open_dialog(self, event: ProgramEventRow | None) -> None:
        from console.views.dialogs.program_event import ProgramEventDialog

        dialog = ProgramEventDialog(self.ctx.access, self.tasks, self._changed, event, self)
        self.dialog = dialog
        dialog.show()

    def _delete_selected(self) -> None:
        from console.services.program_service import delete_program_event

        event = self.selected_event()
        if event is None or not self.confirm_delete(event):
            return
        access = self.ctx.access
        self.tasks.run(lambda _c: delete_program_event(access, event.id),
                       lambda _r: self._changed(), self._failed, writes=True, owner=self)

    def _changed(self) -> None:
        self.data_changed.emit()
        self.reload()

    def confirm_delete(self, event: ProgramEventRow) -> bool:
        """Ask before deleting (the audit trail keeps the event either way)."""
        answer = QMessageBox.question(
            self, f"{APP_NAME} — Delete event",
            f"Delete the event “{event.title}” of {event.occurred_on:%d %B %Y} "
            f"({event.kind.label})? The audit trail keeps a record of it.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            QMessageBox.warning(self, APP_NAME, exc.message)
        else:
            report_bug(exc)
        self.reload()

    # --- importing ----------------------------------------------------------------------
    def open_import(self, path: Path | None = None) -> QWidget:
        """The import wizard for program events; the table reloads after an import."""
        from console.data.importers.fields import PROGRAM_EVENTS
        from console.views.importing.wizard import ImportWizard

        wizard = ImportWizard(self.ctx.access, self.tasks, path, self.window(),
                              kind=PROGRAM_EVENTS)
        wizard.on_imported = lambda _result: self._changed()
        self.wizard = wizard
        wizard.show()
        return wizard
