"""Where to move hours to cover more demand with the same hours and the same rules.

The method is a greedy local search, not CP-SAT: OR-Tools is a large native dependency
the console does not ship, and a unit's week is a few dozen shifts. What it misses, and
why that is acceptable for a suggestion a supervisor reads:
- it only moves one whole shift to another start on the same day (same length, same
  people, so total hours and who works are unchanged); it never swaps people, splits or
  lengthens shifts, or moves a shift to another day;
- it takes the best single move, then the best next one: a local optimum, not the best
  roster there is;
- demand is the average in-scope calls per hour of week over past weeks, and an hour
  counts as covered when a staffed shift is running at its start (whole hours).
A move is proposed only if coverage rises and the roster after it has no breach the
roster before it did not have (a breach naming the moved shift counts as new).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from console.errors import UserError
from console.services.access import Access
from console.services.schedule.coverage import coverage
from console.services.schedule.roster_service import load_roster
from console.services.schedule.rules import Roster, RosterShift, check

HOUR = dt.timedelta(hours=1)
REACH = dt.timedelta(days=31)  # how far after a moved shift the rules can feel it
HISTORY_WEEKS = 12


@dataclass(frozen=True)
class Suggestion:
    shift_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    new_starts_at: dt.datetime
    new_ends_at: dt.datetime
    gain: float  # the share of demand covered it adds (0.06: six points)

    @property
    def sentence(self) -> str:
        return (f"move the {self.starts_at:%A %H:%M}-{self.ends_at:%H:%M} shift to "
                f"{self.new_starts_at:%H:%M}-{self.new_ends_at:%H:%M}: "
                f"+{self.gain:.0%} of demand covered")


def covered_share(roster: Roster, demand: tuple[tuple[float, ...], ...]) -> float:
    """The share of the period's expected demand falling in hours a staffed shift covers."""
    total = covered = 0.0
    hours = _covered_hours(roster.shifts)
    at = dt.datetime.combine(roster.first, dt.time())
    end = dt.datetime.combine(roster.last + dt.timedelta(days=1), dt.time())
    while at < end:
        weight = demand[at.weekday()][at.hour]
        total += weight
        if at in hours:
            covered += weight
        at += HOUR
    return covered / total if total else 0.0


def _covered_hours(shifts: tuple[RosterShift, ...]) -> set[dt.datetime]:
    out: set[dt.datetime] = set()
    for s in shifts:
        if not s.staff_ids:
            continue
        at = s.starts_at.replace(minute=0, second=0, microsecond=0)
        if at < s.starts_at:
            at += HOUR
        while at < s.ends_at:
            out.add(at)
            at += HOUR
    return out


def _keys(roster: Roster) -> set[tuple[str, int | None, int | None, str]]:
    """The breaches of the period and of the weeks after it a move can reach (a shorter
    rest before a later shift, a later week's hours)."""
    wider = dataclasses.replace(roster, last=roster.last + REACH)
    return {(b.rule, b.staff_id, b.shift_id, b.explanation) for b in check(wider)}


def optimize(roster: Roster, demand: tuple[tuple[float, ...], ...],
             max_moves: int = 3) -> list[Suggestion]:
    """Up to `max_moves` moves of the period's shifts, each applied before the next is
    sought; the roster should hold the shifts of REACH after the period too."""
    suggestions: list[Suggestion] = []
    current = roster
    for _ in range(max_moves):
        share, allowed = covered_share(current, demand), _keys(current)
        best: tuple[float, Roster, Suggestion] | None = None
        for s in current.shifts:
            if not s.staff_ids or not roster.first <= s.starts_at.date() <= roster.last:
                continue
            length = s.ends_at - s.starts_at
            day = dt.datetime.combine(s.starts_at.date(), dt.time())
            for hour in range(24):
                start = day + hour * HOUR
                if start == s.starts_at:
                    continue
                moved = dataclasses.replace(s, starts_at=start, ends_at=start + length)
                trial = dataclasses.replace(current, shifts=tuple(
                    moved if x.id == s.id else x for x in current.shifts))
                gain = covered_share(trial, demand) - share
                if gain <= 1e-9 or (best is not None and gain <= best[0]):
                    continue
                if not _keys(trial) <= allowed:
                    continue
                best = (gain, trial, Suggestion(s.id, s.starts_at, s.ends_at, start,
                                                start + length, gain))
        if best is None:
            break
        current = best[1]
        suggestions.append(best[2])
    return suggestions


def suggest_moves(access: Access, first: dt.date, last: dt.date,
                  max_moves: int = 3) -> list[Suggestion]:
    """Moves for the shifts from `first` to `last`, weighed by the demand of the
    HISTORY_WEEKS weeks before `first`."""
    if (last - first).days > 31:
        raise UserError("suggest moves: give a period of at most a month (a week is usual)")
    history = coverage(access, first - dt.timedelta(weeks=HISTORY_WEEKS),
                       first - dt.timedelta(days=1))
    demand = tuple(tuple(n / HISTORY_WEEKS for n in row) for row in history.demand_by_hour)
    loaded = load_roster(access, first, last + REACH)  # the shifts a move can reach
    return optimize(dataclasses.replace(loaded, last=last), demand, max_moves)
