"""Rows of an export turned into call values, or rejected with a reason per cell.

Work is done a chunk of rows at a time and column by column: each mapped column's cells
go through one converter (the column's cells in, its values out, no per-row
interpretation of the mapping), and values that repeat (codes, call types, flags,
precincts) are converted once and cached. A converter never raises for a bad cell: it
gives an `Invalid` with the reason, so one bad cell rejects its row and the rest of the
chunk carries on.

Values come out the way the database driver stores and returns them (`raw=True` on
SQLite: datetimes as SQLAlchemy's "YYYY-MM-DD HH:MM:SS" text), so rows can be written
with executemany and compared with stored rows without any type processing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from console.data.crypto import Vault
from console.data.enums import Disposition
from console.data.importers.fields import (
    CALL_TYPE_FIELDS,
    CALLS,
    FieldKind,
    Mapping,
    code_key,
)
from console.data.importers.values import (
    AMBIGUOUS_ORDER,
    Cell,
    as_date,
    as_flag,
    as_int,
    as_text,
)
from console.errors import UserError
from console.services.criteria.timeline import CriteriaTimeline
from console.services.importing.cells import (
    CACHE_LIMIT,
    Invalid,
    datetime_converter,
)
from console.services.importing.locations import location_key
from console.services.people_service import person_key

# Stored widths of the call table's text columns (console/data/models/calls.py).
TEXT_LIMITS = {"incident_number": 40, "initial_call_type": 80, "final_call_type": 80,
               "precinct": 40, "sector": 40, "beat": 40}
NAME_LIMIT = 200
FLAG_FIELDS = ("use_of_force", "subject_injured", "officer_injured", "responder_injured")
DATETIME_FIELDS = ("received_at", "dispatched_at", "arrived_at", "cleared_at",
                   "patrol_cleared_at")
# Fields stored in the call column of the same name, in this order.
DIRECT_FIELDS = ("incident_number", *DATETIME_FIELDS, "initial_call_type",
                 "final_call_type", "priority", "source", "activation", *FLAG_FIELDS,
                 "precinct", "sector", "beat")
# The requesting officer's badge, normalised (`staff_key_of`), goes to the writer in
# this column, which turns it into the staff member's id.
OFFICER_COLUMN = "requesting_officer_id"
# A CAD clock a little ahead of the workstation's is not "in the future".
FUTURE_SLACK = dt.timedelta(minutes=15)
_INT_RANGE = (-(2**31), 2**31 - 1)


_UNKNOWN = object()  # a call type the scope map does not know


@dataclass(frozen=True)
class Reject:
    """A row left out of the import: its number in the file, the column, the value, why.

    The value of a name, birth date, address or narrative is never kept in clear (a
    report of rejects is a plain file): it reads "(withheld: name)", and the reason stops
    before the value ("not a date", "in the future").
    """

    row: int
    column: str
    value: str
    reason: str


@dataclass
class Converted:
    """The good rows of one chunk, ready to compare and write, and the rejected ones."""

    rows: list[int] = field(default_factory=list)           # row numbers in the file
    values: list[tuple[Any, ...]] = field(default_factory=list)  # in RowConverter.columns
    persons: list[tuple[str, str] | None] | None = None     # (person key, name) per row
    narratives: list[str | None] | None = None
    rejects: list[Reject] = field(default_factory=list)
    rejected_rows: int = 0


def _cached(convert: Callable[[Cell], Any]) -> Callable[[Cell], Any]:
    return _Cached(convert).__getitem__


class _Cached(dict[Any, Any]):
    """convert(cell) remembered per distinct cell: `map(cache.__getitem__, cells)`."""

    def __init__(self, convert: Callable[[Cell], Any]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, cell: Cell) -> Any:
        value = self.convert(cell)
        if value.__class__ is not Invalid:
            if len(self) >= CACHE_LIMIT:
                self.clear()
            self[cell] = value
        return value


Converter = Callable[[Sequence[Cell]], list[Any]]  # a column's cells to its values


def _each(convert: Callable[[Cell], Any]) -> Converter:
    return lambda cells: list(map(convert, cells))


@dataclass
class _Column:
    field: str
    header: str
    index: int
    convert: Converter
    identities: dict[str, str]

    def reject(self, row: int, cell: Cell, reason: str) -> Reject:
        """The Reject of a bad cell of this column, its value withheld for an identity."""
        label = self.identities.get(self.field)
        if label is None:
            return Reject(row, self.header, as_text(cell) or "", reason)
        return Reject(row, self.header, f"(withheld: {label})", reason.partition(":")[0])


class RowConverter:
    """One mapping applied to one file's header: chunks of cells in, stored values out.

    The mapping's kind says which fields there are, which are required and which key a
    row (a key seen before in the file is a duplicate). Raises UserError at construction
    for what no row can fix: a required field not mapped, or a mapped column the file
    does not have.
    """

    def __init__(self, header: Sequence[str], mapping: Mapping, *, vault: Vault,
                 now: dt.datetime, raw_sqlite: bool,
                 criteria: CriteriaTimeline | None = None) -> None:
        self.kind = kind = mapping.import_kind
        self.fields = fields = kind.field_by_name
        missing = mapping.missing_required()
        if missing:
            labels = ", ".join(fields[m].label for m in missing)
            raise UserError(f"the mapping leaves out {labels}: choose the column that "
                            f"holds it (every {kind.noun} needs it)")
        positions: dict[str, int] = {}
        for i, name in enumerate(header):
            positions.setdefault(name, i)
            positions.setdefault(code_key(name), i)
        self.mapping, self.vault, self.raw = mapping, vault, raw_sqlite
        self.latest = now + FUTURE_SLACK
        self.width = len(header)
        self._seen: dict[Any, int] = {}
        self._columns: dict[str, _Column] = {}
        for name, column in mapping.columns.items():
            index = positions.get(column)
            if index is None:
                index = positions.get(code_key(column))
            if index is None:
                raise UserError(f"the file has no column {column!r} (mapped to "
                                f"{fields[name].label}): choose another column or "
                                "another profile")
            self._columns[name] = _Column(name, header[index], index, self._converter(name),
                                          kind.identity_fields)
        mapped = self._columns
        stored = DIRECT_FIELDS if kind is CALLS else kind.stored or tuple(fields)
        direct = [f for f in stored if f in mapped]
        self.columns: list[str] = list(direct)
        self.has_officer = "requesting_officer" in mapped
        if self.has_officer:
            self.columns.append(OFFICER_COLUMN)
        # In scope is written only where the mapping decides it for some call types, or
        # where the program's activation criteria do (by the version of each call's day).
        self.criteria = criteria if criteria and kind is CALLS else None
        self.has_scope = mapping.decides_scope() or (
            self.criteria is not None and any(f in mapped for f in CALL_TYPE_FIELDS))
        # Call types the criteria in force did not list: classified by the mapping.
        self.not_in_criteria: dict[str, int] = {}
        if self.has_scope:
            self.columns.append("in_scope")
        self.has_disposition = "disposition" in mapped or "arrest_made" in mapped
        # An arrest flag without a disposition column says "arrest" or nothing: a row
        # without an arrest keeps the disposition stored (a correction made by hand).
        self.keep_when_blank = frozenset(
            {"disposition"} if "arrest_made" in mapped and "disposition" not in mapped
            else ())
        if self.has_disposition:
            self.columns.append("disposition")
        self.has_location = "address" in mapped
        if self.has_location:
            self.columns.append("location_key")
        self.has_person = "person_name" in mapped
        self.has_narrative = "narrative" in mapped
        self._scope = {code_key(k): v for k, v in mapping.scope.items()}
        self._scope_of = _Cached(self._scope_lookup)  # type: ignore[arg-type]
        self._keys = _Cached(code_key)  # type: ignore[arg-type]
        self._days: dict[Any, dt.date] = {}
        self._locations = _Cached(self._location)
        self._person_keys: dict[tuple[str, dt.date | None], str] = {}

    # --- converters, one per mapped field ----------------------------------------------
    def _converter(self, name: str) -> Converter:
        spec = self.fields[name]
        kind = spec.kind
        if name == "requesting_officer":
            return _each(_cached(_staff_key))
        if name in TEXT_LIMITS:
            return _each(_cached(_text(TEXT_LIMITS[name]))) if name != "incident_number" \
                else _texts(TEXT_LIMITS[name])
        if spec.limit is not None and kind is FieldKind.TEXT:
            return _each(_cached(_text(spec.limit)))
        if kind is FieldKind.DATETIME:
            return self._datetime(name)
        if kind is FieldKind.DATE:
            return _each(_cached(self._date))
        if kind is FieldKind.TIME:
            return _each(_cached(_time))
        if kind is FieldKind.INTEGER:
            return _each(_cached(_integer))
        if kind is FieldKind.FLAG:
            return _each(_cached(_flag))
        if kind is FieldKind.CODE:
            return _each(_cached(self._code(name)))
        if name == "person_name":
            return _texts(NAME_LIMIT)
        return _each(as_text)  # address, narrative: any length

    def _datetime(self, name: str) -> Converter:
        return datetime_converter(self.mapping.date_order, self.latest, raw=self.raw,
                                  header=self.mapping.columns[name])

    def _date(self, cell: Cell) -> Any:
        try:
            day = as_date(cell, self.mapping.date_order)
        except ValueError as exc:
            if AMBIGUOUS_ORDER in str(exc):
                return Invalid(f"day/month order unknown: {as_text(cell)!r}")
            return Invalid(str(exc))
        if day is not None and day > self.latest.date() and not self.kind.future_dates:
            return Invalid(f"in the future: {day:%Y-%m-%d}")
        return day

    def _code(self, name: str) -> Callable[[Cell], Any]:
        code_map = self.kind.code_map_of(name)
        assert code_map is not None and code_map.values is not None, name
        table: dict[str, Any] = {}
        for member in code_map.values:  # the console's own values and labels are known
            table[code_key(member.value)] = member.value
            label = getattr(member, "label", None)
            if isinstance(label, str):
                table[code_key(label)] = member.value
        for code, value in self.mapping.code_map(code_map.name).items():
            table[code_key(code)] = value.value if value is not None else None
        what = self.fields[name].label.split(" /")[0].lower()

        def convert(cell: Cell) -> Any:
            text = as_text(cell)
            if text is None:
                return None
            key = code_key(text)
            if key in table:
                return table[key]
            return Invalid(f"unknown {what} code {text!r}: add it to the mapping's "
                           f"{what} codes")

        return convert

    def _location(self, cell: Cell) -> str | None:
        text = as_text(cell)
        return location_key(self.vault, text) if text else None

    # --- a chunk of rows ---------------------------------------------------------------
    def convert(self, chunk: Sequence[tuple[int, Sequence[Cell]]]) -> Converted:
        """Convert a chunk; rows seen before in this file are duplicates."""
        out = Converted()
        if not chunk:
            return out
        numbers, rows = map(list, zip(*chunk, strict=True))
        width = self.width
        if min(map(len, rows)) < width:
            rows = [c if len(c) >= width else [*c, *([None] * (width - len(c)))]
                    for c in rows]
        cells_by_column = list(zip(*rows, strict=False))  # longer rows: extra cells unused
        n = len(rows)
        bad: dict[int, list[Reject]] = {}
        values: dict[str, list[Any]] = {}
        for name, col in self._columns.items():
            cells = cells_by_column[col.index]
            made = Invalid.made
            converted = col.convert(cells)
            if Invalid.made != made:
                for i, v in enumerate(converted):
                    if v.__class__ is Invalid:
                        bad.setdefault(i, []).append(col.reject(numbers[i], cells[i],
                                                                v.reason))
                        converted[i] = None
            values[name] = converted
        self._required(values, numbers, bad)
        if self.has_officer:
            values[OFFICER_COLUMN] = values["requesting_officer"]
        if self.has_scope:
            values["in_scope"] = self._in_scope(values, numbers, bad)
        if self.has_disposition:
            values["disposition"] = _disposition(values, n)
        if self.has_location:
            values["location_key"] = list(map(
                self._locations.__getitem__, cells_by_column[self._columns["address"].index]))
        for name in FLAG_FIELDS:
            if name in values:
                values[name] = [v is True for v in values[name]]
        persons = self._persons(values, n) if self.has_person else None
        narratives = values["narrative"] if self.has_narrative else None
        table = list(zip(*(values[c] for c in self.columns), strict=True))
        if not bad:
            out.rows, out.values = numbers, table
            out.persons, out.narratives = persons, narratives
            return out
        for i in range(n):
            problems = bad.get(i)
            if problems:
                out.rejects.extend(problems)
                out.rejected_rows += 1
                continue
            out.rows.append(numbers[i])
            out.values.append(table[i])
        if persons is not None:
            out.persons = [p for i, p in enumerate(persons) if i not in bad]
        if narratives is not None:
            out.narratives = [t for i, t in enumerate(narratives) if i not in bad]
        return out

    def _required(self, values: dict[str, list[Any]], numbers: list[int],
                  bad: dict[int, list[Reject]]) -> None:
        """A required field left blank, or a key (a call's incident number) seen before
        in the file: the row is rejected with the reason."""
        key_fields = self.kind.key
        keys: list[Any] = values[key_fields[0]] if len(key_fields) == 1 else \
            list(zip(*(values[f] for f in key_fields), strict=True))
        required = [values[f] for f in self.kind.required]
        seen = self._seen
        if all(None not in column for column in required) and \
                len(set(keys)) == len(keys) and seen.keys().isdisjoint(keys):
            seen.update(zip(keys, numbers, strict=True))
            return
        shown = key_fields[-1]  # the column a duplicate is reported in, after its blank
        shown_header = self._columns[shown].header
        checks = [*self.kind.required] + ([] if shown in self.kind.required else [shown])
        for i, key in enumerate(keys):
            row = numbers[i]
            for name in checks:
                header = self._columns[name].header
                if values[name][i] is None and name in self.kind.required and not any(
                        r.column == header for r in bad.get(i, ())):
                    bad.setdefault(i, []).append(
                        Reject(row, header, "", self.fields[name].blank_reason))
                if name != shown or any(
                        part is None for part in (key if len(key_fields) > 1 else (key,))):
                    continue
                first = seen.get(key)
                if first is None:
                    seen[key] = row
                else:
                    value = values[shown][i]
                    bad.setdefault(i, []).append(Reject(
                        row, shown_header, "" if value is None else str(value),
                        f"duplicate of row {first}"))

    def _in_scope(self, values: dict[str, list[Any]], numbers: list[int],
                  bad: dict[int, list[Reject]]) -> list[bool | None]:
        """In scope by the final call type, or the initial one where there is no final:
        by the activation criteria in force on the call's day where they list the type,
        else by the mapping's call-type map."""
        if not self._scope and self.criteria is None:
            return [None] * len(numbers)
        finals = values.get("final_call_type")
        initials = values.get("initial_call_type")
        if finals is None or initials is None:
            kinds = finals or initials or []
        else:
            kinds = [f if f is not None else i for f, i in zip(finals, initials, strict=True)]
        found: list[Any] = list(map(self._scope_of.__getitem__, kinds)) if self._scope \
            else [None] * len(kinds)
        if self.criteria is not None:
            self._by_criteria(self.criteria, values["received_at"], kinds, found)
        if _UNKNOWN in found:
            for i, value in enumerate(found):
                if value is _UNKNOWN:
                    final = finals[i] if finals is not None else None
                    name = "final_call_type" if final is not None else "initial_call_type"
                    kind = kinds[i]
                    bad.setdefault(i, []).append(Reject(
                        numbers[i], self._columns[name].header, kind,
                        f"unknown call type {kind!r}: say in the mapping whether it is in "
                        "scope" + (" (or add it to the activation criteria)"
                                   if self.criteria is not None else "")))
                    found[i] = None
        return found

    def _by_criteria(self, criteria: CriteriaTimeline, received: list[Any],
                     kinds: list[Any], found: list[Any]) -> None:
        """Overwrite `found` where the version in force on the row's day lists its type
        (dates are cached per day: one bisection per day, a lookup per row)."""
        days = self._days
        outside = self.not_in_criteria
        for i, (when, kind) in enumerate(zip(received, kinds, strict=True)):
            if when is None or kind is None:
                continue
            if when.__class__ is str:  # the raw SQLite text: "YYYY-MM-DD HH:MM:SS"
                day = days.get(when[:10])
                if day is None:
                    day = days[when[:10]] = dt.date.fromisoformat(when[:10])
            else:
                day = when.date()
            version = criteria.on(day)
            if version is None:
                continue
            decided = version.get(self._keys[kind])
            if decided is None:
                outside[kind] = outside.get(kind, 0) + 1
            else:
                found[i] = decided

    def _scope_lookup(self, kind: str | None) -> Any:
        if kind is None:
            return None
        return self._scope.get(code_key(kind), _UNKNOWN)

    def _persons(self, values: dict[str, list[Any]],
                 n: int) -> list[tuple[str, str] | None]:
        names = values["person_name"]
        born = values.get("person_birth_date") or [None] * n
        keys = self._person_keys
        out: list[tuple[str, str] | None] = []
        for name, day in zip(names, born, strict=True):
            if name is None:
                out.append(None)
                continue
            key = keys.get((name, day))
            if key is None:
                try:
                    key = person_key(self.vault, name, day)
                except UserError:  # no letters or digits: nobody to match
                    out.append(None)
                    continue
                if len(keys) >= CACHE_LIMIT:
                    keys.clear()
                keys[(name, day)] = key
            out.append((key, name))
        return out


def _disposition(values: dict[str, list[Any]], n: int) -> list[Any]:
    codes = values.get("disposition") or [None] * n
    arrests = values.get("arrest_made")
    if arrests is None:
        return codes
    return [Disposition.ARREST.value if arrest is True else code
            for code, arrest in zip(codes, arrests, strict=True)]


def staff_key_of(text: str) -> str:
    """A badge or employee number as compared: trimmed, spacing collapsed, upper case, and
    an all-digit number without its leading zeros (Excel drops them from number cells, so
    "04417" in a roster is 4417 in an export); "PAPD-0417" keeps its zero (text cells
    keep what was typed)."""
    key = " ".join(text.split()).upper()
    return key.lstrip("0") or "0" if key.isdigit() else key


def _staff_key(cell: Cell) -> Any:
    text = as_text(cell)
    if text is None:
        return None
    key = staff_key_of(text)
    if len(key) > 40:
        return Invalid("longer than 40 characters")
    return key


def _text(limit: int) -> Callable[[Cell], Any]:
    def convert(cell: Cell) -> Any:
        text = as_text(cell)
        if text is not None and len(text) > limit:
            return Invalid(f"longer than {limit} characters")
        return text

    return convert


def _texts(limit: int) -> Converter:
    """Text of at most `limit` characters, for columns whose values rarely repeat."""
    one = _text(limit)

    def convert(cells: Sequence[Cell]) -> list[Any]:
        numbers = cast("Sequence[float]", cells)
        texts: list[str | None]
        if set(map(type, cells)) == {float} and all(map(float.is_integer, numbers)):
            texts = list(map(str, map(int, numbers)))  # as_text of whole numbers (XLSX)
        else:
            texts = list(map(as_text, cells))
        if max(map(len, filter(None, texts)), default=0) > limit:
            return list(map(one, cells))
        return texts

    return convert


_TIME = re.compile(r"^(\d{1,2})(?::?(\d{2}))?(?::\d{2})?\s*([AP]\.?M\.?)?$", re.IGNORECASE)


def _time(cell: Cell) -> Any:
    """A time of day: 08:00, 8:00 PM, 0800, 24:00 (the end of a day); a datetime's time.

    Spreadsheets store a time as a fraction of a day. A time-formatted XLSX cell arrives
    as a time (or 24:00 as the date 1900-01-01, Excel's day 1); a number cell holding a
    fraction (0.3541666 in a column whose format was cleared) is that time, rounded to
    the second and read to the minute like text. A duration cell ([h]:mm) is read the
    same way up to 24 h. Text such as "0.3541" (a CSV) is refused: a fraction written
    out as text has usually lost its precision, so the row says which time it would be.
    """
    if isinstance(cell, dt.datetime):
        return cell.time()
    if isinstance(cell, dt.time):
        return cell.replace(second=0, microsecond=0)
    if isinstance(cell, dt.date):
        if cell == _EXCEL_DAY_ONE:
            return dt.time(0)
        return Invalid(f"not a time of day: the date {cell:%Y-%m-%d}")
    if isinstance(cell, dt.timedelta):
        return _day_fraction(cell / dt.timedelta(days=1), f"a duration of {cell}")
    if isinstance(cell, float) and 0 < cell < 1:
        return _day_fraction(cell, f"{cell!r}")
    text = as_text(cell)
    if text is None:
        return None
    found = _TIME.match(text)
    if found is None:
        if _FRACTION.match(text):
            seconds = round(float(text) * 86400)
            return Invalid(f"not a time of day: {text!r} looks like a spreadsheet's fraction "
                           f"of a day ({seconds // 3600:02d}:{seconds // 60 % 60:02d}?); "
                           "export times as HH:MM")
        return Invalid(f"not a time of day: {text!r}")
    hour, minute = int(found[1]), int(found[2] or 0)
    if found[3]:
        if not 1 <= hour <= 12:
            return Invalid(f"not a time of day: {text!r}")
        hour = hour % 12 + (12 if found[3][0].upper() == "P" else 0)
    if hour == 24 and minute == 0:
        return dt.time(0)
    if hour > 23 or minute > 59:
        return Invalid(f"not a time of day: {text!r}")
    return dt.time(hour, minute)


_FRACTION = re.compile(r"^0?\.\d+$")
_EXCEL_DAY_ONE = dt.date(1900, 1, 1)  # serial 1.0: a time cell holding 24:00


def _day_fraction(days: float, shown: str) -> Any:
    if not 0 <= days <= 1:
        return Invalid(f"not a time of day: {shown} is not within a day")
    seconds = round(days * 86400)
    if seconds == 86400:
        return dt.time(0)
    return dt.time(seconds // 3600, seconds // 60 % 60)


def _integer(cell: Cell) -> Any:
    try:
        number = as_int(cell)
    except ValueError as exc:
        return Invalid(str(exc))
    if number is not None and not _INT_RANGE[0] <= number <= _INT_RANGE[1]:
        return Invalid(f"out of range: {number}")
    return number


def _flag(cell: Cell) -> Any:
    try:
        return as_flag(cell)
    except ValueError as exc:
        return Invalid(str(exc))
