"""The demo program: years of a fictional co-responder unit that end in a quiet erosion.

The City of Port Alder runs a co-responder unit (its police department with a
behavioral-health partner). Everything is invented and deterministic for a seed and an
end date: the same seed and end date write byte-identical rows (one `random.Random(seed)`,
no global random, no `hash()` of strings, no wall clock except the default end date).

The story (dates in `demo_timeline`, measured figures in docs/demo-program.md): the unit
launches, adds a late shift after a demand review and moves in next to patrol roll call.
Then, 150 days before the end, a new chief arrives: patrol stops asking for the unit,
briefings and ride-alongs dry up, a civilian hiring freeze leaves a responder's position
empty, the late shift is cut and the unit is moved out to the city annex.

The call table holds every crisis-type call the unit attended or could have attended:
calls when nobody was on shift, or when the officer on scene did not ask for the unit,
are kept with no activation and no responder, so demand and coverage can be compared.
A call is in scope when its final call type is in the activation criteria.

Everything is written in one transaction, so a cancel (an exception raised by
`progress`) leaves nothing behind.
"""

from __future__ import annotations

import bisect
import hmac
import math
import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from hashlib import sha256
from itertools import accumulate
from statistics import NormalDist
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from console.data.enums import (
    Activation,
    AgencyKind,
    CallSource,
    DegreeLevel,
    Disposition,
    EventKind,
    StaffRole,
)
from console.data.models import (
    Agency,
    Call,
    Person,
    Position,
    PositionAssignment,
    Program,
    ProgramEvent,
    Shift,
    ShiftAssignment,
    StaffMember,
    call_responder,
)
from console.errors import UserError
from console.services.child_producer import produced_elsewhere

DEMO_KEY = b"co-response console demo key (not a secret)"
BATCH_ROWS = 5_000
# From this many calls up, SQLite loads the call tables with their indexes rebuilt at the
# end (see _sqlite_bulk_load); the default demo is written the plain way.
BULK_LOAD_CALLS = 150_000
# Call indexes whose keys grow as calls are written (time, program, CAD number order).
APPEND_ORDERED_INDEXES = frozenset(
    {"ix_call_received_at_id", "ix_call_program_id", "ix_call_incident_number_id"}
)
LEADERSHIP_CHANGE_DAYS_BEFORE_END = 150
PATROL_OFFICERS = 60

Progress = Callable[[int, int, str], None]
Row = dict[str, Any]


@dataclass(frozen=True)
class DemoSummary:
    """What generate_demo wrote, for the CLI to print."""

    program_id: int
    start: date
    end: date
    calls: int
    staff: int
    shifts: int
    events: int
    persons: int
    erosion_starts: date  # the leadership change


@dataclass(frozen=True)
class DemoTimeline:
    """The dates of the demo story. Calls run from `start` up to, not including, `end`."""

    start: date
    end: date
    late_shift_added: date
    office_move: date
    leadership_change: date  # end - 150 days; patrol requests and visibility fall from here
    hiring_freeze: date  # + 28 days
    responder_separates: date  # + 35 days; the position stays vacant
    schedule_cut: date  # + 42 days; late shift ends, evening shift becomes 12:00-20:00
    office_moved_out: date  # + 70 days

    def at(self, fraction: float) -> date:
        """The date at `fraction` of the healthy years (start to the leadership change)."""
        healthy = (self.leadership_change - self.start).days
        return self.start + timedelta(days=round(fraction * healthy))


def demo_timeline(end: date, years: int = 3) -> DemoTimeline:
    """The story's dates for a demo of `years` years ending at `end`."""
    if years < 1:
        raise UserError(f"years={years}: a demo program needs at least 1 year of history")
    try:
        start = end.replace(year=end.year - years)
    except ValueError:  # 29 February
        start = end.replace(year=end.year - years, day=28)
    lead = end - timedelta(days=LEADERSHIP_CHANGE_DAYS_BEFORE_END)
    healthy = (lead - start).days
    return DemoTimeline(
        start=start,
        end=end,
        late_shift_added=start + timedelta(days=round(0.16 * healthy)),
        office_move=start + timedelta(days=round(0.45 * healthy)),
        leadership_change=lead,
        hiring_freeze=lead + timedelta(days=28),
        responder_separates=lead + timedelta(days=35),
        schedule_cut=lead + timedelta(days=42),
        office_moved_out=lead + timedelta(days=70),
    )


def keyed_hash(kind: str, n: int) -> str:
    """HMAC-SHA256 of a synthetic id under the fixed demo key, first 128 bits in hex.

    128 bits keep collisions out of reach for any number of people, at half the width of
    the full digest in every call row and index.
    """
    return hmac.digest(DEMO_KEY, f"demo-{kind}-{n}".encode(), sha256)[:16].hex()


def sqlite_datetime(value: datetime) -> str:
    """A datetime as SQLAlchemy's SQLite DateTime type stores it."""
    return value.isoformat(" ", "seconds")


# --- the world: names, places, call types, outcome mixes ---------------------------------

FIRST_NAMES = (
    "Aaliyah Adrian Alma Amir Ana Andre Ava Ben Bianca Brooke Caleb Carmen Casey Chen Chris "
    "Dana Daniel Deja Devon Diego Elena Eli Emma Eric Farah Gabe Grace Hana Hector Imani Isaac "
    "Jada Jamal Jasmine Javier Jenna Joel Jordan Kara Keith Kim Lena Leo Luis Maya Marcus "
    "Mei Nadia Nate Nina Omar Paige Priya Quinn Rafael Rosa Ruth Sam Tariq Tess Victor Yara"
).split()
LAST_NAMES = (
    "Abbott Alvarez Baker Banks Becker Bishop Boyd Brennan Castillo Chavez Coleman Cruz Delgado "
    "Dunn Ellis Erikson Fischer Flores Foster Garza Gibson Graves Hale Hansen Hayes Holt Ibarra "
    "Jensen Kaur Keller Kim Lambert Larsen Lopez Lund Mahoney Marsh Medina Meyer Moreno Nakamura "
    "Nguyen Novak Okafor Olsen Ortega Park Patel Pierce Quinlan Ramos Reyes Riley Rivera Ross "
    "Sandoval Schmidt Shah Silva Sorensen Stone Sullivan Tan Thornton Torres Vance Vargas Wade "
    "Walsh Warren Weber Whitfield Wong Yoder Young Zamora"
).split()
RESPONDER_DISCIPLINES = ("Social work (MSW)", "Clinical mental health counseling",
                         "Marriage and family therapy", "Counseling psychology")
