"""Opening a CAD or records-system export (CSV or XLSX) as a header and a stream of rows.

`open_table` looks at the file's content, not its extension: a renamed ZIP, a PDF, an
encrypted workbook or a truncated download each fail at once with a one-line UserError
that names the file, says why and what to do. What opens yields its rows as they come
from csv.reader or python-calamine, numbered as the user sees them in the file, with no
per-cell work: turning cells into values is `values`' job and the import service's.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook, SheetTypeEnum

from console.data.importers.values import Cell, as_text
from console.errors import UserError

MAX_COLUMNS = 500
CELL_LIMIT = 4 * 1024 * 1024    # csv refuses a larger cell (its default is 128 KB)
_SAMPLE_BYTES = 64 * 1024
_SCAN_CHUNK = 256 * 1024
_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}

csv.field_size_limit(max(csv.field_size_limit(), CELL_LIMIT))

Row = Sequence[Cell]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptionInfo".encode("utf-16-le")
_NOT_AN_EXPORT = "not a CSV or XLSX export"
_BINARY_KINDS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", f"a PDF document, {_NOT_AN_EXPORT}"),
    (b"\x89PNG", f"a PNG image, {_NOT_AN_EXPORT}"),
    (b"\xff\xd8\xff", f"a JPEG image, {_NOT_AN_EXPORT}"),
    (b"GIF8", f"a GIF image, {_NOT_AN_EXPORT}"),
    (b"\x1f\x8b", "a gzip-compressed file; decompress it and open the export inside"),
    (b"7z\xbc\xaf", "a 7-Zip archive; extract it and open the export inside"),
    (b"Rar!", "a RAR archive; extract it and open the export inside"),
    (b"{\\rtf", f"a Rich Text document, {_NOT_AN_EXPORT}"),
)


class Table:
    """An open export: its header, then its rows, streamed once.

    kind is "csv" or "xlsx"; encoding is the text encoding a CSV was read in (None for
    XLSX), sheet the worksheet read (None for CSV). header holds the column names,
    stripped, a blank one named "Column N"; title lines above it (fewer than two filled
    cells) are skipped. rows() yields (row number as the user sees
    it in the file, the header being row 1 when it is the first line; cells), skipping
    fully blank rows. A row may have fewer or more cells than the header. progress is
    the fraction of the file read so far, cheap enough for a progress bar.
    """

    kind: str
    encoding: str | None = None
    sheet: str | None = None
    header_line: int = 1  # the header's row number (title lines above it are skipped)

    def __init__(self, path: Path, header: tuple[str, ...]) -> None:
        self.path = path
        self.header = header

    @property
    def name(self) -> str:
        return self.path.name

    def rows(self) -> Iterator[tuple[int, Row]]:
        raise NotImplementedError

    @property
    def progress(self) -> float:
        raise NotImplementedError

    def close(self) -> None:
        """Release the file; the rows can no longer be read."""

    def __enter__(self) -> Table:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def open_table(path: Path, *, sheet: str | None = None) -> Table:
    """Open a CSV or XLSX export by its content; UserError (one line) if it can't be read.

    sheet names the worksheet of a workbook to read; by default the first one with data.
    """
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            head = file.read(_SAMPLE_BYTES)
    except IsADirectoryError:
        raise UserError(f"{name}: is a folder, not a CSV or XLSX export") from None
    except OSError as exc:
        raise UserError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if not head.strip(b" \t\r\n\x00"):
        raise UserError(f"{name}: the file is empty; export the calls again")
    if head.startswith(b"PK"):
        return _open_workbook(path, sheet)
    if head.startswith(_OLE):
        if _ENCRYPTED_STREAM in head:
            raise UserError(f"{name}: the workbook is password-protected (encrypted); "
                            "save it as .xlsx without a password")
        raise UserError(f"{name}: an encrypted workbook or an old Excel 97-2003 file "
                        "(.xls); save it as .xlsx without a password")
    for magic, what in _BINARY_KINDS:
        if head.startswith(magic):
            raise UserError(f"{name}: {what}")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if start.startswith(b"<?xml") and b"office:spreadsheet" in head:
        raise UserError(f"{name}: an XML Spreadsheet 2003 file; open it in Excel and save "
                        "it as .xlsx")
    if start.startswith((b"<!doctype html", b"<html")) or b"<table" in start:
        raise UserError(f"{name}: a web page (HTML), {_NOT_AN_EXPORT}; open it in Excel "
                        "and save it as .xlsx, or download the export itself")
    return _open_csv(path, head, size)


# --- CSV -------------------------------------------------------------------------


class CsvTable(Table):
    kind = "csv"

    def __init__(self, path: Path, file: IO[bytes], text: IO[str], encoding: str,
                 delimiter: str, size: int) -> None:
        self._file = file
        self._text = text
        self._size = size
        self.encoding = encoding
        self.delimiter = delimiter
        self._reader = csv.reader(text, delimiter=delimiter, strict=True)
        self._line = 0
        header_row = _header_row(self._next_record)
        if header_row is None:
            raise UserError(f"{path.name}: the file is empty; export the calls again")
        if header_row is _NO_HEADER:
            raise UserError(f"{path.name}: no columns separated by commas, semicolons, "
                            "tabs or | in its first lines; not a CSV export of calls")
        self.header_line = self._start
        super().__init__(path, _header(path.name, header_row, _column_number))
        self._first = self._next_record()
        if self._first is None:
            raise UserError(f"{path.name}: has a header but no rows")

    def _next_record(self) -> list[str] | None:
        """The next record that is not blank, None at the end of the file."""
        reader = self._reader
        try:
            for cells in reader:
                self._start = self._line + 1
                self._line = reader.line_num
                if any(cells):
                    return cells
        except csv.Error as exc:
            self._start = self._line + 1
            raise self._csv_error(exc) from None
        return None

    def rows(self) -> Iterator[tuple[int, Row]]:
        first = self._first
        if first is None:
            return
        self._first = None
        yield self._start, first
        reader = self._reader
        line = self._line
        try:
            for cells in reader:
                if any(cells):
                    yield line + 1, cells
                line = reader.line_num
        except csv.Error as exc:
            self._start = line + 1
            raise self._csv_error(exc) from None
        except UnicodeDecodeError:
            raise UserError(f"{self.name}: line {line + 1}: the text is not "
                            f"{self.encoding}; save the file as UTF-8") from None

    def _csv_error(self, exc: csv.Error) -> UserError:
        where = f"{self.name}: line {self._start}"
        reason = str(exc)
        if "unexpected end of data" in reason:
            return UserError(f"{where}: a quoted cell never closes (unterminated quote); "
                             "fix the quote or export the file again")
        if "expected after" in reason:
            return UserError(f"{where}: a quote inside a cell is not doubled; "
                             "fix the quote or export the file again")
        if "field larger than field limit" in reason:
            return UserError(f"{where}: a cell is larger than {CELL_LIMIT // 2**20} MB; "
                             "not a CSV export of calls, or a quote never closes")
        return UserError(f"{where}: not valid CSV ({reason.splitlines()[0]})")

    @property
    def progress(self) -> float:
        if self._file.closed or not self._size:
            return 1.0
        return min(os.lseek(self._file.fileno(), 0, os.SEEK_CUR) / self._size, 1.0)

    def close(self) -> None:
        self._text.close()


def _open_csv(path: Path, head: bytes, size: int) -> CsvTable:
    name = path.name
    encoding = _encoding(path, head)
    sample = head.decode(encoding, errors="replace")
    delimiter = _sniff_delimiter(sample, complete=len(head) >= size)
    file = path.open("rb")
    try:
        text = io.TextIOWrapper(file, encoding=encoding, newline="")
        return CsvTable(path, file, text, encoding, delimiter, size)
    except UnicodeDecodeError:
        file.close()
        raise UserError(f"{name}: the text is not {encoding}; save the file as UTF-8") \
            from None
    except BaseException:
        file.close()
        raise


def _encoding(path: Path, head: bytes) -> str:
    """The encoding of a text file, by its byte-order mark or by a strict scan.

    UTF-8 is checked over the whole file (a stream decoder, a chunk at a time); what
    is not UTF-8 is Windows-1252 where every byte is defined there, else Latin-1.
    """
    name = path.name
    if head.startswith(codecs.BOM_UTF8):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    elif len(head) >= 4 and head[1::2].count(0) > len(head) // 4 and not head[0::2].count(0):
        candidates = ("utf-16-le",)
    elif len(head) >= 4 and head[0::2].count(0) > len(head) // 4 and not head[1::2].count(0):
        candidates = ("utf-16-be",)
    else:
        candidates = ("utf-8", "cp1252", "latin-1")
    for encoding in candidates:
        problem = _scan(path, encoding)
        if problem is None:
            return encoding
        if problem[0] == "nul":
            raise UserError(f"{name}: binary data (NUL bytes) at line {problem[1]}, "
                            f"{_NOT_AN_EXPORT}")
    raise UserError(f"{name}: the text is not {candidates[-1]}; save the file as UTF-8")


def _scan(path: Path, encoding: str) -> tuple[str, int] | None:
    """("nul", line) for binary data, ("decode", line) for a wrong encoding, else None."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    lines = 1
    with path.open("rb") as file:
        while True:
            chunk = file.read(_SCAN_CHUNK)
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                return "decode", lines + chunk.count(b"\n", 0, exc.start)
            nul = text.find("\x00")
            if nul >= 0:
                return "nul", lines + text.count("\n", 0, nul)
            if not chunk:
                return None
            lines += text.count("\n")


