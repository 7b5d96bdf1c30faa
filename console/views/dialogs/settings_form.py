"""A form over a few whole-number settings a supervisor edits (each change is audited):
the roster's rules, the referral follow-up window."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QWidget

from console.errors import UserError
from console.services.access import Access
from console.services.settings_service import IntSetting, get_int, set_int
from console.views.dialogs.form import FormDialog
from console.views.tasks import TaskRunner, report_bug


class SettingsDialog(FormDialog):
    def __init__(self, title: str, intro: str, settings: Sequence[IntSetting], access: Access,
                 tasks: TaskRunner, values: dict[str, int], saved: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(title, intro, [(s.key, s.label, False) for s in settings], "Save",
                         parent)
        self.settings = tuple(settings)
        for s in self.settings:
            self.edits[s.key].setText(str(values[s.key]))
        self.access, self.tasks, self.saved = access, tasks, saved
        self.on_submit = self._save

    def check(self, values: dict[str, str]) -> str:
        for s in self.settings:
            text = values[s.key].strip()
            if not text.isdigit():
                return f"{s.label}: {text!r} is not a whole number"
        return ""

    def _save(self, values: dict[str, str]) -> None:
        access = self.access
        changes = [(s, int(values[s.key])) for s in self.settings]

        def work(_control: object) -> None:
            for setting, value in changes:
                set_int(access, setting, value)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserError):
                self.show_error(exc.message)
                return
            report_bug(exc)

        def done(_result: object) -> None:
            self.accept()
            self.saved()

        self.tasks.run(work, done, failed, writes=True, owner=self)


def open_settings(owner: QWidget, tasks: TaskRunner, access: Access, title: str, intro: str,
                  settings: Sequence[IntSetting], saved: Callable[[], None],
                  shown: Callable[[SettingsDialog], None]) -> None:
    """Read the settings' values off the GUI thread, then open the form over `owner`;
    `shown` gets the dialog (pages keep it, tests find it)."""

    def show(values: dict[str, int]) -> None:
        dialog = SettingsDialog(title, intro, settings, access, tasks, values, saved, owner)
        shown(dialog)
        dialog.open()

    tasks.run(lambda _c: {s.key: get_int(access, s) for s in settings}, show, owner=owner)
