"""The demo unit's shift templates and published roster history, written from the demo's
own shifts (which it does not change): a roster published every four weeks over the last
year, and, in the four weeks of the schedule cut, the roster as first published (evening
14:00-22:00 and the Thursday-to-Saturday late shift) then republished with the cut (the
evening shift moved to 12:00-20:00, the late shift gone), so the version diff shows the
after-hours cut as the published change it was."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from console.data.enums import StaffRole
from console.data.models import RosterVersion, ShiftTemplate
from console.services.demo.timeline import DemoTimeline, Row
from console.services.demo.writing import _Writer

PERIOD_DAYS = 28
HISTORY_DAYS = 364
# What the templates are as of the demo's last day (after the cut), and what they were.
TEMPLATES = (("Day", 8 * 60, "xxxxxxx"), ("Mid", 12 * 60, "xxxxxxx"))
BEFORE_CUT = {"Mid": ("Evening", 14)}  # label -> (label, start hour) as first published
LATE = ("Late", 18, (3, 4, 5))


def write_roster_history(out: _Writer, tl: DemoTimeline, program_id: int,
                         shifts: list[Row], assignments: list[Row],
                         staff_rows: list[Row]) -> int:
    """Templates and published versions, loaded in bulk with the rest of the demo (its one
    audit entry counts them); returns the versions written."""
    out.write(ShiftTemplate.__table__, [
        {"program_id": program_id, "label": label, "start_minute": start,
         "length_minutes": 8 * 60, "days": days, "requires": None}
        for label, start, days in TEMPLATES])
    keys = {r["id"]: r["staff_key"] for r in staff_rows}
    people: dict[int, list[str]] = defaultdict(list)
    for row in assignments:
        people[row["shift_id"]].append(keys[row["staff_id"]])
    by_day: dict[date, list[tuple[datetime, datetime, str, list[str]]]] = defaultdict(list)
    for s in shifts:
        by_day[s["starts_at"].date()].append(
            (s["starts_at"], s["ends_at"], s["label"], people[s["id"]]))
    first = tl.end - timedelta(days=HISTORY_DAYS)
    first += timedelta(days=-first.weekday() % 7)  # a Monday
    versions: list[tuple[datetime, date, date, list[list[str]]]] = []
    while first + timedelta(days=PERIOD_DAYS) <= tl.end:
        last = first + timedelta(days=PERIOD_DAYS - 1)
        actual = _lines(by_day, first, last)
        published = datetime.combine(first - timedelta(days=10), time(15, 30))
        if first <= tl.schedule_cut <= last:
            planned = _as_planned(by_day, first, last, tl.schedule_cut)
            versions.append((published, first, last, planned))
            published = datetime.combine(tl.schedule_cut - timedelta(days=2), time(16, 10))
        versions.append((published, first, last, actual))
        first += timedelta(days=PERIOD_DAYS)
    versions.sort(key=lambda v: v[0])
    out.write(RosterVersion.__table__, [
        {"program_id": program_id, "number": number, "first_day": from_day,
         "last_day": to_day, "published_by": _publisher(staff_rows, from_day),
         "published_at": at, "content": json.dumps(sorted(lines))}
        for number, (at, from_day, to_day, lines) in enumerate(versions, start=1)])
    return len(versions)


def _lines(by_day: dict[date, list[tuple[datetime, datetime, str, list[str]]]], first: date,
           last: date) -> list[list[str]]:
    """As versions.publish keeps a roster: a line per person per shift."""
    out = []
    day = first
    while day <= last:
        for starts, ends, label, keys in by_day.get(day, []):
            out += [[starts.isoformat(), ends.isoformat(), label, k] for k in keys or [""]]
        day += timedelta(days=1)
    return out


def _as_planned(by_day: dict[date, list[tuple[datetime, datetime, str, list[str]]]],
                first: date, last: date, cut: date) -> list[list[str]]:
    """The period as published before the cut: from the cut on, the same people on the
    old evening shift, and the late shift staffed as it was the week before the cut."""
    out = _lines(by_day, first, cut - timedelta(days=1))
    day = cut
    while day <= last:
        for starts, ends, label, keys in by_day.get(day, []):
            if label in BEFORE_CUT:
                label, hour = BEFORE_CUT[label]
                starts = datetime.combine(day, time(hour))
                ends = starts + timedelta(hours=8)
            out += [[starts.isoformat(), ends.isoformat(), label, k] for k in keys or [""]]
        name, hour, weekdays = LATE
        if day.weekday() in weekdays:
            before = next((s for back in range(7, 35, 7)
                           for s in by_day.get(day - timedelta(days=back), [])
                           if s[2] == name), None)
            if before is not None:
                starts = datetime.combine(day, time(hour))
                out += [[starts.isoformat(), (starts + timedelta(hours=8)).isoformat(), name,
                         k] for k in before[3] or [""]]
        day += timedelta(days=1)
    return out


def _publisher(staff_rows: list[Row], day: date) -> str:
    """The unit's sergeant on that day (the first supervisor in post)."""
    for r in staff_rows:
        if r["role"] == StaffRole.SUPERVISOR.value and r["hired_on"] <= day and (
                r["separated_on"] is None or r["separated_on"] > day):
            return f"{r['rank']} {r['display_name']}" if r.get("rank") else r["display_name"]
    return "Demo Supervisor"
