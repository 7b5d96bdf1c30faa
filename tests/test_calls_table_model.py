"""The lazily fetching Calls table model and the Calls page, on a real SQLite file."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SUPERVISOR, access_for
from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QFont
from sqlalchemy import create_engine, insert
from sqlalchemy.orm import sessionmaker

from console.context import AppContext
from console.data import migrate
from console.data.crypto import Vault
from console.data.engine import Database, open_database, sqlite_url
from console.data.enums import Activation, AgencyKind, Disposition, StaffRole
from console.data.identity import Identity, read_identity
from console.data.models import Agency, Call, Program, StaffMember, call_responder
from console.services.access import Access
from console.services.calls_service import CallQuery, count_calls, fetch_page
from console.views.calls_page import FILTER_DELAY_MS, CallsPage
from console.views.calls_table_model import (
    COL_BEAT,
    COL_CALL_TYPE,
    COL_DISPOSITION,
    COL_IN_SCOPE,
    COL_PRIORITY,
    COL_RECEIVED,
    COL_RESPONDERS,
    COLUMNS,
    CallsTableModel,
)
from console.views.record_table_model import SORT_ROLE
from console.views.tasks import TaskControl, TaskHandle, TaskRunner

N_CALLS = 450
PAGE = 50
TYPES = ["Welfare check", "Suicidal person", "Disturbance", "Mental health crisis"]


@pytest.fixture(scope="module")
def calls_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = open_database(sqlite_url(tmp_path_factory.mktemp("model") / "calls.db"))
    migrate.upgrade(database)
    rng = random.Random(99)

    def maybe(value: Any) -> Any:
        return None if rng.random() < 0.15 else value

    calls = [
        {
            "id": i, "program_id": 1, "agency_id": 1, "incident_number": f"24-{i:05d}",
            "received_at": dt.datetime(2024, 1, 1) + dt.timedelta(minutes=37 * (i % 200)),
            "initial_call_type": rng.choice(TYPES), "final_call_type": maybe(rng.choice(TYPES)),
            "priority": maybe(rng.randint(1, 4)), "activation": maybe(rng.choice(list(Activation))),
            "disposition": maybe(rng.choice(list(Disposition))),
            "in_scope": maybe(rng.random() < 0.8), "precinct": "3", "sector": "B",
            "beat": maybe(rng.choice(["311", "312", "313"])),
        }
        for i in range(1, N_CALLS + 1)
    ]
    with database.engine.begin() as conn:
        conn.execute(insert(Program), [{"id": 1, "name": "Metro", "jurisdiction": "Metro",
                                        "started_on": dt.date(2023, 1, 1)}])
        conn.execute(insert(Agency), [{"id": 1, "program_id": 1, "name": "Metro PD",
                                       "kind": AgencyKind.POLICE}])
        conn.execute(insert(StaffMember), [{"id": 1, "program_id": 1, "staff_key": "E1",
                                            "display_name": "Rivera, Ana",
                                            "role": StaffRole.MH_RESPONDER,
                                            "hired_on": dt.date(2023, 1, 1)}])
        conn.execute(insert(Call), calls)
        conn.execute(insert(call_responder), [{"call_id": 1, "staff_id": 1}])
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def calls_access(calls_db: Database, tmp_path_factory: pytest.TempPathFactory) -> Access:
    """A supervisor reading calls_db."""
    return access_for(calls_db, tmp_path_factory.mktemp("model-key"))


def context_for(db: Database, access: Access) -> AppContext:
    """What the console hands its pages once the supervisor has signed in."""
    row = read_identity(db)
    assert row is not None
    return AppContext(db=db, access=access,
                      identity=Identity(row.database_uuid, row.demo, "a test key file"))


@pytest.fixture
def sync_tasks(qapp: Any) -> TaskRunner:
    return TaskRunner(synchronous=True)


@pytest.fixture
def model(calls_access: Access, sync_tasks: TaskRunner) -> CallsTableModel:
    return CallsTableModel(calls_access, sync_tasks, page_size=PAGE)


def _ids(model: CallsTableModel) -> list[int]:
    return [model.row_at(r).id for r in range(model.rowCount())]


def _all_ids(access: Access, query: CallQuery) -> list[int]:
    page, cursor = fetch_page(access, query, None, N_CALLS + 1)
    assert cursor is None
    return [r.id for r in page]


def _fetch_all(model: CallsTableModel) -> None:
    for _ in range(N_CALLS):
        if not model.canFetchMore(QModelIndex()):
            return
        model.fetchMore(QModelIndex())
    raise AssertionError("fetching did not end")


class DeferredTasks(TaskRunner):
    """A runner that holds tasks until the test runs them, in any order."""

    def __init__(self) -> None:
        super().__init__(synchronous=True)
        self.queued: list[tuple[Callable[[TaskControl], Any], Callable[[Any], None],
                                Callable[[BaseException], None] | None, TaskHandle]] = []

    def run(self, work: Callable[[TaskControl], Any], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None] | None = None,
            on_progress: Callable[[int, int, str], None] | None = None, *,
            writes: bool = False, owner: QObject | None = None) -> TaskHandle:
        handle = TaskHandle(TaskControl(lambda *_: None))
        self.queued.append((work, on_done, on_error, handle))
        return handle

    def run_task(self, index: int) -> None:
        work, on_done, on_error, handle = self.queued[index]
        try:
            result = work(handle.control)
        except BaseException as exc:  # noqa: BLE001 (delivered like the real runner)
            handle.finished = True
            assert on_error is not None
            on_error(exc)
        else:
            handle.finished = True
            on_done(result)


# -- the Qt model contract ---------------------------------------------------------


@pytest.mark.qt_log_level_fail("WARNING")
def test_model_passes_the_model_tester(qtmodeltester: Any, model: CallsTableModel) -> None:
    qtmodeltester.check(model)
    model.reload()
    model.fetchMore(QModelIndex())
    model.sort(COL_DISPOSITION, Qt.SortOrder.AscendingOrder)
    model.set_filter("welfare")
    _fetch_all(model)
    assert model.rowCount() > PAGE


def test_model_passes_the_python_model_tester(qtmodeltester: Any,
                                              model: CallsTableModel) -> None:
    model.reload()
    qtmodeltester.check(model, force_py=True)
    model.fetchMore(QModelIndex())
    model.sort(COL_BEAT, Qt.SortOrder.DescendingOrder)
    model.fetchMore(QModelIndex())
    model.set_filter("arrest")
    _fetch_all(model)


def test_nothing_loads_before_reload(model: CallsTableModel) -> None:
    assert not model.canFetchMore(QModelIndex())
    model.sort(COL_BEAT, Qt.SortOrder.AscendingOrder)
    model.set_filter("welfare")
    assert model.rowCount() == 0 and model.total is None
    assert model.query == CallQuery("welfare", "beat", False)


# -- paging --------------------------------------------------------------------------


def test_fetch_more_loads_page_after_page_in_order(qtbot: Any, calls_access: Access,
                                                   model: CallsTableModel) -> None:
    with qtbot.waitSignal(model.total_changed) as total:
        model.reload()
    assert total.args == [N_CALLS]
    assert model.rowCount() == PAGE and model.canFetchMore(QModelIndex())
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.fetchMore(QModelIndex())
    assert inserted.args[1:] == [PAGE, 2 * PAGE - 1]
    _fetch_all(model)
    assert _ids(model) == _all_ids(calls_access, CallQuery())
    assert not model.canFetchMore(QModelIndex())
    assert not model.loading


def test_loading_signal_brackets_each_page(qtbot: Any, model: CallsTableModel) -> None:
    states: list[bool] = []
    model.loading_changed.connect(states.append)
    model.reload()
    model.fetchMore(QModelIndex())
    assert states == [True, False, True, False]


def test_fetch_more_starts_no_second_task_while_one_runs(calls_access: Access) -> None:
    tasks = DeferredTasks()
    model = CallsTableModel(calls_access, tasks, page_size=PAGE)
    model.reload()
    assert len(tasks.queued) == 2 and model.loading  # the count and the first page
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert len(tasks.queued) == 2
    tasks.run_task(1)
    assert model.rowCount() == PAGE and not model.loading
    model.fetchMore(QModelIndex())
    assert len(tasks.queued) == 3


# -- sort and filter ----------------------------------------------------------------


def test_sort_restarts_from_the_first_page(qtbot: Any, calls_access: Access,
                                           model: CallsTableModel) -> None:
    model.reload()
    model.fetchMore(QModelIndex())
    generation = model.generation
    with qtbot.waitSignal(model.modelReset):
        model.sort(COL_DISPOSITION, Qt.SortOrder.AscendingOrder)
    assert model.generation == generation + 1
    assert model.query == CallQuery(sort="disposition", descending=False)
    assert model.rowCount() == PAGE
    _fetch_all(model)
    assert _ids(model) == _all_ids(calls_access, model.query)
    values = [model.data(model.index(r, COL_DISPOSITION), SORT_ROLE)
              for r in range(model.rowCount())]
    known = [v for v in values if v is not None]
    assert known == sorted(known) and values[-1] is None  # blanks last


def test_same_sort_or_unsortable_column_does_not_reload(qtbot: Any,
                                                        model: CallsTableModel) -> None:
    model.reload()
    generation = model.generation
    model.sort(COL_RECEIVED, Qt.SortOrder.DescendingOrder)  # already so
    model.sort(COL_RESPONDERS, Qt.SortOrder.AscendingOrder)
    model.sort(len(COLUMNS), Qt.SortOrder.AscendingOrder)
    assert model.generation == generation and model.rowCount() == PAGE


def test_filter_restarts_and_counts_the_matches(qtbot: Any, calls_access: Access,
                                                model: CallsTableModel) -> None:
    model.reload()
    with qtbot.waitSignals([model.modelReset, model.total_changed]):
        model.set_filter("  arrest ")
    query = CallQuery(text="arrest")
    assert model.query == query
    assert model.total == count_calls(calls_access, query) > 0
    _fetch_all(model)
    assert _ids(model) == _all_ids(calls_access, query)
    assert {model.row_at(r).disposition for r in range(model.rowCount())} == {
        Disposition.ARREST
    }
    generation = model.generation
    model.set_filter("arrest  ")
    assert model.generation == generation
    model.set_filter("")
    assert model.total == N_CALLS


def test_results_of_stale_tasks_are_dropped(calls_access: Access) -> None:
    tasks = DeferredTasks()
    model = CallsTableModel(calls_access, tasks, page_size=PAGE)
    inserted: list[int] = []
    totals: list[int] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append(last - first + 1))
    model.total_changed.connect(totals.append)
    model.reload()
    model.set_filter("welfare")  # before the first page and count arrive
    old_count, old_page, new_count, new_page = (t[3] for t in tasks.queued)
    assert old_count.control.cancelled and old_page.control.cancelled
    assert not new_count.control.cancelled and not new_page.control.cancelled
    assert model.loading

    tasks.run_task(3)
    tasks.run_task(2)
    expected = count_calls(calls_access, CallQuery(text="welfare"))
    assert totals == [expected] and inserted == [PAGE]
    tasks.run_task(0)  # the stale ones finish last (cancelled: they raise)
    tasks.run_task(1)
    assert totals == [expected] and inserted == [PAGE]
    assert model.total == expected and not model.loading
    assert _ids(model) == _all_ids(calls_access, CallQuery(text="welfare"))[:PAGE]


def test_stale_page_that_completes_is_dropped(calls_access: Access) -> None:
    tasks = DeferredTasks()
    model = CallsTableModel(calls_access, tasks, page_size=PAGE)
    model.reload()
    model.sort(COL_BEAT, Qt.SortOrder.AscendingOrder)
    # Queued before the sort, run without looking at the cancel flag: still dropped.
    work, on_done, _, _ = tasks.queued[1]
    on_done(fetch_page(calls_access, CallQuery(), None, PAGE))
    assert model.rowCount() == 0 and model.loading
    tasks.run_task(3)
    assert [model.row_at(r).id for r in range(PAGE)] == \
        _all_ids(calls_access, CallQuery(sort="beat", descending=False))[:PAGE]


# -- errors ----------------------------------------------------------------------------


def test_database_error_is_told_once_and_reload_retries(qtbot: Any, tmp_path: Path,
                                                        sync_tasks: TaskRunner) -> None:
    path = tmp_path / "not-yet.db"
    engine = create_engine(sqlite_url(path))
    access = Access(sessionmaker(engine), SUPERVISOR, Vault(Vault.new_key()))
    model = CallsTableModel(access, sync_tasks, page_size=PAGE)
    with qtbot.waitSignal(model.load_failed) as failed:
        model.reload()
    assert "no such table" in failed.args[0]
    assert not model.canFetchMore(QModelIndex()) and not model.loading
    migrate.upgrade(Database(engine, sessionmaker(engine), str(path)))
    with qtbot.waitSignal(model.total_changed):
        model.reload()
    assert model.total == 0 and not model.canFetchMore(QModelIndex())
    engine.dispose()


# -- cells ---------------------------------------------------------------------------


def test_cells_show_labels_sort_by_raw_values_and_explain(model: CallsTableModel) -> None:
    model.sort(COL_RECEIVED, Qt.SortOrder.AscendingOrder)
    model.reload()
    _fetch_all(model)
    rows = {model.row_at(r).id: r for r in range(model.rowCount())}
    first = rows[1]

    def cell(row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return model.data(model.index(row, column), role)

    assert cell(first, COL_RESPONDERS) == "Rivera, Ana"
    assert cell(first, COL_RECEIVED) == "2024-01-01 00:37"
    assert cell(first, COL_RECEIVED, Qt.ItemDataRole.ToolTipRole) == \
        "Monday 1 January 2024, 00:37:00"
    assert cell(first, COL_RECEIVED, Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert cell(first, COL_CALL_TYPE, Qt.ItemDataRole.TextAlignmentRole) is None
    for r in range(model.rowCount()):
        call = model.row_at(r)
        disposition = cell(r, COL_DISPOSITION)
        if call.disposition is None:
            assert disposition == "—"
            assert cell(r, COL_DISPOSITION, SORT_ROLE) is None
        else:
            assert disposition == call.disposition.label
            assert cell(r, COL_DISPOSITION, SORT_ROLE) == call.disposition.value
        assert cell(r, COL_IN_SCOPE) == {True: "Yes", False: "No", None: "—"}[call.in_scope]
        assert cell(r, COL_PRIORITY, SORT_ROLE) == call.priority
        assert cell(r, COL_BEAT, Qt.ItemDataRole.ToolTipRole).startswith("Precinct 3 / Sector B")
        font = cell(r, COL_CALL_TYPE, Qt.ItemDataRole.FontRole)
        if call.call_type_is_initial:
            assert isinstance(font, QFont) and font.italic()
            assert "no final type" in cell(r, COL_CALL_TYPE, Qt.ItemDataRole.ToolTipRole)
        else:
            assert font is None
    assert model.headerData(COL_CALL_TYPE, Qt.Orientation.Horizontal) == "Call type"
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.data(model.index(0, 0).sibling(0, len(COLUMNS))) is None


# -- with real threads --------------------------------------------------------------


def test_pages_arrive_from_the_thread_pool(qtbot: Any, calls_access: Access) -> None:
    tasks = TaskRunner()
    model = CallsTableModel(calls_access, tasks, page_size=PAGE)
    model.reload()
    model.set_filter("crisis")  # the first tasks become stale while they may be running
    qtbot.waitUntil(lambda: model.total is not None and not model.loading, timeout=10_000)
    model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: not model.loading, timeout=10_000)
    assert tasks.wait()
    assert _ids(model) == _all_ids(calls_access, CallQuery(text="crisis"))[:2 * PAGE]


# -- the page ------------------------------------------------------------------------


@pytest.fixture
def page(qtbot: Any, calls_db: Database, calls_access: Access,
         sync_tasks: TaskRunner) -> CallsPage:
    widget = CallsPage(context_for(calls_db, calls_access), sync_tasks)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    return widget


def test_page_loads_when_first_shown(page: CallsPage) -> None:
    assert page.model.rowCount() == 0 and page.status.text() == ""
    page.activate()
    assert page.model.rowCount() == 200
    assert page.status.text() == f"Showing 200 of {N_CALLS} calls"
    page.activate()
    assert page.model.generation == 1


def test_page_filter_is_debounced(qtbot: Any, page: CallsPage) -> None:
    page.activate()
    page.filter_edit.setText("w")
    page.filter_edit.setText("welfare")
    assert page.model.query.text == ""
    qtbot.waitUntil(lambda: page.model.query.text == "welfare", timeout=FILTER_DELAY_MS * 8)
    assert page.model.generation == 2
    assert page.status.text().endswith("calls matching “welfare”")
    page.filter_edit.setText("zzqx-nothing")
    page.filter_edit.returnPressed.emit()
    assert page.status.text() == "No calls matching “zzqx-nothing”"


def test_page_header_sorts_through_the_model(page: CallsPage) -> None:
    page.activate()
    header = page.table.horizontalHeader()
    assert header.sortIndicatorSection() == COL_RECEIVED
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    page.table.sortByColumn(COL_DISPOSITION, Qt.SortOrder.AscendingOrder)
    assert page.model.query.sort == "disposition" and not page.model.query.descending
    page.table.sortByColumn(COL_RESPONDERS, Qt.SortOrder.AscendingOrder)
    assert page.model.query.sort == "disposition"
    assert header.sortIndicatorSection() == COL_DISPOSITION
    assert page.model.generation == 2


def test_page_on_an_empty_database(qtbot: Any, db: Database, access: Access,
                                   sync_tasks: TaskRunner) -> None:
    page = CallsPage(context_for(db, access), sync_tasks)
    qtbot.addWidget(page)
    page.activate()
    assert page.status.text() == "No calls yet: they arrive with CAD import"