# precinct, code letter, share of calls (and of patrol officers)
PRECINCTS = (("Central", "C", 0.34), ("North", "N", 0.24), ("South", "S", 0.26),
             ("East", "E", 0.16))

IN_SCOPE_TYPES = frozenset({"Person in crisis", "Suicidal person", "Welfare check",
                            "Missing person (at risk)", "Follow-up visit", "Overdose follow-up"})
PRIORITY = {
    "Suicidal person": (1, 1, 2), "Person in crisis": (1, 2, 2, 3), "Welfare check": (3, 3, 4),
    "Missing person (at risk)": (2,), "Follow-up visit": (4,), "Overdose follow-up": (4,),
    "Disturbance": (2, 3), "Family disturbance": (1, 2), "Trespass": (3, 4),
    "Intoxicated person": (3,), "Suspicious person": (3, 4),
}
OUTCOME_GROUP = {"Suicidal person": "suicide", "Follow-up visit": "follow_up",
                 "Overdose follow-up": "follow_up", "Disturbance": "public",
                 "Family disturbance": "public", "Trespass": "public",
                 "Intoxicated person": "public", "Suspicious person": "public"}  # else crisis

# Four streams of calls: dispatched on the criteria, patrol on scene (who may ask for the
# unit), the unit's own on-view contacts, and its follow-up visits.
DISPATCH, PATROL, SELF, FOLLOW_UP = range(4)
STREAM_TYPES: dict[int, tuple[tuple[str, float], ...]] = {
    DISPATCH: (("Person in crisis", 30), ("Welfare check", 28), ("Suicidal person", 22),
               ("Missing person (at risk)", 4), ("Disturbance", 6), ("Intoxicated person", 4),
               ("Trespass", 3), ("Suspicious person", 3)),
    PATROL: (("Disturbance", 25), ("Welfare check", 20), ("Person in crisis", 20),
             ("Trespass", 12), ("Intoxicated person", 10), ("Suicidal person", 8),
             ("Family disturbance", 5)),
    SELF: (("Welfare check", 40), ("Person in crisis", 25), ("Trespass", 15),
           ("Intoxicated person", 10), ("Suspicious person", 10)),
    FOLLOW_UP: (("Follow-up visit", 60), ("Overdose follow-up", 40)),
}
STREAM_SOURCES: dict[int, tuple[tuple[str, float], ...]] = {
    DISPATCH: ((CallSource.E911.value, 72), (CallSource.NON_EMERGENCY.value, 28)),
    PATROL: ((CallSource.E911.value, 55), (CallSource.NON_EMERGENCY.value, 20),
             (CallSource.ON_VIEW.value, 25)),
    SELF: ((CallSource.ON_VIEW.value, 1),),
    FOLLOW_UP: ((CallSource.OTHER.value, 1),),
}
STREAM_ACTIVATION = {DISPATCH: Activation.DISPATCH.value, PATROL: Activation.PATROL_REQUEST.value,
                     SELF: Activation.SELF_INITIATED.value, FOLLOW_UP: Activation.FOLLOW_UP.value}

_D = Disposition
DISPOSITIONS = (_D.RESOLVED_ON_SCENE, _D.REFERRED, _D.VOLUNTARY_TRANSPORT, _D.ED_TRANSPORT,
                _D.INVOLUNTARY_HOLD, _D.ARREST, _D.REFUSED_SERVICES, _D.UNABLE_TO_LOCATE)
# Percentages in the order of DISPOSITIONS, by (unit on scene, outcome group).
DISPOSITION_MIX: dict[tuple[bool, str], tuple[float, ...]] = {
    (True, "crisis"): (38, 26, 13, 6, 5, 1.5, 6.5, 4),
    (True, "suicide"): (24, 24, 20, 15, 13, 0.5, 2, 1.5),
    (True, "public"): (44, 20, 10, 3, 2, 4.5, 12, 4.5),
    (True, "follow_up"): (32, 44, 6, 1, 1, 0, 6, 10),
    (False, "crisis"): (36, 6, 8, 18, 14, 5, 8, 5),
    (False, "suicide"): (19, 4, 10, 34, 28, 1, 2, 2),
    (False, "public"): (48, 3, 3, 6, 4, 13, 15, 8),
}
_UNABLE, _ARREST = _D.UNABLE_TO_LOCATE.value, _D.ARREST.value
_TRANSPORT = {_D.VOLUNTARY_TRANSPORT.value, _D.ED_TRANSPORT.value, _D.INVOLUNTARY_HOLD.value}
_FORCEFUL = {_D.ARREST.value, _D.INVOLUNTARY_HOLD.value}
# Cumulative chances of use of force, else subject injured, else officer injured, else
# responder injured, by whether the unit was on scene; four times as high on arrests and
# involuntary holds.
HARM = {True: (0.005, 0.010, 0.012, 0.0135), False: (0.022, 0.034, 0.040, 0.040)}

# Calls by hour of day (low overnight, afternoon and evening peak) and day of week.
HOURLY = (0.55, 0.45, 0.35, 0.28, 0.25, 0.27, 0.35, 0.5, 0.7, 0.9, 1.0, 1.1,
          1.15, 1.2, 1.3, 1.4, 1.45, 1.45, 1.4, 1.3, 1.15, 1.0, 0.85, 0.7)
WEEKDAY = (1.0, 0.97, 0.98, 1.0, 1.08, 1.07, 0.92)
# Daily means of the streams at the default volume (about 20,000 calls in three years).
DISPATCH_PER_DAY = 8.4
PATROL_ORIGIN_PER_DAY = 6.2
SELF_PER_SHIFT_HOUR = 0.07
FOLLOW_UPS_PER_DAY = (2.4, 2.4, 2.4, 2.4, 2.2, 0.8, 0.6)
PATROL_ASKS = 0.88  # chance patrol asks for the unit when it is on shift (before the erosion)
RECURRING_SHARE = 0.35  # calls about someone from the pool of people seen again
RECURRING_PEOPLE_PER_CALL = 0.12  # size of that pool
LOOKUP = 1024  # length of the tables categorical values are drawn from
DAY = 86_400


def _hour_tables() -> list[list[float]]:
    """Cumulative hourly weights for each day of the week."""
    tables = []
    for wd in range(7):
        w = list(HOURLY)
        if wd in (4, 5):  # Friday and Saturday evenings
            w[20:24] = [x * 1.2 for x in w[20:24]]
        if wd in (5, 6):  # the small hours after them
            w[0:3] = [x * 1.35 for x in w[0:3]]
        tables.append(list(accumulate(w)))
    return tables


