"""The roster rules, checked on a plain snapshot of the roster (no database, no Qt).

Times are the program's local wall-clock times, as shifts are stored; lengths and rests
are real elapsed hours in the program's time zone, so a night shift across the autumn
change is 9 h, not 8. Each breach names the people, the shift and the rule in a sentence.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from console.data.enums import StaffRole

RULES = ("min_staffing", "rest", "max_week_hours", "max_period_hours", "qualification",
         "double_booking", "leave")
PAY_PERIOD_ANCHOR = dt.date(2024, 1, 1)  # a Monday: pay periods run from here in steps
HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class RuleValues:
    """What a supervisor sets (see schedule.settings); zero turns a limit off."""

    rest_hours: int = 10
    max_week_hours: int = 60
    max_period_hours: int = 96
    period_normal_hours: int = 80  # hours beyond these in a pay period are overtime
    pay_period_days: int = 14


@dataclass(frozen=True)
class RosterShift:
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    label: str
    staff_ids: tuple[int, ...] = ()
    requires: tuple[str, ...] = ()  # credential names someone on the shift must hold

    @property
    def name(self) -> str:
        """How a sentence names the shift: 'Tue 2026-03-03 08:00-16:00 (Day)'."""
        return (f"{self.starts_at:%a %Y-%m-%d %H:%M}-{self.ends_at:%H:%M}"
                + (f" ({self.label})" if self.label else ""))


@dataclass(frozen=True)
class RosterStaff:
    id: int
    name: str
    role: StaffRole
    credentials: tuple[str, ...] = ()
    away: tuple[tuple[dt.date, str], ...] = ()  # (day, 'annual leave' / 'court' ...)


@dataclass(frozen=True)
class Minimum:
    start_hour: int
    end_hour: int
    role: StaffRole
    minimum: int

    @property
    def hours(self) -> int:
        return (self.end_hour - self.start_hour) % 24 or 24


@dataclass(frozen=True)
class Roster:
    """The shifts of a period with the people and limits the rules need."""

    first: dt.date
    last: dt.date
    shifts: tuple[RosterShift, ...]
    staff: tuple[RosterStaff, ...]
    minimums: tuple[Minimum, ...] = ()
    timezone: str = "America/Chicago"
    values: RuleValues = field(default_factory=RuleValues)


@dataclass(frozen=True)
class Breach:
    rule: str
    staff: str | None
    shift: str | None
    explanation: str
    staff_id: int | None = None
    shift_id: int | None = None
    on: dt.date | None = None  # the day it happens (a shift's first day, a band's day)


def elapsed_hours(starts: dt.datetime, ends: dt.datetime, zone: ZoneInfo) -> float:
    """Real hours between two local wall-clock times (daylight saving counted)."""
    a = starts.replace(tzinfo=zone).astimezone(dt.UTC)
    b = ends.replace(tzinfo=zone).astimezone(dt.UTC)
    return (b - a) / HOUR


def check(roster: Roster) -> list[Breach]:
    """Every breach of the roster's shifts that start within its period, in time order."""
    zone = ZoneInfo(roster.timezone)
    people = {s.id: s for s in roster.staff}
    in_period = [s for s in roster.shifts
                 if roster.first <= s.starts_at.date() <= roster.last]
    by_person: dict[int, list[RosterShift]] = defaultdict(list)
    for s in sorted(roster.shifts, key=lambda s: (s.starts_at, s.id)):
        for staff_id in s.staff_ids:
            if staff_id in people:
                by_person[staff_id].append(s)
    found: list[tuple[dt.datetime, Breach]] = []
    for staff_id, shifts in by_person.items():
        person = people[staff_id]
        found += _pairs(person, shifts, roster, zone)
        found += _leave(person, shifts, roster)
        found += _hours(person, shifts, roster, zone)
    found += _qualifications(in_period, people)
    found += _minimums(roster, people)
    found.sort(key=lambda f: (f[0], RULES.index(f[1].rule), f[1].staff or ""))
    return [b for _, b in found]


