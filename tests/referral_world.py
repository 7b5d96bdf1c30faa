"""A small program for referral tests: two responders with their accounts, an analyst,
a few calls about named people.

Staff: 1 Ana Ruiz and 2 Ben Okafor (responders). Accounts (id: role, linked staff):
1 supervisor (none), 2 resp.ana (1), 3 resp.ben (2), 4 analyst (none), 5 resp.new
(none: not linked yet). Calls 1-4 (incidents 26-0001..26-0004) in March 2026, each
attended by its responder (1, 1, 2, 2) and about a named person.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import access_for, seed_program
from sqlalchemy import insert

from console.data.engine import Database
from console.data.enums import Activation, StaffRole, UserRole
from console.data.models import Call, StaffMember, UserAccount, UserStaffLink, call_responder
from console.services import people_service
from console.services.access import Access, Actor

PEOPLE = ["Marisol Brightwater", "Thaddeus Lindqvist", "Orla Featherstone", "Idris Vantongeren"]
USERS = [(1, "sup", UserRole.SUPERVISOR, None), (2, "resp.ana", UserRole.RESPONDER, 1),
         (3, "resp.ben", UserRole.RESPONDER, 2), (4, "analyst", UserRole.ANALYST, None),
         (5, "resp.new", UserRole.RESPONDER, None)]
CALL_TIMES = [dt.datetime(2026, 3, 2, 10), dt.datetime(2026, 3, 5, 22, 10),
              dt.datetime(2026, 3, 9, 14), dt.datetime(2026, 3, 20, 3, 5)]


def build(db: Database, key_folder: Path) -> Access:
    """Fill `db`; returns the supervisor's access."""
    with db.engine.begin() as conn:
        seed_program(conn)
        for sid, name in ((1, "Ana Ruiz"), (2, "Ben Okafor")):
            conn.execute(insert(StaffMember).values(
                id=sid, program_id=1, staff_key=f"R{sid}", display_name=name,
                role=StaffRole.MH_RESPONDER, hired_on=dt.date(2022, 1, 1)))
        for uid, username, role, staff in USERS:
            conn.execute(insert(UserAccount).values(
                id=uid, username=username, display_name=username.title(), role=role,
                password_hash="x", created_at=dt.datetime(2026, 1, 1)))
            if staff is not None:
                conn.execute(insert(UserStaffLink).values(user_id=uid, staff_id=staff))
        conn.execute(insert(Call), [
            {"id": i + 1, "program_id": 1, "agency_id": 1, "incident_number": f"26-{i + 1:04d}",
             "received_at": at, "activation": Activation.DISPATCH, "in_scope": True,
             "final_call_type": "Person in crisis"} for i, at in enumerate(CALL_TIMES)])
        conn.execute(insert(call_responder), [
            {"call_id": c, "staff_id": s} for c, s in ((1, 1), (2, 1), (3, 2), (4, 2))])
    access = as_user(access_for(db, key_folder), 1)
    for call_id, name in enumerate(PEOPLE, start=1):
        people_service.link_person(access, call_id, people_service.record_person(access, name))
    return access


def as_user(access: Access, user_id: int) -> Access:
    _, username, role, _ = next(u for u in USERS if u[0] == user_id)
    return access.as_actor(Actor(username, role, username.title(), user_id=user_id))
