"""The GUI: QApplication bootstrap, opening the database, wiring the main window."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Callable
from importlib import resources

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from console import APP_ID, APP_NAME, __version__
from console.context import AppContext
from console.errors import UserError
from console.views.tasks import Cancelled, TaskControl, TaskRunner

log = logging.getLogger(__name__)


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ID)
    app.setApplicationVersion(__version__)
    app.setStyle("Fusion")
    font = QFont("DejaVu Sans", 10)
    app.setFont(font)
    app.setStyleSheet(resources.files("console.resources").joinpath("style.qss").read_text())
    return app


def run_gui(args: argparse.Namespace) -> int:
    from console.views.areas import AREAS
    from console.views.crash import install_excepthook

    if args.area and args.area not in {a.key for a in AREAS}:
        raise UserError(
            f"--area {args.area}: choose one of {', '.join(a.key for a in AREAS)}"
        )
    app = make_application()
    install_excepthook()
    try:
        ctx = _open_context(args)
    except UserError as exc:
        QMessageBox.critical(None, APP_NAME, exc.message)
        raise
    tasks = TaskRunner(app)
    if args.demo and not _has_program(ctx) and not _create_demo(ctx, tasks):
        return 1

    from console.views.main_window import MainWindow

    window = MainWindow(ctx, tasks)
    if args.area:
        window.show_area(args.area)
    if args.exit_after_paint:
        window.first_painted.connect(lambda: _report_paint_and_quit(app))
    window.show()
    code = app.exec()
    tasks.wait(5_000)
    ctx.db.dispose()
    return code


def _open_context(args: argparse.Namespace) -> AppContext:
    from console.cli import open_from_args

    db = open_from_args(args)
    return AppContext(db=db, user=getpass.getuser(), demo=bool(args.demo))


def _has_program(ctx: AppContext) -> bool:
    from console.services.program_service import program_summary

    return program_summary(ctx.db.session_factory) is not None


def _create_demo(ctx: AppContext, tasks: TaskRunner) -> bool:
    """Write the demo program with a progress dialog; False when the user cancelled."""
    from console.services.demo import generate_demo

    dialog = QProgressDialog("Creating the demo program…\n", "Cancel", 0, 100)
    dialog.setWindowTitle(APP_NAME)
    dialog.setMinimumDuration(0)
    dialog.setMinimumWidth(420)
    loop = QEventLoop()
    outcome: dict[str, object] = {}

    def work(control: TaskControl) -> object:
        return generate_demo(ctx.db.session_factory, progress=control.progress)

    def progress(done: int, total: int, text: str) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)
        dialog.setLabelText(f"Creating the demo program…\n{text}")

    def ended(key: str) -> Callable[[object], None]:
        def store(value: object) -> None:
            outcome[key] = value
            loop.quit()

        return store

    handle = tasks.run(work, ended("ok"), ended("error"), progress, writes=True)
    dialog.canceled.connect(handle.cancel)
    dialog.show()
    loop.exec()
    dialog.close()
    error = outcome.get("error")
    if isinstance(error, Cancelled):
        return False
    if isinstance(error, BaseException):
        raise error
    return True


def _report_paint_and_quit(app: QApplication) -> None:
    """For bench/run.py: say the window has painted, then leave without waiting on work."""
    print("painted", flush=True)
    QTimer.singleShot(0, app.quit)
