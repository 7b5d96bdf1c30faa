"""The pipeline board: one column per stage, a card per candidate, dragged to move.

A drop only asks for the move: the page checks it through the service (a skip needs a
reason, final stages are final) and reloads the board from what was saved. Columns are
QListWidgets: a board holds dozens of cards, not a data table's thousands of rows.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMimeData, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.data.people_enums import PIPELINE, Stage
from console.services.people.pipeline import Card
from console.views.widgets import text_width

MIME = "application/x-coresponse-candidate"
CARD_ROLE = Qt.ItemDataRole.UserRole
STAGES: tuple[Stage, ...] = (*PIPELINE, Stage.WITHDRAWN)
COLUMN_CHARS = 15


class StageColumn(QListWidget):
    """A stage's cards; emits `dropped(card, stage)` when a card from another column lands."""

    dropped = Signal(object, object)

    def __init__(self, stage: Stage, movable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self.setObjectName(f"stage_{stage.value}")
        self.setWordWrap(True)
        self.setSpacing(3)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        mode = QAbstractItemView.DragDropMode
        # Cards leave only open stages; any column takes a drop (the service judges it).
        self.setDragDropMode(mode.NoDragDrop if not movable else
                             mode.DropOnly if stage.final else mode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)

    def add_card(self, card: Card) -> None:
        item = QListWidgetItem(f"{card.label}\n{card.partner or 'No partner program'}\n"
                               f"{card.cohort} · {card.days_in_stage} d here")
        item.setData(CARD_ROLE, card)
        item.setToolTip(f"{card.label}: {card.stage.label.lower()} since "
                        f"{card.stage_since:%d %b %Y}")
        if self.stage.final:
            item.setForeground(QBrush(QColor("#6b7280")))
        self.addItem(item)

    def cards(self) -> list[Card]:
        return [self.item(i).data(CARD_ROLE) for i in range(self.count())]

    def mimeTypes(self) -> list[str]:  # noqa: N802 (Qt API)
        return [MIME]

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:  # type: ignore[override]  # noqa: N802
        data = QMimeData()
        card: Card = items[0].data(CARD_ROLE)
        data.setData(MIME, QByteArray(str(card.id).encode()))
        return data

    def _card_of(self, data: QMimeData) -> int | None:
        if not data.hasFormat(MIME):
            return None
        return int(bytes(data.data(MIME).data()).decode())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt API)
        if self._card_of(event.mimeData()) is not None and event.source() is not self:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 (Qt API)
        if self._card_of(event.mimeData()) is not None and event.source() is not self:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        card_id = self._card_of(event.mimeData())
        if card_id is None or event.source() is self:
            event.ignore()
            return
        # Copy, not move: the source keeps its card until the saved board is shown again.
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.dropped.emit(card_id, self.stage)


class PipelineBoard(QWidget):
    """The columns side by side, each under its stage, count and median time in stage."""

    moved = Signal(object, object)  # (Card, target Stage)

    def __init__(self, movable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.columns: dict[Stage, StageColumn] = {}
        self.headers: dict[Stage, QLabel] = {}
        self._cards: dict[int, Card] = {}
        for stage in STAGES:
            frame = QFrame()
            frame.setObjectName("card")
            box = QVBoxLayout(frame)
            box.setContentsMargins(6, 6, 6, 6)
            box.setSpacing(4)
            header = QLabel(stage.label)
            header.setObjectName("stageHeader")
            header.setWordWrap(True)
            header.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            header.ensurePolished()
            column = StageColumn(stage, movable)
            column.setMinimumWidth(text_width(column, COLUMN_CHARS))
            column.dropped.connect(self._dropped)
            box.addWidget(header)
            box.addWidget(column, 1)
            row.addWidget(frame, 1)
            self.columns[stage], self.headers[stage] = column, header

    def set_cards(self, cards: list[Card], median_days: dict[Stage, float]) -> None:
        self._cards = {c.id: c for c in cards}
        for stage, column in self.columns.items():
            column.clear()
            mine = sorted((c for c in cards if c.stage is stage),
                          key=lambda c: (-c.stage_since.toordinal(), c.id))
            for card in mine:
                column.add_card(card)
            median = median_days.get(stage)
            self.headers[stage].setText(f"<b>{stage.label}</b> · {len(mine)}")
            self.headers[stage].setToolTip(
                f"Candidates usually spend {median:.0f} days here" if median is not None
                and not stage.final else "")

        self._align_headers()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._align_headers()

    def _align_headers(self) -> None:
        """Every column's cards start at the same height: the headers take the height of
        the one that wraps most at the columns' width."""
        need = max(h.heightForWidth(max(h.width(), 1)) for h in self.headers.values())
        for header in self.headers.values():
            if header.height() != need:
                header.setFixedHeight(need)

    def selected(self) -> Card | None:
        for column in self.columns.values():
            items = column.selectedItems()
            if items:
                card: Card = items[0].data(CARD_ROLE)
                return card
        return None

    def _dropped(self, card_id: int, stage: Stage) -> None:
        card = self._cards.get(card_id)
        if card is not None and card.stage is not stage:
            self.moved.emit(card, stage)
