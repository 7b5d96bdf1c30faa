"""The roster rules' values, edited by a supervisor (each change is an audited setting)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from console.errors import UserError
from console.services.access import Access
from console.services.schedule.settings import RULE_SETTINGS, set_rule_value
from console.views.dialogs.form import FormDialog
from console.views.tasks import TaskRunner


class RosterRulesDialog(FormDialog):
    def __init__(self, access: Access, tasks: TaskRunner, values: dict[str, int],
                 saved: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__("Roster rules",
                         "The limits the roster is checked against. A change applies to every "
                         "check from now on and is kept in the audit trail.",
                         [(s.key, s.label, False) for s in RULE_SETTINGS], "Save", parent)
        for s in RULE_SETTINGS:
            self.edits[s.key].setText(str(values[s.key]))
        self.access, self.tasks, self.saved = access, tasks, saved
        self.on_submit = self._save

    def check(self, values: dict[str, str]) -> str:
        for s in RULE_SETTINGS:
            text = values[s.key].strip()
            if not text.isdigit():
                return f"{s.label}: {text!r} is not a whole number"
        return ""

    def _save(self, values: dict[str, str]) -> None:
        access = self.access
        changes = [(s, int(values[s.key])) for s in RULE_SETTINGS]

        def work(_control: object) -> None:
            for setting, value in changes:
                set_rule_value(access, setting, value)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserError):
                self.show_error(exc.message)
                return
            from console.views.tasks import report_bug

            report_bug(exc)

        def done(_result: object) -> None:
            self.accept()
            self.saved()

        self.tasks.run(work, done, failed, writes=True, owner=self)
