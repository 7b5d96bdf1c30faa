"""The complaint dialogs: intake, a workflow step, a note, a checklist item.

Each collects what was typed and hands it to a service on the write worker; a refusal
(UserError) shows as the dialog's one-line error and keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from console.data.complaint_enums import (
    AllegationCategory,
    Channel,
    ChecklistStatus,
    Classification,
    DocumentKind,
    Finding,
)
from console.errors import UserError
from console.views.dialogs.form import FormDialog
from console.views.tasks import TaskRunner, report_bug
from console.views.widgets import text_width

if TYPE_CHECKING:
    from console.services.access import Access
    from console.services.complaints.records import CallChoice, CaseDetail, StaffChoice
    from console.services.complaints.workflow import WorkflowAction


def _text_box(lines: int, placeholder: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setMinimumHeight(box.fontMetrics().lineSpacing() * lines + 12)
    return box


class ServiceDialog(FormDialog):
    """A form whose OK runs `work` on the write worker, then closes and calls on_done."""

    def __init__(self, title: str, intro: str, tasks: TaskRunner, on_done: Callable[[], None],
                 ok_text: str, parent: QWidget | None) -> None:
        super().__init__(title, intro, [], ok_text, parent)
        self.tasks, self.on_done = tasks, on_done
        self.setMinimumWidth(text_width(self, 70))
        self.on_submit = lambda _values: self._run()
        self.inputs: list[QWidget] = []

    def work(self) -> Callable[[], object]:
        raise NotImplementedError

    def _run(self) -> None:
        try:
            job = self.work()
        except UserError as exc:
            self.show_error(exc.message)
            return
        self.tasks.run(lambda _c: job(), self._done, self._failed, writes=True)

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        for widget in getattr(self, "inputs", []):
            widget.setEnabled(not busy)

    def _done(self, _result: object) -> None:
        self.accept()
        self.on_done()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self.show_error(exc.message)
        else:
            self.show_error("could not save; the details are in the log")
            report_bug(exc)


class IntakeDialog(ServiceDialog):
    """A new complaint as it was received; the narrative and complainant are sealed."""

    def __init__(self, access: Access, tasks: TaskRunner, subjects: list[StaffChoice],
                 on_done: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__("New complaint", "The complainant's identity and account are kept "
                         "encrypted and shown only to the supervisor, the director and the "
                         "reviewer assigned to the case; never to its subjects.",
                         tasks, on_done, "Record complaint", parent)
        self.access = access
        self.received = QDateEdit(QDate.currentDate())
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("yyyy-MM-dd")
        self.channel = QComboBox()
        for channel in Channel:
            self.channel.addItem(channel.label, channel)
        self.anonymous = QCheckBox("Anonymous complainant")
        self.name, self.contact = QLineEdit(), QLineEdit()
        self.name.setObjectName("complainant_name")
        self.anonymous.toggled.connect(self._anonymous)
        self.channel.currentIndexChanged.connect(
            lambda: self.anonymous.setChecked(self.channel.currentData() == Channel.ANONYMOUS
                                              or self.anonymous.isChecked()))
        self.incident = QLineEdit()
        self.incident.setPlaceholderText("incident number (optional)")
        self.find_button = QPushButton("Find")
        self.calls = QComboBox()
        self.calls.hide()
        call_row = QHBoxLayout()
        call_row.addWidget(self.incident, 1)
        call_row.addWidget(self.find_button)
        call_row.addWidget(self.calls, 1)
        self.find_button.clicked.connect(self._find)
        self.subjects = QListWidget()
        self.subjects.setObjectName("subjects")
        for choice in subjects:
            item = QListWidgetItem(choice.name)
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.subjects.addItem(item)
        self.subjects.setMinimumHeight(self.subjects.sizeHintForRow(0) * 4 + 6)
        cats = QWidget()
        grid = QGridLayout(cats)
        grid.setContentsMargins(0, 0, 0, 0)
        self.categories: dict[AllegationCategory, QCheckBox] = {}
        for i, category in enumerate(AllegationCategory):
            box = QCheckBox(category.label)
            self.categories[category] = box
            grid.addWidget(box, i // 3, i % 3)
        self.narrative = _text_box(5, "The complainant's account, in their words")
        self.narrative.setObjectName("narrative")
        self.note = QLineEdit()
        self.note.setPlaceholderText("how it was received (optional)")
        for label, widget in (("Received", self.received), ("Channel", self.channel),
                              ("", self.anonymous), ("Complainant", self.name),
                              ("Contact", self.contact), ("Related call", call_row),
                              ("About (staff)", self.subjects), ("Allegations", cats),
                              ("Account", self.narrative), ("Intake note", self.note)):
            self.form.addRow(label, widget)
        self.inputs = [self.received, self.channel, self.anonymous, self.name, self.contact,
                       self.incident, self.find_button, self.calls, self.subjects, cats,
                       self.narrative, self.note]

    def _anonymous(self, on: bool) -> None:
        for edit in (self.name, self.contact):
            edit.setEnabled(not on)
            if on:
                edit.clear()

    def _find(self) -> None:
        from console.services.complaints import find_call

        access, term = self.access, self.incident.text()
        self.tasks.run(lambda _c: find_call(access, term), self._found, owner=self)

    def _found(self, calls: list[CallChoice]) -> None:
        self.calls.clear()
        for call in calls:
            self.calls.addItem(f"{call.incident_number} ({call.received_at:%Y-%m-%d %H:%M})",
                               call.id)
        if not calls:
            self.calls.addItem("no call has that incident number", None)
        self.calls.show()

    def work(self) -> Callable[[], object]:
        from console.services.complaints import Intake, find_call, record_complaint

        subjects = tuple(self.subjects.item(i).data(Qt.ItemDataRole.UserRole)
                         for i in range(self.subjects.count())
                         if self.subjects.item(i).checkState() == Qt.CheckState.Checked)
        picked = self.calls.currentData() if self.calls.isVisible() else None
        incident = self.incident.text().strip()
        access = self.access
        intake = Intake(
            received_on=self.received.date().toPython(),  # type: ignore[arg-type]
            channel=Channel(self.channel.currentData()), narrative=self.narrative.toPlainText(),
            subject_ids=subjects,
            categories=tuple(c for c, box in self.categories.items() if box.isChecked()),
            anonymous=self.anonymous.isChecked(), complainant_name=self.name.text(),
            complainant_contact=self.contact.text(), call_id=picked, note=self.note.text())

        def job() -> int:
            call_id = picked
            if call_id is None and incident:
                exact = [c for c in find_call(access, incident) if c.incident_number == incident]
                if not exact:
                    raise UserError(f"complaint intake: no call has incident number "
                                    f"{incident!r}; use Find or leave it empty; nothing was "
                                    "recorded")
                call_id = exact[0].id
            return record_complaint(access, replace(intake, call_id=call_id))
        return job


class StepDialog(ServiceDialog):
    """One workflow step: its note, and what the step records."""

    def __init__(self, access: Access, tasks: TaskRunner, case: CaseDetail,
                 action: WorkflowAction, reviewers: list[StaffChoice],
                 on_done: Callable[[], None], parent: QWidget | None = None) -> None:
        from console.services.complaints.workflow import WorkflowAction as A

        super().__init__(f"{case.reference}: {action.label}", "A note is required: it is "
                         "kept in the case's history.", tasks, on_done, action.label, parent)
        self.access, self.case, self.action = access, case, action
        self.note = _text_box(3, "Why, and what was done")
        self.note.setObjectName("step_note")
        self.classification = QComboBox()
        for c in (Classification.SUPERVISOR_REVIEW, Classification.FULL_REVIEW):
            self.classification.addItem(c.label, c)
        self.reviewer = QComboBox()
        self.reviewer.setObjectName("reviewer")
        model: Any = self.reviewer.model()
        for choice in reviewers:
            text = choice.name + (f" — {choice.conflict}" if choice.conflict else "")
            self.reviewer.addItem(text, choice.id)
            if choice.conflict:
                model.item(self.reviewer.count() - 1).setEnabled(False)
        self.finding = QComboBox()
        for f in Finding:
            self.finding.addItem(f.label, f)
        if case.proposed_finding is not None:
            self.finding.setCurrentIndex(list(Finding).index(case.proposed_finding))
        self.decision = _text_box(3, "The command decision")
        self.letter = _text_box(5, "The closing letter to the complainant")
        self.letter.setObjectName("closing_letter")
        rows: list[tuple[str, QWidget]] = []
        if action is A.ASSIGN:
            rows = [("Classification", self.classification), ("Reviewer", self.reviewer)]
        elif action is A.PROPOSE_FINDINGS:
            rows = [("Proposed finding", self.finding)]
        elif action is A.DECIDE:
            rows = [("Finding", self.finding), ("Decision", self.decision)]
        elif action is A.CLOSE and not case.anonymous:
            rows = [("Closing letter", self.letter)]
        for label, widget in [*rows, ("Note", self.note)]:
            self.form.addRow(label, widget)
        self.inputs = [w for _, w in rows] + [self.note]

    def work(self) -> Callable[[], object]:
        from console.services.complaints import Request, transition
        from console.services.complaints.workflow import WorkflowAction as A

        a = self.action
        request = Request(
            a, self.note.toPlainText(),
            reviewer_id=self.reviewer.currentData() if a is A.ASSIGN else None,
            classification=Classification(self.classification.currentData())
            if a is A.ASSIGN else None,
            finding=Finding(self.finding.currentData())
            if a in (A.PROPOSE_FINDINGS, A.DECIDE) else None,
            decision=self.decision.toPlainText() if a is A.DECIDE else "",
            closing_letter=self.letter.toPlainText() if a is A.CLOSE else "")
        access, case_id, version = self.access, self.case.id, self.case.version
        return lambda: transition(access, case_id, version, request)


class NoteDialog(ServiceDialog):
    def __init__(self, access: Access, tasks: TaskRunner, case: CaseDetail,
                 on_done: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(f"{case.reference}: add a note", "", tasks, on_done, "Add note",
                         parent)
        self.access, self.case_id = access, case.id
        self.note = _text_box(4)
        self.form.addRow("Note", self.note)
        self.inputs = [self.note]

    def work(self) -> Callable[[], object]:
        from console.services.complaints import add_note

        access, case_id, note = self.access, self.case_id, self.note.toPlainText()
        return lambda: add_note(access, case_id, note)


class ChecklistDialog(ServiceDialog):
    """Tick a checklist item done, not applicable (with the reason), or open again."""

    def __init__(self, access: Access, tasks: TaskRunner, case: CaseDetail,
                 kind: DocumentKind, on_done: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(f"{case.reference}: {kind.label}", "", tasks, on_done, "Save", parent)
        self.access, self.case_id, self.kind = access, case.id, kind
        self.status = QComboBox()
        for status in (ChecklistStatus.DONE, ChecklistStatus.NOT_APPLICABLE,
                       ChecklistStatus.OPEN):
            self.status.addItem(status.label, status)
        self.note = QLineEdit()
        self.note.setPlaceholderText("required when not applicable")
        self.form.addRow("Status", self.status)
        self.form.addRow("Note", self.note)
        self.inputs = [self.status, self.note]

    def work(self) -> Callable[[], object]:
        from console.services.complaints import mark_document

        access, case_id, kind = self.access, self.case_id, self.kind
        status, note = ChecklistStatus(self.status.currentData()), self.note.text()
        return lambda: mark_document(access, case_id, kind, status, note)

