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
import stat
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from python_calamine import (
    CalamineError,
    CalamineSheet,
    CalamineWorkbook,
    SheetMetadata,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from console.data.importers.values import Cell, as_text
from console.errors import UserError

if TYPE_CHECKING:
    from console.data.importers.fields import ImportKind

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
    XLSX), sheet the worksheet read (None for CSV) and sheets the names of all the
    workbook's worksheets (empty for CSV). header holds the column names,
    stripped, a blank one named "Column N"; title lines above it (fewer than two filled
    cells) are skipped. rows() yields (row number as the user sees
    it in the file, the header being row 1 when it is the first line; cells), skipping
    fully blank rows. A row may have fewer or more cells than the header. progress is
    the fraction of the file read so far, cheap enough for a progress bar.
    """

    kind: str
    encoding: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
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


def open_table(path: Path, *, sheet: str | int | None = None,
               kind: ImportKind | None = None) -> Table:
    """Open a CSV or XLSX export by its content; UserError (one line) if it can't be read.

    sheet chooses the worksheet of a workbook: its name, or its number counting from 1
    (an int, or digits that are no sheet's name: a sheet may be called "2024"). By
    default the sheet that looks most like a table of calls (`call_table_score`), or of
    the `kind` of list being imported.
    Only regular files are read: a named pipe or a device is refused at once rather than
    waited on (standard input is spooled to a file by the command line).
    """
    path = Path(path)
    name = path.name
    size, head = _read_head(path)
    if not head.strip(b" \t\r\n\x00"):
        raise UserError(f"{name}: the file is empty; export the calls again")
    if head.startswith(b"PK"):
        return _open_workbook(path, sheet, kind)
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
    if sheet is not None:
        raise UserError(f"{name}: a CSV file has no sheets, so the sheet '{sheet}' cannot be "
                        "read; leave the sheet out, or open the workbook itself")
    return _open_csv(path, head, size)


def _read_head(path: Path) -> tuple[int, bytes]:
    """The file's size and first bytes; a folder, pipe or device is refused, never read.

    The file is opened without blocking (a named pipe with no writer would otherwise
    hang here) and checked to be a regular file before anything is read.
    """
    name = path.name
    try:
        fd = os.open(path, os.O_RDONLY | _O_NONBLOCK | _O_BINARY)
    except IsADirectoryError:
        raise UserError(f"{name}: is a folder, not a CSV or XLSX export") from None
    except OSError as exc:
        raise UserError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UserError(f"{name}: is a folder, not a CSV or XLSX export")
        if not stat.S_ISREG(info.st_mode):
            raise UserError(f"{name}: {_special_kind(info.st_mode)}, not a file; save the "
                            "export to a file and open that (on the command line, "
                            "standard input is read with `import-calls -`)")
        with os.fdopen(os.dup(fd), "rb") as file:
            return info.st_size, file.read(_SAMPLE_BYTES)
    except OSError as exc:
        raise UserError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


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
    elif (unmarked := _utf16_without_bom(head)) is not None:
        candidates = (unmarked,)
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


def _utf16_without_bom(head: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" for UTF-16 text without a byte-order mark, else None.

    Such text has a NUL in the high byte of every ASCII character (the digits,
    separators and line ends of any export), so one parity of byte positions holds many
    NULs (an eighth of the characters at least, even in Chinese text) and the other few:
    only characters such as U+0100 or U+4E00 put one there. Binary data has NULs at
    both; UTF-8 and the 8-bit encodings have none. The whole file is then decoded
    strictly, so a wrong guess is still told.
    """
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even, odd = head[0:pairs * 2:2].count(0), head[1:pairs * 2:2].count(0)
    if odd * 8 >= pairs and even * 3 <= odd:
        return "utf-16-le"
    if even * 8 >= pairs and odd * 3 <= even:
        return "utf-16-be"
    return None


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

    def __init__(self, path: Path, workbook: CalamineWorkbook, sheet: CalamineSheet,
                 sheets: tuple[str, ...] = ()) -> None:
        self._workbook = workbook
        self.sheet = sheet.name
        self.sheets = sheets or (sheet.name,)
        end = sheet.end
        self._total = end[0] + 1 if end else 0
        first_column = sheet.start[1] if sheet.start else 0
        self._rows = sheet.iter_rows()
        self._number = 0
        where = f"{path.name}: the sheet '{sheet.name}'"
        others = f"; its sheets: {_listed(self.sheets)}" if len(self.sheets) > 1 else ""
        header_row = _header_row(self._next_record)
        if header_row is None:
            raise UserError(f"{where} is empty{others}")
        if header_row is _NO_HEADER:
            raise UserError(f"{where} has no header row with two or more filled cells in "
                            f"its first {_TITLE_ROWS} rows{others}")
        self.header_line = self._number

        super().__init__(path, _header(path.name, header_row,
                                       lambda index: _column_letter(first_column + index)))
        self._first = self._next_record()
        if self._first is None:
            raise UserError(f"{where} has a header but no rows{others}")
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


def _open_workbook(path: Path, sheet_name: str | int | None,
                   kind: ImportKind | None = None) -> XlsxTable:
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
        worksheets = _worksheets(workbook)
        sheet = _pick_sheet(name, workbook, worksheets, sheet_name, kind)
        return XlsxTable(path, workbook, sheet, tuple(meta.name for meta in worksheets))
    except CalamineError as exc:
        workbook.close()
        raise UserError(f"{name}: the workbook is damaged ({_first_line(exc)}); "
                        "export it again") from None
    except BaseException:
        workbook.close()
        raise


def _worksheets(workbook: CalamineWorkbook) -> tuple[SheetMetadata, ...]:
    """The workbook's worksheets (chart sheets hold no rows), in order."""
    return tuple(meta for meta in workbook.sheets_metadata
                 if meta.typ == SheetTypeEnum.WorkSheet)


def _listed(names: Sequence[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


def _pick_sheet(name: str, workbook: CalamineWorkbook, worksheets: tuple[SheetMetadata, ...],
                wanted: str | int | None, kind: ImportKind | None = None) -> CalamineSheet:
    names = tuple(meta.name for meta in worksheets)
    if wanted is not None:
        text = str(wanted).strip()
        if not isinstance(wanted, int) and text in names:
            return workbook.get_sheet_by_name(text)
        if isinstance(wanted, int) or text.isdigit():
            number = int(text)
            if 1 <= number <= len(names):
                return workbook.get_sheet_by_name(names[number - 1])
            raise UserError(f"{name}: no sheet number {number}: the workbook has "
                            f"{len(names)} ({_listed(names)})")
        raise UserError(f"{name}: no sheet named '{text}' (its sheets: {_listed(names)})")
    filled = []
    for meta in worksheets:
        sheet = workbook.get_sheet_by_name(meta.name)
        if sheet.height and sheet.end is not None:
            filled.append((sheet, meta.visible == SheetVisibleEnum.Visible))
    if not filled:
        raise UserError(f"{name}: every sheet of the workbook is empty")
    if len(filled) == 1:
        return filled[0][0]  # its own problems, if any, are told when it is opened
    scored = []
    for index, (sheet, visible) in enumerate(filled):
        score = call_table_score(sheet.iter_rows(), visible=visible, total=sheet.height,
                                 kind=kind)
        if score is not None:
            scored.append((score, -index, sheet))  # a tie goes to the first sheet
    if not scored:
        raise UserError(f"{name}: no sheet has a header row with two or more filled cells "
                        f"in its first {_TITLE_ROWS} rows; its sheets: {_listed(names)}")
    return max(scored, key=lambda item: (item[0], item[1]))[2]


_SCORE_SAMPLE = 50
_SCORE_ROWS = 1000


def call_table_score(rows: Iterable[Sequence[Any]], *, visible: bool = True,
                     total: int | None = None,
                     kind: ImportKind | None = None) -> tuple[int, int, bool, int, int] | None:
    """How much a sheet's rows look like a table of calls; None when they have no header.

    The rule that picks the sheet of a workbook to read when none is named: first the
    required call fields (incident number, received time) that the suggestion finds in
    its header and first rows, then all the fields it finds, then a visible sheet over
    a hidden one, then how many of its first rows are about as wide as the header, then
    its size (`total` rows, else those read). A cover note, a pivot summary or a list of
    codes loses to the calls; between two sheets of calls the larger wins, and a tie
    goes to the first. Reads at most the first thousand rows. `kind` scores for another
    kind of list (its required fields and its fields) than calls.
    """
    from console.data.importers.fields import CALLS
    from console.data.importers.suggest import suggest_columns

    kind = kind or CALLS
    records = (list(cells) for cells in rows if any(cell not in ("", None) for cell in cells))
    header_row = _header_row(lambda: next(records, None))
    if header_row is None or header_row is _NO_HEADER:
        return None
    names = [as_text(cell) or f"Column {index + 1}" for index, cell in enumerate(header_row)]
    width = sum(1 for cell in header_row if cell not in ("", None))
    sample: list[list[Any]] = []
    count = steady = 0
    for cells in islice(records, _SCORE_ROWS):
        count += 1
        filled = sum(1 for cell in cells if cell not in ("", None))
        steady += filled * 2 >= width
        if len(sample) < _SCORE_SAMPLE:
            sample.append(cells)
    if not count:
        return None
    found = suggest_columns(names, sample, kind)
    required = sum(1 for field_name in kind.required if field_name in found)
    return required, len(found), visible, steady, total if total is not None else count


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
