"""The roster's half of the importer: rows of a scheduling system's export written as
shifts, assignments and days off (reading, mapping, profiles and rejects are the
importer's, as for calls).

A shift is the program's (start, end, name): the rows of several people on one shift make
one shift with several assignments. A row with a leave type is a day off: annual, sick...
leave becomes a one-day StaffLeave, training and court a DutyAway. Staff the console does
not know are added as records to complete (badge and name from the export; role and hire
date guessed, said so by the count). Everything goes through the ORM, so it is audited,
and a second import of the same file finds every row there and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from console.data.enums import StaffRole
from console.data.models import DutyAway, Shift, ShiftAssignment, StaffLeave, StaffMember
from console.data.people_enums import LeaveKind
from console.data.schedule_enums import DutyAwayKind, RosterAbsence
from console.errors import UserError
from console.services.importing.validate import Converted

DAY = dt.timedelta(days=1)
AWAY = {RosterAbsence.TRAINING.value: DutyAwayKind.TRAINING,
        RosterAbsence.COURT.value: DutyAwayKind.COURT}


class RosterWriter:
    """Upserts roster rows; `write=False` (a dry run) counts without writing."""

    def __init__(self, target: Any) -> None:
        if target.program_id is None:
            raise UserError("the database holds no program yet: a roster has nowhere to go")
        self.session, self.program_id = target.session, target.program_id
        self.columns: list[str] = target.converter.columns
        self.write = True
        self.inserted = self.updated = self.unchanged = 0
        self.staff_added = 0
        s = self.session
        self.staff: dict[str, int] = {
            key: i for key, i in s.execute(select(StaffMember.staff_key, StaffMember.id))}
        self.shifts: dict[tuple[dt.datetime, dt.datetime, str], int] = {
            (a, b, label): i for i, a, b, label in s.execute(
                select(Shift.id, Shift.starts_at, Shift.ends_at, Shift.label)
                .where(Shift.program_id == self.program_id)).tuples()}
        self.assigned = set(s.execute(select(ShiftAssignment.shift_id,
                                             ShiftAssignment.staff_id)).tuples())
        self.leave = {(i, d, k.value) for i, d, k in s.execute(
            select(StaffLeave.staff_id, StaffLeave.starts_on, StaffLeave.kind)).tuples()}
        self.away: dict[tuple[int, dt.date], DutyAway] = {
            (d.staff_id, d.day): d for d in s.scalars(select(DutyAway))}
        self._new_ids = -1  # a dry run's stand-in ids for staff and shifts not written

    def add(self, chunk: Converted) -> None:
        for values in chunk.values:
            row = dict(zip(self.columns, values, strict=True))
            staff_id = self._staff(row)
            if row.get("leave_type"):
                self._day_off(staff_id, row["day"], row["leave_type"])
            elif row.get("start") is not None and row.get("end") is not None:
                self._shift(staff_id, row)
            else:
                self.unchanged += 1  # a person named with neither shift nor leave
        if self.write:
            self.session.flush()

    def _next_id(self) -> int:
        self._new_ids -= 1
        return self._new_ids

    def _staff(self, row: dict[str, Any]) -> int:
        key = row["staff_key"]
        if key in self.staff:
            return self.staff[key]
        self.staff_added += 1
        if not self.write:
            self.staff[key] = self._next_id()
            return self.staff[key]
        member = StaffMember(program_id=self.program_id, staff_key=key,
                             display_name=row.get("display_name") or f"Staff {key}",
                             role=StaffRole.SWORN_OFFICER, hired_on=row["day"])
        self.session.add(member)
        self.session.flush()
        self.staff[key] = member.id
        return member.id

    def _shift(self, staff_id: int, row: dict[str, Any]) -> None:
        starts = dt.datetime.combine(row["day"], row["start"])
        ends = dt.datetime.combine(row["day"], row["end"])
        if ends <= starts:
            ends += DAY
        label = row.get("shift_name") or ""
        shift_id = self.shifts.get((starts, ends, label))
        if shift_id is None:
            if self.write:
                shift = Shift(program_id=self.program_id, starts_at=starts, ends_at=ends,
                              label=label)
                self.session.add(shift)
                self.session.flush()
                shift_id = shift.id
            else:
                shift_id = self._next_id()
            self.shifts[(starts, ends, label)] = shift_id
        if (shift_id, staff_id) in self.assigned:
            self.unchanged += 1
            return
        self.inserted += 1
        self.assigned.add((shift_id, staff_id))
        if self.write:
            self.session.add(ShiftAssignment(shift_id=shift_id, staff_id=staff_id))

    def _day_off(self, staff_id: int, day: dt.date, absence: str) -> None:
        if absence in AWAY:
            kind = AWAY[absence]
            old = self.away.get((staff_id, day))
            if old is not None and old.kind == kind:
                self.unchanged += 1
            elif old is not None:
                self.updated += 1
                if self.write:
                    old.kind = kind
            else:
                self.inserted += 1
                away = DutyAway(staff_id=staff_id, day=day, kind=kind)
                self.away[(staff_id, day)] = away
                if self.write:
                    self.session.add(away)
            return
        if (staff_id, day, absence) in self.leave:
            self.unchanged += 1
            return
        self.inserted += 1
        self.leave.add((staff_id, day, absence))
        if self.write:
            self.session.add(StaffLeave(staff_id=staff_id, kind=LeaveKind(absence),
                                        starts_on=day, ends_on=day + DAY))

    def added(self) -> dict[str, int]:
        return {"staff_added": self.staff_added}
