"""Adding or editing an authorized position; an edit saved over someone else's goes
through the conflict dialog, as staff edits do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QWidget

from console.data.enums import StaffRole
from console.data.people_enums import ProtectedRole
from console.views.dialogs.form import date_edit, picked, qdate
from console.views.dialogs.versioned_form import VersionedFormDialog
from console.views.tasks import TaskRunner

if TYPE_CHECKING:
    from console.services.access import Access
    from console.services.people.edits import PositionDetail, PositionEdit



class PositionEditDialog(VersionedFormDialog):
    """detail None: a new position."""

    def __init__(self, access: Access, tasks: TaskRunner, detail: PositionDetail | None,
                 on_saved: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__("Edit position" if detail else "Add position",
                         "A budgeted position. Abolish it on the first day it no longer "
                         "exists; a position that re-authorizes an abolished one keeps its "
                         "vacancy's age.",
                         [("title", "Title", False), ("funding_source", "Funding note", False)],
                         "Save", parent)
        self.access, self.tasks, self.on_saved = access, tasks, on_saved
        self.detail = detail
        self.role = QComboBox()
        self.role.setObjectName("role")
        for role in StaffRole:
            self.role.addItem(role.label, role)
        self.protected = QComboBox()
        self.protected.setObjectName("protectedRole")
        self.protected.addItem("None", None)
        for p in ProtectedRole:
            self.protected.addItem(p.label, p)
        self.authorized = date_edit("authorizedOn", dt.date.today())
        self.abolish = QCheckBox("Abolished on")
        self.abolish.setObjectName("abolish")
        self.abolished = date_edit("abolishedOn", dt.date.today())
        self.abolish.toggled.connect(self.abolished.setEnabled)
        row = QHBoxLayout()
        row.addWidget(self.abolish)
        row.addWidget(self.abolished, 1)
        self.form.addRow("Role", self.role)
        self.form.addRow("Protected role", self.protected)
        self.form.addRow("Authorized on", self.authorized)
        self.form.addRow("", row)
        today = dt.date.today()
        edit = detail.edit if detail else None
        self.edits["title"].setText(edit.title if edit else "")
        self.edits["funding_source"].setText((edit.funding_source or "") if edit else "")
        self.role.setCurrentIndex(list(StaffRole).index(edit.role) if edit else 1)
        self.protected.setCurrentIndex(
            list(ProtectedRole).index(edit.protected_role) + 1
            if edit and edit.protected_role else 0)
        self.authorized.setDate(qdate(edit.authorized_on if edit else today))
        self.abolish.setChecked(bool(edit and edit.abolished_on))
        self.abolished.setEnabled(bool(edit and edit.abolished_on))
        self.abolished.setDate(qdate(edit.abolished_on if edit and edit.abolished_on
                                      else today))
        self.on_submit = self._save

    def edit(self) -> PositionEdit:
        from console.services.people.edits import PositionEdit

        v = self.values()
        return PositionEdit(
            v["title"], StaffRole(self.role.currentData()), v["funding_source"],
            picked(self.authorized), picked(self.abolished) if self.abolish.isChecked() else None,
            self.protected.currentData(),
            self.detail.edit.reauthorizes_id if self.detail else None)

    def _save(self, _values: dict[str, str], version: int | None = None) -> None:
        from console.services.people.edits import add_position, update_position

        access, edit, detail = self.access, self.edit(), self.detail
        if detail is None:
            self.tasks.run(lambda _c: add_position(access, edit), self._saved, self._failed,
                           writes=True)
            return
        read = detail.version if version is None else version
        self.tasks.run(lambda _c: update_position(access, detail.id, read, edit),
                       self._saved, self._failed, writes=True)


__all__ = ["PositionEditDialog"]
