"""The report of rejected rows: a CSV file the person keeps, checked before importing."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable
from pathlib import Path

from console.errors import UserError
from console.services.importing.validate import Reject
from console.services.text_files import replacing

REJECT_COLUMNS = ("row", "column", "value", "reason")


def check_report_path(path: Path) -> Path:
    """Refuse, before anything is imported, a rejects report that could not be written:
    a folder that does not exist or cannot be written to, or a path that is a folder.

    A UserError names the path and why; a file that is there is replaced later.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UserError(f"cannot write the report {path}: it is a folder; name the report "
                        f"file, such as {path / 'rejected.csv'}")
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise UserError(f"cannot write the report {path}: the folder {folder} {what}; "
                        "create it or choose another place for the report")
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise UserError(f"cannot write the report {path}: the folder {folder} cannot be "
                        f"written to ({exc.strerror or exc}); choose another place for "
                        "the report") from None
    return path


def write_rejects_csv(rejects: Iterable[Reject], path: Path) -> Path:
    """Write the rejected rows (row number, column, value, reason) as a CSV file.

    UTF-8 with a byte-order mark, so spreadsheet programs open it with its accents.
    """
    path = Path(path)
    with replacing(path, encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(REJECT_COLUMNS)
        for r in rejects:
            out.writerow((r.row, r.column, r.value, r.reason))
    return path
