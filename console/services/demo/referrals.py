"""The demo's referrals, the unit's follow-up contacts, and names for its recurring people.

The referrals were decided as their calls were drawn (pathways.py); this writes them with
the details that shape nothing else, from its own random numbers: who made each one, the
unit's follow-up contacts and the sealed notes. A referral whose outcome would only be
known after the demo's last day is still pending. Names are sealed like every other
identity; the people the unit met, and the people seen again, have one.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from console.data.base import sealed_purpose
from console.data.crypto import Vault
from console.data.enums import StaffRole
from console.data.models import FollowUpContact, Person, Referral
from console.data.referral_enums import ReferralKind, ReferralResult
from console.services.demo.calls import PERSON_COLUMNS
from console.services.demo.pathways import ReferralPlan
from console.services.demo.roster import _Member
from console.services.demo.timeline import DemoTimeline, keyed_hash, sqlite_datetime
from console.services.demo.world import FIRST_NAMES, LAST_NAMES
from console.services.demo.writing import _Writer

REFERRAL_TABLES = ("provider", "referral", "follow_up_contact")
NAME = sealed_purpose("person", "name")
OUTCOME = sealed_purpose("referral", "outcome_notes")
NOTE = sealed_purpose("follow_up_contact", "note")
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


class _Referrals:
    """Writes each batch's people, referrals and follow-up contacts after its calls.

    In a big demo's fast path the calls are built in a child process while this one
    writes: the sealing here runs alongside it, not after it.
    """

    def __init__(self, out: _Writer, vault: Vault, rng: random.Random, tl: DemoTimeline,
                 unit: list[_Member], program_id: int) -> None:
        self.out, self.vault, self.rng, self.unit = out, vault, rng, unit
        self.program_id = program_id
        self.origin = datetime.combine(tl.start, time())
        self.end = datetime.combine(tl.end, time())
        self.responders = [m for m in unit if m.role is StaffRole.MH_RESPONDER]
        # As SQLAlchemy stores them on SQLite, written as they are (see _Writer).
        self.stamp: Callable[[datetime | None], Any] = (
            (lambda d: None if d is None else sqlite_datetime(d)) if out.sqlite
            else (lambda d: d))
        self.referral_id = self.contact_id = 0

    def people(self, ids: list[int], named: list[int]) -> None:
        """Person rows: keyed pseudonyms, and sealed names for the people the unit knows."""
        known, seal = set(named), self.vault.seal
        self.out.write_tuples(Person.__table__, PERSON_COLUMNS, [
            (i, keyed_hash("person", i),
             seal(person_name(i), purpose=NAME) if i in known else None) for i in ids])

    def write(self, plans: Sequence[ReferralPlan]) -> None:
        rng, stamp, seal, end = self.rng, self.stamp, self.vault.seal, self.end
        referrals: list[tuple[Any, ...]] = []
        contacts: list[tuple[Any, ...]] = []
        for p in plans:
            self.referral_id += 1
            rid = self.referral_id
            referred = self.origin + timedelta(seconds=p.referred_s)
            first = None if p.first_service_s is None else \
                self.origin + timedelta(seconds=p.first_service_s)
            result = ReferralResult(p.result)
            if (first is not None and first >= end) or (
                    first is None and referred >= end - timedelta(days=PENDING_DAYS)):
                result, first = ReferralResult.PENDING, None
            kind = ReferralKind.WARM_HANDOFF if p.warm else ReferralKind.INFORMATION_ONLY
            staff = p.staff[0]
            referrals.append((
                rid, self.program_id, p.call_id, p.person_id, p.provider + 1, staff,
                kind.value, stamp(referred), p.contact_made, p.attempts, stamp(first),
                result.value,
                seal(rng.choice(NOTES[(bool(p.contact_made), result)]), purpose=OUTCOME)))
            for at in _follow_up_times(rng, referred, result):
                if at >= end:
                    break
                reached = rng.random() < 0.7
                self.contact_id += 1
                contacts.append((
                    self.contact_id, rid, stamp(at),
                    _on_duty(staff, at.date(), self.unit, self.responders), reached,
                    seal(rng.choice(REACHED if reached else NOT_REACHED), purpose=NOTE)))
        self.out.write_tuples(Referral.__table__, REFERRAL_COLUMNS, referrals)
        self.out.write_tuples(FollowUpContact.__table__, FOLLOW_UP_COLUMNS, contacts)


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


INITIALS = "ABCDEFGHJKLMNPRSTW"
NAME_SPACE = len(FIRST_NAMES) * len(LAST_NAMES) * len(INITIALS)
NAME_STEP = 7_919  # a prime that does not divide NAME_SPACE: ids map to distinct names


def person_name(person_id: int) -> str:
    """An invented name for a person id: first name, initial, last name; distinct for the
    first NAME_SPACE ids, repeating after (people do share names)."""
    n = (person_id * NAME_STEP + 1_234) % NAME_SPACE
    first, rest = FIRST_NAMES[n % len(FIRST_NAMES)], n // len(FIRST_NAMES)
    return f"{first} {INITIALS[rest % len(INITIALS)]}. {LAST_NAMES[rest // len(INITIALS)]}"
