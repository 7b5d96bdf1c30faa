"""The Repeat calls tab of Calls & outcomes: whether crises stop cycling back, and the
people and addresses they cycle back from, with a drill-down to each one's calls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from console.services.access import Action
from console.services.repeat_calls_service import (
    BeforeAfter,
    CallHistory,
    RepeatPerson,
    RepeatPlace,
    RepeatRates,
    before_after,
    person_history,
    place_history,
    repeat_people,
    repeat_places,
    repeat_rates,
)
from console.views.latest import LatestOnly, Loader
from console.views.measure_tile import BEFORE_AFTER_LABEL, MeasureTile, show_before_after
from console.views.record_table import RecordTable
from console.views.record_table_model import Column
from console.views.tile_grid import TileGrid
from console.views.widgets import scroll_area

if TYPE_CHECKING:
    from console.services.access import Access
    from console.services.populations import Period

TOP = 50
TABLE_MIN_ROWS = 8  # the tables keep this many rows in view; the tab scrolls instead
PSEUDONYM_NOTE = (
    "Names show only to roles allowed to see identities; others see the first characters "
    "of the person's keyed pseudonym, the same code on every call."
)
ADDRESS_NOTE = "Addresses are kept only as a keyed code of the block, never in clear."

PEOPLE_COLUMNS: list[Column[RepeatPerson]] = [
    Column("Person", lambda p: p.name or f"Person {p.key_prefix}", PSEUDONYM_NOTE),
    Column("Calls", lambda p: p.calls, "Crisis calls in the period (planned visits left out)"),
    Column("With unit", lambda p: p.co_responses, "Of those, co-responses"),
    Column("First call", lambda p: p.first_call.date()),
    Column("Last call", lambda p: p.last_call.date()),
]
PLACE_COLUMNS: list[Column[RepeatPlace]] = [
    Column("Address", lambda p: f"Block {p.key_prefix}", ADDRESS_NOTE),
    Column("Beat", lambda p: p.area, "The beat recorded on the newest call there"),
    Column("Calls", lambda p: p.calls, "Crisis calls in the period (planned visits left out)"),
    Column("With unit", lambda p: p.co_responses, "Of those, co-responses"),
    Column("People", lambda p: p.people, "Different people known on those calls"),
    Column("Last call", lambda p: p.last_call.date()),
]


class RepeatCallsView(QWidget):
    def __init__(self, load: Loader, access: Access, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("repeatCallsView")
        self._load = load
        self._names = access.allows(Action.VIEW_IDENTITIES)
        self._latest = LatestOnly(load)
        self.period: Period | None = None
        self.history_dialog: QWidget | None = None

        body = QWidget()
        body.setObjectName("repeatCallsBody")
        outer = QVBoxLayout(body)
        outer.setContentsMargins(0, 8, 0, 0)
        outer.setSpacing(8)
        self.tile_grid = TileGrid(max_columns=3)
        self.tile_30 = MeasureTile("Repeat within 30 days")
        self.tile_90 = MeasureTile("Repeat within 90 days")
        self.tile_before_after = MeasureTile(BEFORE_AFTER_LABEL)
        for tile in (self.tile_30, self.tile_90, self.tile_before_after):
            self.tile_grid.add(tile)
        outer.addWidget(self.tile_grid)

        # The last column stretches; the others are sized to their contents on each load.
        self.people = RecordTable(PEOPLE_COLUMNS)
        self.people.setObjectName("repeatPeople")
        self.places = RecordTable(PLACE_COLUMNS)
        self.places.setObjectName("repeatPlaces")
        for table in (self.people, self.places):
            table.keep_rows(TABLE_MIN_ROWS)
        self.people_title = QLabel(f"People with the most calls (top {TOP})")
        self.places_title = QLabel(f"Addresses with the most calls (top {TOP})")
        split = QSplitter(Qt.Orientation.Horizontal)
        for title, table in ((self.people_title, self.people),
                             (self.places_title, self.places)):
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            title.setObjectName("sectionTitle")
            box.addWidget(title)
            box.addWidget(table, 1)
            table.setToolTip("Double-click for the calls")
            split.addWidget(holder)
        outer.addWidget(split, 1)
        hint = QLabel("Double-click a person or an address to list their calls. "
                      + (PSEUDONYM_NOTE if not self._names else ""))
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        outer.addWidget(hint)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(scroll_area(body, "repeatCallsScroll"))
        self.people.doubleClicked.connect(self._open_person)
        self.places.doubleClicked.connect(self._open_place)

    def show_period(self, period: Period) -> None:
        self.period = period
        self._latest.restart()
        for tile in (self.tile_30, self.tile_90, self.tile_before_after):
            tile.value.setText("…")

        self._latest.load(lambda a: repeat_rates(a, period), self._show_rates)
        self._latest.load(lambda a: (repeat_people(a, period, TOP), repeat_places(a, period, TOP)),
                          lambda r: self._show_tables(*r))
        self._latest.load(lambda a: before_after(a, period), self._show_before_after)


    def _show_rates(self, rates: RepeatRates) -> None:
        self.tile_30.set_measure(rates.measure(30))
        self.tile_90.set_measure(rates.measure(90))

    def _show_tables(self, people: list[RepeatPerson], places: list[RepeatPlace]) -> None:
        self.people.set_rows(people)
        self.places.set_rows(places)

    def _show_before_after(self, result: BeforeAfter) -> None:
        show_before_after(self.tile_before_after, result)

    def _open_person(self, index: QModelIndex) -> None:
        row = self.people.source.rows[self.people.proxy.mapToSource(index).row()]
        note = "No name is recorded for this person." if self._names else PSEUDONYM_NOTE
        self._load(lambda a: person_history(a, row.person_id),
                   lambda h: self._open_history(h, note))

    def _open_place(self, index: QModelIndex) -> None:
        row = self.places.source.rows[self.places.proxy.mapToSource(index).row()]
        self._load(lambda a: place_history(a, row.location_key),
                   lambda h: self._open_history(h, ADDRESS_NOTE))

    def _open_history(self, history: CallHistory, note: str) -> None:
        from console.views.dialogs.call_history import CallHistoryDialog

        dialog = CallHistoryDialog(history, note, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.history_dialog = dialog
        dialog.show()
