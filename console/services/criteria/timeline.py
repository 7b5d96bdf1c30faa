"""Which version of the activation criteria was in force on a day.

Plain data and one query: the importer classifies every row through `CriteriaTimeline`
(a dictionary lookup per row, cached per day), and the re-classification reads the same
keys, so an import and an applied version can never disagree on a call type.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.data.importers.fields import code_key
from console.data.models import CriteriaEntry, CriteriaVersion


def type_key(call_type: str) -> str:
    """How call types are matched between the criteria and calls: case and spacing aside,
    as the import's call-type map matches them."""
    return code_key(call_type)


@dataclass(frozen=True)
class CriteriaTimeline:
    """The applied versions in date order: each one's day and its call types' scope."""

    days: tuple[dt.date, ...] = ()
    scopes: tuple[dict[str, bool], ...] = ()
    _cache: dict[dt.date, dict[str, bool] | None] = field(
        default_factory=dict, compare=False, repr=False)

    def __bool__(self) -> bool:
        return bool(self.days)

    def on(self, day: dt.date) -> dict[str, bool] | None:
        """The scope by call-type key in force on `day` (the latest version whose
        effective date is on or before it); None before the first version."""
        try:
            return self._cache[day]
        except KeyError:
            i = bisect.bisect_right(self.days, day)
            found = self.scopes[i - 1] if i else None
            self._cache[day] = found
            return found

    def scope(self, day: dt.date, call_type: str | None) -> bool | None:
        """In scope by the version in force on `day`; None where no version decides it
        (before the first version, no call type, or a call type it does not list)."""
        if call_type is None:
            return None
        version = self.on(day)
        return None if version is None else version.get(type_key(call_type))


def load_timeline(session: Session, program_id: int) -> CriteriaTimeline:
    """The program's applied versions (drafts decide nothing)."""
    versions = session.execute(
        select(CriteriaVersion.id, CriteriaVersion.effective_on)
        .where(CriteriaVersion.program_id == program_id,
               CriteriaVersion.applied_at.is_not(None))
        .order_by(CriteriaVersion.effective_on)
    ).all()
    if not versions:
        return CriteriaTimeline()
    scopes: dict[int, dict[str, bool]] = defaultdict(dict)
    for version_id, call_type, in_scope in session.execute(
        select(CriteriaEntry.version_id, CriteriaEntry.call_type, CriteriaEntry.in_scope)
        .where(CriteriaEntry.version_id.in_([v.id for v in versions]))
    ):
        scopes[version_id][type_key(call_type)] = bool(in_scope)
    return CriteriaTimeline(tuple(v.effective_on for v in versions),
                            tuple(scopes[v.id] for v in versions))
