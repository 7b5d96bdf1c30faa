"""Cells to typed values: text as printed, numbers, flags, and datetimes in many formats."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from console.data.importers.fields import DateOrder
from console.data.importers.values import (
    AMBIGUOUS_ORDER,
    DateTimeParser,
    as_date,
    as_flag,
    as_int,
    as_text,
    date_order_evidence,
    infer_date_order,
)

NOV_4 = datetime(2023, 11, 4, 18, 8, 26)


@pytest.mark.parametrize(("cell", "expected"), [
    (None, None),
    ("", None),
    ("   ", None),
    ("  EAST ", "EAST"),
    (2023000319821.0, "2023000319821"),
    ("2023000319821.0", "2023000319821"),
    (2023000319821, "2023000319821"),
    (1.5, "1.5"),
    ("1.50", "1.50"),
    (True, "TRUE"),
    (NOV_4, "2023-11-04 18:08:26"),
    (date(2023, 11, 4), "2023-11-04"),
    (time(6, 8), "06:08:00"),
])
def test_as_text_keeps_what_the_cad_printed(cell: object, expected: str | None) -> None:
    assert as_text(cell) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(("cell", "expected"), [
    (None, None), ("", None), (3, 3), (3.0, 3), (" 7 ", 7), ("4.0", 4), ("-2", -2),
])
def test_as_int(cell: object, expected: int | None) -> None:
    assert as_int(cell) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("cell", [2.5, "P1", "2.5", True, date(2023, 1, 1)])
def test_as_int_refuses_what_is_not_whole(cell: object) -> None:
    with pytest.raises(ValueError, match="not a whole number"):
        as_int(cell)  # type: ignore[arg-type]


@pytest.mark.parametrize(("cell", "expected"), [
    ("Y", True), ("n", False), ("YES", True), ("No", False), ("true", True),
    ("FALSE", False), ("T", True), ("f", False), ("1", True), ("0", False), ("x", True),
    (1.0, True), (0, False), (True, True), ("", None), (None, None),
])
def test_as_flag(cell: object, expected: bool | None) -> None:
    assert as_flag(cell) is expected  # type: ignore[arg-type]


@pytest.mark.parametrize("cell", ["maybe", 2, "YN"])
def test_as_flag_refuses_unknown_words(cell: object) -> None:
    with pytest.raises(ValueError, match="not yes or no"):
        as_flag(cell)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "expected"), [
    ("11/04/2023 6:08:26 PM", NOV_4),
    ("11/04/2023 6:08:26 AM", datetime(2023, 11, 4, 6, 8, 26)),
    ("11/04/2023 12:08:26 AM", datetime(2023, 11, 4, 0, 8, 26)),
    ("11/04/2023 12:08:26 PM", datetime(2023, 11, 4, 12, 8, 26)),
    ("11/04/2023 6:08:26 p.m.", NOV_4),
    ("2023-11-04 18:08:26", NOV_4),
    ("2023-11-04T18:08:26", NOV_4),
    ("2023-11-04T18:08:26.987", NOV_4),
    ("2023-11-04 18:08:26.987654", NOV_4),
    ("11/04/2023 18:08", NOV_4.replace(second=0)),
    ("2023/11/04 18:08:26", NOV_4),
    ("04-Nov-2023 18:08", NOV_4.replace(second=0)),
    ("Nov 4, 2023 6:08 PM", NOV_4.replace(second=0)),
    ("November 4, 2023 6:08:26 PM", NOV_4),
    ("11/04/2023", datetime(2023, 11, 4)),
    ("11/04/23 18:08:26", NOV_4),
    ("2023-11-04", datetime(2023, 11, 4)),
    ("20231104", datetime(2023, 11, 4)),
    ("20231104180826", NOV_4),
    ("20231104180826ES", NOV_4),
    ("  11/04/2023  6:08:26 PM ", NOV_4),
])
def test_text_datetimes_month_first(text: str, expected: datetime) -> None:
    parse = DateTimeParser(DateOrder.MONTH_FIRST)
    assert parse(text) == expected
    assert parse(text) == expected, "the cached second reading differs"


def test_day_first_reads_european_dates() -> None:
    parse = DateTimeParser(DateOrder.DAY_FIRST)
    assert parse("04.11.2023 18:08:26") == NOV_4
    assert parse("04/11/2023 6:08:26 PM") == NOV_4
    assert parse("2023-11-04 18:08:26") == NOV_4, "ISO needs no order"


def test_undecided_order_reads_only_dates_that_decide_themselves() -> None:
    parse = DateTimeParser(None)
    assert parse("13/04/2023 10:00") == datetime(2023, 4, 13, 10)
    assert parse("04/13/2023") == datetime(2023, 4, 13)
    assert parse("04/04/2023") == datetime(2023, 4, 4)
    with pytest.raises(ValueError, match=AMBIGUOUS_ORDER):
        parse("04/05/2023 10:00")


def test_spreadsheet_cells() -> None:
    parse = DateTimeParser(DateOrder.MONTH_FIRST)
    assert parse(NOV_4.replace(microsecond=500_000)) == NOV_4
    assert parse(date(2023, 11, 4)) == datetime(2023, 11, 4)
    assert parse(None) is None
    assert parse("") is None


@pytest.mark.parametrize(("serial", "expected"), [
    (45234, datetime(2023, 11, 4)),
    (45234.755856481, NOV_4),
    ("45234.755856481", NOV_4),
    (1, datetime(1900, 1, 1)),
    (59, datetime(1900, 2, 28)),
    (61, datetime(1900, 3, 1)),
    (0.99999999 + 45233, datetime(2023, 11, 4)),
])
def test_excel_serials_follow_the_1900_system(serial: float, expected: datetime) -> None:
    assert DateTimeParser(None)(serial) == expected


@pytest.mark.parametrize(("cell", "reason"), [
    ("31/31/2023", "not a date: '31/31/2023'"),
    ("hello", "not a date: 'hello'"),
    ("02/30/2023", "not a date"),
    ("11/04/2023 25:10", "not a time of day"),
    ("11/04/2023 13:10 PM", "not a time of day"),
    ("2023-11-04T18:08:26Z", "time-zone offset"),
    ("2023-11-04 18:08:26+01:00", "time-zone offset"),
    (60, "29 February 1900"),
    (0, "not a date"),
    (-5.0, "not a date"),
    (True, "not a date"),
    (time(6, 8), "a time without a date"),
    (timedelta(hours=3), "not a date"),
    ("x" * 200, "..."),
])
def test_bad_datetimes_say_why(cell: object, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        DateTimeParser(DateOrder.MONTH_FIRST)(cell)  # type: ignore[arg-type]
    assert reason in str(caught.value)
    assert len(str(caught.value)) < 120 and "\n" not in str(caught.value)


def test_as_date_keeps_the_date() -> None:
    assert as_date("03/02/1985", DateOrder.DAY_FIRST) == date(1985, 2, 3)
    assert as_date(datetime(1985, 2, 3, 0, 0)) == date(1985, 2, 3)
    assert as_date(31081.0) == date(1985, 2, 3)
    assert as_date("  ") is None
    with pytest.raises(ValueError, match="not a date"):
        as_date("soon")


def test_infer_date_order() -> None:
    assert infer_date_order(["11/04/2023 6:08 PM", "13/04/2023 1:00"]) is DateOrder.DAY_FIRST
    assert infer_date_order(["11/04/2023", "04/13/2023 6:08:26 PM"]) is DateOrder.MONTH_FIRST
    assert infer_date_order(["11/04/2023", "01/02/2023", None, 5.0]) is None
    assert infer_date_order(["2023-11-24 10:00"]) is None, "ISO says nothing of the order"
    conflict = ["13/04/2023", "04/13/2023"]
    assert infer_date_order(conflict) is None
    assert date_order_evidence(conflict) == (1, 1)


def test_the_parser_is_fast_on_a_repeated_format() -> None:
    """A loose guard (a shared machine): the cached path stays far below strptime's ~15 us."""
    import time as clock
    base = datetime(2023, 1, 1)
    texts = [(base + timedelta(minutes=7 * i)).strftime("%m/%d/%Y %I:%M:%S %p")
             for i in range(20_000)]
    parse = DateTimeParser(DateOrder.MONTH_FIRST)
    for text in texts:
        parse(text)
    start = clock.perf_counter()
    for text in texts:
        parse(text)
    per_value = (clock.perf_counter() - start) / len(texts)
    assert per_value < 10e-6


def test_dates_with_spaces_are_cached_apart_from_their_times() -> None:
    parse = DateTimeParser(None)
    assert parse("Nov 4, 2023 6:08 PM") == datetime(2023, 11, 4, 18, 8)
    assert parse("Nov 4, 2023 7:09:10 AM") == datetime(2023, 11, 4, 7, 9, 10)
    assert parse("Nov 4, 2023") == datetime(2023, 11, 4)
    assert parse("Nov 5, 2023 6:08 PM") == datetime(2023, 11, 5, 18, 8)
    assert parse("2023-11-06 06:08:00") == datetime(2023, 11, 6, 6, 8)
    with pytest.raises(ValueError, match="not a time of day"):
        parse("Nov 4, 2023 25:08")
