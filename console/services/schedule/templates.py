"""Shift templates and generating a period's shifts from them (open shifts to staff)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select

from console.data.models import Program, Shift, ShiftRequirement, ShiftTemplate
from console.errors import UserError
from console.services.access import Access, Action

_DAYS = re.compile(r"^[x-]{7}$")


@dataclass(frozen=True)
class Template:
    id: int
    label: str
    start: dt.time
    hours: float
    days: str
    requires: tuple[str, ...]


def add_template(access: Access, label: str, start: dt.time, hours: float, days: str,
                 requires: tuple[str, ...] = ()) -> int:
    label = label.strip()
    if not label or len(label) > 40:
        raise UserError("shift template: give a name of 1 to 40 characters")
    if not 0 < hours <= 24:
        raise UserError(f"shift template {label!r}: a length of {hours:g} h is not 0-24 h")
    if not _DAYS.match(days):
        raise UserError(f"shift template {label!r}: days {days!r} must be seven of x and -, "
                        "Monday first (xxxxx-- for weekdays)")
    with access.writing(Action.EDIT_STAFF, "shift template") as s:
        program_id = s.scalar(select(Program.id).order_by(Program.id))
        if program_id is None:
            raise UserError("shift template: the database holds no program yet")
        t = ShiftTemplate(program_id=program_id, label=label,
                          start_minute=start.hour * 60 + start.minute,
                          length_minutes=round(hours * 60), days=days,
                          requires=", ".join(requires) or None)
        s.add(t)
        s.flush()
        return t.id


def templates(access: Access) -> list[Template]:
    with access.reading(Action.VIEW_STAFF) as s:
        return [Template(t.id, t.label, dt.time(t.start_minute // 60, t.start_minute % 60),
                         t.length_minutes / 60, t.days,
                         tuple(r.strip() for r in (t.requires or "").split(",") if r.strip()))
                for t in s.scalars(select(ShiftTemplate).order_by(ShiftTemplate.start_minute,
                                                                  ShiftTemplate.id))]


def generate(access: Access, first: dt.date, last: dt.date) -> int:
    """Open shifts from every template for each day from `first` to `last`; a shift the
    period already has (same start, end and name) is left as it is, so generating twice
    adds nothing. Returns the shifts added."""
    if last < first:
        raise UserError(f"generate: {last} is before {first}; give the earlier day first")
    if (last - first).days > 366:
        raise UserError("generate: give at most a year at a time")
    added = 0
    with access.writing(Action.EDIT_STAFF, "generated shifts") as s:
        program_id = s.scalar(select(Program.id).order_by(Program.id))
        rows = s.scalars(select(ShiftTemplate)).all()
        if program_id is None or not rows:
            raise UserError("generate: there are no shift templates yet; add one first")
        start = dt.datetime.combine(first, dt.time())
        end = dt.datetime.combine(last + dt.timedelta(days=2), dt.time())
        have = set(s.execute(select(Shift.starts_at, Shift.ends_at, Shift.label)
                             .where(Shift.starts_at >= start, Shift.starts_at < end)).tuples())
        day = first
        while day <= last:
            for t in rows:
                if t.days[day.weekday()] != "x":
                    continue
                starts = dt.datetime.combine(day, dt.time()) + dt.timedelta(
                    minutes=t.start_minute)
                ends = starts + dt.timedelta(minutes=t.length_minutes)
                if (starts, ends, t.label) in have:
                    continue
                shift = Shift(program_id=program_id, starts_at=starts, ends_at=ends,
                              label=t.label)
                s.add(shift)
                s.flush()
                for need in (r.strip() for r in (t.requires or "").split(",")):
                    if need:
                        s.add(ShiftRequirement(shift_id=shift.id, credential=need))
                have.add((starts, ends, t.label))
                added += 1
            day += dt.timedelta(days=1)
    return added
