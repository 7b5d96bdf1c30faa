"""Referrals & providers: the referral measures, every referral (filtered), the follow-up
queue, then the provider network's tabs (views/provider_tabs.py).

Referrals name the people referred: the supervisor and the director see everyone's, a
responder their own; an analyst or a reviewer sees the measures and the providers only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console import APP_NAME
from console.context import AppContext
from console.errors import UserError
from console.services.access import Action
from console.services.outcomes_service import CONNECTED, FOLLOW_UP, TIME_TO_SERVICE, WARM
from console.services.populations import Preset, preset_period
from console.services.referrals.queue import FollowUpQueue, QueueRow, ReferralRow
from console.views.measure_tile import MeasureTile
from console.views.page import Page
from console.views.provider_tabs import provider_tabs
from console.views.record_table import RecordTable
from console.views.record_table_model import Column
from console.views.tasks import TaskRunner, report_bug
from console.views.tile_grid import TileGrid

if TYPE_CHECKING:
    from console.services.access import Access
    from console.services.outcomes_service import OutcomeReport
    from console.services.referrals.records import ProviderChoice, ReferralRecord

MEASURE_KEYS = (WARM, CONNECTED, TIME_TO_SERVICE, FOLLOW_UP)


def _hours(row: ReferralRow) -> float | None:
    hours = row.hours_to_service
    return None if hours is None else round(hours)


def _contact(row: ReferralRow) -> str | None:
    """"Yes, 2 tries": whether the provider was reached at the handoff, and how hard."""
    if row.contact_made is None and not row.contact_attempts:
        return None
    said = "—" if row.contact_made is None else "Yes" if row.contact_made else "No"
    tries = row.contact_attempts
    return f"{said}, {tries} tr{'y' if tries == 1 else 'ies'}" if tries else said


REFERRAL_COLUMNS: list[Column[ReferralRow]] = [
    Column("Referred", lambda r: r.referred_at),
    Column("Incident", lambda r: r.incident_number),
    Column("Person", lambda r: r.person or None),
    Column("Provider", lambda r: r.provider),
    Column("Kind", lambda r: r.kind),
    Column("Contact", _contact, "Reached at the handoff, and in how many tries "
                                "(— not recorded)"),
    Column("Result", lambda r: r.result),
    Column("First service", lambda r: r.first_service_at),
    Column("Hours", _hours, "Hours from the referral to the first service"),
    Column("Responder", lambda r: r.staff or None),
]
QUEUE_COLUMNS: list[Column[QueueRow]] = [
    Column("Due", lambda r: r.due_at, "Follow up by then; in red: overdue",
           alert=lambda r: r.overdue),
    Column("Referred", lambda r: r.referred_at),
    Column("Incident", lambda r: r.incident_number),
    Column("Person", lambda r: r.person or None),
    Column("Provider", lambda r: r.provider),
    Column("Kind", lambda r: r.kind),
    Column("Responder", lambda r: r.staff or None),
    Column("Last follow-up", lambda r: None if r.last_follow_up is None else
           f"{r.last_follow_up:%Y-%m-%d}" + (", reached" if r.reached else ", not reached"),
           "The unit's latest follow-up contact, and whether any reached the person"),
]
WIDEST = 20  # characters a column may take before its text is cut (hover shows it whole)
SHOW = ("All referrals", "Warm handoffs", "Information only", "Waiting for first service")
# How far back the list reads: names are sealed, so the search runs over the rows read,
# and a shorter span keeps that list whole (the service reads at most LIST_LIMIT).
SPANS = (("on record", None), ("of the last 12 months", 365),
         ("of the last 3 years", 3 * 365))


def _cap_columns(table: RecordTable) -> None:
    """No column wider than WIDEST characters: the table fits a laptop's width."""
    widest = table.fontMetrics().horizontalAdvance("M" * (WIDEST // 2) + "n" * (WIDEST // 2))
    for column in range(table.source.columnCount() - 1):
        if table.columnWidth(column) > widest:
            table.setColumnWidth(column, widest)


class ReferralsPage(Page):
    title = "Referrals & providers"
    subtitle = ("Warm handoffs to the provider network, and whether people reached care: the "
                "measures over the last 12 months, every referral, the follow-up queue and "
                "the providers. Record a referral from a call's row in Calls & outcomes.")
    scrolls = False

    def __init__(self, ctx: AppContext, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tasks, parent)
        access = ctx.access
        self.may_see = access.allows(Action.VIEW_IDENTITIES)
        self.may_import = access.allows(Action.EDIT_CALLS)
        self.rows: list[ReferralRow] = []
        self.queue: FollowUpQueue | None = None
        self.today: Callable[[], dt.date] = dt.date.today  # the spans count back from it
        grid = TileGrid(max_columns=4, spacing=10, min_column_chars=20)
        self.tiles: dict[str, MeasureTile] = {}
        for key in MEASURE_KEYS:
            self.tiles[key] = MeasureTile("…", compact=True)
            grid.add(self.tiles[key])
        self.layout_.addWidget(grid)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("referralTabs")
        self.tabs.setDocumentMode(True)
        self.layout_.addWidget(self.tabs, 1)
        if self.may_see:
            self.tabs.addTab(self._referrals_tab(), "Referrals")
            self.tabs.addTab(self._queue_tab(), "Follow-up queue")
        else:
            note = QLabel("Referrals name the people referred: they are shown to the "
                          "supervisor, the director and the responder who made them. Your "
                          "role sees the measures above and the providers.")
            note.setObjectName("muted")
            note.setWordWrap(True)
            self.tabs.addTab(note, "Referrals")
        self.provider_tabs = provider_tabs(self)
        for title, widget in self.provider_tabs:
            self.tabs.addTab(widget, title)

    # --- building ---------------------------------------------------------------------
    def _referrals_tab(self) -> QWidget:
        tab = QWidget()
        box = QVBoxLayout(tab)
        box.setContentsMargins(0, 8, 0, 0)
        bar = QHBoxLayout()
        self.show_filter = QComboBox()
        self.show_filter.setObjectName("showReferrals")
        self.show_filter.addItems(list(SHOW))
        self.show_filter.currentIndexChanged.connect(lambda _i: self._fill_referrals())
        self.span = QComboBox()
        self.span.setObjectName("referralSpan")
        self.span.addItems([label for label, _days in SPANS])
        self.span.setToolTip("How far back the list reads")
        self.span.currentIndexChanged.connect(lambda _i: self._reload_referrals())
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter by incident, person, provider or responder")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search)
        self.referral_status = QLabel("")
        self.referral_status.setObjectName("muted")
        bar.addWidget(QLabel("Show"))
        bar.addWidget(self.show_filter)
        bar.addWidget(self.span)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.referral_status)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setToolTip("Edit the selected referral (or double-click it)")
        self.edit_button.clicked.connect(self._edit_selected)
        bar.addWidget(self.edit_button)
        if self.may_import:
            self.import_button = QPushButton("Import referrals…")
            self.import_button.setToolTip(
                "A CSV or Excel list of referrals: matched to calls by incident number")
            self.import_button.clicked.connect(lambda: self.open_import())
            bar.addWidget(self.import_button)
        box.addLayout(bar)
        self.referral_table = RecordTable(REFERRAL_COLUMNS)
        self.referral_table.setObjectName("referralTable")
        self.referral_table.proxy.setFilterKeyColumn(-1)
        self.referral_table.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.referral_table.doubleClicked.connect(self._edit_at)
        box.addWidget(self.referral_table, 1)
        return tab

    def _queue_tab(self) -> QWidget:
        tab = QWidget()
        box = QVBoxLayout(tab)
        box.setContentsMargins(0, 8, 0, 0)
        bar = QHBoxLayout()
        self.queue_status = QLabel("")
        self.queue_status.setObjectName("muted")
        self.queue_status.setWordWrap(True)
        bar.addWidget(self.queue_status, 1)
        self.follow_up_button = QPushButton("Record follow-up…")
        self.follow_up_button.clicked.connect(self._follow_up_selected)
        bar.addWidget(self.follow_up_button)
        self.window_dialog: QDialog | None = None
        if self.ctx.access.allows(Action.EDIT_SETTINGS):
            self.window_button = QPushButton("Follow-up window…")
            self.window_button.setObjectName("followUpWindow")
            self.window_button.setToolTip("How many hours after a referral the unit's "
                                          "follow-up is due (the queue and the follow-up "
                                          "completion measure)")
            self.window_button.clicked.connect(self.open_follow_up_window)
            bar.addWidget(self.window_button)
        box.addLayout(bar)
        self.queue_table = RecordTable(QUEUE_COLUMNS)
        self.queue_table.setObjectName("queueTable")
        self.queue_table.doubleClicked.connect(lambda index: self._follow_up(index))
        box.addWidget(self.queue_table, 1)
        return tab

    # --- loading ----------------------------------------------------------------------
    def first_activate(self) -> None:
        self.reload()

    def reload(self) -> None:
        from console.services.outcomes_service import outcome_report

        period = preset_period(Preset.LAST_12_MONTHS, dt.date.today())
        self.load(lambda access: outcome_report(access, period), self._show_measures)
        if self.may_see:
            self._reload_referrals()
            self.load(self._queue_or_reason, self._show_queue)
        for _title, widget in self.provider_tabs:
            refresh = getattr(widget, "refresh", None)
            if callable(refresh):
                refresh()

    def _reload_referrals(self) -> None:
        days = SPANS[self.span.currentIndex()][1]
        since = None if days is None else self.today() - dt.timedelta(days=days)
        self.load(lambda access: self._referrals_or_reason(access, since),
                  self._show_referrals)

    @staticmethod
    def _referrals_or_reason(access: Access, since: dt.date | None) -> list[ReferralRow] | str:
        from console.services.referrals.queue import referral_rows

        try:
            return referral_rows(access, since)
        except UserError as exc:  # a responder not linked to a staff record
            return exc.message

    @staticmethod
    def _queue_or_reason(access: Access) -> FollowUpQueue | str:
        from console.services.referrals.queue import follow_up_queue

        try:
            return follow_up_queue(access)
        except UserError as exc:
            return exc.message

    def _search(self, text: str) -> None:
        self.referral_table.proxy.setFilterFixedString(text.strip())

    def _show_measures(self, report: OutcomeReport) -> None:
        for key in MEASURE_KEYS:
            self.tiles[key].set_measure(report.measure(key))

    def _show_referrals(self, rows: list[ReferralRow] | str) -> None:
        if isinstance(rows, str):
            self.rows = []
            self.referral_status.setText(rows)
        else:
            self.rows = rows
        self._fill_referrals()

    def _fill_referrals(self) -> None:
        show = self.show_filter.currentText()
        from console.data.referral_enums import ReferralKind

        rows = [r for r in self.rows if
                show == SHOW[0]
                or (show == SHOW[1] and r.kind is ReferralKind.WARM_HANDOFF)
                or (show == SHOW[2] and r.kind is ReferralKind.INFORMATION_ONLY)
                or (show == SHOW[3] and r.first_service_at is None)]
        self.referral_table.set_rows(rows)
        _cap_columns(self.referral_table)
        if self.rows or not self.referral_status.text():
            from console.services.referrals.queue import LIST_LIMIT

            span = SPANS[self.span.currentIndex()][0]
            if not self.rows:
                text = f"No referrals {span}"
            elif len(self.rows) >= LIST_LIMIT:
                text = (f"{len(rows):,} of the newest {len(self.rows):,} referrals {span} "
                        "(a shorter span lists them all)")
            else:
                text = f"{len(rows):,} of the {len(self.rows):,} referrals {span}"
            self.referral_status.setText(text)

    def _show_queue(self, queue: FollowUpQueue | str) -> None:
        if isinstance(queue, str):
            self.queue = None
            self.queue_table.set_rows([])
            self.queue_status.setText(queue)
            return
        self.queue = queue
        self.queue_table.set_rows(list(queue.rows))
        _cap_columns(self.queue_table)
        overdue = sum(1 for r in queue.rows if r.overdue)
        text = (f"{len(queue.rows)} referral(s) waiting for a first service, {overdue} "
                f"overdue; follow up within {queue.due_hours} hours of the referral.")
        if queue.older:
            text += f" {queue.older} older than 30 days are not listed."
        self.queue_status.setText(text)

    # --- actions ----------------------------------------------------------------------
    def open_follow_up_window(self) -> None:
        from console.services.referrals.queue import FOLLOW_UP_HOURS
        from console.views.dialogs.settings_form import open_settings

        def keep(dialog: QDialog) -> None:
            self.window_dialog = dialog

        open_settings(self, self.tasks, self.ctx.access, "Follow-up window",
                      "A referral's follow-up is due this many hours after it was made: the "
                      "queue marks it overdue, and follow-up completion counts it from then. "
                      "The change is this program's and is kept in the audit trail.",
                      [FOLLOW_UP_HOURS], self.reload, keep)

    def _selected(self, table: RecordTable) -> int | None:
        rows = table.selectionModel().selectedRows()
        if not rows:
            return None
        return table.proxy.mapToSource(rows[0]).row()

    def _edit_selected(self) -> None:
        row = self._selected(self.referral_table)
        if row is not None:
            self.edit_referral(self.referral_table.source.rows[row].id)

    def _edit_at(self, index: QModelIndex) -> None:
        row = self.referral_table.proxy.mapToSource(index).row()
        self.edit_referral(self.referral_table.source.rows[row].id)

    def edit_referral(self, referral_id: int) -> None:
        from console.services.referrals.records import active_providers, referral_record

        def both(access: Access) -> tuple[ReferralRecord, list[ProviderChoice]]:
            return referral_record(access, referral_id), active_providers(access)

        self.tasks.run(lambda _c: both(self.ctx.access), self._open_edit, self._failed,
                       owner=self)

    def _open_edit(self, found: tuple[ReferralRecord, list[ProviderChoice]]) -> None:
        from console.views.dialogs.referral_forms import ReferralDialog

        record, providers = found
        self.dialog = ReferralDialog(self.ctx.access, self.tasks, self._changed, providers,
                                     record=record, parent=self)
        self.dialog.show()

    def _follow_up_selected(self) -> None:
        row = self._selected(self.queue_table)
        if row is not None:
            self._open_follow_up(self.queue_table.source.rows[row])

    def _follow_up(self, index: QModelIndex) -> None:
        row = self.queue_table.proxy.mapToSource(index).row()
        self._open_follow_up(self.queue_table.source.rows[row])

    def _open_follow_up(self, row: QueueRow) -> None:
        from console.views.dialogs.referral_forms import FollowUpDialog

        about = f"{row.person or 'The person'} on call {row.incident_number}, referred to " \
                f"{row.provider} on {row.referred_at:%d %b %Y}"
        self.dialog = FollowUpDialog(self.ctx.access, self.tasks, self._changed,  # type: ignore[assignment]
                                     row.referral_id, about, self)
        self.dialog.show()

    def open_import(self) -> QWidget:
        """The import wizard for referral lists; the page reloads after an import."""
        from console.data.importers.fields import REFERRALS
        from console.views.importing.wizard import ImportWizard

        wizard = ImportWizard(self.ctx.access, self.tasks, None, self.window(),
                              kind=REFERRALS)
        wizard.on_imported = lambda _result: self._changed()
        self.wizard = wizard
        wizard.show()
        return wizard

    def _changed(self) -> None:
        self.reload()
        self.data_changed.emit()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            QMessageBox.warning(self, APP_NAME, exc.message)
        else:
            report_bug(exc)
