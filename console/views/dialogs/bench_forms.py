"""Putting someone on the bench for a protected role, reassessing their readiness, and
recording an acting assignment or training."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from console.data.people_enums import BenchActivityKind, ProtectedRole, Readiness
from console.views.dialogs.form import SavingDialog, date_edit, picked
from console.views.tasks import TaskRunner

if TYPE_CHECKING:
    from console.services.access import Access
    from console.services.people.bench import Successor


def _combo(name: str, items: list[tuple[str, Any]]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for text, value in items:
        combo.addItem(text, value)
    return combo


class AddSuccessorDialog(SavingDialog):
    def __init__(self, access: Access, tasks: TaskRunner, people: list[tuple[int, str]],
                 on_saved: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__("Add to the bench", "Someone who could step into a role that must "
                         "never be left empty, and how ready they are today.", access, tasks,
                         on_saved, parent)
        self.role = _combo("role", [(r.label, r) for r in ProtectedRole])
        self.person = _combo("person", [(name, i) for i, name in people])
        self.readiness = _combo("readiness", [(r.label, r) for r in Readiness])
        self.assessed = date_edit("assessedOn", dt.date.today())
        for label, widget in (("Role", self.role), ("Person", self.person),
                              ("Readiness", self.readiness), ("Assessed on", self.assessed)):
            self.form.addRow(label, widget)

    def work(self, access: Access) -> Any:
        from console.services.people.bench import add_successor

        return add_successor(access, ProtectedRole(self.role.currentData()),
                             int(self.person.currentData()),
                             Readiness(self.readiness.currentData()), picked(self.assessed))


class SuccessorDialog(SavingDialog):
    """Reassess a successor, and optionally record an acting assignment or training."""

    def __init__(self, access: Access, tasks: TaskRunner, successor: Successor,
                 on_saved: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__("Successor", f"{successor.name}: readiness as assessed today, and "
                         "an acting assignment or training to add to their record.", access,
                         tasks, on_saved, parent)
        self.successor = successor
        self.readiness = _combo("readiness", [(r.label, r) for r in Readiness])
        self.readiness.setCurrentIndex(list(Readiness).index(successor.readiness))
        self.assessed = date_edit("assessedOn", dt.date.today())
        self.record = QCheckBox("Add an acting assignment or training")
        self.record.setObjectName("record")
        self.kind = _combo("kind", [(k.label, k) for k in BenchActivityKind])
        self.title = QLineEdit()
        self.title.setObjectName("activityTitle")
        self.starts = date_edit("startsOn", dt.date.today())
        self.ends = date_edit("endsOn", dt.date.today())
        for label, widget in (("Readiness", self.readiness), ("Assessed on", self.assessed),
                              ("", self.record), ("Kind", self.kind), ("Title", self.title),
                              ("From", self.starts), ("To", self.ends)):
            self.form.addRow(label, widget)

    def work(self, access: Access) -> Any:
        from console.services.people.bench import add_activity, set_readiness

        if self.record.isChecked():  # checked first: a bad activity changes nothing
            add_activity(access, self.successor.candidate_id,
                         BenchActivityKind(self.kind.currentData()), self.title.text(),
                         picked(self.starts), picked(self.ends))
        set_readiness(access, self.successor.candidate_id,
                      Readiness(self.readiness.currentData()), picked(self.assessed))
