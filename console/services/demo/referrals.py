"""The demo's referrals, the unit's follow-up contacts, and names for its recurring people.

The referrals were decided as their calls were drawn (pathways.py); this writes them with
the details that shape nothing else, from its own random numbers: who made each one, the
unit's follow-up contacts and the sealed notes. A referral whose outcome would only be
known after the demo's last day is still pending. Names are sealed like every other
identity; the people seen on more than one call or referred get one.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import bindparam, func, select, union, update
from sqlalchemy.orm import Session

from console.data.base import sealed_purpose
from console.data.crypto import Vault
from console.data.enums import StaffRole
from console.data.models import Call, FollowUpContact, Person, Referral
from console.data.referral_enums import ReferralKind, ReferralResult
from console.services.demo.pathways import ReferralPlan
from console.services.demo.roster import _Member
from console.services.demo.timeline import DemoTimeline, sqlite_datetime
from console.services.demo.world import FIRST_NAMES, LAST_NAMES
from console.services.demo.writing import _Writer

REFERRAL_TABLES = ("provider", "referral", "follow_up_contact")
REFERRAL_COLUMNS = ("id", "program_id", "call_id", "person_id", "provider_id", "staff_id",
                    "kind", "referred_at", "contact_made", "contact_attempts",
                    "first_service_at", "result", "outcome_notes")
FOLLOW_UP_COLUMNS = ("id", "referral_id", "contacted_at", "staff_id", "reached", "note")
PENDING_DAYS = 10  # a refusal or a missed intake is known about this long after
NOTES = {
    (True, ReferralResult.ACCEPTED): (
        "Intake completed the same day; first appointment booked.",
        "Admitted overnight for stabilization; discharge plan shared with the unit.",
        "Provider met them at the scene; agreed to a week of daily check-ins.",
        "Seen by the prescriber the next morning; medication restarted."),
    (False, ReferralResult.ACCEPTED): (
        "Called the number on their own; intake done at the second visit.",
        "Went in after a reminder from the unit; on the waitlist for counseling.",
        "Family drove them to intake later that week."),
    (True, ReferralResult.DECLINED): (
        "Spoke with the intake worker, then declined; safety plan reviewed.",
        "Declined admission; accepted the crisis line number."),
    (False, ReferralResult.DECLINED): (
        "Declined services when the unit followed up.",
        "Says they have their own counselor; no further contact wanted."),
    (True, ReferralResult.NO_SHOW): (
        "Appointment made on scene; did not arrive.",
        "Transport arranged but they had left when the van came."),
    (False, ReferralResult.NO_SHOW): (
        "Did not call the provider; the phone number on file is disconnected.",
        "No intake on record; not found at the last known address."),
    (True, ReferralResult.PENDING): ("Intake scheduled; waiting for the provider to confirm.",),
    (False, ReferralResult.PENDING): ("Number given; the unit will check back this week.",),
}
REACHED = ("Reached by phone: attending as planned.", "Home visit: doing better, sleeping.",
           "Reached; asked for help with transport to the next appointment.",
           "Spoke with a family member; the person is engaged with the provider.")
NOT_REACHED = ("No answer; voicemail left.", "Not at the address; card left at the door.",
               "Number out of service; asked patrol to pass on a message.")


def write_referrals(out: _Writer, vault: Vault, rng: random.Random, tl: DemoTimeline,
                    plans: Sequence[ReferralPlan], unit: list[_Member],
                    program_id: int) -> None:
    origin = datetime.combine(tl.start, time())
    end = datetime.combine(tl.end, time())
    notes_purpose = sealed_purpose("referral", "outcome_notes")
    note_purpose = sealed_purpose("follow_up_contact", "note")
    responders = [m for m in unit if m.role is StaffRole.MH_RESPONDER]
    # As SQLAlchemy stores them on SQLite, written as they are (see _Writer).
    stamp: Callable[[datetime | None], Any] = (
        (lambda d: None if d is None else sqlite_datetime(d)) if out.sqlite else (lambda d: d))
    referrals: list[tuple[Any, ...]] = []
    contacts: list[tuple[Any, ...]] = []
    for rid, p in enumerate(sorted(plans, key=lambda x: x.call_id), 1):
        referred = origin + timedelta(seconds=p.referred_s)
        first = None if p.first_service_s is None else \
            origin + timedelta(seconds=p.first_service_s)
        result = ReferralResult(p.result)
        if (first is not None and first >= end) or (
                first is None and referred >= end - timedelta(days=PENDING_DAYS)):
            result, first = ReferralResult.PENDING, None
        kind = ReferralKind.WARM_HANDOFF if p.warm else ReferralKind.INFORMATION_ONLY
        staff = p.staff[0]
        referrals.append((
            rid, program_id, p.call_id, p.person_id, p.provider + 1, staff, kind.value,
            stamp(referred), p.contact_made, p.attempts, stamp(first), result.value,
            vault.seal(rng.choice(NOTES[(bool(p.contact_made), result)]),
                       purpose=notes_purpose)))
        for at in _follow_up_times(rng, referred, result):
            if at >= end:
                break
            who = _on_duty(staff, at.date(), unit, responders)
            reached = rng.random() < 0.7
            contacts.append((
                len(contacts) + 1, rid, stamp(at), who, reached,
                vault.seal(rng.choice(REACHED if reached else NOT_REACHED),
                           purpose=note_purpose)))
    out.write_tuples(Referral.__table__, REFERRAL_COLUMNS, referrals)
    out.write_tuples(FollowUpContact.__table__, FOLLOW_UP_COLUMNS, contacts)


def _follow_up_times(rng: random.Random, referred: datetime,
                     result: ReferralResult) -> list[datetime]:
    """The unit checks in within about three days, again if the first try tells nothing."""
    count = {ReferralResult.ACCEPTED: 1 + (rng.random() < 0.3),
             ReferralResult.DECLINED: int(rng.random() < 0.5),
             ReferralResult.NO_SHOW: 2, ReferralResult.PENDING: 1}[result]
    times, at = [], referred
    for _ in range(count):
        at += timedelta(seconds=int(3600 * rng.lognormvariate(3.6, 0.6)))  # median 36 h
        if at.hour >= 18:  # in office hours: the next morning
            at = (at + timedelta(days=1)).replace(hour=9)
        elif at.hour < 9:
            at = at.replace(hour=9)
        times.append(at)
    return times


def _on_duty(staff: int, day: date, unit: list[_Member], responders: list[_Member]) -> int | None:
    """Whoever made the referral, if still in the unit that day, else a responder who is."""
    for m in unit:
        if m.id == staff and m.in_unit(day):
            return staff
    return next((m.id for m in responders if m.in_unit(day)), None)


def write_names(session: Session, vault: Vault, rng: random.Random) -> None:
    """Sealed names for the people seen on more than one call or referred."""
    again = select(Call.person_id).where(Call.person_id.is_not(None)) \
        .group_by(Call.person_id).having(func.count() > 1)
    ids = sorted(i for i in session.scalars(union(again, select(Referral.person_id).where(
        Referral.person_id.is_not(None)))) if i is not None)
    initials = "ABCDEFGHJKLMNPRSTW"
    space = len(FIRST_NAMES) * len(LAST_NAMES) * len(initials)
    purpose = sealed_purpose("person", "name")
    rows = []
    for person, n in zip(ids, rng.sample(range(space), min(len(ids), space)), strict=False):
        first, rest = FIRST_NAMES[n % len(FIRST_NAMES)], n // len(FIRST_NAMES)
        initial, last = initials[rest % len(initials)], LAST_NAMES[rest // len(initials)]
        rows.append({"pid": person,
                     "sealed": vault.seal(f"{first} {initial}. {last}", purpose=purpose)})
    if rows:
        session.connection().execute(
            update(Person).where(Person.id == bindparam("pid"))
            .values(name=bindparam("sealed")), rows)
