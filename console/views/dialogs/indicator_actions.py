"""The two things a user does to an indicator: acknowledge its alert with a note (and a
day to look again), and, for a supervisor, move its thresholds. Both save through the
task runner; the service checks the role and audits the change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console import APP_NAME
from console.errors import UserError
from console.reports.indicator_style import (
    severity_line,
    statistic_is_share,
    statistic_number,
)
from console.services.indicators.model import Evaluation, Severity, Thresholds
from console.views.dialogs.form import picked, qdate
from console.views.tasks import TaskControl, TaskRunner, report_bug

REVIEW_AFTER = dt.timedelta(days=14)  # the review date offered by default
NOTE_NEEDED = "write a note: what is being done about this alert, or why it can wait"


class _ActionDialog(QDialog):
    """A titled dialog with an error line and OK / Cancel, saving through the runner."""

    def __init__(self, title: str, intro: str, ok_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME} — {title}")
        self.setModal(True)
        self.setMinimumWidth(460)
        self.box = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("dialogTitle")
        heading.setWordWrap(True)
        self.box.addWidget(heading)
        text = QLabel(intro)
        text.setObjectName("dialogIntro")
        text.setWordWrap(True)
        self.box.addWidget(text)
        self.form = QFormLayout()
        self.box.addLayout(self.form)
        self.error = QLabel("")
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.box.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(ok_text)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        self.box.addWidget(self.buttons)

    def _submit(self) -> None:
        raise NotImplementedError

    def set_busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)
        if busy:
            self.error.hide()

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.error.setText(message[:1].upper() + message[1:])
        self.error.show()
        self.adjustSize()

    def save(self, tasks: TaskRunner, work: Callable[[], Any]) -> None:
        self.set_busy(True)

        def run(_control: TaskControl) -> None:
            work()

        tasks.run(run, lambda _r: self.accept(), self._failed, writes=True, owner=self)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self.show_error(exc.message)
        else:
            self.show_error("could not save; the details are in the log")
            report_bug(exc)


class AcknowledgeDialog(_ActionDialog):
    """A note (required) and, if wanted, a day to look at the alert again."""

    def __init__(self, access: Any, tasks: TaskRunner, e: Evaluation,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            f"Acknowledge: {e.title}",
            f"{severity_line(e)}. Say what is being done about it; the note is kept with "
            "the alert's history, under your name.", "Acknowledge", parent)
        self.access, self.tasks, self.evaluation = access, tasks, e
        self.note = QPlainTextEdit()
        self.note.setObjectName("ackNote")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText("e.g. Raised with the patrol commander; briefings "
                                     "restart next month")
        self.note.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        self.form.addRow("Note", self.note)
        today = dt.date.today()
        self.review = QCheckBox("Review on")
        self.review_on = QDateEdit(qdate(today + REVIEW_AFTER))
        self.review_on.setObjectName("reviewOn")
        self.review_on.setCalendarPopup(True)
        self.review_on.setDisplayFormat("d MMM yyyy")
        self.review_on.setMinimumDate(qdate(today))
        self.review_on.setEnabled(False)
        self.review.toggled.connect(self.review_on.setEnabled)
        row = QHBoxLayout()
        row.addWidget(self.review)
        row.addWidget(self.review_on)
        row.addStretch(1)
        self.form.addRow("", row)
        self.note.setFocus()

    def review_date(self) -> dt.date | None:
        if not self.review.isChecked():
            return None
        return picked(self.review_on)

    def _submit(self) -> None:
        note = self.note.toPlainText().strip()
        if not note:
            self.show_error(NOTE_NEEDED)
            self.note.setFocus()
            return
        from console.services.indicators.alerts_service import acknowledge

        access, e, review_on = self.access, self.evaluation, self.review_date()
        self.save(self.tasks, lambda: acknowledge(access, e, note, review_on))


def thresholds_problem(t: Thresholds, statistic_label: str) -> str:
    """Why these thresholds cannot be saved, or ''."""
    if t.ordered():
        return ""
    direction = "rise" if t.above else "fall"
    worse = "higher" if t.above else "lower"
    return (f"the thresholds must {direction} from watch to warning to critical: "
            f"a {worse} {statistic_label} is worse")


class ThresholdsDialog(_ActionDialog):
    """Three numbers on the indicator's statistic; Reset puts back the defaults."""

    def __init__(self, access: Any, tasks: TaskRunner, e: Evaluation,
                 parent: QWidget | None = None) -> None:
        t = e.thresholds
        side = "or above" if t.above else "or below"
        super().__init__(
            f"Thresholds: {e.title}",
            f"The indicator reaches a level when its {e.statistic_label} is at {side} "
            f"that level's number ({'higher' if t.above else 'lower'} is worse). "
            "The change is recorded in the audit trail.", "Save", parent)
        self.access, self.tasks, self.evaluation = access, tasks, e
        self.spins: dict[Severity, QDoubleSpinBox] = {}
        # A share is typed as a percentage (95 %), kept as a share (0.95).
        self.scale = 100.0 if statistic_is_share(e) else 1.0
        for level, value in ((Severity.WATCH, t.watch), (Severity.WARNING, t.warning),
                             (Severity.CRITICAL, t.critical)):
            spin = QDoubleSpinBox()
            spin.setObjectName(f"threshold_{level.key}")
            spin.setDecimals(1 if self.scale != 1.0 else 3)
            if self.scale != 1.0:
                spin.setRange(0.0, 100.0)
                spin.setSuffix(" %")
            else:
                spin.setRange(-1e9, 1e9)
            spin.setSingleStep(_step(value * self.scale))
            spin.setValue(value * self.scale)
            spin.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.form.addRow(f"{level.label}: {e.statistic_label} at {side}", spin)
            self.spins[level] = spin
        self.reset = QPushButton("Reset to defaults")
        self.reset.setToolTip("Put back the thresholds the indicator comes with.")
        self.reset.clicked.connect(self._reset)
        self.buttons.addButton(self.reset, QDialogButtonBox.ButtonRole.ResetRole)
        self.current = QLabel(f"Now: {e.statistic_label} "
                              f"{statistic_number(_last(e.statistic), e)}")
        self.current.setObjectName("muted")
        self.box.insertWidget(self.box.indexOf(self.error), self.current)

    def thresholds(self) -> Thresholds:
        watch, warning, critical = (self.spins[level].value() / self.scale for level in
                                    (Severity.WATCH, Severity.WARNING, Severity.CRITICAL))
        return Thresholds(watch, warning, critical,
                          above=self.evaluation.thresholds.above)

    def _submit(self) -> None:
        t = self.thresholds()
        problem = thresholds_problem(t, self.evaluation.statistic_label)
        if problem:
            self.show_error(problem)
            return
        from console.services.indicators.alerts_service import set_thresholds

        access, indicator_id = self.access, self.evaluation.id
        self.save(self.tasks, lambda: set_thresholds(access, indicator_id, t))

    def _reset(self) -> None:
        from console.services.indicators.alerts_service import reset_thresholds

        access, indicator_id = self.access, self.evaluation.id
        self.reset.setEnabled(False)
        self.save(self.tasks, lambda: reset_thresholds(access, indicator_id))

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        if hasattr(self, "reset"):
            self.reset.setEnabled(not busy)


def _step(value: float) -> float:
    magnitude = abs(value) or 1.0
    return 0.01 if magnitude < 1 else 0.1 if magnitude < 10 else 1.0


def _last(values: tuple[float | None, ...]) -> float | None:
    return next((v for v in reversed(values) if v is not None), None)

