"""The printable criteria sheet of one version, written to a file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from console.data.models import Program
from console.errors import UserError
from console.private_files import replace_private_bytes
from console.services.access import Access, Action
from console.services.criteria.versions import CriteriaVersionRow, find_version, versions_in
from console.services.program_scope import current_program_id


def export_sheet(access: Access, path: Path, which: str | int | None = None, *,
                 today: dt.date | None = None) -> CriteriaVersionRow:
    """Write the one-page sheet of a version (default: the one in force today) as PDF;
    returns the version written."""
    from console.reports.criteria_pdf import criteria_pdf

    if Path(path).suffix.lower() != ".pdf":
        raise UserError(f"{Path(path).name}: the criteria sheet is a PDF; name the file "
                        "….pdf")
    with access.reading(Action.VIEW_PROGRAM) as session:
        version = find_version(versions_in(session), which, today or dt.date.today())
        program = session.scalar(select(Program.name).where(
            Program.id == current_program_id(session))) or "Program"
    try:
        replace_private_bytes(Path(path), criteria_pdf(version, program))
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    return version
