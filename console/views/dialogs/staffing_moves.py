"""The small dialogs that change who fills what: fill a position, vacate it, record a
separation with its reason. Each saves through the service on the serial writer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QComboBox, QWidget

from console.data.people_enums import SeparationReason
from console.views.dialogs.form import SavingDialog, date_edit, picked

if TYPE_CHECKING:
    from console.services.access import Access
    from console.views.tasks import TaskRunner


class FillPositionDialog(SavingDialog):
    def __init__(self, access: Access, tasks: TaskRunner, position_id: int, title: str,
                 people: list[tuple[int, str]], on_saved: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__("Fill position", f"Who fills {title}, from which day.", access, tasks,
                         on_saved, parent)
        self.position_id = position_id
        self.person = QComboBox()
        self.person.setObjectName("person")
        for staff_id, name in people:
            self.person.addItem(name, staff_id)
        self.start = date_edit("startOn", dt.date.today())
        self.form.addRow("Person", self.person)
        self.form.addRow("From", self.start)

    def work(self, access: Access) -> Any:
        from console.services.people.edits import assign

        return assign(access, self.position_id, int(self.person.currentData()),
                      picked(self.start))


class VacatePositionDialog(SavingDialog):
    def __init__(self, access: Access, tasks: TaskRunner, holding: Any, title: str,
                 on_saved: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__("Vacate position", f"{holding.name} leaves {title} on the day below "
                         "(their first day out of it); the position stays authorized.",
                         access, tasks, on_saved, parent)
        self.holding = holding
        self.end = date_edit("endOn", dt.date.today())
        self.form.addRow("Leaves on", self.end)

    def work(self, access: Access) -> Any:
        from console.services.people.edits import end_assignment

        return end_assignment(access, self.holding.assignment_id, picked(self.end),
                              self.holding.version)


class SeparationDialog(SavingDialog):
    def __init__(self, access: Access, tasks: TaskRunner, staff_id: int, name: str,
                 on_saved: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__("Record a separation", f"{name} leaves the unit on the day below; "
                         "the positions they hold become vacant that day.", access, tasks,
                         on_saved, parent)
        self.staff_id = staff_id
        self.on = date_edit("separatedOn", dt.date.today())
        self.reason = QComboBox()
        self.reason.setObjectName("reason")
        for reason in SeparationReason:
            self.reason.addItem(reason.label, reason)
        self.form.addRow("Leaves on", self.on)
        self.form.addRow("Reason", self.reason)

    def work(self, access: Access) -> Any:
        from console.services.people.edits import record_separation

        return record_separation(access, self.staff_id, picked(self.on),
                                 SeparationReason(self.reason.currentData()))
