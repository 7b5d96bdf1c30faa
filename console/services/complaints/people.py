"""Who is who for complaints: a user account's staff member, and whom staff report to.

A user account is linked to at most one staff member (UserStaffLink): a reviewer signs
in as themselves and meets the cases assigned to their staff record, and a supervisor
who is the subject of a complaint is known as such. Reporting lines (ReportingLine)
are the direct chain a reviewer must stand outside.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.data.models import ReportingLine, StaffMember, UserAccount, UserStaffLink
from console.errors import UserError
from console.services.access import Access, Action
from console.services.complaints.standing import chain_above


def _staff(session: Session, staff_key: str) -> StaffMember:
    found = session.scalar(select(StaffMember).where(StaffMember.staff_key == staff_key))
    if found is None:
        raise UserError(f"no staff member has the badge or employee number {staff_key!r}; "
                        "nothing was changed")
    return found


def link_user(access: Access, username: str, staff_key: str | None) -> None:
    """Link the account to the staff member with this badge number (None: unlink)."""
    with access.writing(Action.MANAGE_USERS, f"user {username}") as session:
        user = session.scalar(select(UserAccount).where(UserAccount.username == username))
        if user is None:
            raise UserError(f"there is no user {username!r}; nothing was changed")
        link = session.get(UserStaffLink, user.id)
        if staff_key is None:
            if link is not None:
                session.delete(link)
            return
        staff = _staff(session, staff_key)
        taken = session.scalar(select(UserAccount.username).join(
            UserStaffLink, UserStaffLink.user_id == UserAccount.id)
            .where(UserStaffLink.staff_id == staff.id, UserAccount.id != user.id))
        if taken is not None:
            raise UserError(f"{staff.display_name} is already the staff member of user "
                            f"{taken!r}; unlink that account first; nothing was changed")
        if link is None:
            session.add(UserStaffLink(user_id=user.id, staff_id=staff.id))
        else:
            link.staff_id = staff.id


def set_reports_to(access: Access, staff_key: str, supervisor_key: str | None) -> None:
    """Record whom a staff member reports to (None: nobody recorded); no loops."""
    with access.writing(Action.EDIT_STAFF, f"reporting line of {staff_key}") as session:
        staff = _staff(session, staff_key)
        line = session.get(ReportingLine, staff.id)
        if supervisor_key is None:
            if line is not None:
                session.delete(line)
            return
        boss = _staff(session, supervisor_key)
        if boss.id == staff.id or staff.id in chain_above(session, boss.id):
            raise UserError(f"{staff.display_name} cannot report to {boss.display_name}: "
                            f"{boss.display_name} already reports to them (directly or "
                            "further up); nothing was changed")
        if line is None:
            session.add(ReportingLine(staff_id=staff.id, supervisor_id=boss.id))
        else:
            line.supervisor_id = boss.id
