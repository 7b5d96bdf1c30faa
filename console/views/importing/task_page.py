"""The base of the wizard's pages that run a task: progress bar, Cancel, one-line status."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QWizardPage,
)

from console.errors import UserError
from console.views.tasks import Cancelled, TaskControl, TaskHandle, report_bug

if TYPE_CHECKING:
    from console.views.importing.wizard import ImportWizard
    pass


class TaskPage(QWizardPage):
    """A page that runs one background task at a time with a progress bar and Cancel."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.handle: TaskHandle | None = None
        self.bar = QProgressBar()
        self.bar.setTextVisible(True)
        self.bar.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel_task)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def progress_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        return row

    @property
    def busy(self) -> bool:
        return self.handle is not None and not self.handle.finished

    def start(self, text: str, work: Callable[[TaskControl], Any],
              then: Callable[[Any], None], *, writes: bool = False) -> None:
        self.status.setText(text)
        self.status.setObjectName("")
        self.bar.setRange(0, 0)
        self.bar.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)

        def done(value: Any) -> None:
            self._idle()
            then(value)

        self.handle = self.wiz.run(work, done, self._failed, self._progress, writes=writes)
        self.completeChanged.emit()

    def cancel_task(self) -> None:
        if self.busy and self.handle is not None:
            self.handle.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("Cancelling…")

    def _progress(self, done: int, total: int, text: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(min(done, max(total, 1)))
        if text:
            self.status.setText(text)

    def _idle(self) -> None:
        self.bar.hide()
        self.cancel_button.hide()
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self._idle()
        if isinstance(exc, Cancelled) or type(exc).__name__.endswith("Cancelled"):
            self.show_problem(self.cancelled_text)
        elif isinstance(exc, UserError):
            self.show_problem(exc.message)
        else:
            self.show_problem("Something went wrong; the details are in the log.")
            report_bug(exc)
        self.after_failure()

    cancelled_text = "Cancelled."

    def after_failure(self) -> None:
        """Override to reset what the failed task was building."""

    def show_problem(self, text: str) -> None:
        self.status.setText(text)
        self.status.setObjectName("formError")
        self.status.setStyleSheet("")  # re-polish for the object name
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
