"""The demo program, its staff and events, written in order."""

from __future__ import annotations

import random
from contextlib import nullcontext
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.data.enums import (
    AgencyKind,
    DegreeLevel,
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
from console.services.child_producer import produced_elsewhere
from console.services.demo import timeline
from console.services.demo.calls import CALL_COLUMNS, RESPONDER_COLUMNS, _Calls
from console.services.demo.referrals import _Referrals
from console.services.demo.roster import _Member, _Officer, _plan_shifts, _Roster
from console.services.demo.timeline import PATROL_OFFICERS, DemoTimeline, Progress, Row
from console.services.demo.world import (
    FIRST_NAMES,
    LAST_NAMES,
    PRECINCTS,
    RESPONDER_DISCIPLINES,
    _poisson,
)
from console.services.demo.writing import _sqlite_bulk_load, _Writer


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
        self.referrals: _Referrals  # set by generate_demo before the calls
        # Who each call is about and what it leads to (pathways.py): random numbers of
        # their own, so every call is drawn as it would be without them.
        self.pathways_rng = random.Random(0)

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

    def clinical_manager(self) -> str:
        """The behavioral-health supervisor: who vets the provider network."""
        return next(r["display_name"] for r in self.staff_rows
                    if r["role"] == StaffRole.SUPERVISOR.value and r["agency_id"] == self.bh)

    def shifts(self) -> None:
        self.roster = _plan_shifts(self.rng, self.tl, self.program_id, self.unit)
        self.out.write(Shift.__table__, self.roster.shifts)
        self.out.write(ShiftAssignment.__table__, self.roster.assignments)

    def calls(self) -> None:
        out = self.out
        calls = _Calls(self, out.sqlite)
        bulk = out.sqlite and calls.expected >= timeline.BULK_LOAD_CALLS
        with _sqlite_bulk_load(self.s, ("person", "call", "call_responder", "referral",
                                        "follow_up_contact")) if bulk \
                else nullcontext():
            # From bulk size on, rows are built in a child process while this one writes.
            batches = produced_elsewhere(calls.batches) if bulk else calls.batches()
            for batch in batches:
                self.referrals.people(batch.persons, batch.named)
                out.write_tuples(Call.__table__, CALL_COLUMNS, calls.stamped(batch.calls))
                out.write_tuples(call_responder, RESPONDER_COLUMNS, batch.responders)
                self.referrals.write(batch.referrals)
                if self.progress is not None:
                    self.progress(batch.days_done, calls.n_days,
                                  f"Writing calls: {out.counts.get('call', 0):,}")
