"""The referrals a responder sees: the list of referrals, and the follow-up queue.

The follow-up queue holds the people referred whose first service is not confirmed yet,
oldest first. Each is due for the unit's follow-up `referral_follow_up_hours` after the
referral (a supervisor's setting, 72 hours unless changed; audited like data) and is
overdue when that time has passed without a follow-up contact that reached the person.
A referral the person declined is not chased; referrals older than QUEUE_DAYS leave the
queue (they count as follow-up misses in the outcome measures, not as work for today).

A responder sees their own referrals (the staff member their account is linked to);
supervisors and directors see everyone's. Names are shown to the roles that may see
identities; analysts and reviewers get no list at all (referrals/measures.py counts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, func, select

from console.data.base import sealed_purpose
from console.data.models import Call, FollowUpContact, Person, Provider, Referral, StaffMember
from console.data.referral_enums import ReferralKind, ReferralResult
from console.services.access import Access, Action
from console.services.referrals.records import visible
from console.services.settings_service import IntSetting, get_int

FOLLOW_UP_HOURS = IntSetting("referral_follow_up_hours",
                             "Follow up a referral within (hours)", default=72, minimum=1,
                             maximum=24 * 30, per_program=True)
QUEUE_DAYS = 30
LIST_LIMIT = 5000  # the newest; a program records a few thousand referrals a year
PERSON_NAME = sealed_purpose("person", "name")


@dataclass(frozen=True)
class ReferralRow:
    """One line of the Referrals table."""

    id: int
    call_id: int
    incident_number: str
    person: str  # the name in clear, or "" when none is known
    provider: str
    kind: ReferralKind
    referred_at: dt.datetime
    contact_made: bool | None
    contact_attempts: int
    first_service_at: dt.datetime | None
    result: ReferralResult
    staff: str
    follow_ups: int

    @property
    def hours_to_service(self) -> float | None:
        if self.first_service_at is None:
            return None
        return (self.first_service_at - self.referred_at).total_seconds() / 3600


@dataclass(frozen=True)
class QueueRow:
    """A person referred whose first service is not confirmed yet."""

    referral_id: int
    incident_number: str
    person: str
    provider: str
    kind: ReferralKind
    referred_at: dt.datetime
    due_at: dt.datetime
    overdue: bool
    staff: str
    last_follow_up: dt.datetime | None
    reached: bool  # a follow-up contact reached the person


@dataclass(frozen=True)
class FollowUpQueue:
    rows: tuple[QueueRow, ...]
    due_hours: int
    older: int  # unconfirmed referrals older than QUEUE_DAYS, not listed


def _names(access: Access, sealed: dict[int, str | None]) -> dict[int, str]:
    vault = access.vault
    return {i: vault.open(s, purpose=PERSON_NAME) if s else "" for i, s in sealed.items()}


def referral_rows(access: Access, since: dt.date | None = None) -> list[ReferralRow]:
    """The referrals the actor may see (newest first, at most LIST_LIMIT), with names."""
    with access.reading(Action.VIEW_IDENTITIES) as session:
        follow_ups = (select(FollowUpContact.referral_id, func.count().label("n"))
                      .group_by(FollowUpContact.referral_id).subquery())
        stmt = (select(Referral.id, Referral.call_id, Call.incident_number, Person.id,
                       Person.name, Provider.name, Referral.kind, Referral.referred_at,
                       Referral.contact_made, Referral.contact_attempts,
                       Referral.first_service_at, Referral.result, StaffMember.display_name,
                       follow_ups.c.n)
                .join(Call, Call.id == Referral.call_id)
                .join(Provider, Provider.id == Referral.provider_id)
                .outerjoin(Person, Person.id == Referral.person_id)
                .outerjoin(StaffMember, StaffMember.id == Referral.staff_id)
                .outerjoin(follow_ups, follow_ups.c.referral_id == Referral.id)
                .order_by(Referral.referred_at.desc(), Referral.id.desc())
                .limit(LIST_LIMIT))
        if since is not None:
            stmt = stmt.where(Referral.referred_at >= dt.datetime.combine(since, dt.time()))
        rows = session.execute(visible(stmt, session, access.actor)).tuples().all()
    names = _names(access, {r[3]: r[4] for r in rows if r[3] is not None})
    return [ReferralRow(r[0], r[1], r[2], names.get(r[3], "") if r[3] else "", r[5], r[6],
                        r[7], r[8], r[9], r[10], r[11], r[12] or "", int(r[13] or 0))
            for r in rows]


def follow_up_queue(access: Access, now: dt.datetime | None = None) -> FollowUpQueue:
    """The actor's follow-up queue (see the module's docstring), oldest first."""
    now = now or dt.datetime.now()
    hours = get_int(access, FOLLOW_UP_HOURS)
    since = now - dt.timedelta(days=QUEUE_DAYS)
    with access.reading(Action.VIEW_IDENTITIES) as session:
        contacts = (select(FollowUpContact.referral_id,
                           func.max(FollowUpContact.contacted_at).label("last"),
                           func.max(case((FollowUpContact.reached, 1), else_=0)).label("reached"))
                    .group_by(FollowUpContact.referral_id).subquery())
        waiting = (Referral.first_service_at.is_(None),
                   Referral.result != ReferralResult.DECLINED)
        stmt = (select(Referral.id, Call.incident_number, Person.id, Person.name,
                       Provider.name, Referral.kind, Referral.referred_at,
                       StaffMember.display_name, contacts.c.last, contacts.c.reached)
                .join(Call, Call.id == Referral.call_id)
                .join(Provider, Provider.id == Referral.provider_id)
                .outerjoin(Person, Person.id == Referral.person_id)
                .outerjoin(StaffMember, StaffMember.id == Referral.staff_id)
                .outerjoin(contacts, contacts.c.referral_id == Referral.id)
                .where(*waiting, Referral.referred_at >= since)
                .order_by(Referral.referred_at, Referral.id))
        rows = session.execute(visible(stmt, session, access.actor)).tuples().all()
        older = session.scalar(visible(
            select(func.count(Referral.id)).where(*waiting, Referral.referred_at < since),
            session, access.actor)) or 0
    names = _names(access, {r[2]: r[3] for r in rows if r[2] is not None})
    out = []
    for rid, incident, pid, _sealed, provider, kind, referred, staff, last, reached in rows:
        due = referred + dt.timedelta(hours=hours)
        out.append(QueueRow(rid, incident, names.get(pid, "") if pid else "", provider, kind,
                            referred, due, now > due and not reached, staff or "",
                            _as_datetime(last), bool(reached)))
    return FollowUpQueue(tuple(out), hours, int(older))


def _as_datetime(value: object) -> dt.datetime | None:
    """MAX over a datetime column comes back as text on SQLite."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))
