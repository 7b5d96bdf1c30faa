"""An early-warning indicator as a Dashboard tile: where it stands, against what, how
bad, and its last year as a sparkline. Clicking it (or Enter / Space on it) asks for
its drill-down."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QImage, QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from console.reports.indicator_style import (
    SEVERITY_COLOURS,
    number,
    severity_label,
    short_date,
    unit_words,
    with_unit,
)
from console.services.indicators.model import Acknowledgement, Evaluation, Severity

SPARK_SIZE = QSize(240, 44)  # logical pixels the sparkline is drawn at (it scales down)
NO_BASELINE_STYLE = "background: #f3f4f6; color: #374151; border: 1px solid #9ca3af;"
OPEN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)


def badge_style(severity: Severity) -> str:
    colours = SEVERITY_COLOURS[severity]
    return (f"background: {colours.soft}; color: {colours.text}; "
            f"border: 1px solid {colours.strong};")


def badge_text(e: Evaluation) -> tuple[str, str]:
    """The badge's words and its style: the severity, or "No baseline yet" where an OK
    only means there was too little history to compare with."""
    if e.severity is Severity.OK and e.baseline is None and \
            e.baseline_note.startswith("not enough history"):
        return "No baseline yet", NO_BASELINE_STYLE
    return severity_label(e.severity), badge_style(e.severity)


def set_badge(badge: QLabel, e: Evaluation) -> None:
    text, style = badge_text(e)
    badge.setText(text)
    badge.setStyleSheet(f"QLabel {{ {style} border-radius: 3px; padding: 1px 6px; "
                        "font-weight: 600; }")


def acknowledgement_text(ack: Acknowledgement) -> str:
    text = f"Acknowledged by {ack.by} on {short_date(ack.at.date())}: {ack.note}"
    if ack.review_on is not None:
        text += f" (review on {short_date(ack.review_on)})"
    return text


def tile_note(e: Evaluation) -> str:
    """The line under the value: its unit and the baseline; for an indicator judged by
    fixed thresholds, its watch line; else why there is no baseline."""
    if e.baseline is None and e.baseline_note.startswith("fixed thresholds"):
        return f"watch line {with_unit(e.thresholds.watch, e)}"
    words = unit_words(e)
    if e.baseline is None:
        baseline = e.baseline_note or "no baseline"
    else:
        baseline = f"baseline {number(e.baseline, e)}"
    return " · ".join(part for part in (words, baseline) if part)


def sparkline_image(e: Evaluation, ratio: float) -> QImage:
    """The tile's sparkline drawn by matplotlib (Agg); safe off the GUI thread (a QImage,
    not a QPixmap). `ratio`: the screen's device pixel ratio, for a sharp line."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from console.reports.indicator_charts import draw_sparkline

    dpi = 100 * ratio
    fig = Figure(figsize=(SPARK_SIZE.width() / 100, SPARK_SIZE.height() / 100), dpi=dpi)
    fig.patch.set_alpha(0)
    canvas = FigureCanvasAgg(fig)
    draw_sparkline(fig, e)
    canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    image = QImage(bytes(canvas.buffer_rgba()), width, height,
                   QImage.Format.Format_RGBA8888).copy()
    image.setDevicePixelRatio(ratio)
    return image


class Sparkline(QWidget):
    """A drawn sparkline, scaled down to the tile's width (never up, never squashed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sparkline")
        self.image: QImage | None = None
        self.setMinimumSize(60, SPARK_SIZE.height())
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return SPARK_SIZE

    def set_image(self, image: QImage | None) -> None:
        self.image = image
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        if self.image is None:
            return
        logical = self.image.size() / self.image.devicePixelRatio()
        scale = min(1.0, self.width() / logical.width(), self.height() / logical.height())
        target = QRectF(0, 0, logical.width() * scale, logical.height() * scale)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(target, self.image)
        painter.end()


class IndicatorTile(QFrame):
    """One indicator; `opened` carries its id when clicked or on Enter / Space."""

    opened = Signal(str)

    def __init__(self, e: Evaluation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tile")
        self.setProperty("clickable", True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        box = QVBoxLayout(self)
        box.setContentsMargins(14, 10, 14, 10)
        box.setSpacing(2)
        head = QHBoxLayout()
        head.setSpacing(8)
        self.title = QLabel()
        self.title.setObjectName("tileLabel")
        self.title.setWordWrap(True)
        head.addWidget(self.title, 1)
        self.badge = QLabel()
        self.badge.setObjectName("severityBadge")
        head.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        box.addLayout(head)
        self.value = QLabel()
        self.value.setObjectName("tileValue")
        box.addWidget(self.value)
        self.note = QLabel()
        self.note.setObjectName("tileNote")
        self.note.setWordWrap(True)
        box.addWidget(self.note)
        self.sparkline = Sparkline()
        box.addWidget(self.sparkline)
        self.acknowledged = QLabel("✓ Acknowledged")
        self.acknowledged.setObjectName("tileAcknowledged")
        box.addWidget(self.acknowledged)
        box.addStretch(1)
        self.evaluation = e
        self.set_evaluation(e)

    @property
    def indicator_id(self) -> str:
        return self.evaluation.id

    def set_evaluation(self, e: Evaluation, sparkline: QImage | None = None) -> None:
        self.evaluation = e
        self.title.setText(e.title)
        set_badge(self.badge, e)
        self.value.setText(number(e.value, e))
        self.note.setText(tile_note(e))
        if sparkline is not None:
            self.sparkline.set_image(sparkline)
        ack = e.acknowledgement
        self.acknowledged.setVisible(ack is not None)
        self.acknowledged.setToolTip(acknowledgement_text(ack) if ack else "")
        tip = f"<b>{e.title}</b><br>{e.explanation}"
        if e.why:
            tip += f"<br><br><i>{e.why}</i>"
        self.setToolTip(tip + "<br><br>Click, or press Enter, for the details.")
        label = badge_text(e)[0]
        self.setAccessibleName(f"{e.title}: {label}")
        self.setAccessibleDescription(
            f"{with_unit(e.value, e)}; {tile_note(e)}. {e.explanation}"
            + (" Acknowledged." if ack else ""))

    # -- opening: mouse and keyboard
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.MouseButton.LeftButton and \
                self.rect().contains(event.position().toPoint()):
            self.opened.emit(self.indicator_id)
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in OPEN_KEYS and not event.isAutoRepeat():
            self.opened.emit(self.indicator_id)
            return
        super().keyPressEvent(event)
