"""The weekly value behind the owner_missing early warning: how many days the program
has gone without a confirmed owner (flags.confirmed_owner) at the end of each week.

Days, not a yes/no: a week with an acting owner after a chief leaves is normal; a
quarter with nobody of rank owning the unit is how programs are dropped. A query
helper: takes a Session, never commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.data.governance_enums import PostKind
from console.data.models import GovernanceHolder, GovernancePost
from console.services.governance.flags import confirmed_owner, owner_flags
from console.services.governance.records import HolderRow, holders_of
from console.services.program_scope import current_program_id_or_none

Values = tuple[float | None, ...]


def owner_gap_days(session: Session, days: Sequence[dt.date]) -> Values:
    """Days without a confirmed owner on each day (0 with one). None before the first
    governance record: a program that keeps none yet is unknown, not ownerless."""
    program_id = current_program_id_or_none(session)
    if program_id is None:
        return tuple(None for _ in days)
    first = session.scalar(select(func.min(GovernanceHolder.since_on))
                           .join(GovernancePost, GovernancePost.id == GovernanceHolder.post_id)
                           .where(GovernancePost.program_id == program_id))
    if first is None:
        return tuple(None for _ in days)
    owners = [h for hs in holders_of(session, program_id, PostKind.PROGRAM_OWNER).values()
              for h in hs]
    return tuple(None if d < first else float(_gap(owners, first, d)) for d in days)


def _gap(owners: list[HolderRow], first: dt.date, day: dt.date) -> int:
    if confirmed_owner(_holder_on(owners, day), day):
        return 0
    # The gap began when the last confirmed spell before the day ended, else at the
    # first record: each spell runs from `since_on` to the first of leaving the post
    # and leaving the unit.
    ends = [min(x for x in (h.until_on, h.separated_on, day) if x is not None)
            for h in owners if h.sworn and not h.acting and h.since_on <= day]
    start = max([first, *ends])
    return (day - start).days


def _holder_on(owners: list[HolderRow], day: dt.date) -> HolderRow | None:
    current = [h for h in owners if h.holds_on(day)]
    return current[-1] if current else None


def owner_state(session: Session, day: dt.date) -> str:
    """Who owns the program on the day and what is wrong with it, for an explanation."""
    program_id = current_program_id_or_none(session)
    if program_id is None:
        return ""
    owners = [h for hs in holders_of(session, program_id, PostKind.PROGRAM_OWNER).values()
              for h in hs]
    flags = owner_flags(_holder_on(owners, day), day)
    return " ".join(f.text for f in flags).rstrip(".")
