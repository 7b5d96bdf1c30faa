"""A corpus of malformed and hostile export files, written for real into a folder.

    build_corpus(folder: Path) -> list[CorpusFile]

Each CorpusFile names a file, its path and what the user should be told:

- level "file": the file cannot be read at all; `open_table` or iterating its rows raises
  a UserError whose text contains `expect` (lowercase substring).
- level "mapping": the file reads, but no import can start until the user decides
  something (the required columns are not there, or the day/month order is
  contradictory); `expect` is in the reason the import service gives.
- level "rows": the file reads and a mapping is suggested, but some rows must be
  rejected; `expect` is in at least one row's reason (good rows may import).
- level "ok": the file looks hostile but must read and import completely; `expect` is "".

Files that read use the suggestable header of `HEADER` (plus a column or two), so the
suggested mapping finds the incident number and received time. The wording of "mapping"
and "rows" reasons is the import service's ("no received time", "duplicate of row");
this module's own test checks them with the readers and values converters.

XLSX files are written with openpyxl, then edited at the byte level where openpyxl can't
(cached formula values, truncation); the encrypted workbook is a minimal OLE compound
file that carries the EncryptionInfo stream name, not a full Office encryption.
"""

from __future__ import annotations

import codecs
import gzip
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Literal

import openpyxl

Level = Literal["file", "mapping", "rows", "ok"]

HEADER = ["Incident Number", "Received", "Call Type", "Disposition", "Notes"]


@dataclass(frozen=True)
class CorpusFile:
    name: str
    path: Path
    expect: str
    level: Level


def calls(count: int = 6) -> list[list[str]]:
    """Good rows for HEADER: month-first times that decide the order (day 14 onwards)."""
    types = ["PERSON IN CRISIS", "WELFARE CHECK", "THEFT"]
    outcomes = ["RESOLVED", "GOA", "REFERRED TO MOBILE CRISIS"]
    return [[f"24-{i + 1:05}", f"03/{14 + i % 14:02}/2024 {1 + i % 12}:{i % 60:02}:00 PM",
             types[i % 3], outcomes[i % 3], "calm"] for i in range(count)]


def csv_text(rows: list[list[str]], delimiter: str = ",", newline: str = "\r\n") -> str:
    def cell(value: str) -> str:
        if any(c in value for c in f'"{delimiter}\r\n'):
            return '"' + value.replace('"', '""') + '"'
        return value
    return "".join(delimiter.join(map(cell, row)) + newline for row in rows)


