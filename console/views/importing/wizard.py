"""File › Import calls…: a CAD export in, checked row by row, with the user deciding.

The same wizard imports the other kinds of list (Program › Import events…): its pages
ask what the kind declares (its fields, its code maps), nothing more.

Pages: the file (read once off-thread: header, samples, the values of code columns),
the columns (which column feeds which field, day/month order), the codes (call types in
or out of scope, clearance codes to dispositions, sources), a preview of the first rows
as they will be stored, and the import itself with progress, Cancel and the report of
rejected rows. The mapping can be saved as a named profile for the next export.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QWidget,
    QWizard,
)

from console import APP_NAME
from console.data.importers.fields import CALLS, ImportKind, Mapping
from console.views.tasks import TaskControl, TaskHandle, TaskRunner
from console.views.window_placement import fit_to_screen

if TYPE_CHECKING:
    from console.services.access import Access
    from console.services.import_service import ImportResult, Survey
from console.views.importing.check_page import PreviewPage
from console.views.importing.codes_page import CodesPage
from console.views.importing.columns_page import ColumnsPage
from console.views.importing.file_page import FilePage
from console.views.importing.run_page import RunPage

TITLES = {"program_events": "program events"}


class ImportWizard(QWizard):
    """One import, start to end; `imported(result)` fires after a committed import."""

    def __init__(self, access: Access, tasks: TaskRunner, path: Path | None = None,
                 parent: QWidget | None = None, kind: ImportKind = CALLS) -> None:
        super().__init__(parent)
        self.access, self.tasks, self.kind = access, tasks, kind
        self.setWindowTitle(f"{APP_NAME} — Import {TITLES.get(kind.name, kind.plural)}")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        fit_to_screen(self, QSize(1000, 700))
        self.survey: Survey | None = None
        self.mapping = Mapping(kind=kind.name)
        self.profile: str | None = None   # the profile the mapping came from
        # The code decisions a person made: the profile's, and those chosen on the codes
        # page. Only these are saved for code values rare in the file.
        self.confirmed = Mapping(kind=kind.name)
        self.on_imported: Callable[[ImportResult], None] | None = None
        self.file_page = FilePage(self)
        self.columns_page = ColumnsPage(self)
        self.codes_page = CodesPage(self)
        self.preview_page = PreviewPage(self)
        self.run_page = RunPage(self)
        for page in (self.file_page, self.columns_page, self.codes_page, self.preview_page,
                     self.run_page):
            self.addPage(page)
        if path is not None:
            self.file_page.choose(path)

    def fresh_mapping(self) -> Mapping:
        """An empty mapping of the wizard's kind."""
        return Mapping(kind=self.kind.name)

    def reject(self) -> None:
        """Closing while a task runs cancels it first: nothing is left half done."""
        for page in (self.file_page, self.preview_page, self.run_page):
            page.cancel_task()
        super().reject()

    def run(self, work: Callable[[TaskControl], Any], then: Callable[[Any], None],
            failed: Callable[[BaseException], None],
            progress: Callable[[int, int, str], None] | None = None, *,
            writes: bool = False) -> TaskHandle:
        return self.tasks.run(work, then, failed, progress, writes=writes, owner=self)
