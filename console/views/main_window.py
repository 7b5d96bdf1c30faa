"""The main window: a shell of navigation, pages, menus and the status bar."""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
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
from console.views.page import Page
from console.views.tasks import TaskRunner
from console.views.widgets import NoteLabel


class MainWindow(QMainWindow):
    """The window paints before the database is open; `attach()` then brings the pages.

    Pages are built the first time they are opened, so start-up builds only one.
    """

    first_painted = Signal()
    ready = Signal()  # attached to its database, first page loading

    def __init__(self, tasks: TaskRunner, *, label: str, user: str, demo: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.label, self.user, self.demo = label, user, demo
        self.ctx: AppContext | None = None
        self._pages: dict[str, Page] = {}
        self._painted = False
        title = f"{APP_NAME} — {label}"
        self.setWindowTitle(f"{title} — DEMO" if demo else title)
        self.resize(1440, 900)
        self.setMinimumSize(QSize(960, 620))

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(220)
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.nav.setIconSize(QSize(20, 20))
        for area in AREAS:
            item = QListWidgetItem(area_icon(area.key), area.title)
            item.setData(Qt.ItemDataRole.UserRole, area.key)
            item.setToolTip(area.purpose)
            item.setSizeHint(QSize(200, 40))
            self.nav.addItem(item)
        self.nav.setEnabled(False)
        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        self.opening = NoteLabel(f"Opening {label}…")
        self.stack.addWidget(self.opening)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self._build_status_bar()
        self.nav.setCurrentRow(0)
        self.nav.currentRowChanged.connect(self._show_row)
        self.stack.installEventFilter(self)

    def attach(self, ctx: AppContext, area: str | None = None) -> None:
        """Show the pages, now that the database is open and current."""
        self.ctx = ctx
        self.nav.setEnabled(True)
        self.stack.removeWidget(self.opening)
        self.opening.deleteLater()
        if area is not None:
            self.nav.setCurrentRow(_row_of(area))
        self._show_row(self.nav.currentRow())
        self.nav.setFocus()
        self.ready.emit()

    # -- navigation -------------------------------------------------------------
    def page(self, key: str) -> Page:
        """The page of an area, built on first use."""
        if self.ctx is None:
            raise RuntimeError("the window has no database yet")
        if key not in self._pages:
            page = page_factory(key)(self.ctx, self.tasks, None)
            self._pages[key] = page
            self.stack.addWidget(page)
        return self._pages[key]

    def show_area(self, key: str) -> Page:
        self.nav.setCurrentRow(_row_of(key))
        return self._pages[key]

    def _show_row(self, row: int) -> None:
        if self.ctx is None:
            return
        page = self.page(AREAS[row].key)
        self.stack.setCurrentWidget(page)
        page.activate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.stack and event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            self.stack.removeEventFilter(self)
            self.first_painted.emit()
        return False

    # -- chrome -----------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
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

        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        db = QLabel(f"Database: {self.label}")
        db.setObjectName("statusDatabase")
        db.setToolTip(self.label)
        user = QLabel(f"User: {self.user}")
        user.setObjectName("statusUser")
        bar.addWidget(db, 1)
        if self.demo:
            demo = QLabel("DEMO DATA")
            demo.setObjectName("demoBadge")
            demo.setToolTip("This is the fictional demo program, not real data.")
            bar.addPermanentWidget(demo)
        bar.addPermanentWidget(user)

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
        super().closeEvent(event)


def area_icon(key: str) -> QIcon:
    """The navigation icon of an area, from resources/icons/<key>.svg."""
    path = resources.files("console.resources").joinpath("icons", f"{key}.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()


def _row_of(key: str) -> int:
    """The navigation row of an area."""
    return next(i for i, a in enumerate(AREAS) if a.key == key)
