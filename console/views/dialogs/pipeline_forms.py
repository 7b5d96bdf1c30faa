"""Entering a candidate and a field-readiness evaluation. Names, contact details and the
evaluator's notes are sealed by the service before they are stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from console.data.models.pipeline import RUBRIC, SCORE_MAX, SCORE_MIN
from console.data.people_enums import EvaluationKind
from console.views.dialogs.form import SavingDialog, date_edit, picked
from console.views.tasks import TaskRunner

if TYPE_CHECKING:
    from console.services.access import Access
    from console.services.people.pipeline import Card, PartnerRow

RUBRIC_LABELS = dict(zip(RUBRIC, ("Risk assessment under pressure", "De-escalation",
                                  "Rapport", "Fluency with the command structure",
                                  "Documentation"), strict=True))


def cohort_of(day: dt.date) -> str:
    """The cohort an application made on `day` is for: placements start in late August,
    so from August on applicants are recruited for next year's."""
    start = day.year + 1 if day.month >= 8 else day.year
    return f"{start}-{(start + 1) % 100:02d}"


class AddCandidateDialog(SavingDialog):
    def __init__(self, access: Access, tasks: TaskRunner, partners: list[PartnerRow],
                 on_saved: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__("Add a candidate", "An applicant enters at the first stage. The name "
                         "and contact are encrypted and hidden from analysts.", access, tasks,
                         on_saved, parent)
        self.name, self.contact, self.cohort = QLineEdit(), QLineEdit(), QLineEdit()
        self.name.setObjectName("name")
        self.contact.setObjectName("contact")
        self.cohort.setObjectName("cohort")
        self.cohort.setText(cohort_of(dt.date.today()))
        self.partner = QComboBox()
        self.partner.setObjectName("partner")
        self.partner.addItem("No partner program", None)
        for p in partners:
            self.partner.addItem(f"{p.university} — {p.degree}", p.id)
        self.applied = date_edit("appliedOn", dt.date.today())
        for label, widget in (("Name", self.name), ("Contact", self.contact),
                              ("Partner program", self.partner),
                              ("Cohort (academic year)", self.cohort),
                              ("Applied on", self.applied)):
            self.form.addRow(label, widget)

    def work(self, access: Access) -> Any:
        from console.services.people.pipeline import add_candidate

        return add_candidate(access, self.name.text(), cohort=self.cohort.text(),
                             applied_on=picked(self.applied),
                             partner_id=self.partner.currentData(),
                             contact=self.contact.text())


class EvaluationDialog(SavingDialog):
    def __init__(self, access: Access, tasks: TaskRunner, card: Card,
                 on_saved: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__("Field-readiness evaluation", f"{card.label}: each item scored from "
                         f"{SCORE_MIN} (not yet) to {SCORE_MAX} (field-ready).", access, tasks,
                         on_saved, parent)
        self.card = card
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind in EvaluationKind:
            self.kind.addItem(kind.label, kind)
        self.on = date_edit("evaluatedOn", dt.date.today())
        self.evaluator = QLineEdit(access.actor.display_name or access.actor.username)
        self.evaluator.setObjectName("evaluator")
        self.form.addRow("Evaluation", self.kind)
        self.form.addRow("Date", self.on)
        self.form.addRow("Evaluator", self.evaluator)
        self.scores: dict[str, QSpinBox] = {}
        for item in RUBRIC:
            box = QSpinBox()
            box.setObjectName(item)
            box.setRange(SCORE_MIN, SCORE_MAX)
            box.setValue(3)
            self.scores[item] = box
            self.form.addRow(RUBRIC_LABELS[item], box)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 4 + 12)
        self.form.addRow("Evaluator notes", self.notes)

    def work(self, access: Access) -> Any:
        from console.services.people.pipeline import add_evaluation

        return add_evaluation(access, self.card.id, EvaluationKind(self.kind.currentData()),
                              picked(self.on), self.evaluator.text(),
                              {k: box.value() for k, box in self.scores.items()},
                              self.notes.toPlainText())