def _season(d: date) -> float:
    """Summer higher, winter lower, with a small bump over the winter holidays."""
    f = 1.0 + 0.12 * math.cos(2 * math.pi * (d.timetuple().tm_yday - 196) / 365.25)
    if (d.month == 12 and d.day >= 18) or (d.month == 1 and d.day <= 3):
        f *= 1.1
    return f


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


class _Picker:
    """Weighted choice by bisection over cumulative weights."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1] if self.cum else 0.0
        self.last = len(self.items) - 1

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect(self.cum, rng.random() * self.total, 0, self.last)]


def _lookup(pairs: Sequence[tuple[Any, float]]) -> list[Any]:
    """A LOOKUP-long table to draw from with one random(): each item as often as its weight."""
    total = sum(w for _, w in pairs)
    exact = [w / total * LOOKUP for _, w in pairs]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(pairs)), key=lambda j: counts[j] - exact[j])
    for j in by_remainder[:LOOKUP - sum(counts)]:
        counts[j] += 1
    return [item for (item, _), n in zip(pairs, counts, strict=True) for _ in range(n)]


def _lognormal_table(median_minutes: float, sigma: float) -> list[float]:
    """LOOKUP quantiles of a log-normal duration, in seconds."""
    z = NormalDist()
    return [60 * median_minutes * math.exp(sigma * z.inv_cdf((k + 0.5) / LOOKUP))
            for k in range(LOOKUP)]


# --- staff and shifts ----------------------------------------------------------------------


@dataclass
class _Member:
    """A unit member as the roster sees them: role, time in the unit, leave days."""

    id: int
    role: StaffRole
    start: date
    end: date | None
    leave: set[date] = field(default_factory=set)

    def in_unit(self, d: date) -> bool:
        return self.start <= d and (self.end is None or d < self.end)


@dataclass(frozen=True)
class _Officer:
    """A patrol officer who may ask for the unit, and how that changes under the new chief."""

    id: int
    precinct: int
    weight: float
    hired: date
    separated: date | None
    stops_on: date  # from this day `after` multiplies the weight
    after: float


@dataclass(frozen=True)
class _Slot:
    """A staffed shift as calls see it; times in seconds from the first midnight."""

    start: int
    end: int
    label: str
    responder: int | None
    officer: int | None
    intern: int | None


@dataclass
class _Roster:
    shifts: list[Row] = field(default_factory=list)
    assignments: list[Row] = field(default_factory=list)
    cover: list[list[_Slot]] = field(default_factory=list)  # by day: shifts covering part of it
    field_hours: list[float] = field(default_factory=list)  # by day: hours of shifts starting


def _shift_templates(tl: DemoTimeline, d: date) -> list[tuple[str, int]]:
    if d >= tl.schedule_cut:
        return [("Day", 8), ("Mid", 12)]
    shifts = [("Day", 8), ("Evening", 14)]
    if d >= tl.late_shift_added and d.weekday() in (3, 4, 5):
        shifts.append(("Late", 18))
    return shifts


def _plan_shifts(rng: random.Random, tl: DemoTimeline, program_id: int,
                 unit: list[_Member]) -> _Roster:
    """Eight-hour shifts of one responder and one officer (an intern some days).

    Nobody works more than five shifts a week or comes back with less than ten hours' rest;
    a shift nobody can work is not staffed.
    """
    n_days = (tl.end - tl.start).days
    roster = _Roster(cover=[[] for _ in range(n_days + 1)], field_hours=[0.0] * n_days)
    week_count: dict[tuple[int, date], int] = {}
    last_end: dict[int, datetime] = {}
    for i in range(n_days):
        d = tl.start + timedelta(days=i)
        week = d - timedelta(days=d.weekday())
        today: set[int] = set()
        for label, hour in _shift_templates(tl, d):
            start = datetime.combine(d, time(hour))
            end = start + timedelta(hours=8)
            roles = [StaffRole.MH_RESPONDER, StaffRole.SWORN_OFFICER]
            if label == "Day" and d.weekday() in (1, 2, 3):
                roles.append(StaffRole.INTERN)
            picked: dict[StaffRole, int] = {}
            for role in roles:
                free = [m for m in unit if m.role is role and m.id not in today
                        and m.in_unit(d) and d not in m.leave
                        and week_count.get((m.id, week), 0) < 5
                        and last_end.get(m.id, datetime.min) <= start - timedelta(hours=10)]
                free.sort(key=lambda m: (week_count.get((m.id, week), 0), rng.random()))
                if free:
                    picked[role] = free[0].id
            if not picked:
                continue
            shift_id = len(roster.shifts) + 1
            roster.shifts.append({"id": shift_id, "program_id": program_id, "starts_at": start,
                                  "ends_at": end, "label": label})
            for staff_id in picked.values():
                roster.assignments.append({"shift_id": shift_id, "staff_id": staff_id})
                today.add(staff_id)
                week_count[(staff_id, week)] = week_count.get((staff_id, week), 0) + 1
                last_end[staff_id] = end
            at = i * DAY + hour * 3600
            slot = _Slot(at, at + 8 * 3600, label, picked.get(StaffRole.MH_RESPONDER),
                         picked.get(StaffRole.SWORN_OFFICER), picked.get(StaffRole.INTERN))
            roster.cover[i].append(slot)
            if end.date() > d:
                roster.cover[i + 1].append(slot)
            roster.field_hours[i] += 8.0
    return roster


# --- the program, its staff and events -----------------------------------------------------


class _Demo:
    """Builds and writes the demo program in order: the rng sequence is the data."""

    def __init__(self, session: Session, rng: random.Random, tl: DemoTimeline,
                 calls_total: int | None, progress: Progress | None) -> None:
        self.s, self.rng, self.tl, self.progress = session, rng, tl, progress
        self.calls_total = calls_total
        self.out = _Writer(session)
        self.program_id, self.pd, self.bh = 1, 1, 2
        self.person_base = session.scalar(select(func.max(Person.id))) or 0
        self.names = iter(rng.sample(range(len(FIRST_NAMES) * len(LAST_NAMES)), 400))
        self.badges = iter(rng.sample(range(1000, 10000), 400))
        self.staff_rows: list[Row] = []
        self.unit: list[_Member] = []
        self.officers: list[_Officer] = []
        self.roster = _Roster()

    def _name(self) -> str:
        n = next(self.names)
        return f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[n // len(FIRST_NAMES)]}"

    def _staff(self, role: StaffRole, *, agency: int, hired: date, separated: date | None = None,
               rank: str | None = None, degree: DegreeLevel = DegreeLevel.BACHELOR,
               discipline: str | None = None, key: str | None = None) -> int:
        staff_id = len(self.staff_rows) + 1
        self.staff_rows.append({
            "id": staff_id, "program_id": self.program_id, "agency_id": agency,
            "staff_key": key or f"PAPD-{next(self.badges)}", "display_name": self._name(),
            "role": role.value, "rank": rank, "degree_level": degree.value,
            "discipline": discipline, "hired_on": hired, "separated_on": separated,
        })
        return staff_id

    def program(self) -> None:
        self.out.write(Program.__table__, [{
            "id": self.program_id, "name": "Port Alder Co-Response Program (demo)",
            "jurisdiction": "City of Port Alder", "timezone": "America/Chicago",
            "started_on": self.tl.start,
            "description": "Fictional demo data: a police co-responder unit with a "
                           "behavioral-health partner. Every person and place is invented.",
        }])
        self.out.write(Agency.__table__, [
            {"id": self.pd, "program_id": self.program_id,
             "name": "Port Alder Police Department", "kind": AgencyKind.POLICE.value,
             "is_lead": True},
            {"id": self.bh, "program_id": self.program_id,
             "name": "Alder Valley Behavioral Health", "kind": AgencyKind.BEHAVIORAL_HEALTH.value,
             "is_lead": False},
            {"id": 3, "program_id": self.program_id,
             "name": "Port Alder Emergency Communications", "kind": AgencyKind.DISPATCH.value,
             "is_lead": False},
        ])

    def staff(self) -> None:
        """Unit positions and who filled them, then the patrol officers who call the unit."""
        tl, at = self.tl, self.tl.at
        sup, mh, off = StaffRole.SUPERVISOR, StaffRole.MH_RESPONDER, StaffRole.SWORN_OFFICER
        responder, officer = "Mental-Health First Responder", "Co-Responding Officer"
        # (title, role, funding, who held it from when to when); None: still in post.
        plan: list[tuple[str, StaffRole, str, list[tuple[date, date | None]]]] = [
            ("Co-Response Unit Sergeant", sup, "Police general fund", [(tl.start, None)]),
            ("Clinical Program Manager", sup, "Behavioral-health contract", [(tl.start, None)]),
            (responder, mh, "City general fund", [(tl.start, None)]),
            (responder, mh, "City general fund", [(tl.start, at(0.42)), (at(0.50), None)]),
            (responder, mh, "City general fund", [(tl.start, None)]),
            (responder, mh, "State crisis grant", [(tl.start, tl.responder_separates)]),
            (responder, mh, "State crisis grant", [(at(0.05), at(0.74)), (at(0.81), None)]),
            (officer, off, "Police general fund", [(tl.start, None)]),
            (officer, off, "Police general fund", [(tl.start, at(0.57)), (at(0.59), None)]),
            (officer, off, "Police general fund", [(tl.start, None)]),
            (officer, off, "Police general fund", [(tl.start, at(0.90)), (at(0.93), None)]),
        ]
        # Graduate interns for an academic year (late August to mid May); a second
        # practicum seat opens in the second year.
        for seat, program in enumerate(("Social work", "Counseling")):
            spans: list[tuple[date, date | None]] = []
            for year in range(tl.start.year - 1, tl.end.year + 1):
                arrive, leave = date(year, 8, 26), date(year + 1, 5, 10)
                if seat and arrive < tl.start + timedelta(days=300):
                    continue
                if leave > tl.start and arrive < tl.end:
                    spans.append((max(arrive, tl.start), leave if leave < tl.end else None))
            if spans:
                plan.append((f"Graduate Intern ({program} practicum)", StaffRole.INTERN,
                             "Partner university stipend", spans))

        positions: list[Row] = []
        filled: list[Row] = []
        for title, role, funding, spans in plan:
            pos_id = len(positions) + 1
            positions.append({
                "id": pos_id, "program_id": self.program_id, "title": title,
                "role": role.value, "funding_source": funding, "abolished_on": None,
                "authorized_on": spans[0][0] if role is StaffRole.INTERN else tl.start,
            })
            for a, b in spans:
                staff_id = self._unit_member(title, role, a, b)
                self.unit.append(_Member(staff_id, role, a, b, self._leave()))
                filled.append({"id": len(filled) + 1, "position_id": pos_id,
                               "staff_id": staff_id, "start_on": a, "end_on": b})

        precincts = [p for p, (_, _, share) in enumerate(PRECINCTS)
                     for _ in range(round(share * PATROL_OFFICERS))][:PATROL_OFFICERS]
        precincts += [0] * (PATROL_OFFICERS - len(precincts))
        self.rng.shuffle(precincts)
        for i, precinct in enumerate(precincts):
            self.officers.append(self._patrol_officer(i, precinct))

        self.out.write(StaffMember.__table__, self.staff_rows)
        self.out.write(Position.__table__, positions)
        self.out.write(PositionAssignment.__table__, filled)

    def _unit_member(self, title: str, role: StaffRole, a: date, b: date | None) -> int:
        rng = self.rng
        n = len(self.staff_rows)
        if role is StaffRole.INTERN:
            return self._staff(role, agency=self.bh, hired=a, separated=b, key=f"AVBH-I{n:03d}",
                               discipline=title.split("(")[1].replace(" practicum)", "") +
                               " (graduate student)")
        if title.startswith(("Co-Responding", "Co-Response")):  # sworn, rotated through
            return self._staff(role, agency=self.pd, hired=a - timedelta(rng.randrange(1500, 6000)),
                               rank="Sergeant" if "Sergeant" in title else "Officer",
                               discipline=rng.choice(("Criminal justice", "Psychology", None)))
        return self._staff(role, agency=self.bh, hired=a, separated=b, degree=DegreeLevel.MASTER,
                           key=f"AVBH-{n:04d}",
                           discipline="Social work (MSW), LCSW" if "Manager" in title
                           else rng.choice(RESPONDER_DISCIPLINES))

    def _patrol_officer(self, i: int, precinct: int) -> _Officer:
        """Requesting rates are heavy-tailed (a few champions); under the new chief many stop."""
        rng, tl = self.rng, self.tl
        hired = tl.start - timedelta(days=rng.randrange(200, 7300))
        if i >= PATROL_OFFICERS - 8:  # two academy classes during the program
            hired = tl.at(0.3) if i % 2 else tl.at(0.7)
        separated: date | None = None
        if i % 9 == 4 and i < PATROL_OFFICERS - 8:  # retired or left
            separated = tl.start + timedelta(days=rng.randrange(60, (tl.end - tl.start).days))
        rank = "Sergeant" if i % 15 == 0 else "Corporal" if i % 7 == 0 else "Officer"
        staff_id = self._staff(StaffRole.SWORN_OFFICER, agency=self.pd, hired=hired,
                               separated=separated, rank=rank,
                               degree=rng.choice((DegreeLevel.NONE, DegreeLevel.ASSOCIATE,
                                                  DegreeLevel.BACHELOR)))
        weight = rng.lognormvariate(0.0, 1.0)
        stops_on = tl.leadership_change + timedelta(days=rng.randrange(0, 42))
        after = 0.85 if weight > 2.5 else (0.0 if rng.random() < 0.4 else 0.7)
        return _Officer(staff_id, precinct, weight, hired, separated, stops_on, after)

    def _leave(self) -> set[date]:
        """Two leave weeks a year."""
        days: set[date] = set()
        d = self.tl.start
        while d < self.tl.end:
            for _ in range(2):
                first = d + timedelta(days=self.rng.randrange(365))
                days.update(first + timedelta(days=k) for k in range(7))
            d += timedelta(days=365)
        return days

    def events(self) -> None:
        rng, tl, ev = self.rng, self.tl, EventKind
        names = [p[0] for p in PRECINCTS]
        officers = {o.id for o in self.officers}
        patrol = [r["display_name"] for r in self.staff_rows if r["id"] in officers]
        watches = ("day", "evening", "night")
        rows: list[tuple[date, str, str, str]] = []
        for i in range(12):  # the launch tour of roll calls
            rows.append((tl.start + timedelta(days=1 + i * 19 // 12), ev.BRIEFING.value,
                         f"Launch briefing, {names[i % 4]} precinct {watches[i // 4]} roll call",
                         ""))
        rows += [
            (tl.start, ev.OTHER.value, "Co-responder unit begins field operations",
             "Two-year pilot funded by the city and a state crisis grant."),
            (tl.late_shift_added, ev.SCHEDULE_CHANGE.value,
             "Late shift added: 18:00-02:00 Thursday to Saturday",
             "Demand review showed a third of crisis calls after 18:00."),
            (tl.office_move, ev.OFFICE_MOVE.value,
             "Unit moves into Central Precinct, next to the patrol roll-call room", ""),
            (tl.leadership_change, ev.LEADERSHIP_CHANGE.value, "New chief of police sworn in",
             "The chief announces a review of all specialty units; the unit's sponsoring "
             "captain is reassigned to investigations."),
            (tl.hiring_freeze, ev.OTHER.value, "Hiring freeze on civilian positions", ""),
            (tl.schedule_cut, ev.SCHEDULE_CHANGE.value,
             "Late shift discontinued; evening shift moved to 12:00-20:00",
             "Overtime budget cut; after-hours crisis calls go to patrol alone."),
            (tl.office_moved_out, ev.OFFICE_MOVE.value,
             "Unit moves out of Central Precinct to the city annex on Industrial Way", ""),
        ]
        year = 1
        while tl.start + timedelta(days=365 * year + 20) < tl.leadership_change:
            rows.append((tl.start + timedelta(days=365 * year + 20), ev.OTHER.value,
                         f"Year {year} outcome report presented to city council", ""))
            year += 1
        # Visibility work, week by week: much rarer under the new chief.
        week, cohort = tl.start + timedelta(days=21), 1
        while week < tl.end:
            before = week < tl.leadership_change
            rates = (1.4, 0.45, 0.15) if before else (0.4, 0.1, 0.04)
            for kind, rate in zip((ev.BRIEFING, ev.RIDE_ALONG, ev.PATROL_TRAINING), rates,
                                  strict=True):
                for _ in range(_poisson(rng, rate)):
                    day = week + timedelta(days=rng.randrange(5))
                    if kind is ev.BRIEFING:
                        title = (f"Roll-call briefing, {rng.choice(names)} precinct "
                                 f"{rng.choice(watches)} watch")
                    elif kind is ev.RIDE_ALONG:
                        title = f"Ride-along: Officer {rng.choice(patrol)} with the unit"
                    else:
                        title = rng.choice(("In-service: de-escalation with co-responders",
                                            "In-service: when to request the unit",
                                            "Academy class: crisis response module"))
                    rows.append((day, kind.value, title, ""))
            if before and (week - tl.start).days % 91 < 7 and week > tl.start + timedelta(60):
                rows.append((week + timedelta(days=rng.randrange(3)), ev.PATROL_TRAINING.value,
                             f"CIT 40-hour course, cohort {cohort}", "24 patrol officers"))
                cohort += 1
            week += timedelta(days=7)
        rows = sorted(r for r in rows if r[0] < tl.end)
        self.out.write(ProgramEvent.__table__, [
            {"id": i, "program_id": self.program_id, "occurred_on": d, "kind": k, "title": t,
             "notes": n} for i, (d, k, t, n) in enumerate(rows, 1)])

    def shifts(self) -> None:
        self.roster = _plan_shifts(self.rng, self.tl, self.program_id, self.unit)
        self.out.write(Shift.__table__, self.roster.shifts)
        self.out.write(ShiftAssignment.__table__, self.roster.assignments)

    def calls(self) -> None:
        out = self.out
        calls = _Calls(self, out.sqlite)
        bulk = out.sqlite and calls.expected >= BULK_LOAD_CALLS
        with _sqlite_bulk_load(self.s, ("person", "call", "call_responder")) if bulk \
                else nullcontext():
            # From bulk size on, rows are built in a child process while this one writes.
            batches = produced_elsewhere(calls.batches) if bulk else calls.batches()
            for batch in batches:
                out.write_tuples(Person.__table__, PERSON_COLUMNS,
                                 calls.person_rows(batch.persons))
                out.write_tuples(Call.__table__, CALL_COLUMNS, calls.stamped(batch.calls))
                out.write_tuples(call_responder, RESPONDER_COLUMNS, batch.responders)
                if self.progress is not None:
                    self.progress(batch.days_done, calls.n_days,
                                  f"Writing calls: {out.counts.get('call', 0):,}")


# --- calls ---------------------------------------------------------------------------------

CALL_COLUMNS = (
    "id", "program_id", "agency_id", "incident_number", "received_at", "dispatched_at",
    "arrived_at", "cleared_at", "patrol_cleared_at", "initial_call_type", "final_call_type",
    "priority", "source", "activation", "requesting_officer_id", "in_scope", "disposition",
    "use_of_force", "subject_injured", "officer_injured", "responder_injured", "person_id",
    "location_key", "precinct", "sector", "beat",
)
PERSON_COLUMNS = ("id", "person_key")
RESPONDER_COLUMNS = ("call_id", "staff_id")


@dataclass
class _Batch:
    persons: list[int] = field(default_factory=list)  # ids first seen; see person_rows()
    calls: list[tuple[Any, ...]] = field(default_factory=list)
    responders: list[tuple[int, int]] = field(default_factory=list)
    days_done: int = 0


class _Calls:
    """Calls day by day in time order, in batches with the people first seen on them.

    Times are whole seconds from the first midnight until `stamp` turns them into column
    values. People: a pool of people seen again (a few high utilizers all along, others for
    a stretch of months, heavy-tailed rates), everyone else new; places: block-level
    addresses with a few hot spots (shelter, transit center).
    """

    def __init__(self, demo: _Demo, sqlite: bool) -> None:
        self.demo, self.rng, self.tl = demo, demo.rng, demo.tl
        rng = self.rng
        self.n_days = (self.tl.end - self.tl.start).days
        self.cover = demo.roster.cover
        self.field_hours = demo.roster.field_hours
        base = self._expected_calls()
        self.scale = 1.0 if demo.calls_total is None else demo.calls_total / max(1.0, base)
        self.expected = base * self.scale
        origin = datetime.combine(self.tl.start, time())
        self.stamp: Callable[[int], Any]
        if sqlite:  # SQLAlchemy's storage format from two small tables
            days = [sqlite_datetime(origin + timedelta(days=k))[:11]
                    for k in range(self.n_days + 7)]
            clock = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"
                     for s in range(DAY)]
            self.stamp = lambda s: days[s // DAY] + clock[s % DAY]
        else:
            self.stamp = lambda s: origin + timedelta(seconds=s)
        self.hours = _hour_tables()
        self.types = {k: _lookup(v) for k, v in STREAM_TYPES.items()}
        self.sources = {k: _lookup(v) for k, v in STREAM_SOURCES.items()}
        mixes = {k: _lookup(list(zip([x.value for x in DISPOSITIONS], v, strict=True)))
                 for k, v in DISPOSITION_MIX.items()}
        self.dispositions = {(t, on): mixes[(on, OUTCOME_GROUP.get(t, "crisis"))]
                             for t in PRIORITY for on in (True, False)
                             if (on, OUTCOME_GROUP.get(t, "crisis")) in mixes}
        self.priority = {k: _lookup([(p, 1.0) for p in v]) for k, v in PRIORITY.items()}
        self.scene = {True: _lognormal_table(49, 0.5), False: _lognormal_table(37, 0.5)}

        self.n_loc = max(200, int(self.expected * 0.12))
        self.loc_keys = [keyed_hash("location", i) for i in range(self.n_loc)]
        beats = [(p, s) for p in range(len(PRECINCTS)) for s in range(3)]
        beat_pick = _Picker(beats, [PRECINCTS[p][2] for p, _ in beats])
        self.places: list[tuple[int, str, str, str]] = []
        for _ in range(self.n_loc):
            p, s = beat_pick(rng)
            name, code, _ = PRECINCTS[p]
            self.places.append((p, name, f"{code}{s + 1}", f"{code}{s + 1}{rng.randrange(1, 4)}"))
        self.hot_spot = _Picker(range(self.n_loc), [40 / (i + 1) if i < 20 else
                                                    rng.lognormvariate(0, 0.8)
                                                    for i in range(self.n_loc)])

        self.n_recurring = max(60, int(self.expected * RECURRING_PEOPLE_PER_CALL))
        n_high = max(3, round(self.expected / 2000))
        self.p_weight = [rng.uniform(8, 15) if k < n_high else min(6.0, rng.paretovariate(1.6))
                         for k in range(self.n_recurring)]
        self.p_home = [rng.randrange(self.n_loc) for _ in range(self.n_recurring)]
        self.p_window: list[tuple[int, int]] = []  # active from day to day
        for k in range(self.n_recurring):
            if k < n_high:
                self.p_window.append((-1, self.n_days + 1))
            else:
                first = rng.randrange(-180, self.n_days)
                self.p_window.append((first, first + 30 + int(rng.expovariate(1 / 300))))
        self.written = bytearray(self.n_recurring)
        self.block = -1
        self.block_pick = _Picker([], [])
        self.next_person = self.person_id(self.n_recurring)
        self.recent: list[list[tuple[int, int]]] = [[] for _ in range(14)]  # follow-up leads
        self.officer_pick: list[_Picker] = []
        self.asks: list[float] = []
        self.call_id = 0
        self.prefix, self.seq = "", 0
        self.gap = max(2, min(40, int(4_000_000 * self.n_days / 365 / max(self.expected, 1))))
        self.batch = _Batch()

    def stamped(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Calls with their five times turned from seconds into column values.

        Done as the rows are written, not as they are built: in the bulk path this runs in
        the writing process, which has time to spare, and seconds travel lighter than text.
        """
        stamp = self.stamp
        return [
            (*r[:4], stamp(r[4]), stamp(r[5]), stamp(r[6]), stamp(r[7]),
             None if r[8] is None else stamp(r[8]), *r[9:])
            for r in rows
        ]

    @staticmethod
    def person_rows(ids: list[int]) -> list[tuple[int, str]]:
        """Person rows with their keyed pseudonyms, computed where the rows are written."""
        return [(i, keyed_hash("person", i)) for i in ids]

    def person_id(self, k: int) -> int:
        return self.demo.person_base + k + 1

    def _expected_calls(self) -> float:
        total = 0.0
        for i in range(self.n_days):
            d = self.tl.start + timedelta(days=i)
            total += (DISPATCH_PER_DAY + PATROL_ORIGIN_PER_DAY) * WEEKDAY[d.weekday()] * _season(d)
            total += SELF_PER_SHIFT_HOUR * self.field_hours[i]
            total += FOLLOW_UPS_PER_DAY[d.weekday()] * (self.field_hours[i] > 0)
        return total

    def batches(self) -> Iterator[_Batch]:
        for i in range(self.n_days):
            self._day(i)
            if len(self.batch.calls) >= BATCH_ROWS or i == self.n_days - 1:
                self.batch.days_done = i + 1
                yield self.batch
                self.batch = _Batch()

    def _officers_on(self, d: date) -> None:
        """Who in each precinct may ask for the unit today, and how likely patrol asks."""
        self.officer_pick, self.asks = [], []
        for p in range(len(PRECINCTS)):
            ids: list[int] = []
            weights: list[float] = []
            usual = 0.0
            for o in self.demo.officers:
                if o.precinct != p or o.hired > d or (o.separated and d >= o.separated):
                    continue
                usual += o.weight
                now = o.weight * (o.after if d >= o.stops_on else 1.0)
                if now > 0:
                    ids.append(o.id)
                    weights.append(now)
            self.officer_pick.append(_Picker(ids, weights))
            self.asks.append(PATROL_ASKS * sum(weights) / usual if usual else 0.0)

    def _day(self, i: int) -> None:
        rng = self.rng
        rand = rng.random
        d = self.tl.start + timedelta(days=i)
        if i // 56 != self.block:  # people active in this 8-week block
            self.block = i // 56
            lo, hi = self.block * 56, self.block * 56 + 56
            active = [k for k, (a, z) in enumerate(self.p_window) if a < hi and z > lo]
            self.block_pick = _Picker(active, [self.p_weight[k] for k in active])
        self.recent[i % 14] = []
        self._officers_on(d)
        if i == 0 or (d.month, d.day) == (1, 1):
            self.prefix, self.seq = f"PAPD-{d.year % 100:02d}-", 0
        wd = d.weekday()
        midnight = i * DAY
        rate = WEEKDAY[wd] * _season(d) * self.scale
        cum = self.hours[wd]
        todo: list[tuple[int, int, _Slot | None]] = []
        for stream, per_day in ((DISPATCH, DISPATCH_PER_DAY), (PATROL, PATROL_ORIGIN_PER_DAY)):
            for _ in range(_poisson(rng, per_day * rate)):
                hour = bisect.bisect(cum, rand() * cum[-1], 0, 23)
                todo.append((midnight + hour * 3600 + int(rand() * 3600), stream, None))
        cover = self.cover[i]
        mine = [s for s in cover if s.start >= midnight]
        clinic = [s for s in mine if s.label != "Late" and s.responder is not None]
        for stream, count, slots in (
                (SELF, SELF_PER_SHIFT_HOUR * self.field_hours[i] * self.scale, mine),
                (FOLLOW_UP, FOLLOW_UPS_PER_DAY[wd] * self.scale, clinic)):
            for _ in range(_poisson(rng, count) if slots else 0):
                shift = slots[int(rand() * len(slots))]
                last = min(shift.end, midnight + DAY) - 1200  # 20 minutes before it ends
                todo.append((shift.start + int(rand() * (last - shift.start)), stream, shift))
        todo.sort(key=lambda c: (c[0], c[1]))
        for t, stream, slot in todo:
            self._call(i, t, stream, slot, cover)

    def _who(self, stream: int) -> tuple[int | None, int]:
        """A person and a place index.

        The person is None (nobody identified), 0 (someone new), -1 - k (pool person k) or
        the id of someone already written (a follow-up).
        """
        rand = self.rng.random
        if stream == FOLLOW_UP:
            bucket = self.recent[int(rand() * 14)]
            if bucket:
                return bucket[int(rand() * len(bucket))]
        r = rand()
        if r < 0.03:
            return None, self.hot_spot(self.rng)
        if r < 0.03 + RECURRING_SHARE and self.block_pick.total:
            k: int = self.block_pick(self.rng)
            return -1 - k, self.p_home[k] if rand() < 0.65 else self.hot_spot(self.rng)
        return 0, self.hot_spot(self.rng) if rand() < 0.5 else int(rand() * self.n_loc)

    def _call(self, i: int, t: int, stream: int, slot: _Slot | None,
              cover: list[_Slot]) -> None:
        rand, log = self.rng.random, math.log
        call_type: str = self.types[stream][int(rand() * LOOKUP)]
        in_scope = call_type in IN_SCOPE_TYPES
        person, place = self._who(stream)
        precinct, precinct_name, sector, beat = self.places[place]
        officer = None
        if slot is None:  # is the unit on shift, and is it sent or asked for?
            on = [s for s in cover if s.start <= t < s.end]
            if on:
                slot = on[int(rand() * len(on))]
                if stream == DISPATCH:
                    if rand() >= (0.92 if in_scope else 0.5):
                        slot = None
                elif rand() < self.asks[precinct]:
                    officer = self.officer_pick[precinct](self.rng)
                else:
                    slot = None
        present = slot is not None
        disp: str = self.dispositions[(call_type, present)][int(rand() * LOOKUP)]
        if disp == _UNABLE and rand() < 0.6:
            person = None
        if person is not None and person <= 0:  # written with the first call about them
            new = True
            if person == 0:
                person = self.next_person
                self.next_person += 1
            else:
                k = -1 - person
                person, new = self.person_id(k), not self.written[k]
                self.written[k] = 1
            if new:
                self.batch.persons.append(person)

        # Seconds; -log(1 - u) * mean is an exponential draw.
        priority: int = self.priority[call_type][int(rand() * LOOKUP)]
        if stream == SELF:
            dispatched = arrived = t
        elif stream == FOLLOW_UP:
            dispatched = t
            arrived = t + 480 + int(-log(1 - rand()) * 600)
        else:
            if stream == PATROL and present:  # patrol assesses first, then asks
                lag = 600 - log(1 - rand()) * 840
            else:
                lag = 60 - log(1 - rand()) * (180 if priority == 1 else 480)
            dispatched = t + int(lag)
            arrived = dispatched + 180 + int(-log(1 - rand()) * 480)
        if disp == _UNABLE:
            scene = 600 - log(1 - rand()) * 480
        else:
            scene = self.scene[present][int(rand() * LOOKUP)]
            if disp in _TRANSPORT:
                scene += 1800 - log(1 - rand()) * 1200
            elif disp == _ARREST:
                scene += 1500
        cleared = arrived + int(scene)
        patrol: int | None
        if not present:
            patrol = cleared
        elif stream == FOLLOW_UP:
            patrol = None
        elif disp == _ARREST:
            patrol = cleared + 1800 + int(-log(1 - rand()) * 1800)
        elif stream == SELF:  # patrol comes as backup a quarter of the time
            patrol = min(cleared, arrived + 900 + int(-log(1 - rand()) * 900)) \
                if rand() < 0.25 else None
        elif rand() < 0.7:  # patrol hands over and returns to service
            patrol = min(cleared, arrived + 300 + int(-log(1 - rand()) * 720))
        else:
            patrol = cleared + int(rand() * 900) - 300

        force = subject_hurt = officer_hurt = responder_hurt = False
        r = rand() / (4.0 if disp in _FORCEFUL else 1.0)
        harm = HARM[present]
        if r < harm[3]:
            if r < harm[0]:
                force, subject_hurt, officer_hurt = True, rand() < 0.45, rand() < 0.25
            elif r < harm[1]:
                subject_hurt = True
            elif r < harm[2]:
                officer_hurt = True
            else:
                responder_hurt = True

        self.seq += 1 + int(rand() * self.gap)  # the CAD numbers other incidents in between
        self.call_id += 1
        call_id = self.call_id
        self.batch.calls.append((
            call_id, self.demo.program_id, self.demo.pd, f"{self.prefix}{self.seq:07d}",
            t, dispatched, arrived, cleared, patrol,  # seconds: see stamped()
            call_type if rand() < 0.8 else self.types[PATROL][int(rand() * LOOKUP)],
            call_type, priority, self.sources[stream][int(rand() * LOOKUP)],
            STREAM_ACTIVATION[stream] if present else None,
            officer, in_scope, disp, force, subject_hurt, officer_hurt, responder_hurt,
            person, self.loc_keys[place], precinct_name, sector, beat,
        ))
        if slot is not None:
            responders = self.batch.responders
            if slot.responder is not None:
                responders.append((call_id, slot.responder))
            if slot.officer is not None and not (
                    stream == FOLLOW_UP and slot.responder is not None and rand() < 0.5):
                responders.append((call_id, slot.officer))
            if slot.intern is not None and rand() < 0.35:
                responders.append((call_id, slot.intern))
            if person is not None and stream != FOLLOW_UP:
                self.recent[i % 14].append((person, place))


