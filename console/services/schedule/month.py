"""A month of the roster for the Schedule page's month view: each day's shifts with who
is on them, open shifts, unpaired shifts and the rules' breaches marked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from console.errors import UserError
from console.services.access import Access
from console.services.schedule.pairings import OPEN, shift_pair
from console.services.schedule.roster_service import load_roster
from console.services.schedule.rules import check


@dataclass(frozen=True)
class MonthShift:
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    label: str
    people: tuple[str, ...]
    open: bool  # no one on it
    unpaired: bool  # a responder without an officer, or the other way round
    breaches: tuple[str, ...]  # the explanations of the breaches naming this shift
    pairing: str = ""  # why it is unpaired, in a sentence (blank when it is not)

    @property
    def line(self) -> str:
        """'08:00 Day (2)': one line of a month cell."""
        who = "open" if self.open else str(len(self.people))
        return f"{self.starts_at:%H:%M} {self.label} ({who})".replace(" ()", "")


@dataclass(frozen=True)
class MonthDay:
    day: dt.date
    shifts: tuple[MonthShift, ...]
    breaches: tuple[str, ...]  # every breach of the day, shift-bound or not (min_staffing)


@dataclass(frozen=True)
class MonthRoster:
    first: dt.date  # the first of the month
    days: tuple[MonthDay, ...]

    @property
    def last(self) -> dt.date:
        return self.days[-1].day

    @property
    def open_shifts(self) -> int:
        return sum(s.open for d in self.days for s in d.shifts)

    @property
    def unpaired_shifts(self) -> int:
        return sum(s.unpaired for d in self.days for s in d.shifts)

    @property
    def breach_count(self) -> int:
        return sum(len(d.breaches) for d in self.days)


def month_of(day: dt.date, months: int = 0) -> dt.date:
    """The first of the month `months` after the month holding `day`."""
    n = day.year * 12 + day.month - 1 + months
    return dt.date(n // 12, n % 12 + 1, 1)


def month_roster(access: Access, first: dt.date) -> MonthRoster:
    """The shifts starting in the month holding `first`, a day at a time."""
    first = first.replace(day=1)
    last = month_of(first, 1) - dt.timedelta(days=1)
    if first.year < 1900:
        raise UserError(f"month view: {first:%B %Y} is too early for a roster")
    roster = load_roster(access, first, last)
    people = {p.id: p for p in roster.staff}
    by_shift: dict[int, list[str]] = {}
    by_day: dict[dt.date, list[str]] = {}
    for b in check(roster):
        if b.shift_id is not None:
            by_shift.setdefault(b.shift_id, []).append(b.explanation)
        by_day.setdefault(b.on or first, []).append(b.explanation)
    days = []
    day = first
    while day <= last:
        today = []
        for s in sorted((s for s in roster.shifts if s.starts_at.date() == day),
                        key=lambda s: (s.starts_at, s.id)):
            pair = shift_pair(s, people)
            today.append(MonthShift(
                s.id, s.starts_at, s.ends_at, s.label,
                tuple(sorted(people[i].name for i in s.staff_ids if i in people)),
                pair.status == OPEN, pair.unpaired, tuple(by_shift.get(s.id, ())),
                pair.explanation if pair.unpaired else ""))
        days.append(MonthDay(day, tuple(today), tuple(by_day.get(day, ()))))
        day += dt.timedelta(days=1)
    return MonthRoster(first, tuple(days))

