"""import_xlsx: importing a 100,000-row XLSX export into a database with its program, no calls.

Baseline: python-calamine alone reading the same workbook (open it, iterate the rows of
its sheet), measured in the same run. Target ratio 2. The rows are those of import_csv
(Seattle-like), written once with openpyxl as a CAD system's XLSX export would hold them:
incident numbers and priorities as numbers, times as real Excel datetimes.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import import_csv
from common import CACHE, Result

TARGET = 2.0
N = import_csv.N


def xlsx_file(n: int = N) -> Path:
    """The benchmark's workbook of n rows, written once into bench/.cache."""
    from openpyxl import Workbook

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"seattle-like-{n}.xlsx"
    if path.exists():
        return path
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Call Data")
    sheet.append(import_csv.HEADER)
    stamp = "%m/%d/%Y %I:%M:%S %p"
    for row in import_csv.rows(n):
        queued = dt.datetime.strptime(row[6], stamp)
        arrived = dt.datetime.strptime(row[7], stamp) if row[7] else None
        sheet.append([int(row[0]), row[1], row[2], int(row[3]), row[4], row[5], queued,
                      arrived, row[8], row[9], row[10], float(row[11]), float(row[12])])
    part = path.with_suffix(".part.xlsx")
    book.save(part)
    part.replace(path)
    return path


def _read_calamine(path: Path) -> float:
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    book = CalamineWorkbook.from_path(str(path))
    for _row in book.get_sheet_by_index(0).iter_rows():
        pass
    book.close()
    return time.perf_counter() - start


def run(runs: int = 3) -> Result:
    path = xlsx_file()
    _read_calamine(path)  # warm the disk cache for both
    baseline, (value, timings, _) = import_csv.best_alternating(
        lambda: _read_calamine(path), path, runs)
    return Result("import_xlsx", value, baseline, TARGET, "s",
                  import_csv.note(timings, path, xlsx_file(N // 2)))


if __name__ == "__main__":
    sys.exit(0 if run().met else 1)
