"""Cells to stored values where it costs most: datetimes, with caches before the parser.

Also what every converter shares: `Invalid` (a cell that cannot be stored, and why) and
the error for a file whose dates read either way.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Any

from console.data.importers.fields import DateOrder
from console.data.importers.values import AMBIGUOUS_ORDER, Cell, DateTimeParser, as_text
from console.errors import UserError

CACHE_LIMIT = 50_000
_MINUTE_TEXT = tuple(f"{h:02d}:{m:02d}:" for h in range(24) for m in range(60))
_SECOND_TEXT = tuple(f"{s:02d}" for s in range(60))
_CLOCK = re.compile(r"(\d{1,2}):([0-5]\d)(?::([0-5]\d))?(?: ?([AaPp])[Mm])?", re.ASCII)


class Invalid:
    """A cell that cannot be stored, and why.

    `made` counts every Invalid ever made: a column whose conversion left it unchanged
    has no bad cell, which is cheaper to know than looking at every value. (Caches never
    keep an Invalid, so each bad cell makes one.)
    """

    __slots__ = ("reason",)
    made = 0

    def __init__(self, reason: str) -> None:
        self.reason = reason
        Invalid.made += 1


class AmbiguousDateOrder(UserError):
    """The file's dates read either way and the mapping does not say which."""


