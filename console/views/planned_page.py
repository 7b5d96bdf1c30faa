"""Pages whose area arrives in a later release say so plainly, and what they will hold."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from console.context import AppContext
from console.views.page import Page
from console.views.tasks import TaskRunner

if TYPE_CHECKING:  # areas imports this module's factory on demand
    from console.views.areas import Area, PageFactory


class PlannedPage(Page):
    def __init__(self, area: Area, ctx: AppContext, tasks: TaskRunner,
                 parent: QWidget | None = None) -> None:
        self.title = area.title
        self.subtitle = area.purpose
        super().__init__(ctx, tasks, parent)
        card = QFrame()
        card.setObjectName("card")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(20, 16, 20, 16)
        inner.setSpacing(8)
        head = QLabel("Not in this release yet")
        head.setObjectName("cardTitle")
        inner.addWidget(head)
        body = QLabel(
            "This area is planned and not built yet. Nothing here is hidden from you: "
            "when it arrives it will hold:"
        )
        body.setWordWrap(True)
        inner.addWidget(body)
        for item in area.planned:
            line = QLabel(f"•  {item}")
            line.setWordWrap(True)
            line.setObjectName("plannedItem")
            inner.addWidget(line)
        self.layout_.addWidget(card, 0, Qt.AlignmentFlag.AlignTop)
        self.layout_.addStretch(1)


def planned_page_for(area: Area) -> PageFactory:
    def make(ctx: AppContext, tasks: TaskRunner, parent: QWidget | None = None) -> Page:
        return PlannedPage(area, ctx, tasks, parent)

    return make