def build_corpus(folder: Path) -> list[CorpusFile]:
    """Write every corpus file into `folder` (created if needed) and describe them."""
    folder.mkdir(parents=True, exist_ok=True)
    corpus: list[CorpusFile] = []

    def add(name: str, level: Level, expect: str, write: Callable[[Path], object]) -> None:
        path = folder / name
        write(path)
        corpus.append(CorpusFile(name, path, expect, level))

    def data(content: bytes | str, encoding: str = "utf-8") -> Callable[[Path], object]:
        raw = content.encode(encoding) if isinstance(content, str) else content
        return lambda path: path.write_bytes(raw)

    good = csv_text([HEADER, *calls()])

    # --- files that cannot be read -------------------------------------------------
    add("calls_renamed_pdf.csv", "file", "a pdf document",
        data(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
             b"xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 >>\n%%EOF\n"))
    add("calls_renamed_png.xlsx", "file", "a png image",
        data(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01"
             b"\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x00IEND\xaeB`\x82"))
    add("calls_word.xlsx", "file", "a word document", _docx)
    add("notes.txt", "file", "no columns separated",
        data("Calls for March were sent by email.\nAsk dispatch for the export.\n"))
    add("empty.csv", "file", "the file is empty", data(b""))
    add("blank_lines.csv", "file", "the file is empty", data("\r\n   \r\n\t\r\n"))
    add("header_only.csv", "file", "has a header but no rows",
        data(csv_text([HEADER, ["", "", "", "", ""]])))
    add("header_only.xlsx", "file", "has a header but no rows",
        lambda path: _workbook(path, {"Calls": [HEADER]}))
    add("truncated.xlsx", "file", "truncated or damaged", _truncated_workbook)
    add("renamed_zip.xlsx", "file", "a zip archive, not a spreadsheet", _zip_of_csv(good))
    add("encrypted.xlsx", "file", "password-protected", data(_ole(encrypted=True)))
    add("old_excel.xls", "file", "excel 97-2003", data(_ole(encrypted=False)))
    add("wide_20000_columns.csv", "file", "20,000 columns",
        data(csv_text([[f"Column {i}" for i in range(20_000)],
                       [str(i) for i in range(20_000)]])))
    add("nul_bytes.csv", "file", "nul bytes",
        data(good.encode() + b"24-99999,03/20/2024 1:00:00 PM,THEFT\x00\x00\x00,GOA,x\r\n"))
    add("unterminated_quote.csv", "file", "never closes",
        data(good + '24-99999,03/20/2024 1:00:00 PM,"THEFT,GOA,x\r\n' + good))
    add("stray_quote.csv", "file", "quote inside a cell is not doubled",
        data(good + '24-99999,03/20/2024 1:00:00 PM,"THEFT" IN PROGRESS,GOA,x\r\n'))
    add("duplicate_header.csv", "file", "appears twice",
        data(csv_text([[*HEADER, "Received"], *[[*row, "x"] for row in calls()]])))
    add("duplicate_header.xlsx", "file", "appears twice",
        lambda path: _workbook(path, {"Calls": [["Incident Number", "Notes", "Notes"],
                                                ["24-00001", "a", "b"]]}))
    add("only_empty_sheets.xlsx", "file", "every sheet of the workbook is empty",
        lambda path: _workbook(path, {"Sheet1": [], "Sheet2": [], "Sheet3": []}))
    add("huge_cell.csv", "file", "larger than 4 mb",
        data(csv_text([HEADER, ["24-00001", "03/14/2024 1:00:00 PM", "THEFT", "GOA",
                                "x" * 5_000_000]])))
    add("random_bytes.csv", "file", "binary data", data(_random_bytes()))
    add("login_page.xls", "file", "a web page (html)",
        data("<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form>"
             "<input name='user'></form></body></html>\n"))
    add("calls.csv.gz", "file", "gzip", data(gzip.compress(good.encode(), mtime=0)))
    add("xml_2003.xml", "file", "xml spreadsheet 2003",
        data('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
             '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
             'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet '
             'ss:Name="Calls"><Table><Row><Cell><Data ss:Type="String">Incident Number'
             '</Data></Cell></Row></Table></Worksheet></Workbook>\n'))

    # --- files that read but need a decision before any import ---------------------
    add("no_required_columns.csv", "mapping", "leaves out",
        data(csv_text([["Unit", "Officer", "Shift", "Comments"],
                       *[["U1", "Smith", "Day", "quiet"]] * 3, ["U2", "Jones", "Night", ""]])))
    add("dates_contradict.csv", "mapping", "day/month",
        data(csv_text([HEADER, ["24-00001", "03/04/2024 10:00", "THEFT", "GOA", ""],
                       ["24-00002", "13/04/2024 11:00", "THEFT", "GOA", ""],
                       ["24-00003", "04/13/2024 12:00", "THEFT", "GOA", ""]])))

    # --- files whose rows are partly rejected --------------------------------------
    add("dates_mixed_formats.csv", "rows", "not a date",
        data(csv_text([HEADER, *[[f"24-{i:05}", stamp, "THEFT", "GOA", ""] for i, stamp in
                                 enumerate(["2024-03-14 09:15:00", "03/15/2024 9:15 AM",
                                            "Mar 16, 2024 10:00 AM", "17-Mar-2024 11:00",
                                            "20240318120000", "31/31/2024 10:00", "soon"],
                                           1)]])))
    add("error_cells.xlsx", "rows", "no received time", _error_cells)
    add("formulas_without_values.xlsx", "rows", "no incident number",
        lambda path: _workbook(path, {"Calls": [HEADER[:3], *[
            ['="24-"&TEXT(ROW(),"00000")' if i % 2 else f"24-{i + 2:05}",
             datetime(2024, 3, 14 + i, 10), "THEFT"] for i in range(4)]]}))
    add("merged_cells.xlsx", "rows", "no received time", _merged_cells)
    add("ragged_rows.csv", "rows", "no received time",
        data(good + "24-77777\r\n24-88888,03/20/2024 1:00:00 PM,THEFT,GOA,x,extra,cells\r\n"))
    add("duplicate_incidents.csv", "rows", "duplicate of row",
        data(good + csv_text([calls()[0]])))
    add("priority_not_a_number.csv", "rows", "not a whole number",
        data(csv_text([[*HEADER, "Priority"],
                       *[[*row, "high" if i == 7 else str(1 + i % 3)]
                         for i, row in enumerate(calls(30))]])))

    # --- hostile-looking files that must read completely ---------------------------
    add("bom_utf8.csv", "ok", "", data(codecs.BOM_UTF8 + good.encode()))
    add("windows_1252.csv", "ok", "",
        data(csv_text([HEADER, *[[*row[:4], "Zoë at the Café — calm"] for row in calls()]]),
             "cp1252"))
    add("unicode_text_tabs.txt", "ok", "", data(csv_text([HEADER, *calls()], "\t"), "utf-16"))
    add("semicolon_sep_hint.csv", "ok", "",
        data("sep=;\r\n" + csv_text([HEADER, *[
            [f"24-{i:05}", f"{14 + i}.03.2024 09:{i:02}", "Person in crisis", "Resolved", "1,5"]
            for i in range(1, 6)]], ";")))
    add("large_cell_1mb.csv", "ok", "",
        data(good + csv_text([["24-55555", "03/20/2024 1:00:00 PM", "THEFT", "GOA",
                               "n" * 1_100_000]])))
    add("numbers_and_dates.xlsx", "ok", "", _numbers_and_dates)
    add("title_row_merged.xlsx", "ok", "", _title_row)
    add("formulas_with_values.xlsx", "ok", "", _cached_formulas)
    return corpus