# --- writing -------------------------------------------------------------------------------


class _Writer:
    """Writes rows with executemany on the Core tables and counts them per table.

    The bulk tables (person, call, call_responder) come as tuples in a fixed column order.
    On SQLite those go to the connection as they are (their datetimes already in
    SQLAlchemy's storage format): SQLAlchemy's per-value processing would cost more than
    SQLite itself. On other databases they go through the Core insert like the rest.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.sqlite = session.get_bind().dialect.name == "sqlite"
        self.counts: dict[str, int] = {}

    def write(self, table: Any, rows: list[Row]) -> None:
        for i in range(0, len(rows), BATCH_ROWS):
            self.session.execute(insert(table), rows[i:i + BATCH_ROWS])
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)

    def write_tuples(self, table: Any, columns: Sequence[str],
                     rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if not self.sqlite:
            self.write(table, [dict(zip(columns, r, strict=True)) for r in rows])
            return
        sql = (f'INSERT INTO "{table.name}" ({", ".join(columns)}) '
               f'VALUES ({", ".join("?" * len(columns))})')
        self.session.connection().exec_driver_sql(sql, rows)
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)


@contextmanager
def _sqlite_bulk_load(session: Session, tables: Sequence[str]) -> Iterator[None]:
    """Load big tables the way SQLite loads fastest, inside the open transaction.

    The tables' secondary indexes are dropped and rebuilt from their own SQL afterwards
    (one sort instead of millions of random B-tree inserts), except those whose keys
    arrive in order (calls are written in time order): appending to them costs less than
    rebuilding them; and CHECK constraints are not
    evaluated row by row (the values come from the enums; the default-sized demo, which
    the tests check, is written with every constraint on). SQLite's DDL is transactional:
    an exception rolls the indexes back together with the rows.
    """
    conn = session.connection()
    if not getattr(conn.connection.driver_connection, "in_transaction", False):
        yield  # DDL outside a transaction would commit on its own: load the plain way
        return
    names = ", ".join(f"'{t}'" for t in tables)
    indexes = [(name, sql) for name, sql in conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({names}) ORDER BY name") if name not in APPEND_ORDERED_INDEXES]
    cache_size = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    for name, _ in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    conn.exec_driver_sql("PRAGMA ignore_check_constraints = ON")
    conn.exec_driver_sql("PRAGMA cache_size = -131072")  # 128 MiB while loading
    try:
        yield
        for _, sql in indexes:
            conn.exec_driver_sql(sql)
    finally:
        conn.exec_driver_sql("PRAGMA ignore_check_constraints = OFF")
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(cache_size or -2000)}")


@contextmanager
def _bulk_load_settings(session_factory: sessionmaker[Session], bulk: bool) -> Iterator[None]:
    """Load a big SQLite demo through a rollback journal without foreign-key lookups.

    In WAL mode every page of a new file is written twice (log, then checkpoint); a
    rollback journal of a new file holds almost nothing, and a cancel still rolls back.
    The generator writes parents before children with ids it assigned itself, so the
    four foreign-key lookups per call prove nothing (tests run foreign_key_check on the
    result). SQLite refuses the journal switch while another connection has the file
    open: then the load simply stays in WAL. Both settings are restored afterwards.
    """
    bind = session_factory.kw.get("bind")
    if not bulk or bind is None or bind.dialect.name != "sqlite":
        yield
        return
    with session_factory() as session:
        session.connection().exec_driver_sql("PRAGMA journal_mode=DELETE")
        session.connection().exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        with session_factory() as session:
            session.connection().exec_driver_sql("PRAGMA foreign_keys=ON")
            session.connection().exec_driver_sql("PRAGMA journal_mode=WAL")


def _sync_sequences(session: Session, tables: Sequence[str]) -> None:
    """On PostgreSQL, move each id sequence past the ids written explicitly."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in tables:
        session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
            f"GREATEST((SELECT MAX(id) FROM \"{name}\"), 1))"))


