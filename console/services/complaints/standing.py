"""Who someone is to a case, and who may review it.

A user account meets the staff roster through UserStaffLink (one account, one staff
member). That is how a signed-in reviewer finds the cases assigned to them, and how a
supervisor or director who is the subject of a complaint is kept from its complainant.
The direct chain is ReportingLine, walked both ways: a reviewer must neither supervise
a subject (directly or further up) nor report to one.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.data.enums import UserRole
from console.data.models import Complaint, ReportingLine, StaffMember, UserStaffLink
from console.services.access import Actor
from console.services.complaints.workflow import Standing

CONFIDENTIAL_STANDINGS = frozenset({Standing.SUPERVISOR, Standing.DIRECTOR,
                                    Standing.ASSIGNED_REVIEWER})
_MAX_CHAIN = 25  # a cycle in the reporting lines must not loop forever


def linked_staff_id(session: Session, actor: Actor) -> int | None:
    if actor.user_id is None:
        return None
    return session.scalar(select(UserStaffLink.staff_id)
                          .where(UserStaffLink.user_id == actor.user_id))


def standings(session: Session, actor: Actor, case: Complaint) -> frozenset[Standing]:
    me = linked_staff_id(session, actor)
    if me is not None and me in {s.staff_id for s in case.subjects}:
        return frozenset({Standing.SUBJECT})
    out = set()
    if actor.role is UserRole.SUPERVISOR:
        out.add(Standing.SUPERVISOR)
    if actor.role is UserRole.DIRECTOR:
        out.add(Standing.DIRECTOR)
    if me is not None and me == case.reviewer_id and actor.role in (
            UserRole.REVIEWER, UserRole.SUPERVISOR, UserRole.DIRECTOR):
        out.add(Standing.ASSIGNED_REVIEWER)
    return frozenset(out or {Standing.OTHER})


def may_read_confidential(found: frozenset[Standing]) -> bool:
    return Standing.SUBJECT not in found and bool(found & CONFIDENTIAL_STANDINGS)


def chain_above(session: Session, staff_id: int) -> list[int]:
    """Whom staff_id reports to, then whom they report to, and so on."""
    lines = dict(session.execute(select(ReportingLine.staff_id, ReportingLine.supervisor_id))
                 .tuples().all())
    return _walk(lines, staff_id)


def _walk(lines: dict[int, int], staff_id: int) -> list[int]:
    chain: list[int] = []
    current = lines.get(staff_id)
    while current is not None and current not in chain and len(chain) < _MAX_CHAIN:
        chain.append(current)
        current = lines.get(current)
    return chain


def reviewer_conflict(session: Session, reviewer_id: int,
                      subject_ids: list[int] | set[int]) -> str | None:
    """Why this staff member may not review a complaint about these subjects, or None."""
    names = dict(session.execute(select(StaffMember.id, StaffMember.display_name)).tuples().all())
    if reviewer_id not in names:
        return f"staff member {reviewer_id} does not exist"
    lines = dict(session.execute(select(ReportingLine.staff_id, ReportingLine.supervisor_id))
                 .tuples().all())
    reviewer = names[reviewer_id]
    for subject in sorted(subject_ids):
        if subject == reviewer_id:
            return f"{reviewer} is a subject of the complaint"
        if reviewer_id in _walk(lines, subject):
            return f"{reviewer} is in the direct chain above {names.get(subject, subject)}"
        if subject in _walk(lines, reviewer_id):
            return f"{reviewer} reports to {names.get(subject, subject)}, a subject"
    return None
