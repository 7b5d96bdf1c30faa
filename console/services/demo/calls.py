"""The demo's calls, day by day in time order, in batches."""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from console.services.demo.pathways import PEAK, ReferralPlan, _Paths
from console.services.demo.providers import falters_day
from console.services.demo.roster import _Slot
from console.services.demo.timeline import BATCH_ROWS, keyed_hash, sqlite_datetime
from console.services.demo.world import (
    _ARREST,
    _FORCEFUL,
    _TRANSPORT,
    _UNABLE,
    DAY,
    DISPATCH,
    DISPATCH_PER_DAY,
    DISPOSITION_MIX,
    DISPOSITIONS,
    FOLLOW_UP,
    FOLLOW_UPS_PER_DAY,
    HARM,
    IN_SCOPE_TYPES,
    LOOKUP,
    OUTCOME_GROUP,
    PATROL,
    PATROL_ALONE_BUILDING,
    PATROL_ASKS,
    PATROL_ORIGIN_PER_DAY,
    POOL_TRIES,
    PRECINCTS,
    PRIORITY,
    RECURRING_PEOPLE_PER_CALL,
    RECURRING_SHARE,
    SELF,
    SELF_PER_SHIFT_HOUR,
    STREAM_ACTIVATION,
    STREAM_SOURCES,
    STREAM_TYPES,
    WEEKDAY,
    _hour_tables,
    _lognormal_table,
    _lookup,
    _Picker,
    _poisson,
    _season,
)

if TYPE_CHECKING:
    from console.services.demo.program import _Demo


CALL_COLUMNS = (
    "id", "program_id", "agency_id", "incident_number", "received_at", "dispatched_at",
    "arrived_at", "cleared_at", "patrol_cleared_at", "initial_call_type", "final_call_type",
    "priority", "source", "activation", "requesting_officer_id", "in_scope", "disposition",
    "use_of_force", "subject_injured", "officer_injured", "responder_injured", "person_id",
    "location_key", "precinct", "sector", "beat",
)
PERSON_COLUMNS = ("id", "person_key", "name")
RESPONDER_COLUMNS = ("call_id", "staff_id")


@dataclass
class _Batch:
    persons: list[int] = field(default_factory=list)  # ids first seen; see program.py
    named: list[int] = field(default_factory=list)  # of those, the ones the unit knows by name
    calls: list[tuple[Any, ...]] = field(default_factory=list)
    responders: list[tuple[int, int]] = field(default_factory=list)
    referrals: list[ReferralPlan] = field(default_factory=list)
    days_done: int = 0


class _Calls:
    """Calls day by day in time order, in batches with the people first seen on them.

    Times are whole seconds from the first midnight until `stamp` turns them into column
    values. People: a pool of people seen again (a few high utilizers all along, others for
    a stretch of months, heavy-tailed rates, following the pathways of pathways.py),
    everyone else new; places: block-level addresses with a few hot spots (shelter,
    transit center).
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
        self.paths = _Paths(demo.pathways_rng, self.n_recurring, n_high, self.p_window,
                            self.tl.start.weekday(), falters_day(self.tl))
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
                self.batch.referrals, self.paths.plans = self.paths.plans, []
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

    def _who(self, stream: int, day: int) -> tuple[int | None, int]:
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
            drawn: int = self.block_pick(self.rng)
            home = rand() < 0.65
            place = self.p_home[drawn] if home else self.hot_spot(self.rng)
            k = self._pool_person(day, drawn)
            if k is None:
                return 0, place
            return -1 - k, self._home(k, place) if home else place
        return 0, self.hot_spot(self.rng) if rand() < 0.5 else int(rand() * self.n_loc)

    def _home(self, k: int, place: int) -> int:
        """Person k's home where it lies in the precinct of `place`, else `place`.

        The precinct decides who may ask for the unit, drawn from the call's own random
        numbers: the pathways choose people from theirs and leave the calls as they were.
        """
        home = self.p_home[k]
        return home if self.places[home][0] == self.places[place][0] else place

    def _pool_person(self, day: int, first: int | None = None, meeting: bool = False,
                     unmet: bool = False) -> int | None:
        """Someone from the pool, as often as their pathway's rate today says (a few
        tries, else None: someone new); `first`: the first to try; `meeting`: on a call
        the unit attends; `unmet`: someone it has not met yet."""
        paths = self.paths
        prng, window = paths.rng, self.p_window
        for _ in range(POOL_TRIES):
            k: int = self.block_pick(prng) if first is None else first
            first = None
            if window[k][0] <= day < window[k][1] and (not unmet or paths.met[k] < 0) and \
                    prng.random() * PEAK < paths.level(k, day) and \
                    (not meeting or paths.meets(k)):
                return k
        return None

    def _pathway_person(self, day: int, person: int, present: bool) -> int:
        """The person on a crisis call once it is known whether the unit attends.

        The unit meets pool people only once their calls have built up (paths.meets):
        until then someone else at the same place is on its calls, and a share of the
        calls patrol handles alone are about people whose crisis is building.
        """
        if present:
            if person < 0 and not self.paths.meets(-1 - person):
                other = self._pool_person(day, meeting=True)
                return 0 if other is None else -1 - other
        elif self.paths.rng.random() < PATROL_ALONE_BUILDING:
            other = self._pool_person(day, unmet=True)
            if other is not None:
                return -1 - other
        return person

    def _call(self, i: int, t: int, stream: int, slot: _Slot | None,
              cover: list[_Slot]) -> None:
        rand, log = self.rng.random, math.log
        call_type: str = self.types[stream][int(rand() * LOOKUP)]
        in_scope = call_type in IN_SCOPE_TYPES
        person, place = self._who(stream, i)
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
        if person is not None and stream != FOLLOW_UP:
            person = self._pathway_person(i, person, present)
        pool = -1 - person if person is not None and person < 0 else None
        disp: str = self.dispositions[(call_type, present)][int(rand() * LOOKUP)]
        if disp == _UNABLE and rand() < 0.6:
            person = pool = None
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
                if present or pool is not None:  # met, or seen again: known by name
                    self.batch.named.append(person)

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
            staff: list[int] = []  # the responder first: who makes a referral
            if slot.responder is not None:
                staff.append(slot.responder)
            if slot.officer is not None and not (
                    stream == FOLLOW_UP and slot.responder is not None and rand() < 0.5):
                staff.append(slot.officer)
            if slot.intern is not None and rand() < 0.35:
                staff.append(slot.intern)
            self.batch.responders.extend((call_id, s) for s in staff)
            if person is not None and stream != FOLLOW_UP:
                self.recent[i % 14].append((person, place))
            if person is not None:
                k_ref = person - self.demo.person_base - 1
                self.paths.refer(call_id, person, k_ref if k_ref < self.n_recurring else None,
                                 disp, arrived, cleared, tuple(staff))
        if pool is not None and stream != FOLLOW_UP:
            self.paths.called(pool, i, present)
