"""The day/month order of text dates, without any shared sample file.

The day-12 boundary on generated CSV files (every day 12 or less decides nothing; one
day of 13 decides), the survey naming a row of each order when columns disagree, and
hypothesis properties of the order inference and of date parsing.
"""

from __future__ import annotations

import csv
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.data.importers.fields import DateOrder
from console.data.importers.values import (
    AMBIGUOUS_ORDER,
    DateTimeParser,
    as_date,
    date_order_evidence,
    infer_date_order,
)
from console.services.importing.survey import survey_file

HEADER = ["Incident", "Received", "Type"]


def export(folder: Path, received: list[str], name: str = "calls.csv",
           cleared: list[str] | None = None) -> Path:
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER + (["Cleared"] if cleared is not None else []))
        for i, text in enumerate(received):
            row = [f"E{i}", text, "CRISIS"]
            if cleared is not None:
                row.append(cleared[i])
            writer.writerow(row)
    return path


def day_first(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def month_first(day: date) -> str:
    return f"{day.month:02d}/{day.day:02d}/{day.year}"


# --- the day-12 boundary, on generated files ------------------------------------------


def test_days_of_12_or_less_decide_nothing(tmp_path: Path) -> None:
    days = [date(2024, month, day) for month in range(1, 13) for day in range(1, 13)]
    survey = survey_file(export(tmp_path, [f"{day_first(d)} 10:00" for d in days]))
    assert survey.date_order is None and survey.date_order_needed
    assert survey.suggested.date_order is None
    assert survey.date_evidence == {"Received": (0, 0)}
    assert survey.date_conflict() is None


@pytest.mark.parametrize(("text", "order"), [
    ("13/01/2024 10:00", DateOrder.DAY_FIRST),
    ("01/13/2024 10:00", DateOrder.MONTH_FIRST),
    ("31/12/2024", DateOrder.DAY_FIRST),
    ("12/31/2024", DateOrder.MONTH_FIRST),
])
def test_one_day_past_12_decides_the_whole_file(tmp_path: Path, text: str,
                                                order: DateOrder) -> None:
    undecided = [f"{d:02d}/{d:02d}/2024 09:00" for d in range(1, 13)]
    undecided += ["05/06/2024 08:00"] * 300
    survey = survey_file(export(tmp_path, [*undecided, text]))  # decided past the sample
    assert survey.date_order is order and survey.suggested.date_order is order
    row = len(undecided) + 2
    assert survey.date_examples == {"Received": {order: (row, text.split(" ")[0])}}


def test_a_day_of_13_and_a_month_of_13_do_not_decide(tmp_path: Path) -> None:
    survey = survey_file(export(tmp_path, ["13/01/2024", "05/06/2024", "01/13/2024"]))
    assert survey.date_order is None and survey.date_order_needed
    assert survey.date_conflict() == (
        "calls.csv: the dates of the column 'Received' disagree on the day/month order: "
        "row 2 '13/01/2024' reads only day first, row 4 '01/13/2024' only month first; "
        "correct the file, or choose the order and let the other rows be rejected")


def test_two_columns_that_disagree_name_a_row_each(tmp_path: Path) -> None:
    received = ["01/02/2024 10:00", "14/02/2024 10:00", "03/02/2024 10:00"]
    cleared = ["02/01/2024 11:00", "02/03/2024 11:00", "02/15/2024 11:00"]
    survey = survey_file(export(tmp_path, received, cleared=cleared))
    message = survey.date_conflict()
    assert message is not None
    assert ("'Received' row 3 '14/02/2024' reads only day first, 'Cleared' row 4 "
            "'02/15/2024' only month first") in message
    assert survey.date_conflict(["Received"]) is None  # one column alone agrees with itself


def test_iso_dates_need_no_order(tmp_path: Path) -> None:
    survey = survey_file(export(tmp_path, ["2024-01-05 10:00", "2024-12-11 09:00"]))
    assert not survey.date_order_needed and survey.date_conflict() is None


# --- properties (no deadline: a shared, busy machine must not fail them) -----------------

dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31))
times = st.times().map(lambda t: t.replace(microsecond=0))


