"""A roster as iCalendar files, one per staff member, for their own calendar.

Times are the program's local times with its time zone named, so a phone shows the shift
at the right hour across a daylight-saving change. A shift's UID is stable (shift id and
staff key), so importing a newer file updates an event instead of doubling it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy import select

from console.data.models import StaffMember
from console.errors import UserError
from console.private_files import replace_private_bytes
from console.services.access import Access, Action
from console.services.schedule.roster_service import load_roster


def export_ics(access: Access, first: dt.date, last: dt.date, folder: Path) -> list[Path]:
    """Write ROSTER-<badge>.ics into `folder` for each person on a shift from `first` to
    `last`; returns the files written."""
    if not folder.is_dir():
        raise UserError(f"calendar export: {folder} is not a folder")
    roster = load_roster(access, first, last)
    zone = ZoneInfo(roster.timezone)
    with access.reading(Action.VIEW_STAFF) as s:
        keys = dict(s.execute(select(StaffMember.id, StaffMember.staff_key)).tuples().all())
    people = {p.id: p.name for p in roster.staff}
    calendars: dict[int, Calendar] = {}
    for shift in roster.shifts:
        if not first <= shift.starts_at.date() <= last:
            continue
        for staff_id in shift.staff_ids:
            cal = calendars.get(staff_id)
            if cal is None:
                cal = calendars[staff_id] = Calendar()
                cal.add("prodid", "-//Co-Response Console//roster//EN")
                cal.add("version", "2.0")
                cal.add("x-wr-calname", f"Roster: {people.get(staff_id, '')}")
            event = Event()
            event.add("uid", f"shift-{shift.id}-{keys.get(staff_id, staff_id)}@coresponse")
            event.add("summary", f"{shift.label or 'Shift'} shift")
            event.add("dtstart", shift.starts_at.replace(tzinfo=zone))
            event.add("dtend", shift.ends_at.replace(tzinfo=zone))
            event.add("dtstamp", dt.datetime.now(dt.UTC).replace(microsecond=0))
            cal.add_component(event)
    written = []
    for staff_id, cal in sorted(calendars.items()):
        safe = re.sub(r"[^A-Za-z0-9_-]+", "_", str(keys.get(staff_id, staff_id)))
        path = folder / f"ROSTER-{safe}.ics"
        try:
            replace_private_bytes(path, cal.to_ical())
        except OSError as exc:
            raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
        written.append(path)
    return written
