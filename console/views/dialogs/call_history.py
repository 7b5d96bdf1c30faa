"""Drill-down from a repeat-call person or address: every call about them, oldest first."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from console.services.repeat_calls_service import HISTORY_LIMIT, CallHistory, HistoryCall
from console.views.record_table import RecordTable
from console.views.record_table_model import Column

HISTORY_COLUMNS: list[Column[HistoryCall]] = [
    Column("Received", lambda c: c.received_at),
    Column("Incident", lambda c: c.incident_number),
    Column("Call type", lambda c: c.call_type),
    Column("Disposition", lambda c: c.disposition),
    Column("Co-responder", lambda c: c.activation.label if c.activation else
           ("Yes" if c.co_response else "No"),
           "How the unit came to the call; No: patrol alone"),
    Column("Area", lambda c: c.area),
]


class CallHistoryDialog(QDialog):
    def __init__(self, history: CallHistory, note: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Call history: {history.title}")
        self.resize(860, 520)
        box = QVBoxLayout(self)
        title = QLabel(history.title)
        title.setObjectName("dialogTitle")
        box.addWidget(title)
        calls = history.calls
        co = sum(1 for c in calls if c.co_response)
        intro = f"{len(calls):,} calls, {co:,} with the unit"
        if len(calls) >= HISTORY_LIMIT:
            intro += f" (the first {HISTORY_LIMIT:,} shown)"
        if calls:
            intro += f"; {calls[0].received_at:%d %b %Y} to {calls[-1].received_at:%d %b %Y}"
        if history.name_shown:
            note = ""
        self.intro = QLabel(f"{intro}. {note}".strip())
        self.intro.setObjectName("dialogIntro")
        self.intro.setWordWrap(True)
        box.addWidget(self.intro)
        self.table = RecordTable(HISTORY_COLUMNS, stretch=2)
        self.table.set_rows(calls)
        box.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
