"""Which program a unit of work is about: the one place every service asks.

A database or shared server may hold several programs; the console works in one at a
time. Access carries the chosen program into each session (``session.info``); with none
chosen (one program in the database, or the command line without ``--program``) the
oldest program is the current one, which is what a single-program database expects.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.data.models import Program
from console.errors import UserError

SESSION_KEY = "program_id"


def current_program_id_or_none(session: Session) -> int | None:
    """The current program's id, or None when the database holds no program yet."""
    chosen = session.info.get(SESSION_KEY)
    if chosen is not None:
        return int(chosen)
    found: int | None = session.scalar(select(Program.id).order_by(Program.id).limit(1))
    return found


def current_program_id(session: Session) -> int:
    """The current program's id; a clear refusal when the database holds none yet."""
    found = current_program_id_or_none(session)
    if found is None:
        raise UserError("this database holds no program yet; open the demo program or "
                        "import calls first")
    return found
