"""The base of every area page in the main window."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from console.context import AppContext
from console.views.tasks import TaskRunner
from console.views.widgets import scroll_area

if TYPE_CHECKING:  # pages are built before SQLAlchemy is imported
    from console.services.access import Access

T = TypeVar("T")


class Page(QWidget):
    """One navigation area. Pages load their data the first time they are shown.

    `activate()` is called by the main window each time the page becomes current;
    it must return quickly and start any heavy query through `self.tasks`.

    Subclasses add their widgets to `layout_`. A page scrolls when the window is too
    small for it (`scrolls`); one whose parts scroll by themselves (tables, its own
    tabs) sets `scrolls = False` and fills the window.
    """

    title = ""
    subtitle = ""
    scrolls = True
    # Emitted after this page changed data other pages show (program events feed the
    # Dashboard's indicators): the window rebuilds the others when next shown.
    data_changed = Signal()

    def __init__(self, ctx: AppContext, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = tasks
        self._activated = False
        self.setObjectName(type(self).__name__)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.body = QWidget()
        self.body.setObjectName("pageBody")
        outer.addWidget(scroll_area(self.body) if self.scrolls else self.body)
        self.layout_ = QVBoxLayout(self.body)
        self.layout_.setContentsMargins(24, 18, 24, 18)
        self.layout_.setSpacing(12)
        heading = QLabel(self.title)
        heading.setObjectName("pageTitle")
        self.layout_.addWidget(heading)
        if self.subtitle:
            sub = QLabel(self.subtitle)
            sub.setObjectName("pageSubtitle")
            sub.setWordWrap(True)
            self.layout_.addWidget(sub)

    def activate(self) -> None:
        if not self._activated:
            self._activated = True
            self.first_activate()

    def first_activate(self) -> None:
        """Override to start loading data when the page is first shown."""

    def load(self, query: Callable[[Access], T],
             then: Callable[[T], None]) -> None:
        """Run a service query off the GUI thread and hand its result to `then` on it."""
        access = self.ctx.access
        self.tasks.run(lambda _control: query(access), then, owner=self)
