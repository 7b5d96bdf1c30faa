"""Writing the governance records: each save is audited (access.writing) and every edit
of a record read earlier is checked against the version read (EditConflict)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.data.governance_enums import GovernanceModel, PostKind
from console.data.models import (
    Agency,
    AgencyResponsibility,
    GovernanceHolder,
    GovernanceLine,
    GovernancePost,
    ProgramGovernance,
    StaffMember,
)
from console.errors import UserError
from console.services.access import Access, Action, EditConflict
from console.services.governance.records import HolderRow, holder_row
from console.services.program_scope import current_program_id, in_this_program

NAME_LIMIT, RANK_LIMIT = 200, 40


@dataclass(frozen=True)
class HolderEdit:
    """Who holds a post: a staff member (`staff_id`; the name defaults to theirs) or a
    named person outside the unit."""

    name: str
    since_on: dt.date
    staff_id: int | None = None
    rank: str | None = None
    agency_id: int | None = None
    sworn: bool = False
    acting: bool = False
    until_on: dt.date | None = None


def set_model(access: Access, model: GovernanceModel, notes: str,
              read_version: int | None) -> int:
    """Record the governance model; `read_version` None when none was recorded yet."""
    label = "The governance model"
    mine = [("Model", model.label), ("Notes", notes.strip())]
    try:
        with access.writing(Action.EDIT_PROGRAM, label) as session:
            program_id = current_program_id(session)
            record = session.get(ProgramGovernance, program_id)
            if record is None:
                if read_version is not None:
                    raise UserError("the governance model was deleted by someone else")
                record = ProgramGovernance(program_id=program_id, model=model)
                session.add(record)
            elif record.version != read_version:
                raise EditConflict(label)
            record.model, record.notes = model, notes.strip()
            session.flush()
            return record.version
    except EditConflict:
        raise _conflict(access, label, "program_governance", mine, _theirs_model) from None


def set_responsibility(access: Access, agency_id: int, text: str,
                       read_version: int | None) -> int:
    """What an agency does in the program; `read_version` None before one was written."""
    label = "The agency's role"
    try:
        with access.writing(Action.EDIT_PROGRAM, label) as session:
            agency = _agency(session, agency_id)
            label = f"{agency.name}'s role"
            record = session.get(AgencyResponsibility, agency_id)
            if record is None:
                if read_version is not None:
                    raise UserError(f"{agency.name}'s role was deleted by someone else")
                record = AgencyResponsibility(agency_id=agency_id)
                session.add(record)
            elif record.version != read_version:
                raise EditConflict(label)
            record.responsibility = text.strip()
            session.flush()
            return record.version
    except EditConflict:
        def theirs(session: Session) -> tuple[list[str], int | None]:
            r = session.get(AgencyResponsibility, agency_id)
            return [r.responsibility if r else ""], r.version if r else None
        raise _conflict(access, label, "agency_responsibility",
                        [("Role in the program", text.strip())], theirs,
                        record_id=str(agency_id)) from None


def add_post(access: Access, kind: PostKind, title: str = "") -> int:
    """A new box on the chart; one of each required kind per program."""
    title = (title or kind.label).strip()
    _check_text(title, "the post's title", NAME_LIMIT)
    with access.writing(Action.EDIT_PROGRAM, f"Post {title!r}") as session:
        return _add_post(session, current_program_id(session), kind, title)


def _add_post(session: Session, program_id: int, kind: PostKind, title: str) -> int:
    posts = session.scalars(select(GovernancePost)
                            .where(GovernancePost.program_id == program_id)).all()
    if kind.required and any(p.kind is kind for p in posts):
        raise UserError(f"the program already has a {kind.label.lower()} post: name a new "
                        "holder for it instead of adding a second one")
    if any(p.title.lower() == title.lower() for p in posts):
        raise UserError(f"a post titled {title!r} is already on the chart: choose another "
                        "title")
    post = GovernancePost(program_id=program_id, kind=kind, title=title)
    session.add(post)
    session.flush()
    return post.id


def delete_post(access: Access, post_id: int) -> None:
    """Take a post off the chart with its holders and lines (the audit trail keeps them)."""
    with access.writing(Action.EDIT_PROGRAM, "a post") as session:
        post = _post(session, post_id)
        if post.kind.required:
            raise UserError(f"the {post.kind.label.lower()} post cannot be removed: every "
                            "program needs one (name its holder instead)")
        session.delete(post)


def assign_holder(access: Access, post: int | PostKind, edit: HolderEdit) -> int:
    """Name who holds a post from `edit.since_on` on; whoever held it then is closed on
    that day (their record stays, as the post's history). A required post not on the
    chart yet is added."""
    with access.writing(Action.EDIT_PROGRAM, "a post's holder") as session:
        program_id = current_program_id(session)
        if isinstance(post, PostKind):
            found = session.scalars(select(GovernancePost.id).where(
                GovernancePost.program_id == program_id, GovernancePost.kind == post)).first()
            post_id = found if found is not None else _add_post(session, program_id, post,
                                                                 post.label)
        else:
            post_id = _post(session, post).id
        holder = GovernanceHolder(post_id=post_id)
        _fill(session, holder, edit)
        for earlier in session.scalars(select(GovernanceHolder).where(
                GovernanceHolder.post_id == post_id, GovernanceHolder.since_on < edit.since_on,
                GovernanceHolder.until_on.is_(None))):
            earlier.until_on = edit.since_on
        session.add(holder)
        session.flush()
        return holder.id


def update_holder(access: Access, holder_id: int, read_version: int,
                  edit: HolderEdit) -> HolderRow:
    """Correct a holder's record as read; EditConflict if someone saved in between."""
    label = f"The post holder {edit.name.strip() or '(unnamed)'}"
    try:
        with access.writing(Action.EDIT_PROGRAM, label) as session:
            holder = session.get(GovernanceHolder, holder_id)
            if holder is None or _post_or_none(session, holder.post_id) is None:
                raise UserError(f"{label[4:]} was removed by someone else")
            if holder.version != read_version:
                raise EditConflict(label)
            _fill(session, holder, edit)
            session.flush()
            return holder_row(holder, None, None)
    except EditConflict:
        def theirs(session: Session) -> tuple[list[str], int | None]:
            h = session.get(GovernanceHolder, holder_id)
            return (_holder_texts(h) if h else ["", "", "", "", "", ""]), h.version if h else None
        mine = list(zip(_HOLDER_LABELS, _edit_texts(edit), strict=True))
        raise _conflict(access, label, "governance_holder", mine, theirs,
                        record_id=str(holder_id)) from None


def delete_holder(access: Access, holder_id: int) -> None:
    """Remove a holder entered by mistake (the audit trail keeps it)."""
    with access.writing(Action.EDIT_PROGRAM, "a post's holder") as session:
        holder = session.get(GovernanceHolder, holder_id)
        if holder is None or _post_or_none(session, holder.post_id) is None:
            raise UserError("that holder was already removed")
        session.delete(holder)


def add_line(access: Access, post_id: int, reports_to_id: int, dotted: bool = False) -> int:
    """`post_id` reports to `reports_to_id` (dotted: coordinates with, no authority)."""
    with access.writing(Action.EDIT_PROGRAM, "a reporting line") as session:
        post, boss = _post(session, post_id), _post(session, reports_to_id)
        if post.id == boss.id:
            raise UserError(f"{post.title!r} cannot report to itself: choose another post")
        lines = session.scalars(select(GovernanceLine).where(
            GovernanceLine.program_id == post.program_id)).all()
        if any(x.post_id == post.id and x.reports_to_id == boss.id for x in lines):
            raise UserError(f"{post.title!r} already reports to {boss.title!r}")
        if not dotted and _reaches(lines, boss.id, post.id):
            raise UserError(f"{boss.title!r} already reports, through others, to "
                            f"{post.title!r}: a reporting line back would make a circle")
        line = GovernanceLine(program_id=post.program_id, post_id=post.id,
                              reports_to_id=boss.id, dotted=dotted)
        session.add(line)
        session.flush()
        return line.id


def delete_line(access: Access, line_id: int) -> None:
    with access.writing(Action.EDIT_PROGRAM, "a reporting line") as session:
        line = in_this_program(session, GovernanceLine, line_id)
        if line is None:
            raise UserError("that reporting line was already removed")
        session.delete(line)


# --- helpers -----------------------------------------------------------------------------

def _reaches(lines: Sequence[GovernanceLine], start: int,
             target: int) -> bool:
    """Whether `start` reports to `target` through solid lines."""
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        if node == target:
            return True
        if node not in seen:
            seen.add(node)
            todo.extend(x.reports_to_id for x in lines if x.post_id == node and not x.dotted)
    return False


def _fill(session: Session, holder: GovernanceHolder, edit: HolderEdit) -> None:
    program_id = current_program_id(session)
    name = edit.name.strip()
    if edit.staff_id is not None:
        staff = session.get(StaffMember, edit.staff_id)
        if staff is None or staff.program_id != program_id:
            raise UserError(f"staff member {edit.staff_id} is not in this program: choose "
                            "someone from the list or name a person outside the unit")
        name = name or staff.display_name
    _check_text(name, "the holder's name", NAME_LIMIT)
    rank = (edit.rank or "").strip() or None
    if rank is not None:
        _check_text(rank, "the rank", RANK_LIMIT)
    if edit.agency_id is not None:
        _agency(session, edit.agency_id)
    if edit.until_on is not None and edit.until_on < edit.since_on:
        raise UserError(f"{name}: the post cannot end ({edit.until_on}) before it began "
                        f"({edit.since_on})")
    holder.staff_id, holder.name, holder.rank = edit.staff_id, name, rank
    holder.agency_id, holder.sworn, holder.acting = edit.agency_id, edit.sworn, edit.acting
    holder.since_on, holder.until_on = edit.since_on, edit.until_on


_HOLDER_LABELS = ("Name", "Rank", "Sworn", "Acting", "Since", "Until")


def _edit_texts(e: HolderEdit) -> list[str]:
    return [e.name.strip(), (e.rank or "").strip(), _yes(e.sworn), _yes(e.acting),
            f"{e.since_on}", f"{e.until_on or ''}"]


def _holder_texts(h: GovernanceHolder) -> list[str]:
    return [h.name, h.rank or "", _yes(h.sworn), _yes(h.acting), f"{h.since_on}",
            f"{h.until_on or ''}"]


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _theirs_model(session: Session) -> tuple[list[str], int | None]:
    r = session.get(ProgramGovernance, current_program_id(session))
    return ([r.model.label, r.notes] if r else ["", ""]), r.version if r else None


def _conflict(access: Access, label: str, table: str, mine: list[tuple[str, str]],
              theirs: Callable[[Session], tuple[list[str], int | None]],
              record_id: str | None = None) -> EditConflict:
    """The conflict with both versions side by side and who saved theirs."""
    from console.services.audit_service import last_change

    with access.reading(Action.VIEW_PROGRAM) as session:
        texts, version = theirs(session)
        record_id = record_id or str(current_program_id(session))
    fields = [(name, value, other) for (name, value), other in zip(mine, texts, strict=True)]
    saved = last_change(access, table, record_id)
    return EditConflict(label, fields, version,
                        saved_by=saved.actor if saved else "",
                        saved_at=saved.at[:16].replace("T", " ") + " UTC" if saved else "")


def _check_text(text: str, what: str, limit: int) -> None:
    if not text.strip():
        raise UserError(f"{what} cannot be empty")
    if len(text.strip()) > limit:
        raise UserError(f"{what} is {len(text.strip())} characters long; keep it under "
                        f"{limit}")


def _agency(session: Session, agency_id: int) -> Agency:
    agency = in_this_program(session, Agency, agency_id)
    if agency is None:
        raise UserError(f"agency {agency_id} is not part of this program")
    return agency


def _post_or_none(session: Session, post_id: int) -> GovernancePost | None:
    post = session.get(GovernancePost, post_id)
    return post if post is not None and post.program_id == current_program_id(session) \
        else None


def _post(session: Session, post_id: int) -> GovernancePost:
    post = _post_or_none(session, post_id)
    if post is None:
        raise UserError(f"post {post_id} is no longer on the chart (removed by someone "
                        "else?)")
    return post
