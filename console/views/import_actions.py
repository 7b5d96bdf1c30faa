"""File › Import calls… and dropping an export on the window: both open the import wizard.

Shown only to roles whose services allow editing calls (the service refuses anyway).
After a committed import the window rebuilds its pages so every figure includes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from console.context import AppContext
    from console.services.import_service import ImportResult
    from console.views.importing.wizard import ImportWizard
    from console.views.main_window import MainWindow

IMPORTABLE = frozenset({".csv", ".txt", ".tsv", ".xlsx", ".xlsm"})


class ImportActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ctx: AppContext | None = None
        self.action = QAction("&Import calls…", window)
        self.action.setShortcut(QKeySequence("Ctrl+I"))
        self.action.setStatusTip("Import a CAD or records-system export (CSV or Excel)")
        self.action.triggered.connect(lambda: self.open_wizard())
        self.action.setVisible(False)
        self.wizard: ImportWizard | None = None

    def add_file_actions(self, menu: QMenu) -> None:
        menu.addAction(self.action)
        menu.addSeparator()

    def attach(self, ctx: AppContext) -> None:
        from console.services.access import Action

        self.ctx = ctx
        self.action.setVisible(ctx.access.allows(Action.EDIT_CALLS))
        self.window.setAcceptDrops(self.action.isVisible())

    def detach(self) -> None:
        self.ctx = None
        self.action.setVisible(False)
        self.window.setAcceptDrops(False)

    def dropped_file(self, mime: QMimeData) -> Path | None:
        """The one local export file being dragged, if that is what it is."""
        if self.ctx is None or not self.action.isVisible() or not mime.hasUrls():
            return None
        urls = mime.urls()
        if len(urls) != 1 or not urls[0].isLocalFile():
            return None
        path = Path(urls[0].toLocalFile())
        return path if path.suffix.lower() in IMPORTABLE else None

    def open_wizard(self, path: Path | None = None) -> ImportWizard | None:
        from console.views.importing.wizard import ImportWizard

        if self.ctx is None:
            return None
        if self.wizard is not None and self.wizard.isVisible():
            self.wizard.raise_()
            if path is not None and not self.wizard.run_page.busy:
                self.wizard.restart()
                self.wizard.file_page.choose(path)
            return self.wizard
        wizard = ImportWizard(self.ctx.access, self.window.tasks, path, self.window)
        wizard.on_imported = self._imported
        self.wizard = wizard
        wizard.show()
        return wizard

    def _imported(self, result: ImportResult) -> None:
        c = result.counts
        self.window.statusBar().showMessage(
            f"Calls imported: {c.inserted:,} new, {c.updated:,} updated, "
            f"{c.rejected:,} rejected.", 30_000)
        self.window.reload_pages()
