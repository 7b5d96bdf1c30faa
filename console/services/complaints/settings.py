"""The program's complaint deadlines: business days per step, whose holidays count, and
its own closure days. A supervisor's setting (Action.EDIT_SETTINGS), audited like data.

A change applies to steps begun after it: a deadline already given to a case stays, so
nobody's deadline moves under them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from console.data.models import ClosureDay, ComplaintSettings
from console.errors import UserError
from console.services.access import Access, Action
from console.services.complaints import engine
from console.services.complaints.deadlines import check_subdivision

STEPS = ("acknowledge", "classify", "review", "decision", "close")
MAX_DAYS = 250  # about a working year


@dataclass(frozen=True)
class DeadlineSettings:
    country: str
    subdivision: str | None
    days: dict[str, int]
    closures: tuple[tuple[dt.date, str], ...]


def deadline_settings(access: Access) -> DeadlineSettings:
    with access.reading(Action.VIEW_COMPLAINTS) as session:
        program = engine.program_id(session)
        found = engine.settings(session, program)
        closures = session.execute(select(ClosureDay.day, ClosureDay.label)
                                   .where(ClosureDay.program_id == program)
                                   .order_by(ClosureDay.day)).tuples().all()
        return DeadlineSettings(found.country, found.subdivision, dict(found.days),
                                tuple(closures))


def set_deadline_settings(access: Access, country: str, subdivision: str | None,
                          days: dict[str, int]) -> DeadlineSettings:
    """Save the defaults; UserError (nothing saved) for an unknown state or a bad count."""
    country = country.strip().upper()
    subdivision = (subdivision or "").strip().upper() or None
    if len(country) != 2 or not country.isalpha():
        raise UserError(f"complaint deadlines: {country!r} is not a two-letter country code "
                        "(e.g. US); nothing was saved")
    check_subdivision(country, subdivision)
    for step in STEPS:
        n = days.get(step)
        if n is None or not 1 <= n <= MAX_DAYS:
            raise UserError(f"complaint deadlines: the {step} step needs 1 to {MAX_DAYS} "
                            f"business days, not {n}; nothing was saved")
    with access.writing(Action.EDIT_SETTINGS, "complaint deadlines") as session:
        program = engine.program_id(session)
        row = session.get(ComplaintSettings, program)
        if row is None:
            row = ComplaintSettings(program_id=program)
            session.add(row)
        row.country, row.subdivision = country, subdivision
        row.acknowledge_days, row.classify_days = days["acknowledge"], days["classify"]
        row.review_days, row.decision_days = days["review"], days["decision"]
        row.close_days = days["close"]
    return deadline_settings(access)


def add_closure_day(access: Access, day: dt.date, label: str) -> None:
    label = label.strip()
    if not label:
        raise UserError(f"closure day {day}: say why the office is closed; nothing was saved")
    with access.writing(Action.EDIT_SETTINGS, "closure days") as session:
        program = engine.program_id(session)
        exists = session.scalar(select(ClosureDay.id).where(
            ClosureDay.program_id == program, ClosureDay.day == day))
        if exists is not None:
            raise UserError(f"closure day {day} is already recorded; nothing was saved")
        session.add(ClosureDay(program_id=program, day=day, label=label[:200]))


def remove_closure_day(access: Access, day: dt.date) -> None:
    with access.writing(Action.EDIT_SETTINGS, "closure days") as session:
        program = engine.program_id(session)
        row = session.scalars(select(ClosureDay).where(
            ClosureDay.program_id == program, ClosureDay.day == day)).first()
        if row is None:
            raise UserError(f"{day} is not a recorded closure day; nothing was changed")
        session.delete(row)
