"""Referrals in the window: a warm handoff recorded from a call's row shows on the
Outcomes tab (and in the provider's scorecard once that half lands); the Referrals page
lists referrals and the follow-up queue to those who may see names, counts to others."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from referral_world import PEOPLE, as_user, build
from test_calls_table_model import context_for

from console.data.engine import Database
from console.data.referral_enums import ReferralKind
from console.services.access import Access
from console.services.populations import Preset
from console.services.referrals.records import ReferralEdit, record_referral
from console.views.calls_page import TAB_CALLS, TAB_OUTCOMES, CallsPage
from console.views.dialogs.referral_forms import ReferralDialog
from console.views.referrals_page import ReferralsPage
from console.views.tasks import TaskRunner


@pytest.fixture
def sync_tasks(qapp: Any) -> TaskRunner:
    return TaskRunner(synchronous=True)


@pytest.fixture
def sup(db: Database, tmp_path: Path) -> Access:
    return build(db, tmp_path)


def _record_warm_handoff_from_the_calls_table(qtbot: Any, db: Database, sup: Access,
                                              tasks: TaskRunner) -> CallsPage:
    page = CallsPage(context_for(db, sup), tasks)
    qtbot.addWidget(page)
    page.resize(1300, 900)
    page.period_bar.set_preset(Preset.ALL)
    page.activate()
    outcomes = page.outcomes
    assert outcomes.tiles["warm_handoff"].value.text() == "Not available yet"
    page.tabs.setCurrentIndex(TAB_CALLS)
    assert page.refer_button is not None and not page.refer_button.isEnabled()
    row = next(r for r in range(page.model.rowCount())
               if page.model.row_at(r).incident_number == "26-0001")
    page.table.selectRow(row)
    assert page.refer_button.isEnabled()
    page.refer_button.click()
    dialog = page.referral_dialog
    assert isinstance(dialog, ReferralDialog) and "26-0001" in dialog.windowTitle() + \
        "".join(w.text() for w in dialog.findChildren(type(dialog.error)))
    dialog.provider.setEditText("Riverbend Crisis")  # a new provider, typed
    dialog.kind.setCurrentIndex(list(ReferralKind).index(ReferralKind.WARM_HANDOFF))
    dialog.contact.setCurrentIndex(1)  # reached at the handoff
    dialog.attempts.setValue(1)
    dialog.referred.setDateTime(dialog.referred.dateTime().addSecs(40 * 60))
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible() and not dialog.error.isVisible(), dialog.error.text()
    page.tabs.setCurrentIndex(TAB_OUTCOMES)
    return page


def test_a_warm_handoff_from_a_call_shows_on_the_outcomes_page(
        qtbot: Any, db: Database, sup: Access, sync_tasks: TaskRunner) -> None:
    page = _record_warm_handoff_from_the_calls_table(qtbot, db, sup, sync_tasks)
    warm = page.outcomes.tiles["warm_handoff"]
    assert warm.value.text() == "25%"  # call 26-0001 of the 4 co-responses
    assert warm.note.text() == "1 of 4 co-responses"
    assert "at least one warm handoff" in warm.toolTip()
    connected = page.outcomes.tiles["referral_connected"]
    assert connected.value.text() == "100%" and connected.note.text() == "1 of 1 referrals"


def test_a_warm_handoff_from_a_call_shows_in_the_scorecard(
        qtbot: Any, db: Database, sup: Access, sync_tasks: TaskRunner) -> None:
    _record_warm_handoff_from_the_calls_table(qtbot, db, sup, sync_tasks)
    page = _referrals_page(qtbot, db, sup, sync_tasks)
    titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    page.tabs.setCurrentIndex(titles.index("Scorecard"))
    tab = dict(page.provider_tabs)["Scorecard"]
    tab.period_bar.set_preset(Preset.ALL)
    tab.refresh()
    rows = tab.table.source.rows
    riverbend = next(r for r in rows if r.name == "Riverbend Crisis")
    assert riverbend.counts.referrals == 1 and riverbend.counts.warm_share == 1.0
    assert tab.card.network.counts.referrals == 1


def _referrals_page(qtbot: Any, db: Database, access: Access,
                    tasks: TaskRunner) -> ReferralsPage:
    page = ReferralsPage(context_for(db, access), tasks)
    qtbot.addWidget(page)
    page.resize(1300, 860)
    page.activate()
    return page


def test_the_referrals_page_by_role(qtbot: Any, db: Database, sup: Access,
                                    sync_tasks: TaskRunner) -> None:
    ana, ben = as_user(sup, 2), as_user(sup, 3)
    record_referral(ana, 1, ReferralEdit("Riverbend Crisis", ReferralKind.WARM_HANDOFF,
                                         dt.datetime(2026, 3, 2, 10, 40), contact_made=True,
                                         contact_attempts=1,
                                         first_service_at=dt.datetime(2026, 3, 2, 15)))
    # Ben's, four days ago (the queue holds the last 30 days): due after 72 hours.
    days_ago = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(days=4)
    record_referral(ben, 3, ReferralEdit("Harbor Housing", ReferralKind.INFORMATION_ONLY,
                                         days_ago))
    page = _referrals_page(qtbot, db, sup, sync_tasks)
    table = page.referral_table
    assert table.source.rowCount() == 2
    assert {table.source.rows[i].person for i in range(2)} == {PEOPLE[0], PEOPLE[2]}
    page.show_filter.setCurrentIndex(1)  # warm handoffs
    assert [r.provider for r in table.source.rows] == ["Riverbend Crisis"]
    page.show_filter.setCurrentIndex(0)
    page.search.setText("harbor")
    assert table.proxy.rowCount() == 1
    # The queue: Ben's referral has no first service and is a day overdue.
    assert [r.incident_number for r in page.queue_table.source.rows] == ["26-0003"]
    assert page.queue_table.source.rows[0].overdue
    # Ana sees hers only; her queue is empty (hers was served).
    mine = _referrals_page(qtbot, db, ana, sync_tasks)
    assert [r.person for r in mine.referral_table.source.rows] == [PEOPLE[0]]
    assert mine.queue_table.source.rowCount() == 0
    # The analyst: the counts, no table of names at all.
    counts = _referrals_page(qtbot, db, as_user(sup, 4), sync_tasks)
    assert not hasattr(counts, "referral_table")
    assert counts.tabs.tabText(0) == "Referrals"
    assert counts.tiles["warm_handoff"].note.text() == "1 of 4 co-responses"
    texts = " ".join(w.text() for w in counts.findChildren(type(page.queue_status)))
    assert PEOPLE[0] not in texts and "Riverbend" not in texts


def test_the_follow_up_window_is_a_supervisor_setting(qtbot: Any, db: Database, sup: Access,
                                                      sync_tasks: TaskRunner) -> None:
    """Four days ago is overdue with 72 hours; with a 120-hour window it is not, and the
    queue says so. A responder has no button to change it."""
    ben = as_user(sup, 3)
    days_ago = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(days=4)
    record_referral(ben, 3, ReferralEdit("Harbor Housing", ReferralKind.INFORMATION_ONLY,
                                         days_ago))
    page = _referrals_page(qtbot, db, sup, sync_tasks)
    assert page.queue_table.source.rows[0].overdue
    page.window_button.click()
    dialog = page.window_dialog
    assert dialog is not None and dialog.isVisible()
    edit = dialog.edits["referral_follow_up_hours"]
    assert edit.text() == "72"
    edit.setText("0")
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and "out of range" in dialog.error.text()
    edit.setText("120")
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible()
    assert not page.queue_table.source.rows[0].overdue
    assert "within 120 hours" in page.queue_status.text()
    responder = _referrals_page(qtbot, db, ben, sync_tasks)
    assert not hasattr(responder, "window_button")


def test_the_list_reads_the_span_chosen(qtbot: Any, db: Database, sup: Access,
                                        sync_tasks: TaskRunner) -> None:
    """Every referral on record by default; a span counts back from the page's today and
    leaves out the older ones, and the status line names it."""
    ben = as_user(sup, 3)
    record_referral(ben, 1, ReferralEdit("Riverbend Crisis", ReferralKind.WARM_HANDOFF,
                                         dt.datetime(2026, 3, 2, 10, 40)))
    days_ago = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(days=4)
    record_referral(ben, 3, ReferralEdit("Harbor Housing", ReferralKind.INFORMATION_ONLY,
                                         days_ago))
    page = _referrals_page(qtbot, db, sup, sync_tasks)
    page.today = lambda: dt.date(2027, 6, 1)  # 12 months back: from 1 June 2026
    assert page.referral_table.source.rowCount() == 2
    assert page.referral_status.text() == "2 of the 2 referrals on record"
    page.span.setCurrentIndex(1)
    assert [r.incident_number for r in page.referral_table.source.rows] == ["26-0003"]
    assert page.referral_status.text() == "1 of the 1 referrals of the last 12 months"
    page.span.setCurrentIndex(2)
    assert page.referral_table.source.rowCount() == 2
