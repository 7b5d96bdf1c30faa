"""Program: who takes part, and the events that kept the unit visible or shook it."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from console.context import AppContext
from console.services.program_service import (
    ProgramEventRow,
    ProgramSummary,
    program_events,
    program_summary,
)
from console.views.page import Page
from console.views.record_table import RecordTable
from console.views.record_table_model import Column
from console.views.tasks import TaskRunner

EVENT_COLUMNS: list[Column[ProgramEventRow]] = [
    Column("Date", lambda r: r.occurred_on),
    Column("Kind", lambda r: r.kind),
    Column("Event", lambda r: r.title),
    Column("Notes", lambda r: r.notes),
]


class ProgramPage(Page):
    title = "Program"
    subtitle = (
        "Participating agencies and the program's history of visibility work and structural "
        "change. Governance, activation criteria and funding arrive in a later release."
    )

    def __init__(self, ctx: AppContext, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tasks, parent)
        self.summary = QLabel("Loading…")
        self.summary.setObjectName("muted")
        self.summary.setWordWrap(True)
        self.layout_.addWidget(self.summary)
        heading = QLabel("Program events")
        heading.setObjectName("sectionTitle")
        self.layout_.addWidget(heading)
        self.events = RecordTable(EVENT_COLUMNS, stretch=3)
        self.events.keep_rows(8)  # the page scrolls before the table gets lower
        self.layout_.addWidget(self.events, 1)

    def first_activate(self) -> None:
        self.load(lambda access: (program_summary(access), program_events(access)),
                  self._show)

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
        self.events.set_rows(list(reversed(events)))
