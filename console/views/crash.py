"""What the user sees when the program has a bug: a calm dialog, never a traceback."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger(__name__)


def show_crash_dialog(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    """Log the bug with its traceback and tell the user, offering to copy the details."""
    log.error("unexpected error", exc_info=(exc_type, exc, tb))
    if QApplication.instance() is None:
        return
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Co-Response Console: unexpected error")
    box.setText(
        "Something went wrong inside the console. Your saved data is safe; "
        "the action you were doing may not have finished."
    )
    from console.paths import log_file_path

    box.setInformativeText(
        f"The details were written to {log_file_path()}. Copy them for your IT contact."
    )
    copy = box.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    if box.clickedButton() is copy:
        QApplication.clipboard().setText(details)


def tell_user(exc: BaseException) -> None:
    """Show a UserError in a message box: one line, no traceback."""
    QMessageBox.warning(QApplication.activeWindow(), QApplication.applicationName(), str(exc))


def install_excepthook() -> None:
    """Route uncaught exceptions on the GUI thread to the crash dialog."""

    def hook(exc_type: type[BaseException], exc: BaseException,
             tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        from console.data.db_errors import database_error

        mapped = database_error(exc)  # a busy, read-only or full database is no bug
        if mapped is not None:
            log.info("%s", mapped.message, exc_info=(exc_type, exc, tb))
            tell_user(mapped)
            return
        show_crash_dialog(exc_type, exc, tb)

    sys.excepthook = hook