@settings(deadline=None)
@given(st.lists(dates, min_size=1, max_size=40))
def test_day_first_text_decides_day_first_exactly_when_a_day_passes_12(
        days: list[date]) -> None:
    texts = [day_first(d) for d in days]
    decisive = any(d.day > 12 for d in days)
    assert infer_date_order(texts) is (DateOrder.DAY_FIRST if decisive else None)
    assert date_order_evidence(texts)[1] == 0


@settings(deadline=None)
@given(st.lists(dates, min_size=1, max_size=40))
def test_month_first_text_decides_month_first_exactly_when_a_day_passes_12(
        days: list[date]) -> None:
    texts = [month_first(d) for d in days]
    decisive = any(d.day > 12 for d in days)
    assert infer_date_order(texts) is (DateOrder.MONTH_FIRST if decisive else None)
    assert date_order_evidence(texts)[0] == 0


@settings(deadline=None)
@given(st.lists(dates, min_size=1, max_size=20), st.lists(dates, min_size=1, max_size=20))
def test_both_orders_together_never_decide(one: list[date], other: list[date]) -> None:
    texts = [day_first(d) for d in one] + [month_first(d) for d in other]
    days, months = date_order_evidence(texts)
    order = infer_date_order(texts)
    if days and months:
        assert order is None
    else:
        assert order is (DateOrder.DAY_FIRST if days else
                         DateOrder.MONTH_FIRST if months else None)


@settings(deadline=None)
@given(dates, times, st.sampled_from(list(DateOrder)))
def test_text_dates_read_back_in_their_order(day: date, clock: object,
                                             order: DateOrder) -> None:
    stamp = datetime.combine(day, clock)  # type: ignore[arg-type]
    shown = day_first(day) if order is DateOrder.DAY_FIRST else month_first(day)
    parse = DateTimeParser(order)
    assert parse(f"{shown} {stamp:%H:%M:%S}") == stamp
    assert parse(shown) == datetime.combine(day, datetime.min.time())
    assert parse(f"{shown} {stamp:%I:%M:%S %p}") == stamp
    assert as_date(shown, order) == day


@settings(deadline=None)
@given(dates, st.sampled_from(list(DateOrder)))
def test_without_an_order_only_what_decides_itself_parses(day: date,
                                                          order: DateOrder) -> None:
    shown = day_first(day) if order is DateOrder.DAY_FIRST else month_first(day)
    parse = DateTimeParser(None)
    if day.day > 12 or day.day == day.month:
        assert parse(shown) == datetime.combine(day, datetime.min.time())
    else:
        with pytest.raises(ValueError, match=AMBIGUOUS_ORDER):
            parse(shown)


@settings(deadline=None)
@given(dates, times)
def test_iso_and_excel_serial_need_no_order(day: date, clock: object) -> None:
    stamp = datetime.combine(day, clock)  # type: ignore[arg-type]
    parse = DateTimeParser(None)
    assert parse(stamp.isoformat(" ")) == stamp
    assert parse(stamp.isoformat()) == stamp
    serial = (stamp - datetime(1899, 12, 30)) / timedelta(days=1)
    assert abs(parse(serial) - stamp) <= timedelta(seconds=1)  # type: ignore[operator]


@settings(deadline=None)
@given(st.text(max_size=30))
def test_any_text_parses_or_gives_a_short_reason(text: str) -> None:
    for order in (None, *DateOrder):
        try:
            DateTimeParser(order)(text)
        except ValueError as exc:
            assert "\n" not in str(exc) and len(str(exc)) < 160


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(dates, min_size=1, max_size=60), st.sampled_from(list(DateOrder)))
def test_a_generated_file_decides_as_its_days_say(days: list[date], order: DateOrder) -> None:
    show = day_first if order is DateOrder.DAY_FIRST else month_first
    with tempfile.TemporaryDirectory() as folder:
        survey = survey_file(export(Path(folder), [f"{show(d)} 10:00" for d in days]))
    decisive = [d for d in days if d.day > 12 and d.day != d.month]
    assert survey.date_order is (order if decisive else None)
    assert survey.date_order_needed is not bool(decisive)
    if decisive:
        row, text = survey.date_examples["Received"][order]
        assert text == show(decisive[0]) and row == days.index(decisive[0]) + 2
