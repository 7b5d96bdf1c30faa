"""Settings a supervisor controls, each declared once with its default and range.

Most are the program's own rules (the roster's rest and hours, the referral follow-up
window, the fiscal year): those are kept per program, so a database shared by several
programs keeps each one's. A few belong to the database and its workstations (the idle
lock). A per-program setting saved before settings were per program is still read, until
the program saves its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from console.data.models import Setting
from console.errors import UserError
from console.services.access import Access, Action
from console.services.program_scope import current_program_id, current_program_id_or_none


@dataclass(frozen=True)
class IntSetting:
    key: str
    label: str
    default: int
    minimum: int
    maximum: int
    per_program: bool = False  # a rule of the program, not of the database


IDLE_LOCK_MINUTES = IntSetting("idle_lock_minutes", "Lock the window after idle minutes",
                               default=10, minimum=1, maximum=240)


def program_key(program_id: int, key: str) -> str:
    return f"program.{program_id}.{key}"


def read_int(session: Session, setting: IntSetting) -> int:
    """The stored value, or the default (also when a stored value is out of range)."""
    row = None
    if setting.per_program:
        program_id = current_program_id_or_none(session)
        if program_id is not None:
            row = session.get(Setting, program_key(program_id, setting.key))
    if row is None:  # database-wide, or saved before settings were per program
        row = session.get(Setting, setting.key)
    return setting.default if row is None else _parsed(row.value, setting)


def _parsed(text: str, setting: IntSetting) -> int:
    """A stored text as the setting's value; the default when it is not a whole number
    in range (a hand-edited database must not stop the console)."""
    try:
        value = int(text)
    except ValueError:
        return setting.default
    return value if setting.minimum <= value <= setting.maximum else setting.default


def write_int(session: Session, setting: IntSetting, value: int) -> None:
    """Store a value in range (a one-line refusal otherwise); the caller's session
    decides who may and audits it."""
    if not setting.minimum <= value <= setting.maximum:
        raise UserError(f"{setting.label}: {value} is out of range "
                        f"({setting.minimum}-{setting.maximum})")
    key = program_key(current_program_id(session), setting.key) if setting.per_program \
        else setting.key
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=str(value)))
    else:
        row.value = str(value)


def get_int(access: Access, setting: IntSetting) -> int:
    with access.reading(Action.VIEW_AGGREGATES) as session:
        return read_int(session, setting)


def set_int(access: Access, setting: IntSetting, value: int) -> None:
    with access.writing(Action.EDIT_SETTINGS, setting.label) as session:
        write_int(session, setting, value)
