"""The demo program's governance: a city model, what each agency does, the posts of
its reporting structure and who held them, told with the erosion episode.

The program owner, a deputy chief, leaves with the outgoing chief at the leadership
change; a captain holds the post acting for nine weeks (owner_missing reaches warning
and falls back), then a new deputy chief is named. So at the demo's end the program has
a confirmed owner and the episode's warnings stay those of tests/test_indicator_demo.py:
the erosion DESIGN.md describes happens under an owner in name, not without one.
No random numbers: the other generators' sequences stay as they were.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import CursorResult, insert, select
from sqlalchemy.orm import Session

from console.data.governance_enums import GovernanceModel, PostKind
from console.data.models import (
    Agency,
    AgencyResponsibility,
    GovernanceHolder,
    GovernanceLine,
    GovernancePost,
    Position,
    PositionAssignment,
    ProgramGovernance,
    StaffMember,
)
from console.services.demo.timeline import DemoTimeline
from console.services.demo.writing import _Writer

ACTING_WEEKS = 9
RESPONSIBILITIES = {
    "Port Alder Police Department":
        "Owns the program: the program owner, sworn supervision, the co-responding "
        "officers, the budget line in the police general fund.",
    "Alder Valley Behavioral Health":
        "Employs the clinicians under the city contract; clinical supervision, the "
        "outcome measures and the provider network.",
    "Port Alder Emergency Communications":
        "Sends the unit on calls that meet the activation criteria and codes patrol "
        "requests for it.",
}


def write_governance(session: Session, out: _Writer, tl: DemoTimeline,
                     program_id: int) -> None:
    agencies = dict(session.execute(select(Agency.name, Agency.id)
                                    .where(Agency.program_id == program_id)).tuples().all())
    pd = agencies.get("Port Alder Police Department")
    bh = agencies.get("Alder Valley Behavioral Health")
    w = _Rows(session, out)
    w.add(ProgramGovernance, program_id=program_id, model=GovernanceModel.CITY.value,
          notes="A City of Port Alder program: the police department runs it, the "
                "behavioral-health partner supplies the clinicians by contract.")
    for name, text in RESPONSIBILITIES.items():
        if name in agencies:
            w.add(AgencyResponsibility, agency_id=agencies[name], responsibility=text)

    def post(kind: PostKind, title: str = "") -> int:
        return w.add(GovernancePost, program_id=program_id, kind=kind.value,
                     title=title or kind.label)

    chief, owner = post(PostKind.OTHER, "Chief of police"), post(PostKind.PROGRAM_OWNER)
    budget, outcomes = post(PostKind.BUDGET_HOLDER), post(PostKind.OUTCOMES_OWNER)
    contact = post(PostKind.SUPERVISION_CONTACT)
    lead, named = tl.leadership_change, tl.leadership_change + timedelta(weeks=ACTING_WEEKS)

    def holder(post_id: int, name: str, since: date, *, until: date | None = None,
               rank: str | None = None, agency: int | None = pd, sworn: bool = True,
               acting: bool = False, staff_id: int | None = None) -> None:
        w.add(GovernanceHolder, post_id=post_id, staff_id=staff_id, name=name, rank=rank,
              agency_id=agency, sworn=sworn, acting=acting, since_on=since, until_on=until)

    holder(chief, "Walter Brennan", tl.start, until=lead, rank="Chief")
    holder(chief, "Denise Okafor", lead, rank="Chief")
    holder(owner, "Helen Marsh", tl.start, until=lead, rank="Deputy Chief")
    holder(owner, "Luis Ortega", lead, until=named, rank="Captain", acting=True)
    holder(owner, "Raymond Voss", named, rank="Deputy Chief")
    holder(budget, "Karen Liu", tl.start, sworn=False)
    for post_id, title, agency, sworn in ((outcomes, "Clinical Program Manager", bh, False),
                                          (contact, "Co-Response Unit Sergeant", pd, True)):
        staff = _current_holder(session, program_id, title)
        if staff is not None:
            holder(post_id, staff.display_name, tl.start, rank=staff.rank, agency=agency,
                   sworn=sworn, staff_id=staff.id)
    for low, high, dotted in ((owner, chief, False), (budget, owner, False),
                              (outcomes, owner, False), (contact, owner, False),
                              (outcomes, contact, True)):
        w.add(GovernanceLine, program_id=program_id, post_id=low, reports_to_id=high,
              dotted=dotted)


def _current_holder(session: Session, program_id: int, title: str) -> StaffMember | None:
    return session.scalars(
        select(StaffMember).join(PositionAssignment, PositionAssignment.staff_id == StaffMember.id)
        .join(Position, Position.id == PositionAssignment.position_id)
        .where(Position.program_id == program_id, Position.title == title,
               PositionAssignment.end_on.is_(None))).first()


class _Rows:
    """Core inserts, one row at a time (a dozen rows), counted like the demo's others;
    ids come from the database, so no sequence needs setting afterwards."""

    def __init__(self, session: Session, out: _Writer) -> None:
        self.session, self.out = session, out

    def add(self, orm: Any, /, **values: Any) -> int:
        table = orm.__table__
        result: CursorResult[Any] = self.session.execute(  # type: ignore[assignment]
            insert(table).values(**values))
        key = result.inserted_primary_key
        self.out.counts[table.name] = self.out.counts.get(table.name, 0) + 1
        return int(key[0]) if key and key[0] is not None else 0
