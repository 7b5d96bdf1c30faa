"""The provider network's tabs of the Referrals page: the providers and their scorecard.

The Referrals page (views/referrals_page.py) asks this module for its provider tabs so
that the two halves of the area can grow apart. Each tab is a QWidget with a
`refresh()` method that the page calls when it is first shown and after data changed;
a tab loads through `page.load` (never on the GUI thread) and emits
`page.data_changed` after it edits something other pages show.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.views.provider_scorecard_view import ScorecardTab
from console.views.record_table import RecordTable
from console.views.record_table_model import Column

if TYPE_CHECKING:
    from console.services.access import Access
    from console.services.referrals.providers import ProviderRow
    from console.views.page import Page


def _state(r: ProviderRow) -> str:
    return f"Retired {r.retired_on:%Y-%m-%d}" if r.retired_on else "Active"


PROVIDER_COLUMNS: list[Column[ProviderRow]] = [
    Column("Provider", lambda r: r.name),
    Column("Services", lambda r: r.services_text),
    Column("After hours", lambda r: r.after_hours,
           "Whether the provider says it answers evenings, nights and weekends (the "
           "scorecard measures whether it does)"),
    Column("Vetting", lambda r: r.vetting),
    Column("Vetted on", lambda r: r.vetted_on),
    Column("Vetted by", lambda r: r.vetted_by or None),
    Column("MOU renewal due", lambda r: r.mou_renewal_due,
           "Red: the agreement is due for renewal within 60 days, or overdue",
           alert=lambda r: r.renewal_due),
    Column("Referrals", lambda r: r.referrals, "Referrals on record, all time"),
    Column("State", _state),
    Column("Hours", lambda r: r.hours or None),
    Column("Catchment", lambda r: r.catchment or None),
]


class ProvidersTab(QWidget):
    """The network: every provider with its vetting and agreement; add, edit, retire."""

    def __init__(self, page: Page, parent: QWidget | None = None) -> None:
        from console.services.access import Action

        super().__init__(parent)
        self.setObjectName("providersTab")
        self.page = page
        self.may_edit = page.ctx.access.allows(Action.EDIT_PROVIDERS)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 8, 0, 0)
        row = QHBoxLayout()
        self.status = QLabel("Loading…")
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.notice = ""  # what the last action did, said after the reload
        box.addWidget(self.status)
        row.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        if self.may_edit:
            for name, text, slot in (("addProvider", "Add provider…", self._add),
                                     ("editProvider", "Edit…", self._edit_selected),
                                     ("retireProvider", "Retire", self._retire),
                                     ("deleteProvider", "Delete…", self._delete)):
                button = QPushButton(text)
                button.setObjectName(name)
                button.clicked.connect(slot)
                row.addWidget(button)
                self.buttons[name] = button
        if self.buttons:
            box.addLayout(row)
        self.table = RecordTable(PROVIDER_COLUMNS)
        self.table.setObjectName("providersTable")
        self.table.keep_rows(6)
        if self.may_edit:
            self.table.setToolTip("Double-click a provider to edit it")
            self.table.doubleClicked.connect(self._edit_index)
            self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        box.addWidget(self.table, 1)
        self.rows: list[ProviderRow] = []
        self.dialog: QWidget | None = None

    def refresh(self) -> None:
        from console.services.referrals.providers import list_providers

        self.page.load(lambda access: list_providers(access), self._show)

    def _show(self, rows: list[ProviderRow]) -> None:
        self.rows = rows
        self.table.set_rows(rows)
        active = [r for r in rows if r.active]
        due = [r for r in active if r.renewal_due]
        unvetted = [r for r in active if r.vetting.value != "vetted"]
        if not rows:
            self.status.setText("No providers yet." + (
                " Add the services the unit refers people to." if self.may_edit else ""))
        else:
            parts = [f"{len(active)} active provider{'s' if len(active) != 1 else ''}"]
            if len(rows) > len(active):
                parts.append(f"{len(rows) - len(active)} retired")
            if unvetted:
                parts.append(f"{len(unvetted)} not vetted (or lapsed, suspended)")
            if due:
                parts.append(f"{len(due)} MOU renewal{'s' if len(due) != 1 else ''} due "
                             "within 60 days")
            self.status.setText("; ".join(parts) + ".")
        if self.notice:
            self.status.setText(f"{self.notice} {self.status.text()}")
            self.notice = ""
        self._selection_changed()

    def _selected(self) -> ProviderRow | None:
        picked = self.table.selectionModel().selectedRows()
        if not picked:
            return None
        return self.table.source.rows[self.table.proxy.mapToSource(picked[0]).row()]

    def _selection_changed(self, *_args: object) -> None:
        row = self._selected()
        retire = self.buttons.get("retireProvider")
        if retire is not None:
            retire.setText("Bring back" if row is not None and not row.active else "Retire")
            retire.setToolTip("A retired provider gets no new referrals; its history stays")
        delete = self.buttons.get("deleteProvider")
        if delete is not None:
            delete.setToolTip("Only a provider without referrals (entered by mistake); "
                              "retire one that has referrals")

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def _add(self) -> None:
        self._open(None)

    def _edit_index(self, index: QModelIndex) -> None:
        self._open(self.table.source.rows[self.table.proxy.mapToSource(index).row()])

    def _edit_selected(self) -> None:
        row = self._selected()
        if row is None:
            self._say("Select a provider first, then choose what to do with it.")
            return
        self._open(row)

    def _open(self, row: ProviderRow | None) -> None:
        from console.services.referrals.providers import provider_detail
        from console.views.dialogs.provider_edit import ProviderDialog

        def show(detail: ProviderRow | None) -> None:
            self.dialog = ProviderDialog(self.page.ctx.access, self.page.tasks,
                                         self._changed, detail, self)
            self.dialog.show()

        if row is None:
            show(None)
            return
        self.page.load(lambda access: provider_detail(access, row.id), show)

    def _retire(self) -> None:
        from console.services.referrals.providers import retire_provider, unretire_provider

        row = self._selected()
        if row is None:
            self._say("Select a provider first, then choose what to do with it.")
            return
        if row.active:
            self._write(lambda access: retire_provider(access, row.id),
                        f"{row.name} retired: no new referrals; its history stays.")
        else:
            self._write(lambda access: unretire_provider(access, row.id),
                        f"{row.name} is back in the network.")

    def _delete(self) -> None:
        from console.services.referrals.providers import delete_provider

        row = self._selected()
        if row is None:
            self._say("Select a provider first, then choose what to do with it.")
            return
        answer = QMessageBox.question(
            self, "Delete provider",
            f"Delete {row.name}? Only a provider entered by mistake: one with referrals is "
            "retired instead. The audit trail keeps what it was.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._write(lambda access: delete_provider(access, row.id),
                    f"{row.name} deleted.")

    def _write(self, work: Callable[[Access], object], done_text: str) -> None:
        from console.errors import UserError
        from console.views.tasks import report_bug

        access = self.page.ctx.access

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserError):
                self._say(exc.message[0].upper() + exc.message[1:] + ".")
            else:
                self._say("Could not save; the details are in the log.")
                report_bug(exc)

        def done(_result: object) -> None:
            self.notice = done_text
            self._changed()

        self.page.tasks.run(lambda _c: work(access), done, failed, writes=True, owner=self)

    def _changed(self) -> None:
        self.refresh()
        self.page.data_changed.emit()


def provider_tabs(page: Page) -> list[tuple[str, QWidget]]:
    """(title, tab) pairs in the order the page shows them."""
    return [("Providers", ProvidersTab(page)), ("Scorecard", ScorecardTab(page))]
