"""The Program page's Governance section: the model, what each agency does, who holds
each post, what is flagged, and the reporting-structure chart (exportable as SVG or PNG).

Everyone may look (VIEW_PROGRAM); only roles that may edit the program see the buttons
(the services refuse the others anyway).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console import APP_NAME
from console.context import AppContext
from console.errors import UserError
from console.reports.indicator_style import SEVERITY_COLOURS
from console.services.access import Access, Action
from console.services.governance.chart import ChartLayout, chart_layout
from console.services.governance.flags import Flag, governance_flags
from console.services.governance.records import (
    AgencyRole,
    Governance,
    PostRow,
    StaffChoice,
    governance,
    staff_choices,
)
from console.views.chart_box import ChartBox, import_matplotlib
from console.views.record_table import RecordTable
from console.views.record_table_model import Column
from console.views.tasks import TaskRunner, report_bug


@dataclass(frozen=True)
class Loaded:
    g: Governance | None
    flags: tuple[Flag, ...]
    layout: ChartLayout | None
    staff: list[StaffChoice]


def load_governance(access: Access) -> Loaded:
    """Everything the section shows, read off the GUI thread."""
    import_matplotlib()
    g = governance(access)
    if g is None:
        return Loaded(None, (), None, [])
    flags = governance_flags(g)
    staff = staff_choices(access) if access.allows(Action.EDIT_PROGRAM) else []
    return Loaded(g, flags, chart_layout(g, flags), staff)


def _holder(p: PostRow) -> str:
    return p.holder.described if p.holder else "Vacant"


def _kind(p: PostRow) -> str:
    h = p.holder
    return "" if h is None else "Sworn" if h.sworn else "Civilian"


POST_COLUMNS: list[Column[tuple[PostRow, str]]] = [
    Column("Post", lambda r: r[0].title),
    Column("Holder", lambda r: _holder(r[0])),
    Column("Sworn / civilian", lambda r: _kind(r[0])),
    Column("Agency", lambda r: r[0].holder.agency if r[0].holder else ""),
    Column("Since", lambda r: r[0].holder.since_on if r[0].holder else None),
    Column("Reports to", lambda r: r[1]),
]
AGENCY_COLUMNS: list[Column[AgencyRole]] = [
    Column("Agency", lambda a: f"{a.name} (lead)" if a.is_lead else a.name),
    Column("Role in the program", lambda a: a.responsibility or "Not recorded"),
]


class GovernanceSection(QWidget):
    """Shown on the Program page; `reload()` reads everything again."""

    def __init__(self, ctx: AppContext, tasks: TaskRunner,
                 on_changed: Callable[[], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("governanceSection")
        self.ctx, self.tasks, self.on_changed = ctx, tasks, on_changed
        self.loaded: Loaded | None = None
        self.dialog: QWidget | None = None
        self.can_edit = ctx.access.allows(Action.EDIT_PROGRAM)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(8)
        self.summary = QLabel("Loading…")
        self.summary.setObjectName("muted")
        self.summary.setWordWrap(True)
        box.addWidget(self.summary)
        self.flags = QLabel("")
        self.flags.setObjectName("governanceFlags")
        self.flags.setWordWrap(True)
        box.addWidget(self.flags)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        actions = [("model", "Model…", self._edit_model),
                   ("name", "Name holder…", self._name_holder),
                   ("edit", "Edit holder…", self._edit_holder),
                   ("post", "Add post…", self._add_post),
                   ("line", "Add reporting line…", self._add_line),
                   ("unline", "Remove line…", self._remove_line)] if self.can_edit else []
        for key, text, slot in actions:
            button = QPushButton(text)
            button.setObjectName(f"governance_{key}")
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[key] = button
        row.addStretch(1)
        self.export_note = QLabel("")
        self.export_note.setObjectName("muted")
        row.addWidget(self.export_note)
        self.export_button = QPushButton("Export chart…")
        self.export_button.setObjectName("governance_export")
        self.export_button.setToolTip("Save the reporting-structure chart as SVG or PNG")
        self.export_button.clicked.connect(self._export)
        row.addWidget(self.export_button)
        box.addLayout(row)
        self.posts = RecordTable(POST_COLUMNS, stretch=len(POST_COLUMNS) - 1)
        self.posts.setObjectName("governancePosts")
        self.posts.keep_rows(5)
        if self.can_edit:
            self.posts.setToolTip("Double-click a post to edit its holder")
            self.posts.doubleClicked.connect(lambda _i: self._edit_holder())
        box.addWidget(self.posts)
        self.chart = ChartBox("governanceChart", min_height=320)
        box.addWidget(self.chart)
        agencies = QLabel("Participating agencies and their roles"
                          + (" (double-click an agency to describe its role)"
                             if self.can_edit else ""))
        agencies.setObjectName("muted")
        box.addWidget(agencies)
        self.agencies = RecordTable(AGENCY_COLUMNS, stretch=1)
        self.agencies.setObjectName("governanceAgencies")
        self.agencies.keep_rows(3)
        if self.can_edit:
            self.agencies.setToolTip("Double-click an agency to describe its role")
            self.agencies.doubleClicked.connect(self._edit_agency)
        box.addWidget(self.agencies)

    def reload(self) -> None:
        access = self.ctx.access
        self.tasks.run(lambda _c: load_governance(access), self._show, self._failed,
                       owner=self)

    def _show(self, loaded: Loaded) -> None:
        self.loaded = loaded
        g = loaded.g
        for button in self.buttons.values():
            button.setEnabled(g is not None)
        self.export_button.setEnabled(g is not None)
        if g is None or loaded.layout is None:
            self.summary.setText("No program in this database yet.")
            return
        model = f"{g.model.label} model" if g.model else "Model not recorded"
        self.summary.setText(f"<b>{html.escape(model)}</b>"
                             + (f" — {html.escape(g.notes)}" if g.notes else ""))
        self.flags.setText(_flags_html(loaded.flags))
        titles = {p.id: p.title for p in g.posts}
        self.posts.set_rows([
            (p, ", ".join(titles[x.reports_to_id] + (" (dotted)" if x.dotted else "")
                          for x in g.lines if x.post_id == p.id)) for p in g.posts])
        self.agencies.set_rows(list(g.agencies))
        for table, rows in ((self.posts, len(g.posts)), (self.agencies, len(g.agencies))):
            _fit(table, max(rows, 2))
        layout = loaded.layout
        if not layout.nodes:
            if self.chart.canvas is not None:
                self.chart.canvas.hide()
            self.chart.status.setMinimumHeight(48)
            self.chart.fail("No posts recorded yet: name the program owner (Name holder…) "
                            "and the reporting-structure chart draws itself here.")
            return
        from console.reports.governance_chart import draw_governance_chart

        self.chart.status.hide()
        self.chart.draw(lambda figure: draw_governance_chart(figure, layout))
        self.chart.canvas.show()
        self.chart.canvas.setMinimumHeight(110 * layout.depth + 70)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            QMessageBox.warning(self, APP_NAME, exc.message)
        else:
            report_bug(exc)

    def _changed(self) -> None:
        if self.on_changed is not None:
            self.on_changed()
        self.reload()

    # --- editing ------------------------------------------------------------------------
    def selected_post(self) -> PostRow | None:
        rows = self.posts.selectionModel().selectedRows()
        if not rows:
            return None
        return self._post_at(rows[0])

    def _post_at(self, index: QModelIndex) -> PostRow:
        row: tuple[PostRow, str] = self.posts.source.rows[
            self.posts.proxy.mapToSource(index).row()]
        return row[0]

    def _open(self, dialog: QWidget) -> None:
        self.dialog = dialog
        dialog.show()

    def _edit_model(self) -> None:
        from console.views.dialogs.governance_forms import ModelDialog

        if self.loaded and self.loaded.g:
            self._open(ModelDialog(self.ctx.access, self.tasks, self._changed, self.loaded.g,
                                   self))

    def _name_holder(self) -> None:
        from console.views.dialogs.governance_forms import HolderDialog

        if self.loaded and self.loaded.g:
            post = self.selected_post()
            self._open(HolderDialog(self.ctx.access, self.tasks, self._changed, self.loaded.g,
                                    self.loaded.staff, post_id=post.id if post else None,
                                    parent=self))

    def _edit_holder(self) -> None:
        from console.views.dialogs.governance_forms import HolderDialog

        post = self.selected_post()
        if not (self.can_edit and self.loaded and self.loaded.g):
            return
        if post is None or post.holder is None:
            self._name_holder()
            return
        self._open(HolderDialog(self.ctx.access, self.tasks, self._changed, self.loaded.g,
                                self.loaded.staff, holder=post.holder, parent=self))

    def _add_post(self) -> None:
        from console.views.dialogs.governance_forms import PostDialog

        self._open(PostDialog(self.ctx.access, self.tasks, self._changed, self))

    def _add_line(self) -> None:
        from console.views.dialogs.governance_forms import LineDialog

        if self.loaded and self.loaded.g:
            post = self.selected_post()
            self._open(LineDialog(self.ctx.access, self.tasks, self._changed, self.loaded.g,
                                  post.id if post else None, self))

    def _remove_line(self) -> None:
        from console.services.governance.edits import delete_line

        g = self.loaded.g if self.loaded else None
        if g is None or not g.lines:
            return
        titles = {p.id: p.title for p in g.posts}
        names = [f"{titles[x.post_id]} → {titles[x.reports_to_id]}"
                 + (" (dotted)" if x.dotted else "") for x in g.lines]
        chosen, ok = QInputDialog.getItem(self, f"{APP_NAME} — Remove a reporting line",
                                          "Reporting line to remove:", names, 0, False)
        if not ok:
            return
        line_id, access = g.lines[names.index(chosen)].id, self.ctx.access
        self.tasks.run(lambda _c: delete_line(access, line_id), lambda _r: self._changed(),
                       self._failed, writes=True, owner=self)

    def _edit_agency(self, index: QModelIndex) -> None:
        from console.views.dialogs.governance_forms import AgencyRoleDialog

        agency: AgencyRole = self.agencies.source.rows[
            self.agencies.proxy.mapToSource(index).row()]
        self._open(AgencyRoleDialog(self.ctx.access, self.tasks, self._changed, agency, self))

    # --- export -------------------------------------------------------------------------
    def _export(self) -> None:
        layout = self.loaded.layout if self.loaded else None
        if layout is None:
            return
        name, chosen = QFileDialog.getSaveFileName(
            self, f"{APP_NAME} — Export the reporting-structure chart",
            str(Path.home() / "reporting-structure.svg"), "SVG image (*.svg);;PNG image (*.png)")
        if name:
            self.export_to(Path(name), "PNG" in chosen)

    def export_to(self, path: Path, png: bool = False) -> None:
        """Write the chart to `path` (its suffix, else `png`, picks the format)."""
        from console.reports.governance_chart import save_chart

        layout = self.loaded.layout if self.loaded else None
        if layout is None:
            return
        if path.suffix.lower() not in (".svg", ".png"):
            path = path.with_suffix(".png" if png else ".svg")
        self.tasks.run(lambda _c: save_chart(layout, path), self._exported, self._failed,
                       owner=self)

    def _exported(self, path: Path) -> None:
        self.export_note.setText(f"Chart written to {path.name}")
        self.export_note.setToolTip(str(path))
        self.exported = path


def _fit(table: RecordTable, rows: int) -> None:
    """As high as its rows (and a horizontal scroll bar's room): no empty band under the
    last row, no inner scrolling in a page that scrolls anyway."""
    table.setFixedHeight(table.horizontalHeader().sizeHint().height()
                         + rows * table.verticalHeader().defaultSectionSize()
                         + table.horizontalScrollBar().sizeHint().height()
                         + 2 * table.frameWidth())


def _flags_html(flags: tuple[Flag, ...]) -> str:
    if not flags:
        ok = SEVERITY_COLOURS[min(SEVERITY_COLOURS)]
        return (f"<span style='color:{ok.text}; background:{ok.soft}'>&nbsp;OK&nbsp;</span> "
                "Nothing flagged: a sworn owner is named and every post is held.")
    lines = []
    for f in flags:
        c = SEVERITY_COLOURS[f.severity]
        lines.append(f"<span style='color:{c.text}; background:{c.soft}'>"
                     f"&nbsp;{f.severity.label}&nbsp;</span> {html.escape(f.text)}")
    return "<br>".join(lines)
