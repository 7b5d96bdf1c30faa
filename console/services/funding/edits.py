"""What the funding records share when edited: money typed as text, the conflict built
field by field, the current program."""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping

from sqlalchemy.orm import Session

from console.errors import UserError
from console.services.access import Access, EditConflict
from console.services.program_scope import current_program_id

_MONEY = re.compile(r"^\$?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")


def parse_money(text: str, what: str) -> int:
    """"$1,250.50" -> 125050 cents; a one-line reason for anything else."""
    raw = text.strip()
    match = _MONEY.match(raw)
    if not match:
        raise UserError(f"{what}: {raw!r} is not an amount (write it like 1250 or 1,250.50)")
    whole = int(match.group(1).replace(",", ""))
    cents = match.group(3) or ""
    return whole * 100 + int((cents[1:] + "00")[:2]) if cents else whole * 100


def money(cents: int, *, whole: bool = False) -> str:
    """125050 -> "$1,250.50"; whole=True -> "$1,251" (figures in tables and charts)."""
    sign = "\u2212" if cents < 0 else ""
    if whole:
        return f"{sign}${abs(cents) / 100:,.0f}"
    return f"{sign}${abs(cents) // 100:,}.{abs(cents) % 100:02d}"


def text_of(value: object) -> str:
    """A field as the conflict dialog shows it."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return str(getattr(value, "label", value.value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def conflict(access: Access, label: str, table: str, record_id: int,
             mine: Mapping[str, object], theirs: Mapping[str, object],
             theirs_version: int) -> EditConflict:
    """An EditConflict with both versions field by field and who saved theirs."""
    from console.services.audit_service import last_change

    fields = [(name, text_of(mine.get(name)), text_of(theirs.get(name))) for name in mine]
    saved = last_change(access, table, str(record_id))
    return EditConflict(label, fields, theirs_version,
                        saved_by=saved.actor if saved else "",
                        saved_at=saved.at[:16].replace("T", " ") + " UTC" if saved else "")


def program_of(session: Session) -> int:
    return current_program_id(session)
