"""The demo's constants and the dates of its story; ids keyed into hashes."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from hashlib import sha256
from typing import Any

from console.errors import UserError

DEMO_KEY = b"co-response console demo key (not a secret)"
BATCH_ROWS = 5_000
# From this many calls up, SQLite loads the call tables with their indexes rebuilt at the
# end (see writing._sqlite_bulk_load); the default demo is written the plain way. Read
# as timeline.BULK_LOAD_CALLS, so patching it here reaches every reader.
BULK_LOAD_CALLS = 150_000
# Call indexes whose keys grow as calls are written (time, program, CAD number order).
APPEND_ORDERED_INDEXES = frozenset(
    {"ix_call_received_at_id", "ix_call_program_id", "ix_call_incident_number_id"}
)
LEADERSHIP_CHANGE_DAYS_BEFORE_END = 150
PROVIDER_FALTERS_DAYS_BEFORE_END = 105
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
    provider_falters: date  # end - 105 days; a 24-hour provider stops answering at night

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
        provider_falters=end - timedelta(days=PROVIDER_FALTERS_DAYS_BEFORE_END),
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
