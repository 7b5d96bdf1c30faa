"""A small program for complaint tests: staff with reporting lines, linked accounts.

Staff: 1 responder Ana Subject (reports to 2), 2 clinical manager Carla Chain (reports
to 5), 3 sergeant Rae Able and 4 sergeant Ben Baker (reviewers, outside the chain),
5 director staff Dee Top, 6 supervisor Sam Second (reports to 5; a subject too).
Accounts (user id: role, linked staff): 1 supervisor (none), 2 director (none),
3 reviewer (3), 4 reviewer (4), 5 responder (1, the subject), 6 analyst (none),
7 supervisor (6, a subject).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import access_for, seed_program
from sqlalchemy import insert

from console.data.complaint_enums import AllegationCategory, Channel
from console.data.engine import Database
from console.data.enums import StaffRole, UserRole
from console.data.models import ReportingLine, StaffMember, UserAccount, UserStaffLink
from console.services.access import Access, Actor
from console.services.complaints import Intake, record_complaint

COMPLAINANT = "Zelda Quincewhistle"
CONTACT = "zelda.q@example.invalid, 555-0199"
NARRATIVE = ("The responder raised her voice at my brother on Juniper Court and told the "
             "officers he was faking; nobody explained the evaluation to our family.")
STAFF = [
    (1, "Ana Subject", StaffRole.MH_RESPONDER, None),
    (2, "Carla Chain", StaffRole.SUPERVISOR, None),
    (3, "Rae Able", StaffRole.SWORN_OFFICER, "Sergeant"),
    (4, "Ben Baker", StaffRole.SWORN_OFFICER, "Sergeant"),
    (5, "Dee Top", StaffRole.SUPERVISOR, None),
    (6, "Sam Second", StaffRole.SUPERVISOR, None),
]
LINES = [(1, 2), (2, 5), (6, 5)]
USERS = [
    (1, "sup", UserRole.SUPERVISOR, None), (2, "dir", UserRole.DIRECTOR, None),
    (3, "rev.able", UserRole.REVIEWER, 3), (4, "rev.baker", UserRole.REVIEWER, 4),
    (5, "resp.ana", UserRole.RESPONDER, 1), (6, "analyst", UserRole.ANALYST, None),
    (7, "sup.sam", UserRole.SUPERVISOR, 6),
]
ACTORS = {
    "supervisor": 1, "director": 2, "assigned reviewer": 3, "other reviewer": 4,
    "responder (subject)": 5, "analyst": 6, "subject supervisor": 7,
}


def build(db: Database, key_folder: Path) -> Access:
    """Fill `db` with the world; returns the supervisor's (user 1) access."""
    with db.engine.begin() as conn:
        seed_program(conn)
        for sid, name, role, rank in STAFF:
            conn.execute(insert(StaffMember).values(
                id=sid, program_id=1, staff_key=f"E{sid}", display_name=name, role=role,
                rank=rank, hired_on=dt.date(2020, 1, 1)))
        for staff, boss in LINES:
            conn.execute(insert(ReportingLine).values(staff_id=staff, supervisor_id=boss))
        for uid, username, role, staff in USERS:
            conn.execute(insert(UserAccount).values(
                id=uid, username=username, display_name=username.title(), role=role,
                password_hash="x", created_at=dt.datetime(2026, 1, 1)))
            if staff is not None:
                conn.execute(insert(UserStaffLink).values(user_id=uid, staff_id=staff))
    base = access_for(db, key_folder)
    return as_user(base, 1)


def as_user(access: Access, user_id: int) -> Access:
    _, username, role, _ = next(u for u in USERS if u[0] == user_id)
    return access.as_actor(Actor(username, role, username.title(), user_id=user_id))


def actor(access: Access, name: str) -> Access:
    return as_user(access, ACTORS[name])


def intake(*, anonymous: bool = False, subjects: tuple[int, ...] = (1, 6),
           received_on: dt.date = dt.date(2026, 3, 2),
           categories: tuple[AllegationCategory, ...] = (AllegationCategory.COMMUNICATION,),
           ) -> Intake:
    return Intake(received_on=received_on,
                  channel=Channel.ANONYMOUS if anonymous else Channel.FAMILY,
                  narrative=NARRATIVE, subject_ids=subjects, categories=categories,
                  anonymous=anonymous, complainant_name="" if anonymous else COMPLAINANT,
                  complainant_contact="" if anonymous else CONTACT,
                  note="Received by phone at the front desk.")


def new_case(supervisor: Access, **kwargs: object) -> int:
    return record_complaint(supervisor, intake(**kwargs))  # type: ignore[arg-type]