def _breach(at: dt.datetime, rule: str, person: RosterStaff | None,
            shift: RosterShift | None, text: str) -> tuple[dt.datetime, Breach]:
    return at, Breach(rule, person.name if person else None, shift.name if shift else None,
                      text, person.id if person else None, shift.id if shift else None,
                      at.date())


def _in_period(shift: RosterShift, roster: Roster) -> bool:
    return roster.first <= shift.starts_at.date() <= roster.last


def _pairs(person: RosterStaff, shifts: list[RosterShift], roster: Roster,
           zone: ZoneInfo) -> Iterable[tuple[dt.datetime, Breach]]:
    """Double booking (overlap) and short rest (gap under the minimum) between a
    person's consecutive shifts; exactly the minimum rest is fine."""
    rest = roster.values.rest_hours
    if not shifts:
        return
    before = shifts[0]  # of the shifts so far, the one ending last
    for after in shifts[1:]:
        latest = before if before.ends_at >= after.ends_at else after
        if not _in_period(after, roster):
            before = latest
            continue
        if after.starts_at < before.ends_at:
            yield _breach(after.starts_at, "double_booking", person, after,
                          f"{person.name} is booked on {after.name} while still on "
                          f"{before.name}: no one may work two overlapping shifts "
                          f"(double_booking).")
        else:
            gap = elapsed_hours(before.ends_at, after.starts_at, zone)
            if rest and gap < rest:
                yield _breach(after.starts_at, "rest", person, after,
                              f"{person.name} has {_h(gap)} of rest between {before.name} "
                              f"and {after.name}, under the minimum of {rest} h (rest).")
        before = latest


def _leave(person: RosterStaff, shifts: list[RosterShift],
           roster: Roster) -> Iterable[tuple[dt.datetime, Breach]]:
    away = dict(person.away)
    if not away:
        return
    for s in shifts:
        if not _in_period(s, roster):
            continue
        day = s.starts_at.date()
        while dt.datetime.combine(day, dt.time()) < s.ends_at:
            if day in away:
                yield _breach(s.starts_at, "leave", person, s,
                              f"{person.name} is rostered on {s.name} but is away on "
                              f"{day:%a %Y-%m-%d} ({away[day]}) (leave).")
                break
            day += dt.timedelta(days=1)


