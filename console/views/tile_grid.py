"""A grid of tiles that reflows: as many equal columns as the width holds, each row as
high as its tallest tile needs at that width (so wrapped text is never squashed)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget

from console.views.widgets import text_width


class TileGridLayout(QLayout):
    """Tiles in reading order, in as many columns as fit (at most `max_columns`).

    A column is never narrower than `min_column_width` nor than the widest tile's own
    minimum width (its longest word, its value on one line). `start_new_row()` makes the
    next tile begin a row of its own, e.g. for the measures that are not available yet.
    The layout has a height for each width, so a scroll area around it scrolls instead of
    squashing the tiles.
    """

    def __init__(self, parent: QWidget | None = None, *, min_column_width: int = 180,
                 max_columns: int = 5, spacing: int = 8) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._breaks: set[int] = set()
        self._heights: dict[int, int] = {}  # height for width, until the tiles change
        self.min_column_width = min_column_width
        self.max_columns = max_columns
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    # -- QLayout
    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt API)
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt API)
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt API)
        if not 0 <= index < len(self._items):
            return None
        self._breaks = {b - 1 if b > index else b for b in self._breaks}
        return self._items.pop(index)

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 (Qt API)
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        if width not in self._heights:
            self._heights[width] = self._arrange(QRect(0, 0, width, 0), place=False)
        return self._heights[width]

    def invalidate(self) -> None:
        self._heights.clear()
        super().invalidate()

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt API)
        super().setGeometry(rect)
        self._arrange(rect, place=True)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        columns = min(self.max_columns, max(1, len(self._visible())))
        width = columns * self.column_width() + (columns - 1) * self.spacing()
        margins = self.contentsMargins()
        width += margins.left() + margins.right()
        return QSize(width, self.heightForWidth(width))

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt API)
        """One column wide; as high as one row (the height follows the width)."""
        margins = self.contentsMargins()
        tallest = max((i.minimumSize().height() for i in self._visible()), default=0)
        return QSize(self.column_width() + margins.left() + margins.right(),
                     tallest + margins.top() + margins.bottom())

    # -- the grid
    def start_new_row(self) -> None:
        """The next tile added begins a new row."""
        self._breaks.add(len(self._items))

    def column_width(self) -> int:
        """The narrowest a column may be."""
        widest = max((i.minimumSize().width() for i in self._visible()), default=0)
        return max(self.min_column_width, widest)

    def columns_for(self, width: int) -> int:
        spacing = self.spacing()
        fit = (width + spacing) // (self.column_width() + spacing)
        return max(1, min(self.max_columns, fit, max(1, len(self._visible()))))

    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _rows(self, columns: int) -> list[list[QLayoutItem]]:
        rows: list[list[QLayoutItem]] = []
        for index, item in enumerate(self._items):
            if item.isEmpty():
                continue
            if not rows or len(rows[-1]) == columns or \
                    (index in self._breaks and rows[-1]):
                rows.append([])
            rows[-1].append(item)
        return rows

    def _arrange(self, rect: QRect, *, place: bool) -> int:
        """Lay the tiles out in rect (if `place`); the height they take."""
        inner = rect.marginsRemoved(self.contentsMargins())
        spacing = self.spacing()
        columns = self.columns_for(inner.width())
        width = max(1, (inner.width() - (columns - 1) * spacing) // columns)
        y = inner.top()
        rows = self._rows(columns)
        for row in rows:
            height = max(_height_at(item, width) for item in row)
            if place:
                for column, item in enumerate(row):
                    x = inner.left() + column * (width + spacing)
                    item.setGeometry(QRect(QPoint(x, y), QSize(width, height)))
            y += height + spacing
        used = y - inner.top() - (spacing if rows else 0)
        return used + self.contentsMargins().top() + self.contentsMargins().bottom()


def _height_at(item: QLayoutItem, width: int) -> int:
    """The height a tile needs at this width (its wrapped text whole). Not its minimum
    height: a wrapped label's minimum assumes a narrow, many-line layout."""
    if item.hasHeightForWidth():
        return item.heightForWidth(width)
    return max(item.sizeHint().height(), item.minimumSize().height())


class TileGrid(QWidget):
    """A widget holding a TileGridLayout (its height follows its width); a column is at
    least `min_column_chars` average characters of the font wide."""

    def __init__(self, parent: QWidget | None = None, *, min_column_chars: int = 24,
                 max_columns: int = 5, spacing: int = 8) -> None:
        super().__init__(parent)
        self.grid = TileGridLayout(
            self, min_column_width=text_width(self, min_column_chars),
            max_columns=max_columns, spacing=spacing)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def add(self, tile: QWidget) -> None:
        self.grid.addWidget(tile)

    def start_new_row(self) -> None:
        self.grid.start_new_row()
