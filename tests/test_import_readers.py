"""Opening exports: CSV and XLSX read as a header and numbered rows; bad files give a reason."""

from __future__ import annotations

import codecs
import tracemalloc
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from import_corpus import CorpusFile, build_corpus

from console.data.importers.readers import MAX_COLUMNS, open_table
from console.data.importers.suggest import suggest_mapping
from console.data.importers.values import AMBIGUOUS_ORDER, DateTimeParser, as_int, as_text
from console.errors import UserError

HEADER = "Event,Queued,Type\n"


def write(path: Path, data: str | bytes, encoding: str = "utf-8") -> Path:
    path.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
    return path


def read_all(path: Path, **options: str) -> tuple[tuple[str, ...], list[tuple[int, list]]]:
    with open_table(path, **options) as table:
        return table.header, [(number, list(cells)) for number, cells in table.rows()]


def reason(path: Path, **options: str) -> str:
    """The one-line reason a file can't be read, from opening it or reading its rows."""
    with pytest.raises(UserError) as caught, open_table(path, **options) as table:
        for _ in table.rows():
            pass
    message = str(caught.value)
    assert message.startswith(f"{path.name}: "), message
    assert "\n" not in message and "Traceback" not in message
    return message


def test_csv_rows_are_numbered_as_lines_of_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "calls.csv",
                 HEADER + "E1,11/04/2023 6:08 PM,CRISIS\n\n,,\n"
                 '"E2",11/05/2023,"two\nlines"\nE3,11/06/2023,X\n')
    with open_table(path) as table:
        assert (table.kind, table.encoding, table.sheet) == ("csv", "utf-8", None)
        assert table.header == ("Event", "Queued", "Type")
        rows = list(table.rows())
        assert table.progress == 1.0
    assert rows == [(2, ["E1", "11/04/2023 6:08 PM", "CRISIS"]),
                    (5, ["E2", "11/05/2023", "two\nlines"]),
                    (7, ["E3", "11/06/2023", "X"])]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    lines = ["Event,Queued,Address", 'E1,11/04/2023,"1 Main St, Apt 2"', "E2,11/05/2023,x"]
    if delimiter != ",":
        lines = [line.replace(",", delimiter).replace(f"St{delimiter}", "St,")
                 for line in lines]
    header, rows = read_all(write(tmp_path / "calls.csv", "\r\n".join(lines) + "\r\n"))
    assert header == ("Event", "Queued", "Address")
    assert rows[0][1] == ["E1", "11/04/2023", "1 Main St, Apt 2"]


@pytest.mark.parametrize(("data", "encoding"), [
    (codecs.BOM_UTF8 + "Événement,Heure\nÉ1,1\n".encode(), "utf-8-sig"),
    ("Événement,Heure\nÉ1,1\n".encode("utf-16"), "utf-16"),
    ("Événement,Heure\nÉ1,1\n".encode("utf-16-le"), "utf-16-le"),
    ("Événement,Heure\nÉ1,1\n".encode("cp1252"), "cp1252"),
    ("Événement,Heure\nÉ1,1\n".encode("cp1252") + b"\x81,2\n", "latin-1"),
])
def test_encodings_are_detected(tmp_path: Path, data: bytes, encoding: str) -> None:
    path = write(tmp_path / "calls.csv", data)
    with open_table(path) as table:
        assert table.encoding == encoding
        assert table.header == ("Événement", "Heure")
        assert next(iter(table.rows()))[1] == ["É1", "1"]


def test_a_late_non_utf8_byte_still_switches_the_encoding(tmp_path: Path) -> None:
    body = "".join(f"E{i},2023-01-01 10:00\n" for i in range(50_000))
    path = write(tmp_path / "calls.csv", (HEADER + body).encode() + "E,Zoë\n".encode("cp1252"))
    _, rows = read_all(path)
    assert rows[-1][1] == ["E", "Zoë"]


def test_title_lines_above_the_header_are_skipped(tmp_path: Path) -> None:
    path = write(tmp_path / "calls.csv", "Calls for service, March 2024\n\n"
                 "Event;Queued;Type\nE1;14.03.2024 10:00;X\n")
    with open_table(path) as table:
        assert table.header == ("Event", "Queued", "Type") and table.header_line == 3
        assert list(table.rows()) == [(4, ["E1", "14.03.2024 10:00", "X"])]


def test_header_names_are_cleaned(tmp_path: Path) -> None:
    header, _ = read_all(write(tmp_path / "calls.csv", " Event ,,Type,,\nE1,x,y,,\n"))
    assert header == ("Event", "Column 2", "Type")