def _hours(person: RosterStaff, shifts: list[RosterShift], roster: Roster,
           zone: ZoneInfo) -> Iterable[tuple[dt.datetime, Breach]]:
    """Hours per Monday week and per pay period, each shift's hours split at midnight
    into the days they fall on; a breach is reported on the shift that crosses the limit."""
    v = roster.values
    limits = [("max_week_hours", v.max_week_hours, 7, dt.date(2024, 1, 1)),
              ("max_period_hours", v.max_period_hours, v.pay_period_days, PAY_PERIOD_ANCHOR)]
    for rule, limit, days, anchor in limits:
        if not limit or not days:
            continue
        totals: dict[dt.date, float] = defaultdict(float)
        for s in shifts:
            crossed: set[dt.date] = set()
            for piece_start, piece_end in _day_pieces(s.starts_at, s.ends_at):
                bucket = anchor + dt.timedelta(
                    days=(piece_start.date() - anchor).days // days * days)
                before = totals[bucket]
                totals[bucket] += elapsed_hours(piece_start, piece_end, zone)
                if round(before, 6) <= limit < round(totals[bucket], 6):
                    crossed.add(bucket)
            for bucket in sorted(crossed):
                end = bucket + dt.timedelta(days=days - 1)
                if not _in_period(s, roster):
                    continue
                yield _breach(s.starts_at, rule, person, s,
                              _hours_text(rule, person, s, bucket, end, limit, v, shifts,
                                          zone))


def _hours_text(rule: str, person: RosterStaff, shift: RosterShift, first: dt.date,
                last: dt.date, limit: int, v: RuleValues, shifts: list[RosterShift],
                zone: ZoneInfo) -> str:
    total = _hours_between(shifts, first, last, zone)
    if rule == "max_week_hours":
        return (f"{person.name} works {_h(total)} in the week of {first:%Y-%m-%d} with "
                f"{shift.name}, over the maximum of {limit} h a week (max_week_hours).")
    overtime = max(0.0, total - v.period_normal_hours)
    return (f"{person.name} works {_h(total)} in the pay period {first:%Y-%m-%d} to "
            f"{last:%Y-%m-%d} with {shift.name} ({_h(overtime)} of it overtime beyond "
            f"{v.period_normal_hours} h), over the maximum of {limit} h (max_period_hours).")


def _hours_between(shifts: list[RosterShift], first: dt.date, last: dt.date,
                   zone: ZoneInfo) -> float:
    total = 0.0
    for s in shifts:
        for a, b in _day_pieces(s.starts_at, s.ends_at):
            if first <= a.date() <= last:
                total += elapsed_hours(a, b, zone)
    return total


def _day_pieces(starts: dt.datetime, ends: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    pieces = []
    at = starts
    while at < ends:
        nxt = min(ends, dt.datetime.combine(at.date() + dt.timedelta(days=1), dt.time()))
        pieces.append((at, nxt))
        at = nxt
    return pieces


def _qualifications(shifts: list[RosterShift],
                    people: dict[int, RosterStaff]) -> Iterable[tuple[dt.datetime, Breach]]:
    for s in shifts:
        on = [people[i] for i in s.staff_ids if i in people]
        for need in s.requires:
            if not any(need in p.credentials for p in on):
                names = _names(on) or "no one"
                yield _breach(s.starts_at, "qualification", None, s,
                              f"{s.name} needs someone holding {need!r}, but {names} "
                              f"{'does' if len(on) == 1 else 'do'} not (qualification).")


def _minimums(roster: Roster,
              people: dict[int, RosterStaff]) -> Iterable[tuple[dt.datetime, Breach]]:
    """Each day's band is checked hour by hour; one breach per band and role per day,
    naming the hours short and the people who were on."""
    if not roster.minimums:
        return
    day = roster.first
    while day <= roster.last:
        for m in roster.minimums:
            band_start = dt.datetime.combine(day, dt.time(m.start_hour))
            band_end = band_start + m.hours * HOUR
            near = [s for s in roster.shifts
                    if s.starts_at < band_end and s.ends_at > band_start]
            short: list[dt.datetime] = []
            on: dict[int, RosterStaff] = {}
            for h in range(m.hours):
                a = band_start + h * HOUR
                here = {i for s in near if s.starts_at <= a and a + HOUR <= s.ends_at
                        for i in s.staff_ids if i in people and people[i].role == m.role}
                on.update({i: people[i] for i in here})
                if len(here) < m.minimum:
                    short.append(a)
            if short:
                band = f"{band_start:%a %Y-%m-%d} {m.start_hour:02d}:00-{m.end_hour % 24:02d}:00"
                who = _names(list(on.values())) or "no one"
                yield _breach(short[0], "min_staffing", None, None,
                              f"{band} needs {m.minimum} {m.role.label} on shift every hour, "
                              f"but it is short in {_hours_list(short)} (on in the band: {who}) "
                              f"(min_staffing).")
        day += dt.timedelta(days=1)


def _hours_list(hours: list[dt.datetime]) -> str:
    """Runs of short hours: '20:00-22:00, 23:00-24:00'."""
    runs: list[list[dt.datetime]] = []
    for h in hours:
        if runs and h - runs[-1][1] == dt.timedelta():
            runs[-1][1] = h + HOUR
        else:
            runs.append([h, h + HOUR])
    return ", ".join(f"{a:%H:%M}-{'24:00' if b.hour == 0 else f'{b:%H:%M}'}" for a, b in runs)


def _names(people: list[RosterStaff]) -> str:
    names = sorted(p.name for p in people)
    if not names:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + (
        f" and {names[-1]}" if names else "")


def _h(hours: float) -> str:
    return f"{hours:g} h" if hours == int(hours) else f"{hours:.1f} h"