def datetime_converter(order: DateOrder | None, latest: dt.datetime, *, raw: bool,
                       header: str) -> Callable[[Sequence[Cell]], list[Any]]:
    """A converter for one datetime column's cells (a list of values for a list of
    cells), with a cache in front of the parser.

    Text that splits at its first space into a date seen before and a plain clock
    time ("11/04/2023 6:08:26 PM") is put together from two caches without parsing;
    anything else goes to values.DateTimeParser, which decides what is valid (the
    caches hold only what it parsed the same way). On SQLite the result is the text
    SQLAlchemy stores, compared as text with the latest acceptable time.
    """
    parse = DateTimeParser(order)
    latest_text = latest.isoformat(" ", "seconds")
    days: dict[str, Any] = {}
    clocks: dict[str, Any] = {}
    midnight = "00:00:00" if raw else dt.timedelta(0)

    def slow(cell: Cell) -> Any:
        try:
            stamp = parse(cell)
        except ValueError as exc:
            reason = str(exc)
            if AMBIGUOUS_ORDER in reason:
                raise AmbiguousDateOrder(
                    f"column {header!r}: dates such as {as_text(cell)!r} read either "
                    "way; choose day/month or month/day order for this file") from None
            return Invalid(reason)
        if stamp is None:
            return None
        if stamp.tzinfo is not None:
            return Invalid(f"has a time zone, expected local time: {stamp}")
        if stamp > latest:
            return Invalid(f"in the future: {stamp:%Y-%m-%d %H:%M}")
        if cell.__class__ is str:
            _learn(cell)  # type: ignore[arg-type]
        return stamp.isoformat(" ") if raw else stamp

    def _learn(text: str) -> None:
        day_part = text.partition(" ")[0]
        if day_part in days or len(days) >= CACHE_LIMIT or day_part.isdigit():
            return  # digits alone may be an Excel serial, valid only on its own
        try:
            day = parse(day_part)
        except ValueError:
            return
        if day is not None and day.hour == day.minute == day.second == 0:
            days[day_part] = f"{day:%Y-%m-%d}" if raw else day

    minutes: dict[str, Any] = {}

    def clock_of(text: str) -> Any:
        """A clock time not seen before: its minute ("6:08 PM") is, most often."""
        n = len(text)
        if n >= 7 and text[-3] == ":":            # 18:08:26
            minute, second = text[:-3], text[-2:]
        elif n >= 10 and text[-6] == ":" and text[-3] == " ":  # 6:08:26 PM
            minute, second = text[:-6] + text[-3:], text[-5:-3]
        else:
            return _clock(text, raw)
        if not (second.isdigit() and second.isascii() and second < "60"):
            return _clock(text, raw)
        base = minutes.get(minute)
        if base is None:
            base = _clock(minute, raw)
            if base is None:
                return None
            minutes[minute] = base
        if raw:
            return base[:6] + second
        return base + dt.timedelta(seconds=int(second))

    def convert(cell: Cell) -> Any:
        if cell.__class__ is str:
            day_part, _, time_part = cell.partition(" ")  # type: ignore[union-attr]
            day = days.get(day_part)
            if day is not None:
                clock = clocks.get(time_part) if time_part else midnight
                if clock is None:
                    clock = clock_of(time_part)
                    if clock is not None:
                        if len(clocks) >= CACHE_LIMIT:
                            clocks.clear()
                        clocks[time_part] = clock
                if clock is not None:
                    if raw:
                        stamp = day + " " + clock
                        if stamp <= latest_text:
                            return stamp
                    else:
                        stamp = day + clock
                        if stamp <= latest:
                            return stamp
        elif cell.__class__ is dt.datetime and not cell.microsecond and \
                cell.tzinfo is None and cell <= latest:  # type: ignore[operator, union-attr]
            return cell.isoformat(" ") if raw else cell  # type: ignore[union-attr]
        return slow(cell)

    if not raw:
        return lambda cells: list(map(convert, cells))

    ordinals: dict[int, str] = {}  # a datetime cell's day -> "YYYY-MM-DD "

    def convert_all(cells: Sequence[Cell]) -> list[Any]:
        """`convert` over the cells, its fast cases written out in the loop: text whose
        date is known (its clock cached or built from its minute), and datetime cells,
        whose text is put together from their day's and their time's."""
        out: list[Any] = []
        append = out.append
        day_of, clock_known, day_text = days.get, clocks.get, ordinals.get
        minute_text, second_text = _MINUTE_TEXT, _SECOND_TEXT
        for cell in cells:
            kind = cell.__class__
            if kind is str:
                if not cell:
                    append(None)
                    continue
                day_part, _, time_part = cell.partition(" ")  # type: ignore[union-attr]
                day = day_of(day_part)
                if day is not None and time_part:
                    clock = clock_known(time_part)
                    if clock is None:
                        clock = clock_of(time_part)
                        if clock is not None:
                            if len(clocks) >= CACHE_LIMIT:
                                clocks.clear()
                            clocks[time_part] = clock
                    if clock is not None:
                        stamp = day + " " + clock
                        if stamp <= latest_text:
                            append(stamp)
                            continue
            elif kind is dt.datetime:
                when: dt.datetime = cell  # type: ignore[assignment]
                if not when.microsecond and when.tzinfo is None and when <= latest:
                    ordinal = when.toordinal()
                    text = day_text(ordinal)
                    if text is None:
                        text = when.isoformat(" ")
                        if len(ordinals) >= CACHE_LIMIT:
                            ordinals.clear()
                        ordinals[ordinal] = text[:11]
                        append(text)
                    else:
                        append(text + minute_text[when.hour * 60 + when.minute]
                               + second_text[when.second])
                    continue
            append(convert(cell))
        return out

    return convert_all


def _clock(text: str, raw: bool) -> Any:
    """ "6:08:26 PM", "18:08:26", "18:08" as "18:08:26" (raw) or a timedelta; None for
    anything else (the parser decides those). The same values as DateTimeParser gives."""
    match = _CLOCK.fullmatch(text)
    if match is None:
        return None
    hours, minutes, seconds, noon = match.groups()
    hour = int(hours)
    if noon:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if noon in "Pp" else 0)
    elif hour > 23:
        return None
    if raw:
        return f"{hour:02d}:{minutes}:{seconds or '00'}"
    return dt.timedelta(hours=hour, minutes=int(minutes), seconds=int(seconds or 0))
