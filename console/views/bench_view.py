"""The succession view: each role that must never be empty, who holds it, and the bench
behind them; a role with fewer than two people ready now is flagged."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from console.services.people.bench import READY_NEEDED, BenchRole
from console.views.record_table import RecordTable
from console.views.staffing_columns import SUCCESSOR_COLUMNS


class BenchView(QWidget):
    """Emits `chosen(successor)` when a successor's row is double-clicked."""

    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 8, 0, 0)
        self.box.setSpacing(12)
        intro = QLabel(f"Who could step into each protected role, and how ready they are. "
                       f"A role with fewer than {READY_NEEDED} people ready now is flagged.")
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        self.box.addWidget(intro)
        self.cards: list[QFrame] = []
        self.titles: list[QLabel] = []
        self.box.addStretch(1)

    def set_roles(self, roles: list[BenchRole]) -> None:
        for card in self.cards:
            card.deleteLater()
        self.cards, self.titles = [], []
        for role in roles:
            card = QFrame()
            card.setObjectName("card")
            inner = QVBoxLayout(card)
            inner.setContentsMargins(12, 10, 12, 10)
            held = f"held by {escape(role.holder)}" if role.holder else "holder not recorded"
            flag = (f" <span style='color:#b91c1c;font-weight:600'>· fewer than "
                    f"{READY_NEEDED} ready</span>" if role.thin else "")
            title = QLabel(f"<b>{escape(role.role.label)}</b> — {held} · "
                           f"{role.ready} ready now of {len(role.successors)} on the bench{flag}")
            title.setObjectName("benchRoleTitle")
            title.setWordWrap(True)
            inner.addWidget(title)
            table = RecordTable(SUCCESSOR_COLUMNS, stretch=5)
            table.set_rows(list(role.successors))
            table.doubleClicked.connect(lambda index, t=table: self._chosen(t, index))
            table.setFixedHeight(table.horizontalHeader().sizeHint().height() + 4
                                 + max(1, len(role.successors))
                                 * table.verticalHeader().defaultSectionSize())
            inner.addWidget(table)
            self.box.insertWidget(self.box.count() - 1, card)
            self.cards.append(card)
            self.titles.append(title)

    def _chosen(self, table: RecordTable, index: QModelIndex) -> None:
        self.chosen.emit(table.source.rows[table.proxy.mapToSource(index).row()])