def _sniff_delimiter(sample: str, *, complete: bool) -> str:
    """The delimiter that splits the first lines into the most, equally wide, columns.

    Excel's "sep=;" first line decides by itself.
    """
    lines = sample.splitlines()
    if not complete and len(lines) > 1:
        lines.pop()  # cut by the sample's end
    lines = [line for line in lines if line.strip()][:50]
    hint = lines[0].strip() if lines else ""
    if len(hint) == 5 and hint.lower().startswith("sep="):
        return hint[4]
    best, best_score = ",", (False, 0.0, 0)
    for delimiter in _DELIMITERS:
        if not any(delimiter in line for line in lines[:_TITLE_ROWS]):
            continue
        try:
            widths = Counter(len(record) for record in csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
        score = (width > 1, count / sum(widths.values()), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


# --- XLSX ------------------------------------------------------------------------


class XlsxTable(Table):
    kind = "xlsx"

    def __init__(self, path: Path, workbook: CalamineWorkbook, sheet: CalamineSheet) -> None:
        self._workbook = workbook
        self.sheet = sheet.name
        end = sheet.end
        self._total = end[0] + 1 if end else 0
        first_column = sheet.start[1] if sheet.start else 0
        self._rows = sheet.iter_rows()
        self._number = 0
        header_row = _header_row(self._next_record)
        if header_row is None:
            raise UserError(f"{path.name}: the sheet '{sheet.name}' is empty")
        if header_row is _NO_HEADER:
            raise UserError(f"{path.name}: no header row with two or more columns in the "
                            f"first {_TITLE_ROWS} rows of the sheet '{sheet.name}'")
        self.header_line = self._number

        super().__init__(path, _header(path.name, header_row,
                                       lambda index: _column_letter(first_column + index)))
        self._first = self._next_record()
        if self._first is None:
            raise UserError(f"{path.name}: the sheet '{sheet.name}' has a header but no rows")
        self._first_number = self._number

    def _next_record(self) -> list[Any] | None:
        for cells in self._rows:
            self._number += 1
            if cells.count("") != len(cells):
                return cells
        return None

    def rows(self) -> Iterator[tuple[int, Row]]:
        first = self._first
        if first is None:
            return
        self._first = None
        yield self._first_number, first
        number = self._number
        for cells in self._rows:
            number += 1
            if cells.count("") != len(cells):
                self._number = number
                yield number, cells
        self._number = self._total

    @property
    def progress(self) -> float:
        return min(self._number / self._total, 1.0) if self._total else 1.0

    def close(self) -> None:
        with contextlib.suppress(CalamineError):  # already closed
            self._workbook.close()


def _open_workbook(path: Path, sheet_name: str | None) -> XlsxTable:
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.namelist()
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise UserError(f"{name}: the workbook is truncated or damaged (not a complete "
                        "ZIP archive); export it again") from None
    except OSError as exc:
        raise UserError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if "xl/workbook.xml" not in members:
        raise UserError(f"{name}: {_zip_kind(members)}")
    try:
        workbook = CalamineWorkbook.from_path(path)
    except CalamineError as exc:
        raise UserError(f"{name}: the workbook is damaged ({_first_line(exc)}); "
                        "export it again") from None
    try:
        sheet = _pick_sheet(name, workbook, sheet_name)
        return XlsxTable(path, workbook, sheet)
    except CalamineError as exc:
        workbook.close()
        raise UserError(f"{name}: the workbook is damaged ({_first_line(exc)}); "
                        "export it again") from None
    except BaseException:
        workbook.close()
        raise


def _pick_sheet(name: str, workbook: CalamineWorkbook, wanted: str | None) -> CalamineSheet:
    names = workbook.sheet_names
    if wanted is not None:
        if wanted not in names:
            listed = ", ".join(f"'{sheet}'" for sheet in names)
            raise UserError(f"{name}: no sheet named '{wanted}' (its sheets: {listed})")
        return workbook.get_sheet_by_name(wanted)
    for meta in workbook.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue
        sheet = workbook.get_sheet_by_name(meta.name)
        if sheet.height and sheet.end is not None:
            return sheet
    raise UserError(f"{name}: every sheet of the workbook is empty")


def _zip_kind(members: list[str]) -> str:
    if "word/document.xml" in members:
        return "a Word document (.docx), not a spreadsheet; export the calls as CSV or XLSX"
    if "ppt/presentation.xml" in members:
        return "a PowerPoint file, not a spreadsheet; export the calls as CSV or XLSX"
    if "content.xml" in members:
        return "an OpenDocument file (.ods/.odt); save it as .xlsx or CSV"
    shown = next((member for member in members if not member.endswith("/")), None)
    count = f"{len(members)} files, such as" if len(members) > 1 else "only"
    inside = f" (it holds {count} '{shown}')" if shown else ""
    return f"a ZIP archive, not a spreadsheet{inside}; unzip it and open the export inside"


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(index: int) -> str:
    return str(index + 1)


# --- both --------------------------------------------------------------------------

_TITLE_ROWS = 10
_NO_HEADER: list[Any] = []


def _header_row(next_record: Callable[[], list[Any] | None]) -> list[Any] | None:
    """The first row with two or more filled cells: title lines above it are skipped.

    None for a file with no rows, _NO_HEADER when none of the first rows has two cells.
    """
    for seen in range(_TITLE_ROWS):
        cells = next_record()
        if cells is None:
            return _NO_HEADER if seen else None
        if len(cells) - cells.count("") - cells.count(None) >= 2:
            return cells
    return _NO_HEADER



def _header(name: str, cells: Sequence[Cell], where: Callable[[int], str]) -> tuple[str, ...]:
    """Column names: stripped, blanks named "Column N", no trailing blanks, no repeats."""
    names = [as_text(cell) or "" for cell in cells]
    while names and not names[-1]:
        names.pop()
    if len(names) > MAX_COLUMNS:
        raise UserError(f"{name}: {len(names):,} columns, more than the {MAX_COLUMNS} "
                        "a calls export can have; is this the right file?")
    names = [text.replace("\n", " ") or f"Column {index + 1}"
             for index, text in enumerate(names)]
    seen: dict[str, int] = {}
    for index, text in enumerate(names):
        if text in seen:
            raise UserError(f"{name}: the column '{text}' appears twice in the header "
                            f"(columns {where(seen[text])} and {where(index)}); "
                            "rename one and try again")
        seen[text] = index
    return tuple(names)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    line = text[0] if text else type(exc).__name__
    return line if len(line) <= 100 else line[:97] + "..."
