"""Locking the window after an idle period: precinct workstations are shared.

IdleWatch restarts a timer on every key press, click, wheel turn or touch anywhere in
the application; when it fires, the window covers its pages with a LockScreen until the
same user types the password again (or signs out).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

_ACTIVITY = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin,
})


class IdleWatch(QObject):
    """Emits `idle` after `minutes` without input; `minutes` 0 turns the lock off."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self.minutes = minutes
        self.restart()

    def set_interval_ms(self, ms: int) -> None:
        """For tests: a shorter idle period."""
        self._timer.setInterval(ms)
        self._timer.start()

    def restart(self) -> None:
        if self.minutes > 0:
            self._timer.start(self.minutes * 60_000)
        else:
            self._timer.stop()

    def pause(self) -> None:
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False


class LockScreen(QWidget):
    """Covers the pages: who is signed in, a password field, Unlock and Sign out."""

    unlock_requested = Signal(str)
    sign_out_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.addStretch(2)
        card = QWidget()
        card.setObjectName("lockCard")
        card.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        card.setFixedWidth(440)
        box = QVBoxLayout(card)
        box.setContentsMargins(28, 24, 28, 24)
        title = QLabel("Console locked")
        title.setObjectName("dialogTitle")
        box.addWidget(title)
        self.who = QLabel("")
        self.who.setWordWrap(True)
        box.addWidget(self.who)
        self.password = QLineEdit()
        self.password.setObjectName("lockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("Password")
        self.password.returnPressed.connect(self._unlock)
        box.addWidget(self.password)
        self.error = QLabel("")
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.hide()
        box.addWidget(self.error)
        row = QHBoxLayout()
        self.sign_out = QPushButton("Sign out")
        self.sign_out.clicked.connect(self.sign_out_requested)
        self.unlock = QPushButton("Unlock")
        self.unlock.setDefault(True)
        self.unlock.clicked.connect(self._unlock)
        row.addWidget(self.sign_out)
        row.addStretch(1)
        row.addWidget(self.unlock)
        box.addLayout(row)
        centre = QHBoxLayout()
        centre.addStretch(1)
        centre.addWidget(card)
        centre.addStretch(1)
        outer.addLayout(centre)
        outer.addStretch(3)

    def prepare(self, user: str, minutes: int, hint: str = "") -> None:
        text = (f"Locked after {minutes} idle minutes. Signed in as <b>{user}</b>: "
                "type your password to go on.")
        self.who.setText(text + (f"<br><i>{hint}</i>" if hint else ""))
        self.who.setTextFormat(Qt.TextFormat.RichText)
        self.password.clear()
        self.error.hide()
        self.set_busy(False)
        self.password.setFocus()

    def set_busy(self, busy: bool) -> None:
        for w in (self.password, self.unlock, self.sign_out):
            w.setEnabled(not busy)

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.error.setText(message)
        self.error.show()
        self.password.clear()
        self.password.setFocus()

    def _unlock(self) -> None:
        if self.password.text():
            self.set_busy(True)
            self.unlock_requested.emit(self.password.text())
