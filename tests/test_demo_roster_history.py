"""The demo's shift templates and published roster history: versions every four weeks
over the last year, each the demo's own shifts, and in the four weeks of the schedule cut
a first version with the evening and late shifts and a second with the cut."""

from __future__ import annotations

import datetime as dt
import json

from conftest import DEMO_END
from sqlalchemy import select

from console.data.models import RosterVersion, StaffMember
from console.services.access import Access, Action
from console.services.demo.timeline import demo_timeline
from console.services.schedule import versions
from console.services.schedule.roster_service import load_roster
from console.services.schedule.templates import templates


def test_templates_are_the_shifts_worked_after_the_cut(demo_access: Access) -> None:
    found = [(t.label, t.start, t.hours, t.days) for t in templates(demo_access)]
    assert found == [("Day", dt.time(8), 8.0, "xxxxxxx"), ("Mid", dt.time(12), 8.0, "xxxxxxx")]


def test_the_schedule_cut_is_a_published_change(demo_access: Access) -> None:
    rows = versions.versions(demo_access)
    cut = demo_timeline(DEMO_END).schedule_cut
    assert len(rows) >= 13
    assert all(a.published_at < b.published_at for a, b in zip(rows, rows[1:], strict=False))
    assert all(v.published_at.date() < v.first or v.first <= cut <= v.last for v in rows)
    twice = [v for v in rows if v.first <= cut <= v.last]
    assert len(twice) == 2, "the cut's four weeks are published, then republished"
    lines = versions.differences(demo_access, twice[0].number, twice[1].number)
    removed = [x for x in lines if x.startswith("-")]
    added = [x for x in lines if x.startswith("+")]
    assert removed and all(("(Evening)" in x or "(Late)" in x) for x in removed)
    assert any("(Late)" in x for x in removed)
    assert any("14:00-22:00 (Evening)" in x for x in removed)
    assert added and all("12:00-20:00 (Mid)" in x for x in added)
    assert all(dt.date.fromisoformat(x.split()[2]) >= cut for x in lines)


def test_each_version_holds_the_demo_shifts_of_its_days(demo_access: Access) -> None:
    """The last version of a period is what publishing the demo's roster of those days
    would keep: the history is the demo's own shifts, not a story beside them."""
    with demo_access.reading(Action.VIEW_STAFF) as s:
        kept = {v.first_day: v for v in s.scalars(
            select(RosterVersion).order_by(RosterVersion.number))}
        keys = dict(s.execute(select(StaffMember.id, StaffMember.staff_key)).tuples().all())
        contents = {day: (v.last_day, json.loads(v.content)) for day, v in kept.items()}
    assert len(contents) >= 12
    for first, (last, content) in contents.items():
        roster = load_roster(demo_access, first, last)
        expected = sorted(
            [sh.starts_at.isoformat(), sh.ends_at.isoformat(), sh.label, keys.get(i, "")]
            for sh in roster.shifts if first <= sh.starts_at.date() <= last
            for i in (sh.staff_ids or (0,)))
        assert content == expected, first
