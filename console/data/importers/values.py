"""Cells of an export turned into typed values, one field kind each.

A cell is what a reader yields: text from a CSV, or what the spreadsheet stored
(python-calamine gives whole numbers as floats and midnight datetimes as dates). Every
converter returns None for a blank cell and raises ValueError with a short reason the
import service shows beside the row ("not a date: '31/31/2023'").

Datetimes are parsed by `DateTimeParser`, one per column: the text of a large export
repeats its dates and times, so the date part and the time part are parsed once each
and cached, which keeps a value near a microsecond. Sub-second precision is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from console.data.importers.fields import DateOrder

Cell = str | int | float | bool | datetime | date | time | timedelta | None

AMBIGUOUS_ORDER = "ambiguous day/month order: choose one in the mapping"

# Excel's 1900 date system: serial 1 is 1900-01-01, and 60 is the 29 February 1900 that
# Lotus 1-2-3 invented and Excel kept; from 61 on, day 0 is 1899-12-30.
_EXCEL_EPOCH = datetime(1899, 12, 30)
_EXCEL_FAKE_LEAP_DAY = 60
_SERIAL_MAX = 2958466  # 10000-01-01

_TRUE = frozenset({"y", "yes", "true", "t", "1", "1.0", "x", "on", "checked"})
_FALSE = frozenset({"n", "no", "false", "f", "0", "0.0", "off", "unchecked"})

_MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")), start=1)
    for name in names
}

_NUMERIC_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})")
_YEAR_FIRST = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DAY_NAME_YEAR = re.compile(r"(\d{1,2})[-\s]([A-Za-z]{3,9})\.?[-\s,]\s*(\d{4}|\d{2})")
_NAME_DAY_YEAR = re.compile(
    r"(?:[A-Za-z]{3,9}\.?,?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_TIME = re.compile(
    r"(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(?:([AaPp])\.?[Mm]\.?)?")
# Intergraph/Hexagon I/CAD prints 20231104180826 and often an ES/ED (standard/daylight)
# suffix; 12 digits omit the seconds.
_COMPACT_DATETIME = re.compile(
    r"(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:[A-Za-z]{2})?")
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.\d+)?")
_INTEGRAL_TEXT = re.compile(r"-?\d+\.0+")
_ZONE = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")

_CACHE_LIMIT = 100_000


def as_text(cell: Cell) -> str | None:
    """The text the source system printed: stripped, blank is None.

    A number a spreadsheet stored as a float loses its ".0" (2023000319821.0 is
    "2023000319821"), and so does text a tool wrote from such a float; datetimes are ISO.
    """
    if cell.__class__ is str or isinstance(cell, str):
        text = cell.strip()  # type: ignore[union-attr]
        if not text:
            return None
        if text[-1] == "0" and _INTEGRAL_TEXT.fullmatch(text):
            return text.partition(".")[0]
        return text
    if cell is None:
        return None
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        if cell.is_integer():
            return str(int(cell))
        return repr(cell)
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ", timespec="seconds")
    if isinstance(cell, date | time):
        return cell.isoformat()
    return str(cell)


def as_int(cell: Cell) -> int | None:
    """A whole number (a priority, a count); 3.0 is 3, 2.5 is an error."""
    if cell is None:
        return None
    if isinstance(cell, int) and not isinstance(cell, bool):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, str):
        text = cell.strip()
        if not text:
            return None
        if text.lstrip("+-").isdigit():
            return int(text)
        if _INTEGRAL_TEXT.fullmatch(text):
            return int(text.partition(".")[0])
    raise ValueError(f"not a whole number: {_shown(cell)}")


def as_flag(cell: Cell) -> bool | None:
    """Yes or no: Y/N, YES/NO, TRUE/FALSE, T/F, 1/0, X, ON/OFF (any case).

    Blank is None, not False: in a Y/N column it means unknown. Columns that mark only
    the yes cases (X or blank) must be read as False where blank by the caller.
    """
    if cell is None:
        return None
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, int | float):
        if cell in (0, 1):
            return bool(cell)
        raise ValueError(f"not yes or no: {_shown(cell)}")
    if not isinstance(cell, str):
        raise ValueError(f"not yes or no: {_shown(cell)}")
    key = cell.strip().casefold()
    if not key:
        return None
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(f"not yes or no: {_shown(cell)}")


def as_date(cell: Cell, order: DateOrder | None = None) -> date | None:
    """A date (a birth date); a datetime cell or text keeps only its date."""
    parser = _DATE_PARSERS.get(order)
    if parser is None:
        parser = _DATE_PARSERS.setdefault(order, DateTimeParser(order))
    stamp = parser(cell)
    return stamp.date() if stamp is not None else None


class DateTimeParser:
    """Parses one column's datetimes; keep one per column so its caches fit that column.

    Accepts datetime and date cells (a date is midnight), Excel serial numbers (1900 date
    system) and text: ISO (2023-11-04 18:08:26, 2023-11-04T18:08:26.5), 11/04/2023
    6:08:26 PM, 11/04/2023 18:08, 04.11.2023 18:08:26, 2023/11/04 18:08, 04-Nov-2023
    18:08, Nov 4, 2023 6:08 PM, 20231104180826 (I/CAD), each also as a date alone.
    `order` reads dates like 11/04/2023; with None only values that decide it themselves
    (13/04/2023, or the same number twice) parse, others are ambiguous.
    """

    def __init__(self, order: DateOrder | None = None) -> None:
        self.order = order
        self._days: dict[str, datetime] = {}      # "11/04/2023" -> its midnight
        self._clocks: dict[str, timedelta] = {}   # "6:08:26 PM" -> since midnight
        self._spaced: dict[str, datetime] = {}    # "Nov 4, 2023" -> its midnight

    def __call__(self, cell: Cell) -> datetime | None:
        if cell.__class__ is str:
            text = cell.strip()  # type: ignore[union-attr]
            day_part, _, time_part = text.partition(" ")
            day = self._days.get(day_part)
            if day is not None:
                if not time_part:
                    return day
                clock = self._clocks.get(time_part)
                if clock is not None:
                    return day + clock
            return self._parse_text(text) if text else None
        return self._parse_cell(cell)

    def _parse_cell(self, cell: Cell) -> datetime | None:
        if cell is None:
            return None
        if isinstance(cell, datetime):
            return cell.replace(microsecond=0) if cell.microsecond else cell
        if isinstance(cell, date):
            return datetime(cell.year, cell.month, cell.day)
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            return _from_serial(cell)
        if isinstance(cell, time):
            raise ValueError(f"a time without a date: {_shown(cell)}")
        raise ValueError(f"not a date: {_shown(cell)}")

    def _parse_text(self, text: str) -> datetime:
        """The slow path: a date or time not seen before, or a format the cache can't split.

        What splits at its first space into a date and a time (or is a date alone) is
        cached by those two parts; ISO text goes to datetime.fromisoformat, which is as
        fast as the cache; a date with spaces has a cache of its own.
        """
        if self._spaced:
            colon = text.find(":")
            split = text.rfind(" ", 0, colon) if colon > 0 else len(text)
            known = self._spaced.get(text[:split])
            if known is not None:
                if colon < 0:
                    return known
                clock = self._clocks.get(text[split + 1:])
                if clock is not None:
                    return known + clock
        if text[10:11] == "T" and text[4:5] == "-":
            return self._parse_iso(text)
        if len(text) >= 12 and (match := _COMPACT_DATETIME.fullmatch(text)):
            year, month, day, hour, minute, second = match.groups()
            try:
                return datetime(int(year), int(month), int(day),
                                int(hour), int(minute), int(second or 0))
            except ValueError:
                raise ValueError(f"not a date: {_shown(text)}") from None
        if _SERIAL_TEXT.fullmatch(text):
            return _from_serial(float(text))
        day_part, _, time_part = text.partition(" ")
        if not day_part[-1:].isdigit():
            return self._parse_spaced(text)
        try:
            midnight = self._midnight(day_part, text)
        except ValueError:
            return self._parse_spaced(text)
        self._remember(self._days, day_part, midnight)
        if not time_part:
            return midnight
        clock = self._parse_time(time_part.strip(), text)
        self._remember(self._clocks, time_part, clock)
        return midnight + clock

    def _parse_spaced(self, text: str) -> datetime:
        """A date with spaces in it (Nov 4, 2023 6:08 PM), cached by its date and time."""
        colon = text.find(":")
        if colon < 0:
            midnight = self._midnight(text, text)
            self._remember(self._spaced, text, midnight)
            return midnight
        split = text.rfind(" ", 0, colon)
        if split <= 0:
            raise ValueError(f"not a date and time: {_shown(text)}")
        midnight = self._midnight(text[:split].rstrip(" ,"), text)
        clock = self._parse_time(text[split + 1:].strip(), text)
        self._remember(self._spaced, text[:split], midnight)
        self._remember(self._clocks, text[split + 1:], clock)
        return midnight + clock

    def _parse_iso(self, text: str) -> datetime:
        if _ZONE.search(text) and len(text) > 10:
            raise ValueError(f"has a time-zone offset, expected local time: {_shown(text)}")
        try:
            stamp = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"not a date: {_shown(text)}") from None
        return stamp.replace(microsecond=0) if stamp.microsecond else stamp

    def _midnight(self, part: str, text: str) -> datetime:
        year: int | str
        if match := _NUMERIC_DATE.fullmatch(part):
            first, second, year = match.groups()
            month, day = self._month_day(int(first), int(second), text)
        elif match := _YEAR_FIRST.fullmatch(part) or _COMPACT.fullmatch(part):
            year, month_text, day_text = match.groups()
            month, day = int(month_text), int(day_text)
        elif match := _DAY_NAME_YEAR.fullmatch(part):
            day_text, name, year = match.groups()
            month, day = _month(name, text), int(day_text)
        elif match := _NAME_DAY_YEAR.fullmatch(part):
            name, day_text, year = match.groups()
            month, day = _month(name, text), int(day_text)
        else:
            raise ValueError(f"not a date: {_shown(text)}")
        try:
            return datetime(_full_year(year), month, day)
        except ValueError:
            raise ValueError(f"not a date: {_shown(text)}") from None

    def _month_day(self, first: int, second: int, text: str) -> tuple[int, int]:
        if self.order is DateOrder.MONTH_FIRST:
            return first, second
        if self.order is DateOrder.DAY_FIRST:
            return second, first
        if first > 12 >= second:
            return second, first
        if second > 12 >= first or first == second:
            return first, second
        if first > 12 and second > 12:
            raise ValueError(f"not a date: {_shown(text)}")
        raise ValueError(f"{AMBIGUOUS_ORDER} ({_shown(text)})")

    @staticmethod
    def _parse_time(part: str, text: str) -> timedelta:
        match = _TIME.fullmatch(part)
        if match is None:
            if _ZONE.search(part):
                raise ValueError(
                    f"has a time-zone offset, expected local time: {_shown(text)}")
            raise ValueError(f"not a time of day: {_shown(text)}")
        hour_text, minute, second, noon = match.groups()
        hour = int(hour_text)
        if noon is not None:
            if not 1 <= hour <= 12:
                raise ValueError(f"not a time of day: {_shown(text)}")
            hour = hour % 12 + (12 if noon in "Pp" else 0)
        minutes, seconds = int(minute), int(second or 0)
        if hour > 23 or minutes > 59 or seconds > 59:
            raise ValueError(f"not a time of day: {_shown(text)}")
        return timedelta(hours=hour, minutes=minutes, seconds=seconds)

    @staticmethod
    def _remember(cache: dict[str, Any], key: str, value: object) -> None:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[key] = value


_DATE_PARSERS: dict[DateOrder | None, DateTimeParser] = {}


def infer_date_order(values: Iterable[Cell]) -> DateOrder | None:
    """The day/month order the text dates decide, or None.

    A date like 13/04/2023 says day first, 04/13/2023 month first. None when no value
    decides (every day is 12 or less, or there are no such text dates) and also when the
    values contradict each other (both were seen): the user must choose. Use
    `date_order_evidence` to tell these apart.
    """
    day_first, month_first = date_order_evidence(values)
    if day_first and not month_first:
        return DateOrder.DAY_FIRST
    if month_first and not day_first:
        return DateOrder.MONTH_FIRST
    return None


def order_of_date(text: str) -> DateOrder | None:
    """The order one numeric date decides by itself: 13/04/2023 is day first, 04/13/2023
    month first; None for 11/04/2023 (either), 2023-04-13 (year first) or no date."""
    match = _NUMERIC_DATE.fullmatch(text.strip())
    if match is None:
        return None
    first, second = int(match[1]), int(match[2])
    if first > 12 >= second:
        return DateOrder.DAY_FIRST
    if second > 12 >= first:
        return DateOrder.MONTH_FIRST
    return None


def date_order_evidence(values: Iterable[Cell]) -> tuple[int, int]:
    """How many distinct text dates say day first, and how many say month first."""
    seen: set[str] = set()
    day_first = month_first = 0
    for value in values:
        if not isinstance(value, str):
            continue
        text = value.strip()
        colon = text.find(":")
        part = text if colon < 0 else text[:max(text.rfind(" ", 0, colon), 0)]
        if part in seen:
            continue
        seen.add(part)
        order = order_of_date(part)
        if order is DateOrder.DAY_FIRST:
            day_first += 1
        elif order is DateOrder.MONTH_FIRST:
            month_first += 1
    return day_first, month_first


def _from_serial(serial: float) -> datetime:
    if not 1 <= serial < _SERIAL_MAX:
        raise ValueError(f"not a date: {_shown(serial)}")
    whole = int(serial)
    if whole == _EXCEL_FAKE_LEAP_DAY:
        raise ValueError(f"not a date: {_shown(serial)} is 29 February 1900, "
                         "which did not exist")
    if whole < _EXCEL_FAKE_LEAP_DAY:
        serial += 1
    seconds = round((serial - int(serial)) * 86400)
    return _EXCEL_EPOCH + timedelta(days=int(serial), seconds=seconds)


def _month(name: str, text: str) -> int:
    number = _MONTHS.get(name.casefold())
    if number is None:
        raise ValueError(f"not a date: {_shown(text)}")
    return number


def _full_year(year: str | int) -> int:
    """Two-digit years within ten years ahead of today are this century, else the last."""
    number = int(year)
    if isinstance(year, str) and len(year) == 2:
        pivot = (date.today().year + 10) % 100
        return number + (2000 if number <= pivot else 1900)
    return number


def _shown(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."
