"""Publishing a roster: a checked period kept whole as a numbered version, and the
differences between two versions in lines a supervisor reads."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import func, select

from console.data.models import Program, RosterVersion, StaffMember
from console.errors import UserError
from console.services.access import Access, Action
from console.services.schedule.roster_service import load_roster
from console.services.schedule.rules import check


@dataclass(frozen=True)
class VersionRow:
    number: int
    first: dt.date
    last: dt.date
    published_by: str
    published_at: dt.datetime
    assignments: int


def publish(access: Access, first: dt.date, last: dt.date, now: dt.datetime) -> int:
    """Publish the shifts starting from `first` to `last` as the next version; refused
    while the roster breaks a rule (the first breach says which). Returns its number."""
    roster = load_roster(access, first, last)
    breaches = check(roster)
    if breaches:
        more = f" (and {len(breaches) - 1} more)" if len(breaches) > 1 else ""
        raise UserError(f"not published: {breaches[0].explanation}{more}")
    with access.reading(Action.VIEW_STAFF) as s:
        keys = dict(s.execute(select(StaffMember.id, StaffMember.staff_key)).tuples().all())
    lines = sorted(
        [sh.starts_at.isoformat(), sh.ends_at.isoformat(), sh.label, keys.get(i, "")]
        for sh in roster.shifts if first <= sh.starts_at.date() <= last
        for i in (sh.staff_ids or (0,)))
    actor = access.actor
    with access.writing(Action.EDIT_STAFF, "roster version") as s:
        program_id = s.scalar(select(Program.id).order_by(Program.id))
        if program_id is None:
            raise UserError("not published: the database holds no program yet")
        number = (s.scalar(select(func.max(RosterVersion.number))) or 0) + 1
        s.add(RosterVersion(program_id=program_id, number=number, first_day=first,
                            last_day=last,
                            published_by=(actor.display_name or actor.username)[:80],
                            published_at=now.replace(microsecond=0),
                            content=json.dumps(lines)))
    return number


def versions(access: Access) -> list[VersionRow]:
    with access.reading(Action.VIEW_STAFF) as s:
        return [VersionRow(v.number, v.first_day, v.last_day, v.published_by, v.published_at,
                           len(json.loads(v.content)))
                for v in s.scalars(select(RosterVersion).order_by(RosterVersion.number))]


def differences(access: Access, a: int, b: int) -> list[str]:
    """What version b changed from version a: lines removed (-) and added (+), in time
    order, each naming the shift and the person."""
    with access.reading(Action.VIEW_STAFF) as s:
        found = {v.number: v for v in s.scalars(
            select(RosterVersion).where(RosterVersion.number.in_([a, b])))}
        for n in (a, b):
            if n not in found:
                raise UserError(f"roster diff: there is no published version {n}")
        names = dict(s.execute(select(StaffMember.staff_key, StaffMember.display_name))
                     .tuples().all())
        old = {tuple(x) for x in json.loads(found[a].content)}
        new = {tuple(x) for x in json.loads(found[b].content)}

    def text(sign: str, line: tuple[str, ...]) -> tuple[str, str]:
        starts, ends = dt.datetime.fromisoformat(line[0]), dt.datetime.fromisoformat(line[1])
        who = names.get(line[3], line[3]) if line[3] else "open shift"
        label = f" ({line[2]})" if line[2] else ""
        return line[0], f"{sign} {starts:%a %Y-%m-%d %H:%M}-{ends:%H:%M}{label}: {who}"

    out = [text("-", x) for x in old - new] + [text("+", x) for x in new - old]
    return [t for _, t in sorted(out)]
