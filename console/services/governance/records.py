"""The program's governance as plain records: its model, what each agency does, the
posts of the reporting structure with who holds each, and who reports to whom.

Read as of a day: a post's holder is the one whose dates cover it, so the same records
answer "who owns the program now" and "who owned it the week the chief changed".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.data.enums import AgencyKind
from console.data.governance_enums import GovernanceModel, PostKind
from console.data.models import (
    Agency,
    AgencyResponsibility,
    GovernanceHolder,
    GovernanceLine,
    GovernancePost,
    Program,
    ProgramGovernance,
    StaffMember,
)
from console.services.access import Access, Action
from console.services.program_scope import current_program_id_or_none

_KIND_ORDER = {kind: i for i, kind in enumerate(PostKind)}


@dataclass(frozen=True)
class HolderRow:
    id: int
    post_id: int
    staff_id: int | None  # None: a person outside the unit
    name: str
    rank: str | None
    agency_id: int | None
    agency: str  # the agency's name, "" when none recorded
    sworn: bool
    acting: bool
    since_on: dt.date
    until_on: dt.date | None  # the first day no longer in the post; None while in it
    separated_on: dt.date | None  # the staff member's separation, if any
    version: int = 1

    def holds_on(self, day: dt.date) -> bool:
        return self.since_on <= day and (self.until_on is None or day < self.until_on)

    def separated_by(self, day: dt.date) -> bool:
        return self.separated_on is not None and self.separated_on <= day

    @property
    def described(self) -> str:
        """'Deputy Chief Ana Reyes (acting)' as a chart or a sentence names them."""
        name = f"{self.rank} {self.name}" if self.rank else self.name
        return f"{name} (acting)" if self.acting else name


@dataclass(frozen=True)
class PostRow:
    id: int
    kind: PostKind
    title: str
    holder: HolderRow | None  # as of the day read
    history: tuple[HolderRow, ...]  # every holder, earliest first
    version: int = 1


@dataclass(frozen=True)
class LineRow:
    id: int
    post_id: int
    reports_to_id: int
    dotted: bool
    version: int = 1


@dataclass(frozen=True)
class AgencyRole:
    id: int
    name: str
    kind: AgencyKind
    is_lead: bool
    responsibility: str
    version: int | None  # of the responsibility record; None before one was written


@dataclass(frozen=True)
class Governance:
    """Everything the Governance section, its flags and its chart read, as of a day."""

    as_of: dt.date
    program: str
    model: GovernanceModel | None
    notes: str
    model_version: int | None
    agencies: tuple[AgencyRole, ...]
    posts: tuple[PostRow, ...]  # required posts first, in PostKind order
    lines: tuple[LineRow, ...]

    def post(self, kind: PostKind) -> PostRow | None:
        return next((p for p in self.posts if p.kind is kind), None)

    def post_by_id(self, post_id: int) -> PostRow | None:
        return next((p for p in self.posts if p.id == post_id), None)

    @property
    def kept(self) -> bool:
        """Whether any governance record was written (a program that keeps none yet)."""
        return self.model is not None or bool(self.posts)


def governance(access: Access, as_of: dt.date | None = None) -> Governance | None:
    """The current program's governance as of a day (default today); None without a program."""
    with access.reading(Action.VIEW_PROGRAM) as session:
        return read_governance(session, as_of or dt.date.today())


def read_governance(session: Session, as_of: dt.date) -> Governance | None:
    """The query behind `governance`, for services that already hold a session."""
    program_id = current_program_id_or_none(session)
    if program_id is None:
        return None
    program = session.get(Program, program_id)
    assert program is not None
    record = session.get(ProgramGovernance, program_id)
    agencies = session.execute(
        select(Agency, AgencyResponsibility)
        .outerjoin(AgencyResponsibility, AgencyResponsibility.agency_id == Agency.id)
        .where(Agency.program_id == program_id)
        .order_by(Agency.is_lead.desc(), Agency.name)).tuples().all()
    holders = holders_of(session, program_id)
    posts = sorted(session.scalars(select(GovernancePost)
                                   .where(GovernancePost.program_id == program_id)),
                   key=lambda p: (_KIND_ORDER[p.kind], p.title.lower()))
    lines = session.scalars(select(GovernanceLine)
                            .where(GovernanceLine.program_id == program_id)
                            .order_by(GovernanceLine.id)).all()
    return Governance(
        as_of=as_of, program=program.name,
        model=record.model if record else None, notes=record.notes if record else "",
        model_version=record.version if record else None,
        agencies=tuple(AgencyRole(a.id, a.name, a.kind, a.is_lead,
                                  r.responsibility if r else "", r.version if r else None)
                       for a, r in agencies),
        posts=tuple(_post(p, holders.get(p.id, []), as_of) for p in posts),
        lines=tuple(LineRow(x.id, x.post_id, x.reports_to_id, x.dotted, x.version)
                    for x in lines))


def holders_of(session: Session, program_id: int,
               kind: PostKind | None = None) -> dict[int, list[HolderRow]]:
    """Every holder of the program's posts (of one kind), by post, earliest first."""
    stmt = (select(GovernanceHolder, StaffMember.separated_on, Agency.name)
            .join(GovernancePost, GovernancePost.id == GovernanceHolder.post_id)
            .outerjoin(StaffMember, StaffMember.id == GovernanceHolder.staff_id)
            .outerjoin(Agency, Agency.id == GovernanceHolder.agency_id)
            .where(GovernancePost.program_id == program_id)
            .order_by(GovernanceHolder.since_on, GovernanceHolder.id))
    if kind is not None:
        stmt = stmt.where(GovernancePost.kind == kind)
    out: dict[int, list[HolderRow]] = {}
    for h, separated_on, agency in session.execute(stmt).tuples():
        out.setdefault(h.post_id, []).append(holder_row(h, separated_on, agency))
    return out


def holder_row(h: GovernanceHolder, separated_on: dt.date | None,
               agency: str | None) -> HolderRow:
    return HolderRow(h.id, h.post_id, h.staff_id, h.name, h.rank, h.agency_id, agency or "",
                     h.sworn, h.acting, h.since_on, h.until_on, separated_on, h.version)


def _post(p: GovernancePost, history: list[HolderRow], as_of: dt.date) -> PostRow:
    # Two holders covering the same day (an acting one named over a permanent one): the
    # one named last speaks for the post.
    current = [h for h in history if h.holds_on(as_of)]
    return PostRow(p.id, p.kind, p.title, current[-1] if current else None, tuple(history),
                   p.version)


@dataclass(frozen=True)
class StaffChoice:
    """A staff member a post can name, with what the holder form fills in from them."""

    id: int
    name: str
    rank: str | None
    agency_id: int | None
    sworn: bool  # a sworn officer, or anyone with a rank


def staff_choices(access: Access) -> list[StaffChoice]:
    """The current program's staff still in the unit, by name, for the holder form."""
    from console.data.enums import StaffRole

    with access.reading(Action.VIEW_PROGRAM) as session:
        program_id = current_program_id_or_none(session)
        if program_id is None:
            return []
        rows = session.scalars(select(StaffMember)
                               .where(StaffMember.program_id == program_id,
                                      StaffMember.separated_on.is_(None))
                               .order_by(StaffMember.display_name, StaffMember.id))
        return [StaffChoice(s.id, s.display_name, s.rank, s.agency_id,
                            s.role is StaffRole.SWORN_OFFICER or bool(s.rank))
                for s in rows]
