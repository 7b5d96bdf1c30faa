"""Baseline for the start-up benchmark: a bare PySide6 script painting an empty QMainWindow."""

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class _FirstPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            print("painted", flush=True)
            QTimer.singleShot(0, QApplication.quit)
            watched.removeEventFilter(self)
        return False


app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1360, 860)
spy = _FirstPaint()
window.installEventFilter(spy)
window.show()
sys.exit(app.exec())