# --- writers ---------------------------------------------------------------------------


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return book


def _docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<w:document/>")


def _zip_of_csv(text: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("export/calls.csv", text)
    return write


def _truncated_workbook(path: Path) -> None:
    _workbook(path, {"Calls": [HEADER, *calls(400)]})
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) * 2 // 3])


def _ole(*, encrypted: bool) -> bytes:
    """A compound-file header and a directory sector naming its streams."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff"
    header = header.ljust(512, b"\xff")
    names = ["Root Entry", "EncryptionInfo", "EncryptedPackage"] if encrypted else \
        ["Root Entry", "Workbook", "\x05SummaryInformation"]
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64
                         for name in names)
    return header + directory.ljust(512, b"\x00")


def _random_bytes() -> bytes:
    noise = bytearray(random.Random(7).randbytes(8192))
    noise[0:2] = b"\x01\x02"  # no file signature
    noise[40] = 0
    return bytes(noise)


def _error_cells(path: Path) -> None:
    rows: list[list[object]] = [HEADER]
    for i, row in enumerate(calls()):
        received: object = datetime(2024, 3, 14 + i, 13, 5)
        if i in (2, 4):
            received = "#DIV/0!" if i == 2 else "#N/A"
        rows.append([row[0], received, row[2], row[3], "#VALUE!" if i == 1 else "calm"])
    _workbook(path, {"Calls": rows})


def _merged_cells(path: Path) -> None:
    book = _workbook(path, {"Calls": [HEADER, *[
        [row[0], datetime(2024, 3, 14, 13, 5), *row[2:]] for row in calls()]]})
    book["Calls"].merge_cells("B3:B5")
    book.save(path)


def _numbers_and_dates(path: Path) -> None:
    """Identifiers stored as numbers, datetime and date cells, a bare serial number."""
    rows: list[list[object]] = [[*HEADER[:4], "Priority"]]
    stamps: list[object] = [datetime(2024, 3, 14, 18, 8, 26), date(2024, 3, 15),
                            45367.75, datetime(2024, 3, 17, 0, 0)]
    for i, stamp in enumerate(stamps):
        rows.append([2024000319821 + i, stamp, "WELFARE CHECK", "Advised", float(i % 3 + 1)])
    _workbook(path, {"Calls": rows})


def _title_row(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Report"
    sheet["A1"] = "Calls for service, March 2024 (generated by CAD)"
    sheet.merge_cells("A1:E1")
    for row in [HEADER, *calls()]:
        sheet.append(row)
    book.save(path)


def _cached_formulas(path: Path) -> None:
    """Formulas as Excel saves them: the formula and its last computed value."""
    rows = calls(4)
    _workbook(path, {"Calls": [HEADER[:3], *[
        ['="24-"&TEXT(ROW(),"00000")', f"=DATE(2024,3,{14 + i})+TIME(13,5,0)", row[2]]
        for i, row in enumerate(rows)]]})
    values = {f"A{i + 2}": ("str", f"24-{i + 2:05}") for i in range(len(rows))}
    values.update({f"B{i + 2}": ("n", str(45365 + i + (13 * 60 + 5) / 1440))
                   for i in range(len(rows))})
    sheet_xml = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}

    def cached(match: re.Match[str]) -> str:
        kind, value = values[match[1]]
        type_attribute = ' t="str"' if kind == "str" else ""
        return f'<c r="{match[1]}"{match[2]}{type_attribute}><f>{match[3]}</f><v>{value}</v></c>'

    xml = re.sub(r'<c r="([AB]\d+)"([^>]*?)><f>(.*?)</f><v\s*/></c>', cached,
                 parts[sheet_xml].decode())
    parts[sheet_xml] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
