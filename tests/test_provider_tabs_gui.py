"""The provider tabs on a page harness (the Referrals page is built elsewhere): add, edit
with a conflict, retire, the refusal to delete, and the ranked scorecard with its flag
and chart (offscreen)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from conftest import SUPERVISOR, seed_program
from provider_world import after_hours_run, provider, referral
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QTabWidget

from console.context import AppContext
from console.data.engine import Database
from console.data.enums import UserRole
from console.data.identity import unlock
from console.data.keystore import DemoKeyFile
from console.data.referral_enums import ProviderService
from console.services.access import Access, Actor
from console.services.referrals import providers as ps
from console.views.dialogs.conflict import Choice, ConflictDialog
from console.views.dialogs.provider_edit import ProviderDialog
from console.views.page import Page
from console.views.provider_scorecard_view import ScorecardTab
from console.views.provider_tabs import ProvidersTab, provider_tabs
from console.views.tasks import TaskRunner


class Harness(Page):
    """As the Referrals page holds them: the provider tabs in a tab widget."""

    title = "Referrals & providers"
    scrolls = False

    def __init__(self, ctx: AppContext, tasks: TaskRunner) -> None:
        super().__init__(ctx, tasks)
        self.tabs = QTabWidget()
        for title, tab in provider_tabs(self):
            self.tabs.addTab(tab, title)
        self.layout_.addWidget(self.tabs, 1)

    def first_activate(self) -> None:
        for i in range(self.tabs.count()):
            self.tabs.widget(i).refresh()  # type: ignore[attr-defined]

    @property
    def providers(self) -> ProvidersTab:
        tab = self.tabs.widget(0)
        assert isinstance(tab, ProvidersTab)
        return tab

    @property
    def scorecard(self) -> ScorecardTab:
        tab = self.tabs.widget(1)
        assert isinstance(tab, ScorecardTab)
        return tab


def harness(qtbot, db: Database, tmp_path: Path, actor: Actor = SUPERVISOR,  # type: ignore[no-untyped-def]
            fill: Callable[[Database], None] | None = None) -> Harness:
    with db.engine.begin() as conn:
        seed_program(conn)
    if fill is not None:
        fill(db)
    unlocked = unlock(db, store=DemoKeyFile(tmp_path / "test-key"))
    ctx = AppContext(db, Access(db.session_factory, actor, unlocked.vault), unlocked.identity)
    page = Harness(ctx, TaskRunner(synchronous=True))
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    page.activate()
    return page


def answer_next_modal(choose: Callable[[object], None]) -> None:
    def act() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None:
            QTimer.singleShot(10, act)
            return
        choose(widget)
    QTimer.singleShot(0, act)


def names(tab: ProvidersTab) -> list[str]:
    return [r.name for r in tab.table.source.rows]


def select(tab: ProvidersTab, name: str) -> None:
    tab.table.selectRow(names(tab).index(name))


def test_the_page_gets_two_tabs_in_order(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = harness(qtbot, db, tmp_path)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["Providers",
                                                                       "Scorecard"]
    assert page.providers.status.text() == ("No providers yet. Add the services the unit "
                                            "refers people to.")
    assert page.scorecard.summary.text() == "No referrals in this period."


def test_add_a_provider_in_the_dialog(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = harness(qtbot, db, tmp_path)
    tab = page.providers
    tab.buttons["addProvider"].click()
    dialog = tab.dialog
    assert isinstance(dialog, ProviderDialog) and dialog.isVisible()
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    dialog.edits["name"].setText("Alder Detox")
    dialog.edits["vetted_on"].setText("2025-02-30")
    ok.click()
    assert dialog.isVisible() and "Vetted on: '2025-02-30' is not a date" in dialog.error.text()
    dialog.edits["vetted_on"].setText("2025-02-03")
    dialog.vetting.setCurrentIndex(dialog.vetting.findData("vetted"))
    ok.click()  # vetted, but by whom? the service says so in one line
    assert dialog.isVisible() and "who vetted it" in dialog.error.text()
    dialog.edits["vetted_by"].setText("Dir. Okafor")
    dialog.services[ProviderService.DETOX].setChecked(True)
    dialog.after_hours.setChecked(True)
    ok.click()
    assert not dialog.isVisible()
    assert names(tab) == ["Alder Detox"]
    row = tab.table.source.rows[0]
    assert (row.services, row.after_hours, row.vetted_by, row.vetted_on) == (
        (ProviderService.DETOX,), True, "Dir. Okafor", dt.date(2025, 2, 3))
    assert tab.status.text() == "1 active provider."


def test_edit_with_a_conflict_keeps_theirs(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = harness(qtbot, db, tmp_path, fill=lambda d: provider(d, "Alder Detox"))
    tab = page.providers
    select(tab, "Alder Detox")
    tab.buttons["editProvider"].click()
    dialog = tab.dialog
    assert isinstance(dialog, ProviderDialog) and dialog.record is not None
    access = page.ctx.access
    read = ps.provider_detail(access, dialog.record.id)
    director = access.as_actor(Actor("dir.okafor", UserRole.DIRECTOR, "Dir. Okafor"))
    ps.update_provider(director, read.id, read.version,
                       ps.ProviderEdit("Alder Detox", hours="Theirs: 24/7"))
    dialog.edits["hours"].setText("Mine: weekdays")
    seen: list[str] = []

    def keep_theirs(widget: object) -> None:
        assert isinstance(widget, ConflictDialog)
        seen.append(widget.windowTitle())
        widget.buttons[Choice.KEEP_THEIRS].click()

    answer_next_modal(keep_theirs)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert seen and not dialog.isVisible()
    assert tab.table.source.rows[0].hours == "Theirs: 24/7"


def test_retire_and_bring_back_and_delete_refused_with_referrals(qtbot, db: Database,  # type: ignore[no-untyped-def]
                                                                 tmp_path: Path) -> None:
    def fill(d: Database) -> None:
        used = provider(d, "Alder Detox")
        referral(d, used, dt.datetime(2026, 3, 2, 10))
        provider(d, "Typo Clinic")

    page = harness(qtbot, db, tmp_path, fill=fill)
    tab = page.providers
    changed: list[bool] = []
    page.data_changed.connect(lambda: changed.append(True))
    select(tab, "Alder Detox")
    assert tab.buttons["retireProvider"].text() == "Retire"
    tab.buttons["retireProvider"].click()
    assert tab.table.source.rows[-1].name == "Alder Detox"  # retired ones last
    assert not tab.table.source.rows[-1].active and changed
    assert tab.status.text().startswith("Alder Detox retired: no new referrals")
    select(tab, "Alder Detox")
    assert tab.buttons["retireProvider"].text() == "Bring back"
    tab.buttons["retireProvider"].click()
    assert all(r.active for r in tab.table.source.rows)

    def yes(widget: object) -> None:
        assert isinstance(widget, QMessageBox)
        button = widget.button(QMessageBox.StandardButton.Yes)
        assert button is not None
        button.click()

    select(tab, "Alder Detox")
    answer_next_modal(yes)
    tab.buttons["deleteProvider"].click()
    assert tab.status.text() == ("Provider 'Alder Detox' has 1 referral and cannot be "
                                 "deleted; retire it instead (its history stays on the "
                                 "scorecard).")
    select(tab, "Typo Clinic")
    answer_next_modal(yes)
    tab.buttons["deleteProvider"].click()
    assert names(tab) == ["Alder Detox"]


def test_an_analyst_sees_the_network_and_the_scorecard_but_no_buttons(qtbot, db: Database,  # type: ignore[no-untyped-def]
                                                                     tmp_path: Path) -> None:
    page = harness(qtbot, db, tmp_path, Actor("eva", UserRole.ANALYST, "Eva"),
                   fill=lambda d: provider(d, "Alder Detox"))
    assert names(page.providers) == ["Alder Detox"]
    page.tabs.setCurrentIndex(0)
    assert [b for b in page.findChildren(QPushButton) if b.isVisible()] == []
    assert [r.name for r in page.scorecard.table.source.rows] == ["Alder Detox"]


def _network(d: Database) -> None:
    alder = provider(d, "Alder Crisis", after_hours=True)
    beacon = provider(d, "Beacon Line", after_hours=True)
    after_hours_run(d, alder, dt.date(2026, 2, 1), 40, 33)  # 82.5% before
    after_hours_run(d, alder, dt.date(2026, 5, 6), 8, 4)  # 50% in the last 8 weeks
    after_hours_run(d, beacon, dt.date(2026, 2, 1), 20, 19)
    after_hours_run(d, beacon, dt.date(2026, 5, 6), 8, 8)


def test_the_scorecard_ranks_flags_and_charts(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = harness(qtbot, db, tmp_path, fill=_network)
    tab = page.scorecard
    page.tabs.setCurrentWidget(tab)
    tab.period_bar.set_custom(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    rows = tab.table.source.rows
    assert [(r.name, r.rank, r.flagged) for r in rows] == [("Beacon Line", 1, False),
                                                          ("Alder Crisis", 2, True)]
    assert ("1 provider stopped answering after hours: Alder Crisis answered 4 of 8 "
            "after-hours referrals") in tab.summary.text()
    model = tab.table.source
    flagged = model.index(1, 1)
    assert isinstance(model.data(flagged, Qt.ItemDataRole.ForegroundRole), QBrush)
    assert model.data(model.index(0, 1), Qt.ItemDataRole.ForegroundRole) is None
    assert model.data(model.index(1, 5), Qt.ItemDataRole.DisplayRole) == "77%"  # 37 of 48
    # The chart: the whole network until a provider is chosen, then that provider.
    assert tab.chart.figure is not None
    assert tab.chart.figure.axes[0].get_title(loc="left") == "Whole network"
    tab.table.selectRow(1)
    title = tab.chart.figure.axes[0].get_title(loc="left")
    assert title.startswith("Alder Crisis") and "flagged" in title
    # A shorter period: March alone, before any slide, flags nobody.
    tab.period_bar.set_custom(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert [r.flagged for r in tab.table.source.rows] == [False, False]


def test_the_score_table_passes_the_model_tester(qtbot, qtmodeltester, db: Database,  # type: ignore[no-untyped-def]
                                                 tmp_path: Path) -> None:
    page = harness(qtbot, db, tmp_path, fill=_network)
    qtmodeltester.check(page.scorecard.table.source)
    qtmodeltester.check(page.providers.table.source)
