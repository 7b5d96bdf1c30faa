"""Suggested mappings: column names of several CAD systems, values as tie-breakers, codes."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest
from conftest import NO_SEATTLE_SAMPLE, SEATTLE_SAMPLE

from console.data.enums import Activation, CallSource, Disposition
from console.data.importers.fields import FIELD_BY_NAME, DateOrder, FieldKind, Mapping, code_key
from console.data.importers.readers import open_table
from console.data.importers.suggest import (
    activation_of,
    complete_codes,
    disposition_of,
    in_scope,
    normalise,
    source_of,
    suggest_columns,
    suggest_mapping,
)
from console.data.importers.values import Cell, DateTimeParser, as_int, as_text

SEATTLE = SEATTLE_SAMPLE


def assert_one_field_per_column(columns: dict[str, str]) -> None:
    assert all(count == 1 for count in Counter(columns.values()).values()), columns


@pytest.mark.parametrize(("name", "expected"), [
    ("EVENT_DATE", "event date"),
    ("TimeCreate", "time create"),
    ("CADEventNumber", "cad event number"),
    ("NOPD_Item", "nopd item"),
    ("Incident #", "incident number"),
    ("Incident No.", "incident number"),
    ("Call-Received.DT", "call received date"),
    ("  Original  Time Queued ", "original time queued"),
])
def test_normalise(name: str, expected: str) -> None:
    assert normalise(name) == expected


@pytest.mark.skipif(SEATTLE is None, reason=NO_SEATTLE_SAMPLE)
def test_the_seattle_sample_gets_a_complete_mapping_with_every_row_valid() -> None:
    assert SEATTLE is not None
    with open_table(SEATTLE) as table:
        header = table.header
        rows = [list(cells) for _, cells in table.rows()]
    assert len(rows) == 222
    distinct = {name: {as_text(row[i]) or "" for row in rows} - {""}
                for i, name in enumerate(header)}
    mapping = suggest_mapping(header, rows[:50], distinct)
    assert mapping.columns == {
        "incident_number": "CAD Event Number",
        "received_at": "Original Time Queued",
        "arrived_at": "Arrived Time",
        "initial_call_type": "Initial Call Type",
        "final_call_type": "Final Call Type",
        "priority": "Priority",
        "source": "Call Type",
        "disposition": "Event Clearance Description",
        "precinct": "Precinct",
        "sector": "Sector",
        "beat": "Beat",
    }
    assert mapping.date_order is DateOrder.MONTH_FIRST
    assert mapping.missing_required() == []
    assert mapping.sources == {"911": CallSource.E911, "ONVIEW": CallSource.ON_VIEW,
                               "TELEPHONE OTHER, NOT 911": CallSource.NON_EMERGENCY,
                               "ALARM CALL (NOT POLICE ALARM)": CallSource.OTHER}
    assert mapping.dispositions["PHYSICAL ARREST MADE"] is Disposition.ARREST
    assert mapping.dispositions["REPORT WRITTEN (NO ARREST)"] is None
    # No keyword places it: no suggestion, the wizard asks (the command line rejects it).
    assert "PRIORITY CALL HANDLING" not in mapping.dispositions
    assert mapping.dispositions["UNABLE TO LOCATE INCIDENT OR COMPLAINANT"] is \
        Disposition.UNABLE_TO_LOCATE
    assert mapping.scope["--CRISIS COMPLAINT - GENERAL"] is True
    assert mapping.scope["SERVICE - WELFARE CHECK"] is True
    assert mapping.scope["--THEFT - CAR PROWL"] is False

    position = {name: i for i, name in enumerate(header)}
    parse = {name: DateTimeParser(mapping.date_order) for name in mapping.columns}
    codes = {"source": mapping.sources, "disposition": mapping.dispositions,
             "initial_call_type": mapping.scope, "final_call_type": mapping.scope}
    keys = {field: {code_key(k) for k in decided} for field, decided in codes.items()}
    for cells in rows:
        for field, column in mapping.columns.items():
            cell = cells[position[column]]
            kind = FIELD_BY_NAME[field].kind
            if kind is FieldKind.DATETIME:
                stamp = parse[field](cell)
                assert stamp is not None or not FIELD_BY_NAME[field].required
                assert stamp is None or datetime(2018, 1, 1) <= stamp < datetime(2024, 1, 1)
            elif kind is FieldKind.INTEGER:
                assert as_int(cell) is not None
            elif field in codes:
                assert code_key(as_text(cell) or "") in keys[field] or not as_text(cell) \
                    or as_text(cell) == "PRIORITY CALL HANDLING"
            else:
                assert as_text(cell) or not FIELD_BY_NAME[field].required


NEW_ORLEANS = ["NOPD_Item", "Type_", "TypeText", "Priority", "InitialType", "InitialTypeText",
               "InitialPriority", "MapX", "MapY", "TimeCreate", "TimeDispatch", "TimeArrive",
               "TimeClosed", "Disposition", "DispositionText", "SelfInitiated", "Beat",
               "BLOCK_ADDRESS", "Zip", "PoliceDistrict", "Location"]


def new_orleans_rows(priority: str) -> list[list[Cell]]:
    return [[f"A{i:04}023", "103M", "MENTALLY ILL PERSON", priority, "21", "COMPLAINT OTHER",
             priority, "3680000", "530000", f"01/{10 + i}/2023 10:0{i}:00 AM",
             f"01/{10 + i}/2023 10:1{i}:00 AM", "", f"01/{10 + i}/2023 11:00:00 AM",
             "RTF", "REPORT TO FOLLOW", "N", "7L04", "001XX Canal St", "70112", "7",
             "(29.95, -90.07)"] for i in range(5)]


def test_a_new_orleans_like_export() -> None:
    columns = suggest_columns(NEW_ORLEANS, new_orleans_rows("2"))
    assert columns == {
        "incident_number": "NOPD_Item", "received_at": "TimeCreate",
        "dispatched_at": "TimeDispatch", "arrived_at": "TimeArrive",
        "cleared_at": "TimeClosed", "initial_call_type": "InitialTypeText",
        "final_call_type": "TypeText", "priority": "Priority",
        "disposition": "DispositionText", "address": "BLOCK_ADDRESS",
        "precinct": "PoliceDistrict", "beat": "Beat",
    }


def test_a_priority_that_is_not_a_number_is_not_suggested() -> None:
    columns = suggest_columns(NEW_ORLEANS, new_orleans_rows("2A"))
    assert "priority" not in columns
    assert columns["received_at"] == "TimeCreate"


HEXAGON = ["EVENT_ID", "INCIDENT_NUM", "EVENT_DATE", "CALL_RECEIVED", "DISPATCHED",
           "ON_SCENE_DT", "CLOSED_DT", "EVENT_TYPE", "PRIORITY", "CALL_SOURCE", "DIVISION",
           "SECTOR", "ZONE", "DISPO", "APPREHENSION_MADE", "UOF_YN", "EVENT_REMARKS"]


def test_a_hexagon_like_export() -> None:
    rows: list[list[Cell]] = [
        [f"E23{i:06}", f"23-{i:05}", datetime(2023, 3, 2 + i), datetime(2023, 3, 2 + i, 9, i),
         datetime(2023, 3, 2 + i, 9, 5), datetime(2023, 3, 2 + i, 9, 20),
         datetime(2023, 3, 2 + i, 10, 0), "PERSON IN CRISIS", 2.0,
         ["E911", "PHONE", "OFFICER INITIATED"][i % 3], "NORTH", "N2", "N21",
         ["GOA", "TRANSPORTED TO HOSPITAL", "ECO ISSUED"][i % 3], "N", "N", "calm"]
        for i in range(6)]
    mapping = suggest_mapping(HEXAGON, rows)
    assert mapping.columns == {
        "incident_number": "EVENT_ID", "received_at": "CALL_RECEIVED",
        "dispatched_at": "DISPATCHED", "arrived_at": "ON_SCENE_DT", "cleared_at": "CLOSED_DT",
        "final_call_type": "EVENT_TYPE", "priority": "PRIORITY", "source": "CALL_SOURCE",
        "disposition": "DISPO", "arrest_made": "APPREHENSION_MADE",
        "use_of_force": "UOF_YN", "precinct": "DIVISION", "sector": "SECTOR",
        "beat": "ZONE", "narrative": "EVENT_REMARKS",
    }
    assert mapping.date_order is None, "datetime cells say nothing of an order"
    assert mapping.sources == {"E911": CallSource.E911, "PHONE": CallSource.NON_EMERGENCY,
                               "OFFICER INITIATED": CallSource.ON_VIEW}
    assert mapping.dispositions == {"GOA": Disposition.UNABLE_TO_LOCATE,
                                    "TRANSPORTED TO HOSPITAL": Disposition.ED_TRANSPORT,
                                    "ECO ISSUED": Disposition.INVOLUNTARY_HOLD}
    assert mapping.scope == {"PERSON IN CRISIS": True}


def test_names_alone_without_a_sample() -> None:
    columns = suggest_columns(["Incident Number", "Call Received Date/Time", "Nature",
                               "Disposition", "Address", "Zone"])
    assert columns == {"incident_number": "Incident Number",
                       "received_at": "Call Received Date/Time",
                       "final_call_type": "Nature", "disposition": "Disposition",
                       "address": "Address", "beat": "Zone"}


def test_values_find_required_columns_no_name_gives() -> None:
    header = ["Ref", "Stamp", "What", "Unit"]
    rows: list[list[Cell]] = [[f"X{i}-23", f"{i + 1}.03.2023 14:0{i}", "Check", "U1"]
                              for i in range(9)]
    columns = suggest_columns(header, rows)
    assert columns["incident_number"] == "Ref" and columns["received_at"] == "Stamp"
    assert suggest_mapping(header, rows).date_order is None, "03 as the month decides nothing"
    rows.append(["X99-23", "20.03.2023 10:00", "Check", "U1"])
    assert suggest_mapping(header, rows).date_order is DateOrder.DAY_FIRST


def test_a_header_with_nothing_recognisable() -> None:
    header = ["Alpha", "Beta", "Gamma"]
    mapping = suggest_mapping(header, [["red", "up", "x"], ["red", "down", "y"]])
    assert mapping.columns == {}
    assert mapping.missing_required() == ["incident_number", "received_at"]


def test_a_time_name_holding_no_times_is_not_suggested() -> None:
    columns = suggest_columns(["Event Number", "Received", "Received By"],
                              [["E1", "CALL TAKER 4", "x"], ["E2", "CALL TAKER 9", "y"]])
    assert "received_at" not in columns


def test_each_column_feeds_one_field() -> None:
    for header in (NEW_ORLEANS, HEXAGON, ["Type", "Call Type", "Event Type", "Nature"]):
        assert_one_field_per_column(suggest_columns(header))


def test_complete_codes_keeps_decisions_and_spellings() -> None:
    mapping = Mapping(columns={"final_call_type": "Type", "disposition": "Dispo",
                               "source": "Src", "activation": "How"},
                      scope={"THEFT": True},
                      dispositions={"Arrest": Disposition.REFERRED})
    done = complete_codes(mapping, {
        "Type": ["THEFT", "Suicidal person", " theft "],
        "Dispo": ["ARREST", "Booked into jail", "cleared"],
        "Src": ["911 line", "Walk-in"],
        "How": ["Patrol request", "Something else"],
        "Unmapped": ["x"],
    })
    assert done.scope == {"THEFT": True, "Suicidal person": True}
    assert done.dispositions == {"Arrest": Disposition.REFERRED,
                                 "Booked into jail": Disposition.ARREST}  # "cleared": no guess
    assert done.sources == {"911 line": CallSource.E911, "Walk-in": CallSource.OTHER}
    assert done.activations == {"Patrol request": Activation.PATROL_REQUEST}
    assert mapping.scope == {"THEFT": True}, "the given mapping is not changed"


@pytest.mark.parametrize(("code", "expected"), [
    ("PHYSICAL ARREST MADE", Disposition.ARREST),
    ("Arrested - booked", Disposition.ARREST),
    ("REPORT WRITTEN (NO ARREST)", None),
    ("NON-ARREST", None),
    ("UNABLE TO LOCATE INCIDENT OR COMPLAINANT", Disposition.UNABLE_TO_LOCATE),
    ("GOA", Disposition.UNABLE_TO_LOCATE),
    ("Gone on arrival", Disposition.UNABLE_TO_LOCATE),
    ("UTL", Disposition.UNABLE_TO_LOCATE),
    ("Transported to hospital", Disposition.ED_TRANSPORT),
    ("ED TRANSPORT", Disposition.ED_TRANSPORT),
    ("Voluntary transport to crisis center", Disposition.VOLUNTARY_TRANSPORT),
    ("5150", Disposition.INVOLUNTARY_HOLD),
    ("Emergency detention", Disposition.INVOLUNTARY_HOLD),
    ("TDO", Disposition.INVOLUNTARY_HOLD),
    ("1013 issued", Disposition.INVOLUNTARY_HOLD),
    ("Refused services", Disposition.REFUSED_SERVICES),
    ("Referred to mobile crisis", Disposition.REFERRED),
    ("ASSISTANCE RENDERED", Disposition.RESOLVED_ON_SCENE),
    ("Advised", Disposition.RESOLVED_ON_SCENE),
    ("No further action", Disposition.RESOLVED_ON_SCENE),
    ("RESPONDING UNIT(S) CANCELLED BY RADIO", None),
    ("ORAL WARNING GIVEN", None),
])
def test_disposition_keywords(code: str, expected: Disposition | None) -> None:
    assert disposition_of(code) is expected


@pytest.mark.parametrize(("code", "expected"), [
    ("911", CallSource.E911), ("E911", CallSource.E911),
    ("ONVIEW", CallSource.ON_VIEW), ("On View", CallSource.ON_VIEW),
    ("Officer initiated", CallSource.ON_VIEW), ("SELF", CallSource.ON_VIEW),
    ("TELEPHONE OTHER, NOT 911", CallSource.NON_EMERGENCY),
    ("Non-Emergency", CallSource.NON_EMERGENCY), ("PHONE", CallSource.NON_EMERGENCY),
    ("ALARM CALL (NOT POLICE ALARM)", CallSource.OTHER), ("Walk-in", CallSource.OTHER),
])
def test_source_keywords(code: str, expected: CallSource) -> None:
    assert source_of(code) is expected


@pytest.mark.parametrize(("call_type", "expected"), [
    ("--CRISIS COMPLAINT - GENERAL", True), ("SUICIDE - CRITICAL", True),
    ("Suicidal person", True), ("SERVICE - WELFARE CHECK", True), ("EDP", True),
    ("Mental health", True), ("Person in crisis", True), ("BEHAVIORAL HEALTH", True),
    ("OVERDOSE", False), ("--THEFT - CAR PROWL", False), ("CREDIT CARD FRAUD", False),
])
def test_scope_keywords(call_type: str, expected: bool) -> None:
    assert in_scope(call_type) is expected


def test_activation_keywords() -> None:
    assert activation_of("Follow-up visit") is Activation.FOLLOW_UP
    assert activation_of("Self-initiated") is Activation.SELF_INITIATED
    assert activation_of("Patrol request") is Activation.PATROL_REQUEST
    assert activation_of("Dispatched on criteria") is Activation.DISPATCH
    assert activation_of("unknown") is None
