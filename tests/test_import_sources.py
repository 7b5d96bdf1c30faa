"""Where an export comes from: the sheet of a workbook, a pipe, UTF-16 text without a mark.

Real files in tmp folders: workbooks built with openpyxl, FIFOs made with os.mkfifo.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import sys
import threading
import time
from pathlib import Path

import openpyxl
import pytest

from console.data.importers.readers import open_table
from console.errors import UserError

CALLS_HEADER = ["CAD Event Number", "Original Time Queued", "Final Call Type", "Beat"]


def calls(count: int, start: int = 0) -> list[list[object]]:
    return [[f"2024{start + i:06d}", f"03/{i % 28 + 1:02d}/2024 10:{i % 60:02d}",
             "PERSON IN CRISIS", f"B{i % 3}"] for i in range(count)]


def workbook(path: Path, sheets: dict[str, list[list[object]]],
             hidden: tuple[str, ...] = ()) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


def cover() -> list[list[object]]:
    return [["Calls for service, March 2024"], ["Prepared by the records unit"],
            [], ["Questions: records@example.org"]]


def reason(path: Path, **options: object) -> str:
    with pytest.raises(UserError) as caught, open_table(path, **options) as table:  # type: ignore[arg-type]
        for _ in table.rows():
            pass
    message = str(caught.value)
    assert message.startswith(f"{path.name}: ") and "\n" not in message, message
    return message


# --- the sheet of a workbook --------------------------------------------------------


def test_a_cover_sheet_before_the_calls_is_passed_over(tmp_path: Path) -> None:
    path = workbook(tmp_path / "book.xlsx", {"Cover": cover(),
                                             "Calls": [CALLS_HEADER, *calls(20)]})
    with open_table(path) as table:
        assert table.sheet == "Calls" and table.sheets == ("Cover", "Calls")
        assert table.header == tuple(CALLS_HEADER)
        assert sum(1 for _ in table.rows()) == 20


def test_the_sheet_that_maps_best_wins_over_a_wider_or_earlier_one(tmp_path: Path) -> None:
    summary = [["Call type", "Count", "Share"], ["PERSON IN CRISIS", 40, 0.5],
               ["WELFARE CHECK", 40, 0.5]]
    codes = [["Code", "Meaning"]] + [[f"C{i}", f"code {i}"] for i in range(500)]
    path = workbook(tmp_path / "book.xlsx", {
        "Summary": summary, "Codes": codes, "Calls": [CALLS_HEADER, *calls(30)]})
    with open_table(path) as table:
        assert table.sheet == "Calls"


def test_between_two_sheets_of_calls_the_larger_then_the_first(tmp_path: Path) -> None:
    path = workbook(tmp_path / "book.xlsx", {"Jan": [CALLS_HEADER, *calls(5)],
                                             "Feb": [CALLS_HEADER, *calls(9, 100)]})
    with open_table(path) as table:
        assert table.sheet == "Feb"
    path = workbook(tmp_path / "same.xlsx", {"Jan": [CALLS_HEADER, *calls(5)],
                                             "Feb": [CALLS_HEADER, *calls(5, 100)]})
    with open_table(path) as table:
        assert table.sheet == "Jan"


def test_a_hidden_sheet_of_calls_loses_to_a_visible_one(tmp_path: Path) -> None:
    path = workbook(tmp_path / "book.xlsx", {"Old": [CALLS_HEADER, *calls(50)],
                                             "Calls": [CALLS_HEADER, *calls(10)]},
                    hidden=("Old",))
    with open_table(path) as table:
        assert table.sheet == "Calls"


def test_a_sheet_is_chosen_by_name_or_number(tmp_path: Path) -> None:
    path = workbook(tmp_path / "book.xlsx", {"Cover": cover(),
                                             "Calls": [CALLS_HEADER, *calls(3)],
                                             "2": [["Event", "Queued"], ["E1", "x"]]})
    with open_table(path, sheet="Calls") as table:
        assert table.sheet == "Calls"
    with open_table(path, sheet=2) as table:
        assert table.sheet == "Calls"
    with open_table(path, sheet="2") as table:  # a sheet's name wins over a number
        assert table.sheet == "2"
    with open_table(path, sheet="3") as table:
        assert table.sheet == "2"


def test_sheet_problems_name_the_sheet_and_list_the_others(tmp_path: Path) -> None:
    path = workbook(tmp_path / "book.xlsx", {"Cover": cover(),
                                             "Calls": [CALLS_HEADER, *calls(3)]})
    message = reason(path, sheet="Cover")
    assert "the sheet 'Cover' has no header row" in message
    assert "'Cover', 'Calls'" in message
    assert "no sheet number 3: the workbook has 2 ('Cover', 'Calls')" in reason(path, sheet=3)
    assert "no sheet named 'Data'" in reason(path, sheet="Data")
    notes = workbook(tmp_path / "notes.xlsx", {"Cover": cover(), "More": cover()})
    assert reason(notes) == ("notes.xlsx: no sheet has a header row with two or more "
                             "filled cells in its first 10 rows; its sheets: 'Cover', 'More'")


def test_a_sheet_asked_of_a_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_text("Event,Queued\nE1,2024-01-01 10:00\n", encoding="utf-8")
    assert reason(path, sheet="Calls") == (
        "calls.csv: a CSV file has no sheets, so the sheet 'Calls' cannot be read; leave "
        "the sheet out, or open the workbook itself")


def test_the_score_needs_a_header_and_rows() -> None:
    from console.data.importers.readers import call_table_score

    assert call_table_score([["only one cell"], ["x"]]) is None
    assert call_table_score([CALLS_HEADER]) is None
    score = call_table_score([CALLS_HEADER, *calls(3)])
    assert score is not None and score[:2] == (2, 4)


# --- pipes and devices --------------------------------------------------------------


def _refused_in_time(path: Path, seconds: float = 5.0) -> str:
    """open_table(path) in a thread: it must give its reason before `seconds` pass."""
    outcome: list[BaseException | None] = []

    def read() -> None:
        try:
            with open_table(path) as table:
                list(table.rows())
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 (the test reports it)
            outcome.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(seconds)
    assert not reader.is_alive(), f"reading {path.name} blocked for {seconds} s"
    assert outcome and isinstance(outcome[0], UserError), outcome
    return str(outcome[0])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_with_no_writer_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "calls.csv"
    os.mkfifo(fifo)
    message = _refused_in_time(fifo)
    assert message.startswith("calls.csv: a named pipe (FIFO), not a file; ")
    assert "import-calls -" in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_with_a_writer_is_refused_and_the_writer_let_go(tmp_path: Path) -> None:
    fifo = tmp_path / "calls.csv"
    os.mkfifo(fifo)
    stop = time.monotonic() + 5
    connected: list[bool] = []

    def write() -> None:  # keeps trying to open the pipe for writing, without blocking
        while time.monotonic() < stop:
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # ENXIO: nobody reads
                time.sleep(0.01)
                continue
            connected.append(True)
            with contextlib.suppress(OSError):
                os.write(fd, b"Event,Queued\nE1,2024-01-01 10:00\n")
            os.close(fd)
            return

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    time.sleep(0.05)
    assert "a named pipe (FIFO)" in _refused_in_time(fifo)
    writer.join(6)
    assert not writer.is_alive()


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_is_refused_not_read_forever() -> None:
    assert "/dev/zero" not in _refused_in_time(Path("/dev/zero"))
    assert "zero: a device, not a file" in _refused_in_time(Path("/dev/zero"))


# --- UTF-16 without a byte-order mark -----------------------------------------------

UNICODE_ROWS = (
    "Event,Queued,Type,Address\r\n"
    "E1,2024-03-01 10:00,CRISIS – ŁÓDŹ,Ā street\r\n"      # U+0100 has a NUL low byte
    "E2,2024-03-02 11:00,Кризис,ул. Ленина 12\r\n"
    "E3,2024-03-03 12:00,危机,東京 1-2\r\n"
    "E4,2024-03-04 13:00,WELFARE CHECK,1200 BLOCK MAIN ST\r\n"
)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "calls.csv"
    path.write_bytes(UNICODE_ROWS.encode(encoding))
    assert not path.read_bytes().startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    with open_table(path) as table:
        assert table.encoding == encoding
        assert table.header == ("Event", "Queued", "Type", "Address")
        rows = [list(cells) for _, cells in table.rows()]
    assert rows[0] == ["E1", "2024-03-01 10:00", "CRISIS – ŁÓDŹ", "Ā street"]
    assert rows[1][2] == "Кризис" and rows[2][3] == "東京 1-2" and len(rows) == 4


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_mostly_non_latin_utf16_is_read(tmp_path: Path, encoding: str) -> None:
    text = "Номер,Время,Тип\r\n" + "".join(
        f"{i},2024-03-{i % 28 + 1:02d} 10:00,психиатрический кризис Ā\r\n"
        for i in range(200))
    path = tmp_path / "calls.csv"
    path.write_bytes(text.encode(encoding))
    with open_table(path) as table:
        assert table.encoding == encoding and table.header == ("Номер", "Время", "Тип")
        assert sum(1 for _ in table.rows()) == 200


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_chinese_utf16_without_a_mark_is_read(tmp_path: Path, encoding: str) -> None:
    story = "当事人情绪激动需要一名精神卫生人员" * 3  # 一 is U+4E00: a NUL on the other side
    text = "事件编号,接警时间,类型,叙述\r\n" + "".join(
        f"{i},2024-03-{i % 28 + 1:02d} 10:00,精神危机,{story}\r\n" for i in range(100))
    path = tmp_path / "calls.csv"
    path.write_bytes(text.encode(encoding))
    with open_table(path) as table:
        assert table.encoding == encoding and table.header[0] == "事件编号"
        assert sum(1 for _ in table.rows()) == 100


def test_binary_data_is_still_binary(tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_bytes(b"Event,Queued\n" + bytes(range(256)) * 40)
    assert "binary data" in reason(path) or "not" in reason(path)


def test_odd_utf16_is_not_taken_for_text(tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_bytes(UNICODE_ROWS.encode("utf-16-le") + b"\x00")
    message = reason(path)
    assert "utf-16" in message.lower() or "binary" in message


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_a_file_that_cannot_be_opened_says_so(tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_text("Event,Queued\nE1,2024-01-01\n", encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root")
        assert "cannot be read (Permission denied)" in reason(path)
    finally:
        path.chmod(0o600)
