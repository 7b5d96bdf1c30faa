"""A form dialog that saves a versioned record and settles a conflict with the user."""

from __future__ import annotations

from collections.abc import Callable

from console.errors import UserError
from console.views.dialogs.conflict import Choice, ConflictDialog
from console.views.dialogs.form import FormDialog
from console.views.tasks import report_bug


class VersionedFormDialog(FormDialog):
    """Subclasses set `on_saved` and implement `_save(values, version=None)`, which runs
    the service on the task runner with `_saved` and `_failed` as its callbacks.

    When someone else saved the record meanwhile, the conflict dialog shows both versions:
    "save mine" saves again over theirs (with the version it reports), "keep theirs"
    closes and shows what is saved now.
    """

    on_saved: Callable[[], None]

    def _save(self, values: dict[str, str], version: int | None = None) -> None:
        raise NotImplementedError

    def _saved(self, _result: object) -> None:
        self.accept()
        self.on_saved()

    def _failed(self, exc: BaseException) -> None:
        from console.services.access import EditConflict

        if isinstance(exc, EditConflict):
            self.set_busy(False)
            dialog = ConflictDialog(exc, self)
            dialog.exec()
            if dialog.choice is Choice.SAVE_MINE:
                self.set_busy(True)
                self._save(self.values(), version=exc.theirs_version)
            elif dialog.choice is Choice.KEEP_THEIRS:
                self.reject()
                self.on_saved()  # show what is saved now
        elif isinstance(exc, UserError):
            self.show_error(exc.message)
        else:
            self.show_error("could not save; the details are in the log")
            report_bug(exc)
