"""The Calls table's queries on SQLite and PostgreSQL: keyset pages, filter, count, cancel."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import BACKEND_IDS, BACKENDS, access_for, database_on
from sqlalchemy import insert, select

from console.data.engine import Database
from console.data.enums import Activation, AgencyKind, Disposition, StaffRole
from console.data.models import Agency, Call, Program, StaffMember, call_responder
from console.services import calls_service
from console.services.access import Access
from console.services.calls_service import (
    SORT_KEYS,
    CallQuery,
    CallRow,
    Cursor,
    QueryCancelled,
    count_calls,
    fetch_page,
    matching_dispositions,
)

N_CALLS = 300
CALL_TYPES = ["Welfare check", "Suicidal person", "Disturbance", "Mental health crisis",
              "Trespass", "Intoxicated person"]
BEATS = ["311", "312", "421", "422", "B7"]
START = dt.datetime(2024, 1, 1, 0, 0)


def _call_values(i: int, rng: random.Random) -> dict[str, Any]:
    """Call i: repeated values (ties), blanks in every nullable sort column."""

    def maybe(value: Any, blank_share: float = 0.15) -> Any:
        return None if rng.random() < blank_share else value

    final = maybe(rng.choice(CALL_TYPES), 0.2)
    return {
        "id": i + 1,
        "program_id": 1,
        "agency_id": 1,
        "incident_number": f"24-{rng.randrange(10**6):06d}-{i}",
        # Several calls share a timestamp, so ids must break ties.
        "received_at": START + dt.timedelta(minutes=17 * rng.randrange(N_CALLS // 3)),
        "initial_call_type": maybe(rng.choice(CALL_TYPES), 0.1),
        "final_call_type": final,
        "priority": maybe(rng.randint(1, 4)),
        "activation": maybe(rng.choice(list(Activation))),
        "disposition": maybe(rng.choice(list(Disposition))),
        "in_scope": maybe(rng.random() < 0.7),
        "precinct": maybe(f"P{rng.randint(1, 3)}", 0.3),
        "sector": maybe(rng.choice("ABC"), 0.3),
        "beat": maybe(rng.choice(BEATS)),
    }


@pytest.fixture(scope="module", params=BACKENDS, ids=BACKEND_IDS)
def calls_db(request: pytest.FixtureRequest,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """N_CALLS calls written once per backend (module scope: the tests only read them)."""
    with database_on(request.param, request, tmp_path_factory.mktemp("calls")) as database:
        _fill(database)
        yield database


def _fill(database: Database) -> None:
    rng = random.Random(20240601)
    with database.engine.begin() as conn:
        conn.execute(insert(Program), [{"id": 1, "name": "Metro co-response",
                                        "jurisdiction": "Metro", "started_on": dt.date(2022, 1, 1),
                                        "timezone": "America/Chicago", "description": ""}])
        conn.execute(insert(Agency), [{"id": 1, "program_id": 1, "name": "Metro PD",
                                       "kind": AgencyKind.POLICE, "is_lead": True}])
        conn.execute(insert(StaffMember), [
            {"id": sid, "program_id": 1, "staff_key": f"E{sid}", "display_name": name,
             "role": StaffRole.MH_RESPONDER, "hired_on": dt.date(2022, 1, 1)}
            for sid, name in ((1, "Rivera, Ana"), (2, "Chen, Li"), (3, "Okafor, Ben"))
        ])
        conn.execute(insert(Call), [_call_values(i, rng) for i in range(N_CALLS)])
        conn.execute(insert(call_responder), [
            {"call_id": 1, "staff_id": 1}, {"call_id": 1, "staff_id": 2},
            {"call_id": 2, "staff_id": 3},
        ])


@pytest.fixture(scope="module")
def calls_access(calls_db: Database, tmp_path_factory: pytest.TempPathFactory) -> Access:
    """A supervisor reading calls_db."""
    return access_for(calls_db, tmp_path_factory.mktemp("calls-key"))


def _all_calls(db: Database) -> list[dict[str, Any]]:
    with db.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(Call.__table__))]


def _expected_ids(calls: list[dict[str, Any]], key: str, descending: bool) -> list[int]:
    """The order the table promises: by value then id, blanks last in both directions."""
    valued = sorted(
        (c for c in calls if c[key] is not None),
        key=lambda c: (c[key], c["id"]),
        reverse=descending,
    )
    blank = sorted((c for c in calls if c[key] is None), key=lambda c: c["id"],
                   reverse=descending)
    return [c["id"] for c in valued + blank]


def _page_through(access: Access, query: CallQuery, limit: int) -> list[CallRow]:
    rows: list[CallRow] = []
    cursor: Cursor | None = None
    for _ in range(N_CALLS + 2):
        page, cursor = fetch_page(access, query, cursor, limit)
        assert len(page) <= limit
        rows += page
        if cursor is None:
            return rows
        assert len(page) == limit, "a page short of the limit must be the last"
    raise AssertionError("paging did not end")


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("key", SORT_KEYS)
def test_keyset_pages_return_every_call_once_in_order(
    calls_db: Database, calls_access: Access, key: str, descending: bool
) -> None:
    calls = _all_calls(calls_db)
    expected = _expected_ids(calls, key, descending)
    for limit in (7, 50, N_CALLS):
        rows = _page_through(calls_access, CallQuery(sort=key, descending=descending), limit)
        assert [r.id for r in rows] == expected, f"limit {limit}"


def test_every_nullable_sort_key_has_blanks_in_the_fixture(calls_db: Database) -> None:
    calls = _all_calls(calls_db)
    for key in ("final_call_type", "priority", "activation", "disposition", "in_scope", "beat"):
        assert any(c[key] is None for c in calls), key
        assert len({c[key] for c in calls if c[key] is not None}) > 1, key


def test_page_that_ends_exactly_at_the_last_call_has_no_cursor(calls_access: Access) -> None:
    page, cursor = fetch_page(calls_access, CallQuery(), None, N_CALLS)
    assert len(page) == N_CALLS and cursor is None
    page, cursor = fetch_page(calls_access, CallQuery(), None, N_CALLS - 1)
    assert len(page) == N_CALLS - 1 and cursor is not None
    page, cursor = fetch_page(calls_access, CallQuery(), cursor, N_CALLS)
    assert len(page) == 1 and cursor is None


def test_page_boundary_inside_the_blanks(calls_db: Database, calls_access: Access) -> None:
    calls = _all_calls(calls_db)
    expected = _expected_ids(calls, "disposition", False)
    first_blank = sum(c["disposition"] is not None for c in calls)
    query = CallQuery(sort="disposition", descending=False)
    page, cursor = fetch_page(calls_access, query, None, first_blank + 2)
    assert cursor is not None and cursor.value is None
    rest, end = fetch_page(calls_access, query, cursor, N_CALLS)
    assert end is None
    assert [r.id for r in page + rest] == expected


def test_rows_carry_display_values(calls_db: Database, calls_access: Access) -> None:
    calls = {c["id"]: c for c in _all_calls(calls_db)}
    rows = _page_through(calls_access, CallQuery(sort="received_at", descending=False), 100)
    by_id = {r.id: r for r in rows}
    assert by_id[1].responders == "Chen, Li, Rivera, Ana"
    assert by_id[2].responders == "Okafor, Ben"
    assert by_id[3].responders == ""
    for row in rows:
        call = calls[row.id]
        assert row.final_call_type == (call["final_call_type"] or call["initial_call_type"])
        assert row.call_type_is_initial == (
            call["final_call_type"] is None and call["initial_call_type"] is not None
        )
        assert row.beat == (call["beat"] or call["sector"] or call["precinct"])
        assert row.disposition is None or isinstance(row.disposition, Disposition)
        assert row.activation is None or isinstance(row.activation, Activation)
        if call["beat"]:
            assert row.area.endswith(f"Beat {call['beat']}")


def _ids_matching(calls: list[dict[str, Any]], text: str) -> set[int]:
    """Calls where every word of text is in a text column or a disposition/activation label."""
    fields = ("incident_number", "final_call_type", "initial_call_type", "beat", "sector",
              "precinct")

    def matches(c: dict[str, Any], word: str) -> bool:
        return (
            any(c[f] and word in c[f].lower() for f in fields)
            or (c["disposition"] is not None and word in c["disposition"].label.lower())
            or (c["activation"] is not None and word in c["activation"].label.lower())
        )

    words = text.lower().split()
    return {c["id"] for c in calls if all(matches(c, w) for w in words)}


@pytest.mark.parametrize("text", ["welfare", "WELFARE", "312", "b7", "crisis", "24-0"])
def test_filter_matches_text_columns_case_insensitively(
    calls_db: Database, calls_access: Access, text: str
) -> None:
    calls = _all_calls(calls_db)
    expected = _ids_matching(calls, text)
    assert expected, "the fixture should hold matches"
    query = CallQuery(text=text)
    rows = _page_through(calls_access, query, 40)
    assert {r.id for r in rows} == expected
    assert count_calls(calls_access, query) == len(expected)


def test_filter_finds_dispositions_and_activations_by_label(
    calls_db: Database, calls_access: Access
) -> None:
    calls = _all_calls(calls_db)
    arrests = {c["id"] for c in calls if c["disposition"] is Disposition.ARREST}
    rows = _page_through(calls_access, CallQuery(text="arrest"), 50)
    assert {r.id for r in rows} == arrests
    patrol = {c["id"] for c in calls if c["activation"] is Activation.PATROL_REQUEST}
    rows = _page_through(calls_access, CallQuery(text="patrol request", sort="activation"), 50)
    assert {r.id for r in rows} == patrol
    # Each word may match elsewhere ("ed" is in "Intoxicated person"), so the result holds
    # every ED transport and only calls where both words match something.
    ed = {r.id for r in _page_through(calls_access, CallQuery(text="ED transport"), 50)}
    assert ed == _ids_matching(calls, "ED transport")
    assert ed >= {c["id"] for c in calls if c["disposition"] is Disposition.ED_TRANSPORT}


def test_every_word_must_match(calls_db: Database, calls_access: Access) -> None:
    calls = _all_calls(calls_db)
    expected = _ids_matching(calls, "welfare") & _ids_matching(calls, "312")
    assert expected
    rows = _page_through(calls_access, CallQuery(text="  welfare   312 "), 20)
    assert {r.id for r in rows} == expected


def test_filter_with_sort_keeps_keyset_order(calls_db: Database, calls_access: Access) -> None:
    calls = _all_calls(calls_db)
    matching = _ids_matching(calls, "welfare")
    expected = [i for i in _expected_ids(calls, "beat", True) if i in matching]
    rows = _page_through(calls_access, CallQuery(text="welfare", sort="beat", descending=True), 9)
    assert [r.id for r in rows] == expected


@pytest.mark.parametrize("text", ["zzqx-nothing", "%", "_", "\\", "'; drop table call"])
def test_filter_without_matches_and_like_wildcards(calls_access: Access, text: str) -> None:
    query = CallQuery(text=text)
    page, cursor = fetch_page(calls_access, query, None)
    assert page == [] and cursor is None
    assert count_calls(calls_access, query) == 0


def test_count_without_filter(calls_access: Access) -> None:
    assert count_calls(calls_access, CallQuery()) == N_CALLS
    by_beat = CallQuery(sort="beat", descending=False)
    assert count_calls(calls_access, by_beat) == N_CALLS


def test_disposition_labels_map_to_values() -> None:
    assert matching_dispositions("arrest") == [Disposition.ARREST]
    assert matching_dispositions("ed_transport") == [Disposition.ED_TRANSPORT]
    assert set(matching_dispositions("transport")) == {
        Disposition.ED_TRANSPORT, Disposition.VOLUNTARY_TRANSPORT
    }
    assert matching_dispositions("welfare") == []


def test_unknown_sort_key_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot sort calls by"):
        CallQuery(sort="narrative")


def test_empty_database(any_db: Database, tmp_path: Path) -> None:
    access = access_for(any_db, tmp_path)
    assert fetch_page(access, CallQuery(), None) == ([], None)
    assert count_calls(access, CallQuery(text="x")) == 0


class _CancelOnPoll:
    """A cancelled() that turns true at its n-th poll and counts its polls."""

    def __init__(self, n: int) -> None:
        self.n, self.polls = n, 0

    def __call__(self) -> bool:
        self.polls += 1
        return self.polls >= self.n


def test_cancelled_query_stops_and_leaves_the_connection_usable(
    calls_db: Database, calls_access: Access, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(calls_service, "_PROGRESS_STEPS", 1)  # SQLite: poll at once
    query = CallQuery(text="welfare")
    with pytest.raises(QueryCancelled):  # cancelled before it starts
        count_calls(calls_access, query, cancelled=lambda: True)
    # Poll 1 is before the statement; poll 2 comes from inside the running statement on
    # SQLite (interrupted, then poll 3 says why), after it elsewhere.
    on_sqlite = calls_db.sqlite_path is not None
    cancel = _CancelOnPoll(2)
    with pytest.raises(QueryCancelled):
        count_calls(calls_access, query, cancelled=cancel)
    assert cancel.polls == (3 if on_sqlite else 2)
    # fetch_page polls once more, before its first statement.
    cancel = _CancelOnPoll(3)
    with pytest.raises(QueryCancelled):
        fetch_page(calls_access, query, None, cancelled=cancel)
    assert cancel.polls == (4 if on_sqlite else 3)
    expected = len(_ids_matching(_all_calls(calls_db), "welfare"))
    assert count_calls(calls_access, query) == expected
    assert count_calls(calls_access, query, cancelled=lambda: False) == expected
    page, _ = fetch_page(calls_access, query, None, 10, cancelled=lambda: False)
    assert len(page) == 10


def test_sort_keys_have_keyset_indexes() -> None:
    """Without a (column, id) index a page deep in a million calls costs seconds."""
    from console.data.models import Call
    from console.services.calls_service import SORT_KEYS, UNINDEXED_SORT_KEYS

    indexes = {tuple(c.name for c in index.columns) for index in Call.__table__.indexes}
    unindexed = {key for key in SORT_KEYS if (key, "id") not in indexes}
    assert unindexed == UNINDEXED_SORT_KEYS