def test_a_duplicated_header_names_both_columns(tmp_path: Path) -> None:
    message = reason(write(tmp_path / "calls.csv", "Event,Type,Priority,Type\nE1,a,1,b\n"))
    assert "'Type' appears twice" in message and "columns 2 and 4" in message


def test_too_many_columns(tmp_path: Path) -> None:
    header = ",".join(f"c{i}" for i in range(MAX_COLUMNS + 1))
    assert "501 columns" in reason(write(tmp_path / "wide.csv", header + "\n" + header + "\n"))


@pytest.mark.parametrize(("data", "expected"), [
    (b"", "the file is empty"),
    (b"\r\n\r\n  \n", "the file is empty"),
    (codecs.BOM_UTF8, "the file is empty"),
    (HEADER.encode() + b"\n,,\n", "has a header but no rows"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a pdf document"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a png image"),
    (b"Event,Type\nE1,a\x00\x00\x00b\n", "nul bytes) at line 2"),
    (b"just a note\nwith no columns\n", "no columns separated"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "save it as .xlsx without a password"),
])
def test_unreadable_files_say_why(tmp_path: Path, data: bytes, expected: str) -> None:
    assert expected in reason(write(tmp_path / "calls.csv", data)).lower()


def test_quote_problems_name_the_line(tmp_path: Path) -> None:
    unterminated = write(tmp_path / "open.csv", HEADER + 'E1,x,y\nE2,"x,y\nE3,a,b\n')
    assert "line 3: a quoted cell never closes" in reason(unterminated)
    stray = write(tmp_path / "stray.csv", HEADER + 'E1,x,y\nE2,"x"y,z\n')
    assert "line 3: a quote inside a cell" in reason(stray)


def test_a_huge_cell_is_refused_and_a_large_one_read(tmp_path: Path) -> None:
    large = "n" * 1_100_000
    _, rows = read_all(write(tmp_path / "large.csv", f"{HEADER}E1,x,{large}\n"))
    assert rows[0][1][2] == large
    huge = "n" * 5_000_000
    huge_file = write(tmp_path / "huge.csv", f"{HEADER}E1,x,{huge}\n")
    assert "larger than 4 mb" in reason(huge_file).lower()


def test_a_missing_file_or_a_folder(tmp_path: Path) -> None:
    assert "cannot be read" in reason(tmp_path / "absent.csv")
    assert "is a folder" in reason(tmp_path)


def test_csv_reading_streams_in_flat_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", newline="") as file:
        file.write("Event,Queued,Type,Narrative\n")
        for i in range(60_000):
            file.write(f"E{i},11/04/2023 6:{i % 60:02}:00 PM,CRISIS,{'words ' * 10}\n")
    assert path.stat().st_size > 5_000_000
    tracemalloc.start()
    try:
        with open_table(path) as table:
            seen = [0.0]
            count = 0
            for count, _ in enumerate(table.rows(), 1):
                if count % 10_000 == 0:
                    seen.append(table.progress)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 60_000
    assert peak < 2_000_000, f"peak {peak:,} bytes"
    assert seen == sorted(seen) and 0.1 < seen[1] < seen[-1] <= 1.0


# --- XLSX ----------------------------------------------------------------------


def workbook(path: Path, sheets: dict[str, list[list[object]]], first_row: int = 1) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for offset, row in enumerate(rows):
            for column, value in enumerate(row, 1):
                if value is not None:
                    sheet.cell(first_row + offset, column, value)
    book.save(path)
    return path


def test_xlsx_reads_the_first_sheet_with_data(tmp_path: Path) -> None:
    path = workbook(tmp_path / "calls.xlsx", {
        "Notes": [],
        "Calls": [["Event", "Queued", "Priority"],
                  [2023000319821, datetime(2023, 11, 4, 18, 8, 26), 2],
                  [None, None, None],
                  ["E2", datetime(2023, 11, 5), 3.5]],
    }, first_row=3)
    with open_table(path) as table:
        assert (table.kind, table.encoding, table.sheet) == ("xlsx", None, "Calls")
        assert table.header == ("Event", "Queued", "Priority")
        assert table.progress < 1.0
        rows = [(number, list(cells)) for number, cells in table.rows()]
        assert table.progress == 1.0
    assert rows == [(4, [2023000319821.0, datetime(2023, 11, 4, 18, 8, 26), 2.0]),
                    (6, ["E2", date(2023, 11, 5), 3.5])]


