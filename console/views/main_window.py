"""The main window: a shell of navigation, pages, menus and the status bar."""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from console import APP_NAME, __version__
from console.context import AppContext
from console.views.areas import AREAS, page_factory
from console.views.dialogs.lock import IdleWatch, LockScreen
from console.views.import_actions import ImportActions
from console.views.page import Page
from console.views.tasks import TaskRunner, report_bug
from console.views.trust_actions import TrustActions
from console.views.widgets import NoteLabel
from console.views.window_placement import place, remember

if TYPE_CHECKING:
    from console.data.identity import Identity


NAV_PADDING = 72  # item padding, the selection border, the gap after the icon, the frame


class MainWindow(QMainWindow):
    """The window paints before the database is open; `attach()` then brings the pages.

    Pages are built the first time they are opened, so start-up builds only one.
    """

    first_painted = Signal()
    ready = Signal()  # attached to its database, first page loading
    signed_out = Signal()

    def __init__(self, tasks: TaskRunner, *, label: str, demo: bool = False,
                 settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        """`settings` keep the window's place between starts (None: nothing is kept)."""
        super().__init__(parent)
        self.settings = settings
        self.tasks = tasks
        self.label, self.demo = label, demo
        self.ctx: AppContext | None = None
        self._hidden_dialogs: list[QDialog] = []
        self._pages: dict[str, Page] = {}
        self._painted = False
        self._set_title()

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.nav.setIconSize(QSize(20, 20))
        for area in AREAS:
            item = QListWidgetItem(area_icon(area.key), area.title)
            item.setData(Qt.ItemDataRole.UserRole, area.key)
            item.setToolTip(area.purpose)
            item.setSizeHint(QSize(200, 40))
            self.nav.addItem(item)
        self.nav.setEnabled(False)
        self.nav.setFixedWidth(nav_width(self.nav))
        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        self.opening = NoteLabel(f"Opening {label}…")
        self.stack.addWidget(self.opening)

        content = QWidget()
        row = QHBoxLayout(content)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        # The lock screen replaces everything, navigation included.
        self.shell = QStackedWidget()
        self.shell.addWidget(content)
        self.lock_screen = LockScreen()
        self.lock_screen.unlock_requested.connect(self._unlock)
        self.lock_screen.sign_out_requested.connect(self.sign_out)
        self.shell.addWidget(self.lock_screen)
        self.content = content
        self.setCentralWidget(self.shell)
        self.idle = IdleWatch(0, self)
        self.idle.idle.connect(self.lock)
        self.trust = TrustActions(self)
        self.imports = ImportActions(self)

        self._build_menus()
        self._build_status_bar()
        self.nav.setCurrentRow(0)
        self.nav.currentRowChanged.connect(self._show_row)
        self.stack.installEventFilter(self)
        place(self, settings)

    def _set_title(self) -> None:
        title = f"{APP_NAME} — {self.label}"
        self.setWindowTitle(f"{title} — DEMO" if self.demo else title)

    def show_identity(self, identity: Identity) -> None:
        """Say DEMO everywhere when the open database is a demo database."""
        if identity.demo and not self.demo:
            self.demo = True
            self._set_title()
            self._demo_badge.show()

    def attach(self, ctx: AppContext, area: str | None = None) -> None:
        """Show the pages, now that the database is open and someone has signed in."""
        self.ctx = ctx
        self.nav.setEnabled(True)
        self.stack.removeWidget(self.opening)
        self.opening.hide()
        if area is not None:
            self.nav.setCurrentRow(_row_of(area))
        self._show_row(self.nav.currentRow())
        actor = ctx.access.actor
        self._user_label.setText(f"User: {ctx.user} · {actor.role.label}")
        self._program_label.setText(f"Program: {ctx.program}" if ctx.program else "")
        self._program_label.setVisible(bool(ctx.program))
        self.trust.attach(ctx)
        self.imports.attach(ctx)
        self.nav.setFocus()
        self.ready.emit()

    # -- locking and signing out ----------------------------------------------------
    def lock(self) -> None:
        """Hide everything behind the lock screen until the password is typed again."""
        if self.ctx is None or self.shell.currentWidget() is self.lock_screen:
            return
        from console.services.users_service import DEMO_PASSWORD

        self.idle.pause()
        # Open dialogs (the audit trail, an edit) would show data over the lock screen.
        self._hidden_dialogs = [d for d in self.findChildren(QDialog) if d.isVisible()]
        for dialog in self._hidden_dialogs:
            dialog.hide()
        hint = f"Demo database: the password is {DEMO_PASSWORD}" if self.ctx.demo else ""
        self.lock_screen.prepare(self.ctx.user, self.idle.minutes, hint)
        self.shell.setCurrentWidget(self.lock_screen)
        self.menuBar().setEnabled(False)
        self.lock_screen.password.setFocus()

    @property
    def locked(self) -> bool:
        return self.shell.currentWidget() is self.lock_screen

    def _unlock(self, password: str) -> None:
        from console.errors import UserError
        from console.services.users_service import sign_in

        assert self.ctx is not None
        access = self.ctx.access

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserError):
                self.lock_screen.show_error(exc.message)
            else:
                self.lock_screen.show_error("could not check the password; see the log")
                report_bug(exc)

        self.tasks.run(lambda _c: sign_in(access.factory, access.vault,
                                          access.actor.username, password),
                       lambda _actor: self._unlocked(), failed, writes=True)

    def _unlocked(self) -> None:
        self.shell.setCurrentWidget(self.content)
        self.menuBar().setEnabled(True)
        for dialog in self._hidden_dialogs:
            if shiboken6.isValid(dialog):
                dialog.show()
        self._hidden_dialogs = []
        self.idle.restart()

    def sign_out(self) -> None:
        """Close the pages and dialogs and ask who is next (the database stays open)."""
        self.idle.pause()
        for dialog in self.findChildren(QDialog):
            dialog.close()
        self._hidden_dialogs = []
        for page in self._pages.values():
            self.stack.removeWidget(page)
            page.close()
            page.deleteLater()
        self._pages.clear()
        self.ctx = None
        self.trust.detach()
        self.imports.detach()
        self.nav.setEnabled(False)
        self.opening.setText("Signed out.")
        self.stack.addWidget(self.opening)
        self.opening.show()
        self.stack.setCurrentWidget(self.opening)
        self._user_label.setText("Not signed in")
        self.shell.setCurrentWidget(self.content)
        self.menuBar().setEnabled(True)
        self.signed_out.emit()

    # -- navigation -------------------------------------------------------------
    def page(self, key: str) -> Page:
        """The page of an area, built on first use."""
        if self.ctx is None:
            raise RuntimeError("the window has no database yet")
        if key not in self._pages:
            page = page_factory(key)(self.ctx, self.tasks, None)
            page.data_changed.connect(lambda keep=page: self.reload_other_pages(keep))
            self._pages[key] = page
            self.stack.addWidget(page)
        return self._pages[key]

    def reload_other_pages(self, keep: Page) -> None:
        """Drop every page but `keep`: each is built again, with fresh data, when shown."""
        for key, page in list(self._pages.items()):
            if page is keep:
                continue
            self.stack.removeWidget(page)
            page.close()
            page.deleteLater()
            del self._pages[key]

    def reload_pages(self) -> None:
        """Rebuild the pages after the data changed underneath them (an import)."""
        if self.ctx is None:
            return
        for page in self._pages.values():
            self.stack.removeWidget(page)
            page.close()
            page.deleteLater()
        self._pages.clear()
        self._show_row(self.nav.currentRow())

    def show_area(self, key: str) -> Page:
        self.nav.setCurrentRow(_row_of(key))
        return self._pages[key]

    def _show_row(self, row: int) -> None:
        if self.ctx is None:
            return
        page = self.page(AREAS[row].key)
        self.stack.setCurrentWidget(page)
        page.activate()

    # -- dropping an export on the window ------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt API)
        if not self.locked and self.imports.dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        path = None if self.locked else self.imports.dropped_file(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.imports.open_wizard(path)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.stack and event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            self.stack.removeEventFilter(self)
            self.first_painted.emit()
        return False

    # -- chrome -----------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.imports.add_file_actions(file_menu)
        self.trust.add_file_actions(file_menu)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        go_menu = self.menuBar().addMenu("&Go")
        for index, area in enumerate(AREAS):
            action = QAction(area.title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, k=area.key: self.show_area(k))
            go_menu.addAction(action)

        self.trust.add_tools_menu(self.menuBar().addMenu("&Tools"))

        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        db = QLabel(f"Database: {self.label}")
        db.setObjectName("statusDatabase")
        db.setToolTip(self.label)
        self._user_label = QLabel("Not signed in")
        self._user_label.setObjectName("statusUser")
        bar.addWidget(db, 1)
        self._demo_badge = QLabel("DEMO DATA")
        self._demo_badge.setObjectName("demoBadge")
        self._demo_badge.setToolTip("This is the fictional demo program, not real data; "
                                    "its encryption key is kept beside it (demo only).")
        bar.addPermanentWidget(self._demo_badge)
        self._demo_badge.setVisible(self.demo)
        self._program_label = QLabel("")
        self._program_label.setObjectName("statusProgram")
        self._program_label.hide()
        bar.addPermanentWidget(self._program_label)
        bar.addPermanentWidget(self._user_label)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>"
            "Runs and protects a police co-responder unit: coverage, staffing, referrals, "
            "outcomes and early warnings of quiet erosion.",
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        for page in self._pages.values():
            page.close()
        remember(self, self.settings)
        super().closeEvent(event)


def area_icon(key: str) -> QIcon:
    """The navigation icon of an area, from resources/icons/<key>.svg."""
    path = resources.files("console.resources").joinpath("icons", f"{key}.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()


def nav_width(nav: QListWidget) -> int:
    """Wide enough for the longest area title beside its icon, in the nav's font."""
    nav.ensurePolished()
    longest = max(nav.fontMetrics().horizontalAdvance(a.title) for a in AREAS)
    return max(220, longest + nav.iconSize().width() + NAV_PADDING)


def _row_of(key: str) -> int:
    """The navigation row of an area."""
    return next(i for i, a in enumerate(AREAS) if a.key == key)
