"""Editing a staff member: saved through the service, which refuses stale versions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QWidget

from console.data.enums import DegreeLevel
from console.views.dialogs.versioned_form import VersionedFormDialog
from console.views.tasks import TaskRunner

if TYPE_CHECKING:
    from console.services.access import Access
    from console.services.staffing_service import StaffDetail, StaffEdit


class StaffEditDialog(VersionedFormDialog):
    def __init__(self, access: Access, tasks: TaskRunner, detail: StaffDetail,
                 on_saved: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__("Edit staff member", "", [("display_name", "Name", False),
                                                   ("rank", "Rank / title", False),
                                                   ("discipline", "Discipline", False)],
                         "Save", parent)
        self.access, self.tasks, self.on_saved = access, tasks, on_saved
        self.read_version = detail.version
        self.staff_id = detail.id
        self.degree = QComboBox()
        for level in DegreeLevel:
            self.degree.addItem(level.value.capitalize(), level)
        self.degree.setCurrentIndex(list(DegreeLevel).index(detail.degree_level))
        self.form.addRow("Degree", self.degree)
        for key, value in (("display_name", detail.display_name), ("rank", detail.rank),
                           ("discipline", detail.discipline)):
            self.edits[key].setText(value or "")
        self.on_submit = self._save

    def edit(self) -> StaffEdit:
        from console.services.staffing_service import StaffEdit

        v = self.values()
        return StaffEdit(v["display_name"], v["rank"], v["discipline"],
                         DegreeLevel(self.degree.currentData()))

    def _save(self, _values: dict[str, str], version: int | None = None) -> None:
        from console.services.staffing_service import update_staff_member

        access, staff_id, edit = self.access, self.staff_id, self.edit()
        read = self.read_version if version is None else version
        self.tasks.run(lambda _c: update_staff_member(access, staff_id, read, edit),
                       self._saved, self._failed, writes=True)


__all__ = ["StaffEditDialog"]
