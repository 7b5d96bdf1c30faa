"""The GUI: QApplication bootstrap, opening the database, wiring the main window.

The window is painted first and the database opened right after, on a worker thread:
SQLAlchemy and the schema check cost more than a bare Qt window, and a supervisor at a
shared workstation should see the console the moment it starts.
"""

from __future__ import annotations

import argparse
import logging
import sys
from importlib import resources
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from console import APP_ID, APP_NAME, __version__
from console.context import AppContext
from console.data.location import DatabaseLocation, chosen_location
from console.errors import UserError
from console.views.main_window import MainWindow
from console.views.sign_in_flow import SignInFlow
from console.views.tasks import Cancelled, TaskControl, TaskRunner, report_bug

if TYPE_CHECKING:  # SQLAlchemy is imported after the window paints
    from console.data.engine import Database
    from console.data.identity import Unlocked
    from console.services.access import Access
    from console.services.program_scope import ProgramChoice

log = logging.getLogger(__name__)


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ID)
    app.setApplicationVersion(__version__)
    app.setStyle("Fusion")
    app.setFont(QFont("DejaVu Sans", 10))
    app.setStyleSheet(resources.files("console.resources").joinpath("style.qss").read_text())
    return app


def run_gui(args: argparse.Namespace) -> int:
    from console.views.areas import AREAS
    from console.views.crash import install_excepthook
    from console.views.window_placement import window_settings

    if args.area and args.area not in {a.key for a in AREAS}:
        raise UserError(f"--area {args.area}: choose one of {', '.join(a.key for a in AREAS)}")
    app = make_application()
    install_excepthook()
    try:
        location = chosen_location(args.db, args.db_url, demo=args.demo)
    except UserError as exc:
        QMessageBox.critical(None, APP_NAME, exc.message)
        raise
    tasks = TaskRunner(app)
    window = MainWindow(tasks, label=location.label, demo=args.demo,
                        settings=window_settings())
    startup = Startup(window, tasks, location, area=args.area, demo=args.demo,
                      program=getattr(args, "program", None))
    window.first_painted.connect(startup.open_database)
    if args.exit_after_paint:
        window.first_painted.connect(lambda: print("painted", flush=True))
        window.ready.connect(lambda: _report_ready_and_quit(app))
    window.show()
    code = app.exec()
    tasks.wait(5_000)
    if startup.db is not None:
        startup.db.dispose()
    return code if code or startup.exit_code is None else startup.exit_code


class Startup(QObject):
    """Opens and unlocks the database off the GUI thread, writes the demo if asked, signs
    someone in, then fills the window."""

    def __init__(self, window: MainWindow, tasks: TaskRunner, location: DatabaseLocation,
                 *, area: str | None, demo: bool, program: str | None = None) -> None:
        super().__init__(window)
        self.window, self.tasks, self.location = window, tasks, location
        self.area, self.demo, self.program = area, demo, program
        self.db: Database | None = None
        self.unlocked: Unlocked | None = None
        self.flow: SignInFlow | None = None
        self.exit_code: int | None = None
        window.signed_out.connect(self.sign_in)

    def open_database(self) -> None:
        location, demo = self.location, self.demo

        def work(_: TaskControl) -> tuple[Database, Unlocked, bool]:
            from console.data import migrate
            from console.data.identity import unlock
            from console.services.program_service import has_program

            db = migrate.open_upgraded(location)
            try:
                unlocked = unlock(db, create_demo=demo)
                return db, unlocked, has_program(db.session_factory)
            except BaseException:
                db.dispose()
                raise

        self.tasks.run(work, self._opened, self._failed, writes=True)

    def _opened(self, result: tuple[Database, Unlocked, bool]) -> None:
        self.db, self.unlocked, has_program = result
        self.window.show_identity(self.unlocked.identity)
        if self.unlocked.identity.demo and not has_program:
            self._create_demo()
        else:
            self.sign_in()

    def sign_in(self) -> None:
        assert self.db is not None and self.unlocked is not None
        self.window.opening.setText("Sign in to continue.")
        self.flow = SignInFlow(self.window, self.tasks, self.db, self.unlocked.vault,
                               self.unlocked.identity)
        self.flow.signed_in.connect(self._signed_in)
        self.flow.gave_up.connect(self.window.close)
        self.flow.start()

    def _signed_in(self, access: Access) -> None:
        from console.services.program_scope import programs

        assert self.db is not None
        factory = self.db.session_factory
        self.tasks.run(lambda _c: programs(factory),
                       lambda found: self._choose_program(access, found), self._failed)

    def _choose_program(self, access: Access, found: list[ProgramChoice]) -> None:
        """One program: it. Several: the one --program names, else the user picks; a
        database shared by several programs is always scoped to the chosen one."""
        from dataclasses import replace

        from console.views.dialogs.choose_program import choose_program

        assert self.db is not None and self.unlocked is not None
        if len(found) > 1:
            chosen = choose_program(self.window, found, self.program)
            if chosen is None:
                self.window.close()
                return
            access = replace(access, program_id=chosen.id)
            name = chosen.name
        else:
            name = found[0].name if found else ""
        ctx = AppContext(db=self.db, access=access, identity=self.unlocked.identity,
                         program=name)
        self.window.attach(ctx, area=self.area)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            log.warning("cannot open the database: %s", exc.message)
            QMessageBox.critical(self.window, APP_NAME, exc.message)
            self.exit_code = exc.exit_code
        else:
            report_bug(exc)
            self.exit_code = 1
        self.window.close()

    def _create_demo(self) -> None:
        """Write the demo program with a progress dialog over the window."""
        from console.services.access import Access, Actor
        from console.services.demo import generate_demo

        assert self.db is not None and self.unlocked is not None
        access = Access(self.db.session_factory, Actor.system("demo"), self.unlocked.vault)
        dialog = QProgressDialog("Creating the demo program…\n", "Cancel", 0, 100, self.window)
        dialog.setWindowTitle(APP_NAME)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setMinimumWidth(420)

        def progress(done: int, total: int, text: str) -> None:
            dialog.setMaximum(total)
            dialog.setValue(done)
            dialog.setLabelText(f"Creating the demo program…\n{text}")

        def done(_: object) -> None:
            dialog.close()
            self.sign_in()

        def failed(exc: BaseException) -> None:
            dialog.close()
            if isinstance(exc, Cancelled):
                self.window.close()  # nothing was written; the next start asks again
            else:
                self._failed(exc)

        handle = self.tasks.run(
            lambda control: generate_demo(access, progress=control.progress),
            done, failed, progress, writes=True,
        )
        dialog.canceled.connect(handle.cancel)
        dialog.show()


def _report_ready_and_quit(app: QApplication) -> None:
    """For bench/run.py: say the window is open on its data, then leave."""
    print("ready", flush=True)
    QTimer.singleShot(0, app.quit)