def test_xlsx_sheet_by_name(tmp_path: Path) -> None:
    path = workbook(tmp_path / "calls.xlsx", {"A": [["x", "y"], [1, 2]],
                                              "B": [["Event", "Type"], ["E1", "T"]]})
    header, rows = read_all(path, sheet="B")
    assert header == ("Event", "Type") and rows == [(2, ["E1", "T"])]
    message = reason(path, sheet="Calls")
    assert "no sheet named 'Calls'" in message and "'A', 'B'" in message


@pytest.mark.parametrize(("sheets", "expected"), [
    ({"One": [], "Two": []}, "every sheet of the workbook is empty"),
    ({"Calls": [["Event", "Type"]]}, "has a header but no rows"),
    ({"Calls": [["Event", "Type", "Event"], [1, 2, 3]]}, "columns a and c"),
])
def test_xlsx_unreadable(tmp_path: Path, sheets: dict[str, list[list[object]]],
                         expected: str) -> None:
    assert expected in reason(workbook(tmp_path / "calls.xlsx", sheets)).lower()


def test_zip_files_that_are_not_workbooks(tmp_path: Path) -> None:
    path = tmp_path / "calls.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("export/calls.csv", HEADER)
    assert "a zip archive, not a spreadsheet" in reason(path).lower()
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert "a word document" in reason(path).lower()


def test_a_truncated_workbook(tmp_path: Path) -> None:
    whole = workbook(tmp_path / "whole.xlsx", {"Calls": [["Event"], ["E1"]] * 200})
    cut = write(tmp_path / "calls.xlsx", whole.read_bytes()[: whole.stat().st_size // 2])
    assert reason(cut) == ("calls.xlsx: the workbook is truncated or damaged "
                           "(not a complete ZIP archive); export it again")


# --- the hostile corpus -----------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[CorpusFile]:
    return build_corpus(tmp_path_factory.mktemp("corpus"))


def test_the_corpus_is_large_and_described(corpus: list[CorpusFile]) -> None:
    assert len(corpus) >= 25
    assert len({item.name for item in corpus}) == len(corpus)
    assert {item.level for item in corpus} == {"file", "mapping", "rows", "ok"}
    for item in corpus:
        assert item.path.is_file() and item.path.name == item.name
        assert item.expect == item.expect.lower() and bool(item.expect) == (item.level != "ok")


def test_corpus_files_that_cannot_be_read_say_why(corpus: list[CorpusFile]) -> None:
    unreadable = [item for item in corpus if item.level == "file"]
    assert len(unreadable) >= 20
    for item in unreadable:
        assert item.expect in reason(item.path).lower(), item.name


def light_check(path: Path) -> tuple[int, list[str]]:
    """Rows read, and the reasons a minimal import (suggested mapping, required fields,
    duplicates, received time, priority) would reject some with: the service's words."""
    with open_table(path) as table:
        header = table.header
        rows = [(number, list(cells)) for number, cells in table.rows()]
    distinct = {name: {text for _, cells in rows if i < len(cells)
                       if (text := as_text(cells[i]))} for i, name in enumerate(header)}
    mapping = suggest_mapping(header, [cells for _, cells in rows[:100]], distinct)
    if mapping.missing_required():
        return len(rows), [f"the mapping leaves out {', '.join(mapping.missing_required())}"]
    parse = DateTimeParser(mapping.date_order)
    seen: dict[str, int] = {}
    reasons: list[str] = []

    def cell(cells: list, name: str) -> object:
        index = header.index(mapping.columns[name])
        return cells[index] if index < len(cells) else None

    for number, cells in rows:
        incident = as_text(cell(cells, "incident_number"))  # type: ignore[arg-type]
        if incident is None:
            reasons.append("no incident number")
        elif incident in seen:
            reasons.append(f"duplicate of row {seen[incident]}")
        else:
            seen[incident] = number
        try:
            if parse(cell(cells, "received_at")) is None:  # type: ignore[arg-type]
                reasons.append("no received time")
            if "priority" in mapping.columns:
                as_int(cell(cells, "priority"))  # type: ignore[arg-type]
        except ValueError as exc:
            reasons.append(str(exc))
    return len(rows), reasons


def test_corpus_files_that_read(corpus: list[CorpusFile]) -> None:
    for item in corpus:
        if item.level == "file":
            continue
        count, reasons = light_check(item.path)
        assert count > 0, item.name
        if item.level == "ok":
            assert reasons == [], (item.name, reasons)
        else:
            assert any(item.expect in text.lower() for text in reasons), (item.name, reasons)
        if item.level == "rows":
            assert len(reasons) < count, f"{item.name}: no good row left"
        if item.level == "mapping":
            assert any("leaves out" in text or AMBIGUOUS_ORDER in text for text in reasons)