def generate_demo(session_factory: sessionmaker[Session], *, years: int = 3, seed: int = 7,
                  end: date | None = None, calls_total: int | None = None,
                  progress: Progress | None = None) -> DemoSummary:
    """Write the demo program into an empty database, in one transaction.

    It covers `years` years ending at `end` (default today; calls up to the day before).
    `calls_total` scales the call volume to about that many calls (default about 20,000
    for three years). `progress(done, total, text)` is called between batches; whatever
    it raises (a cancel) propagates and rolls everything back. Raises UserError when the
    database already holds a program.
    """
    if calls_total is not None and calls_total < 1:
        raise UserError(f"calls_total={calls_total}: give a positive number of calls")
    tl = demo_timeline(end if end is not None else date.today(), years)
    bulk = calls_total is not None and calls_total >= BULK_LOAD_CALLS
    with _bulk_load_settings(session_factory, bulk), session_factory.begin() as session:
        existing = session.scalar(select(Program.name).limit(1))
        if existing is not None:
            raise UserError(f"the database already holds the program {existing!r}: "
                            "write the demo into a new, empty database")
        demo = _Demo(session, random.Random(seed), tl, calls_total, progress)
        if progress is not None:
            progress(0, (tl.end - tl.start).days, "Writing staff, shifts and events")
        demo.program()
        demo.staff()
        demo.events()
        demo.shifts()
        demo.calls()
        _sync_sequences(session, ("program", "agency", "staff_member", "position",
                                  "position_assignment", "program_event", "shift", "person",
                                  "call"))
        counts = demo.out.counts
    return DemoSummary(
        program_id=demo.program_id, start=tl.start, end=tl.end,
        calls=counts.get("call", 0), staff=counts.get("staff_member", 0),
        shifts=counts.get("shift", 0), events=counts.get("program_event", 0),
        persons=counts.get("person", 0), erosion_starts=tl.leadership_change,
    )
