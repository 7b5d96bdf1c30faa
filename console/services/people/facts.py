"""Reading positions and leave out of a session as plain facts (helpers take a Session
and never commit; the services around them open the unit of work)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.data.models import Position, PositionAssignment, StaffLeave
from console.data.people_enums import LeaveKind
from console.services.people.history import Hold, PositionFacts


def position_facts(session: Session) -> list[PositionFacts]:
    holds: dict[int, list[Hold]] = defaultdict(list)
    for a in session.scalars(select(PositionAssignment).order_by(PositionAssignment.start_on)):
        holds[a.position_id].append(Hold(a.staff_id, a.start_on, a.end_on))
    return [
        PositionFacts(p.id, p.title, p.role, p.funding_source, p.authorized_on, p.abolished_on,
                      p.reauthorizes_id, tuple(holds[p.id]))
        for p in session.scalars(select(Position).order_by(Position.id))
    ]


@dataclass(frozen=True)
class LeaveFacts:
    id: int
    staff_id: int
    kind: LeaveKind
    start: dt.date
    end: dt.date | None  # expected first day back

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


def leave_facts(session: Session) -> list[LeaveFacts]:
    return [LeaveFacts(x.id, x.staff_id, x.kind, x.starts_on, x.ends_on)
            for x in session.scalars(select(StaffLeave).order_by(StaffLeave.starts_on))]


def program_start(session: Session) -> dt.date | None:
    from console.services.program_scope import current_program

    program = current_program(session)
    return None if program is None else program.started_on


def staff_names(session: Session) -> dict[int, str]:
    from console.data.models import StaffMember

    return {i: n for i, n in session.execute(
        select(StaffMember.id, StaffMember.display_name)).tuples()}
