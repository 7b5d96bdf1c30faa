"""One read of an export before anything is imported: what it holds, and a mapping for it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from console.data.importers.fields import CALLS, DateOrder, ImportKind, Mapping
from console.data.importers.readers import Table, open_table
from console.data.importers.values import Cell, as_text, date_order_evidence, order_of_date
from console.errors import UserError

Progress = Callable[[int, int, str], None]
SAMPLE_ROWS = 50
# Columns with more distinct values than this are identifiers, times or free text, not
# codes: their values are not kept (the code maps need only the low-cardinality ones).
DISTINCT_LIMIT = 1000
PROGRESS_EVERY = 5000
_NUMERIC_DATE = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")


class SurveyCancelled(UserError):
    """The person cancelled reading the file."""


@dataclass(frozen=True)
class Survey:
    """What one streaming pass over a file found; no database involved.

    distinct: column -> its distinct values (as text, with how often each occurs) for
    columns with at most DISTINCT_LIMIT of them. date_evidence: column -> (distinct dates
    that read day first only, month first only), for columns of numeric text dates, and
    date_examples: column -> order -> (row, date) of the first date that reads only so.
    sheets: every worksheet of a workbook (sheet is the one read).
    """

    path: Path
    kind: str
    encoding: str | None
    sheet: str | None
    header: tuple[str, ...]
    sample: tuple[tuple[int, tuple[Cell, ...]], ...]
    row_count: int
    distinct: dict[str, dict[str, int]]
    date_evidence: dict[str, tuple[int, int]]
    suggested: Mapping
    sheets: tuple[str, ...] = ()
    date_examples: dict[str, dict[DateOrder, tuple[int, str]]] = field(default_factory=dict)

    @property
    def date_order(self) -> DateOrder | None:
        """The order the whole file's dates decide, None when they don't (or disagree)."""
        return _decided_order(self.date_evidence)

    @property
    def date_order_needed(self) -> bool:
        """Whether the file has numeric dates whose order a person must choose."""
        return bool(self.date_evidence) and self.date_order is None

    def date_conflict(self, columns: Iterable[str] | None = None) -> str | None:
        """Why the dates of `columns` (default: every column) cannot share one day/month
        order, naming a row of each order; None when they can.

        One column whose dates read only day first (13/04/2024) beside another, or the
        same one, whose dates read only month first (04/13/2024): no order reads both.
        """
        chosen = self.date_examples if columns is None else {
            column: self.date_examples[column] for column in columns
            if column in self.date_examples}
        found: dict[DateOrder, tuple[str, int, str]] = {}
        for column, examples in chosen.items():
            for order, (row, text) in examples.items():
                if order not in found or row < found[order][1]:
                    found[order] = (column, row, text)
        if len(found) < 2:
            return None
        day_column, day_row, day_text = found[DateOrder.DAY_FIRST]
        month_column, month_row, month_text = found[DateOrder.MONTH_FIRST]
        if day_column == month_column:
            return (f"{self.path.name}: the dates of the column '{day_column}' disagree on "
                    f"the day/month order: row {day_row} {day_text!r} reads only day "
                    f"first, row {month_row} {month_text!r} only month first; correct "
                    "the file, or choose the order and let the other rows be rejected")
        return (f"{self.path.name}: the date columns disagree on the day/month order: "
                f"'{day_column}' row {day_row} {day_text!r} reads only day first, "
                f"'{month_column}' row {month_row} {month_text!r} only month first; "
                "correct the file, or choose the order and let the other rows be rejected")


def survey_file(path: Path, *, sheet: str | int | None = None,
                progress: Progress | None = None,
                cancelled: Callable[[], bool] | None = None,
                kind: ImportKind = CALLS) -> Survey:
    """Read the whole file once: header, sample, row count, distinct values, date order.

    `suggested` is the mapping the console proposes (header names, sample values and the
    code values of the whole file). `sheet` names or numbers the worksheet of a workbook
    (default: the one that looks like a list of `kind`: calls unless told). Raises
    UserError for a file that cannot be read and SurveyCancelled when `cancelled()` turns
    true.
    """
    path = Path(path)
    with open_table(path, sheet=sheet, kind=kind) as table:
        return _survey(table, path, progress, cancelled, kind)


def _survey(table: Table, path: Path, progress: Progress | None,
            cancelled: Callable[[], bool] | None, kind: ImportKind) -> Survey:
    from console.data.importers.suggest import suggest_mapping

    header = tuple(table.header)
    width = len(header)
    counts: list[dict[str, int] | None] = [{} for _ in header]
    dates: dict[int, dict[str, int]] = {}  # column -> its dates -> the first row of each
    sample: list[tuple[int, tuple[Cell, ...]]] = []
    rows = 0
    for number, cells in table.rows():
        rows += 1
        if len(sample) < SAMPLE_ROWS:
            sample.append((number, tuple(cells)))
            if len(sample) == SAMPLE_ROWS or rows == 1:
                for i in _date_columns(sample, width):
                    if i not in dates:  # the sample's rows so far count too
                        dates[i] = {}
                        for seen_number, seen_cells in sample[:-1]:
                            _add_date(dates[i], seen_cells, i, seen_number)
        for i, cell in enumerate(cells[:width]):
            seen = counts[i]
            if seen is None or cell is None:
                continue
            key = cell if cell.__class__ is str else as_text(cell)
            if key is None or key == "":
                continue
            if key in seen:
                seen[key] += 1
            elif len(seen) >= DISTINCT_LIMIT:
                counts[i] = None
            else:
                seen[key] = 1
        for i, parts in dates.items():
            if i < len(cells) and cells[i].__class__ is str:
                parts.setdefault(cells[i].strip().partition(" ")[0],  # type: ignore[union-attr]
                                 number)
        if rows % PROGRESS_EVERY == 0:
            if cancelled is not None and cancelled():
                raise SurveyCancelled(f"reading {path.name} was cancelled")
            if progress is not None:
                done, total = _progress_of(table)
                progress(done, total, f"Reading {path.name}: {rows:,} rows")
    if cancelled is not None and cancelled():
        raise SurveyCancelled(f"reading {path.name} was cancelled")
    distinct = {header[i]: {k.strip(): v for k, v in seen.items()}
                for i, seen in enumerate(counts) if seen is not None}
    evidence = {header[i]: date_order_evidence(parts) for i, parts in dates.items() if parts}
    examples: dict[str, dict[DateOrder, tuple[int, str]]] = {}
    for i, parts in dates.items():
        for text, row in parts.items():
            order = order_of_date(text)
            if order is not None and order not in examples.get(header[i], {}):
                examples.setdefault(header[i], {})[order] = (row, text)
    sample_cells = [list(c) for _, c in sample]
    suggested = suggest_mapping(list(header), sample_cells, distinct, kind)  # codes completed
    if suggested.date_order is None:
        suggested.date_order = _decided_order(evidence)
    return Survey(path=path, kind=table.kind, encoding=table.encoding, sheet=table.sheet,
                  header=header, sample=tuple(sample), row_count=rows,
                  distinct=distinct, date_evidence=evidence, suggested=suggested,
                  sheets=table.sheets, date_examples=examples)


def _add_date(parts: dict[str, int], cells: Sequence[Cell], i: int, number: int) -> None:
    if i < len(cells) and isinstance(cells[i], str):
        parts.setdefault(cells[i].strip().partition(" ")[0], number)  # type: ignore[union-attr]


def _decided_order(evidence: dict[str, tuple[int, int]]) -> DateOrder | None:
    """Day first or month first when the dates of every column agree on it, else None."""
    day = sum(d for d, _ in evidence.values())
    month = sum(m for _, m in evidence.values())
    if day and not month:
        return DateOrder.DAY_FIRST
    if month and not day:
        return DateOrder.MONTH_FIRST
    return None


def _date_columns(sample: list[tuple[int, tuple[Cell, ...]]], width: int) -> list[int]:
    """Columns whose sample holds numeric text dates such as 11/04/2023."""
    out = []
    for i in range(width):
        values = [c[i] for _, c in sample if i < len(c) and isinstance(c[i], str)]
        if values and any(_NUMERIC_DATE.match(v.strip()) for v in values):  # type: ignore[union-attr]
            out.append(i)
    return out


def _progress_of(table: Table) -> tuple[int, int]:
    """The table's progress as (done, total) for a progress(done, total, text) callback."""
    return int(table.progress * 1000), 1000
