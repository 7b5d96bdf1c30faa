"""What is wrong with a program's governance as of a day, in words a chief reads.

A program lasts when one ranking sworn member owns it (DESIGN.md): no owner, a civilian
or an acting owner, an owner who has left, and the other required posts left empty are
each flagged. Plain functions of the records (records.Governance), so a report or the
early-warning reading asks the same rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from console.data.governance_enums import REQUIRED_POSTS, PostKind
from console.services.access import Access
from console.services.governance.records import Governance, HolderRow, governance
from console.services.indicators.model import Severity


@dataclass(frozen=True)
class Flag:
    code: str  # stable, for JSON and tests
    severity: Severity
    post_kind: PostKind | None
    text: str


def governance_flags(g: Governance) -> tuple[Flag, ...]:
    """Every flag on the records as of `g.as_of`, worst first."""
    flags: list[Flag] = []
    if g.model is None:
        flags.append(Flag("model_missing", Severity.WATCH, None,
                          "No governance model (city, county or regional) is recorded."))
    owner = g.post(PostKind.PROGRAM_OWNER)
    holder = owner.holder if owner else None
    flags.extend(owner_flags(holder, g.as_of))
    for kind in REQUIRED_POSTS[1:]:
        post = g.post(kind)
        current = post.holder if post else None
        if current is None:
            flags.append(Flag("post_vacant", Severity.WARNING, kind,
                              f"Nobody is named {kind.label.lower()}."))
        elif current.separated_by(g.as_of):
            flags.append(Flag("holder_separated", Severity.WARNING, kind,
                              f"The {kind.label.lower()}, {current.described}, left the "
                              f"unit on {current.separated_on:%d %B %Y}."))
    return tuple(sorted(flags, key=lambda f: -f.severity))


def owner_flags(holder: HolderRow | None, day: dt.date) -> list[Flag]:
    """The sworn-owner rule on one holder (None: nobody holds the post)."""
    kind = PostKind.PROGRAM_OWNER
    if holder is None:
        return [Flag("owner_missing", Severity.CRITICAL, kind,
                     "Nobody owns the program: name a ranking sworn member as its owner.")]
    out: list[Flag] = []
    if holder.separated_by(day):
        out.append(Flag("owner_separated", Severity.CRITICAL, kind,
                        f"The program owner, {holder.described}, left on "
                        f"{holder.separated_on:%d %B %Y}: the program has no owner."))
    if not holder.sworn:
        out.append(Flag("owner_civilian", Severity.WARNING, kind,
                        f"The program owner, {holder.described}, is a civilian: the owner "
                        "should be a ranking sworn member, who can defend the unit in "
                        "command staff."))
    elif not holder.rank:
        out.append(Flag("owner_unranked", Severity.WATCH, kind,
                        f"The program owner, {holder.described}, has no rank recorded: the "
                        "owner should hold rank."))
    if holder.acting:
        out.append(Flag("owner_acting", Severity.WARNING, kind,
                        f"The program owner, {holder.described}, holds the post on a "
                        f"temporary basis since {holder.since_on:%d %B %Y}: name a "
                        "permanent owner."))
    return out


def confirmed_owner(holder: HolderRow | None, day: dt.date) -> bool:
    """An owner the sworn-owner rule is satisfied with: named, sworn, not acting, still in
    the unit (rank aside: a missing rank is a gap in the record, not in the program)."""
    return (holder is not None and holder.sworn and not holder.acting
            and not holder.separated_by(day))


def current_flags(access: Access, as_of: dt.date | None = None) -> tuple[Flag, ...]:
    """The flags of the current program's governance (none without a program)."""
    g = governance(access, as_of)
    return () if g is None else governance_flags(g)
