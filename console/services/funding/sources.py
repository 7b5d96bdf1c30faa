"""Funding sources and the positions each pays for: listed, added, edited (versioned,
with conflicts shown field by field), removed.

Edits need EDIT_PROGRAM: the program's money is the director's and the supervisor's,
exactly the roles that edit the rest of the program (a separate action would grant the
same roles and add nothing to check).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified

from console.data.funding_enums import FundingKind, RenewalStatus
from console.data.models import FundedPosition, FundingSource, Position
from console.errors import UserError
from console.services.access import Access, Action, EditConflict
from console.services.funding.edits import conflict, money, program_of
from console.services.program_scope import current_program_id_or_none, in_this_program


@dataclass(frozen=True)
class PaidPosition:
    position_id: int
    title: str
    share_percent: int


@dataclass(frozen=True)
class SourceEdit:
    name: str
    kind: FundingKind
    annual_cents: int
    start_on: dt.date
    end_on: dt.date | None
    renewal: RenewalStatus = RenewalStatus.NONE
    notes: str = ""
    positions: tuple[tuple[int, int], ...] = ()  # (position id, share percent)


@dataclass(frozen=True)
class SourceRow:
    id: int
    edit: SourceEdit
    paid: tuple[PaidPosition, ...]
    version: int

    @property
    def name(self) -> str:
        return self.edit.name


@dataclass(frozen=True)
class PositionChoice:
    """A position a source may pay for (the edit dialog's list)."""

    id: int
    title: str
    abolished_on: dt.date | None


_LABELS = {"name": "Name", "kind": "Kind", "annual_cents": "Amount a year",
           "start_on": "Starts", "end_on": "Ends", "renewal": "Renewal", "notes": "Notes",
           "positions": "Positions paid"}


def _row(s: FundingSource, titles: dict[int, str]) -> SourceRow:
    links = sorted(s.positions, key=lambda link: link.position_id)
    edit = SourceEdit(s.name, s.kind, s.annual_cents, s.start_on, s.end_on, s.renewal,
                      s.notes, tuple((link.position_id, link.share_percent) for link in links))
    paid = tuple(PaidPosition(link.position_id, titles.get(link.position_id, "?"),
                              link.share_percent) for link in links)
    return SourceRow(s.id, edit, paid, s.version)


def _titles(session: Session, program_id: int) -> dict[int, str]:
    return dict(session.execute(select(Position.id, Position.title)
                                .where(Position.program_id == program_id)).tuples().all())


def list_sources(access: Access) -> list[SourceRow]:
    """The current program's funding sources, soonest end first (ongoing last)."""
    with access.reading(Action.VIEW_PROGRAM) as session:
        program_id = current_program_id_or_none(session)
        if program_id is None:
            return []
        titles = _titles(session, program_id)
        rows = [_row(s, titles) for s in session.scalars(
            select(FundingSource).where(FundingSource.program_id == program_id)
            .options(selectinload(FundingSource.positions)))]
    return sorted(rows, key=lambda r: (r.edit.end_on is None, r.edit.end_on or dt.date.max,
                                       r.name))


def position_choices(access: Access) -> list[PositionChoice]:
    with access.reading(Action.VIEW_PROGRAM) as session:
        program_id = program_of(session)
        return [PositionChoice(p.id, p.title, p.abolished_on) for p in session.scalars(
            select(Position).where(Position.program_id == program_id).order_by(Position.id))]


def source_row(access: Access, source_id: int) -> SourceRow:
    with access.reading(Action.VIEW_PROGRAM) as session:
        source = _get(session, source_id)
        return _row(source, _titles(session, source.program_id))


def _get(session: Session, source_id: int) -> FundingSource:
    source = in_this_program(session, FundingSource, source_id)
    if source is None:
        raise UserError(f"funding source {source_id} no longer exists")
    return source


def _check(edit: SourceEdit) -> SourceEdit:
    name = edit.name.strip()
    if not name:
        raise UserError("a funding source needs a name")
    if edit.annual_cents < 0:
        raise UserError(f"{name}: the amount a year cannot be negative")
    if edit.end_on is not None and edit.end_on < edit.start_on:
        raise UserError(f"{name}: ends on {edit.end_on}, before it starts on {edit.start_on}")
    seen: set[int] = set()
    for position_id, share in edit.positions:
        if not 0 < share <= 100:
            raise UserError(f"{name}: a share of a position is 1-100%, not {share}%")
        if position_id in seen:
            raise UserError(f"{name}: position {position_id} is listed twice")
        seen.add(position_id)
    return SourceEdit(name, edit.kind, edit.annual_cents, edit.start_on, edit.end_on,
                      edit.renewal, edit.notes.strip(), tuple(sorted(edit.positions)))


def _overlaps(a: tuple[dt.date, dt.date | None], b: tuple[dt.date, dt.date | None]) -> bool:
    return (a[1] is None or b[0] <= a[1]) and (b[1] is None or a[0] <= b[1])


def _check_shares(session: Session, program_id: int, edit: SourceEdit,
                  source_id: int | None) -> None:
    """No position paid more than 100% on any day by this source and the others."""
    titles = _titles(session, program_id)
    mine = (edit.start_on, edit.end_on)
    for position_id, share in edit.positions:
        if position_id not in titles:
            raise UserError(f"{edit.name}: position {position_id} is not one of this program's")
        others = session.execute(
            select(FundingSource.start_on, FundingSource.end_on, FundedPosition.share_percent)
            .join(FundedPosition, FundedPosition.source_id == FundingSource.id)
            .where(FundedPosition.position_id == position_id,
                   FundingSource.id != (source_id or -1))).tuples().all()
        spans = [(s, e, p) for s, e, p in others if _overlaps(mine, (s, e))]
        for day in {edit.start_on, *(s for s, _, _ in spans if s >= edit.start_on)}:
            if edit.end_on is not None and day > edit.end_on:
                continue
            total = share + sum(p for s, e, p in spans if s <= day and (e is None or day <= e))
            if total > 100:
                raise UserError(f"{edit.name}: {titles[position_id]} would be paid {total}% "
                                f"from {day} with the other sources; at most 100%")


def _apply(session: Session, source: FundingSource, edit: SourceEdit) -> None:
    """Fields and position links in one UPDATE of the source: its version moves once,
    also when only the positions changed."""
    with session.no_autoflush:
        links = list(source.positions) if source.id is not None else []
        source.name, source.kind, source.annual_cents = edit.name, edit.kind, edit.annual_cents
        source.start_on, source.end_on = edit.start_on, edit.end_on
        source.renewal, source.notes = edit.renewal, edit.notes
        wanted = dict(edit.positions)
        for link in links:
            if link.position_id not in wanted:
                source.positions.remove(link)
            elif link.share_percent != wanted[link.position_id]:
                link.share_percent = wanted[link.position_id]
        have = {link.position_id for link in links}
        for position_id, share in edit.positions:
            if position_id not in have:
                source.positions.append(FundedPosition(position_id=position_id,
                                                       share_percent=share))
        if source.id is not None:
            flag_modified(source, "name")


def add_source(access: Access, edit: SourceEdit) -> int:
    edit = _check(edit)
    with access.writing(Action.EDIT_PROGRAM, f"Funding source {edit.name}") as session:
        program_id = program_of(session)
        if session.scalar(select(FundingSource.id).where(
                FundingSource.program_id == program_id, FundingSource.name == edit.name)):
            raise UserError(f"a funding source called {edit.name!r} already exists")
        _check_shares(session, program_id, edit, None)
        source = FundingSource(program_id=program_id)
        session.add(source)
        _apply(session, source, edit)
        session.flush()
        return source.id


def update_source(access: Access, source_id: int, read_version: int,
                  edit: SourceEdit) -> SourceRow:
    """Save an edit made to the version read; EditConflict with both versions field by
    field if someone saved in between (positions paid included). To save over theirs,
    call again with the version the conflict reports."""
    edit = _check(edit)
    label = f"Funding source {edit.name}"
    try:
        with access.writing(Action.EDIT_PROGRAM, label) as session:
            source = _get(session, source_id)
            if source.version != read_version:
                raise EditConflict(label)
            _check_shares(session, source.program_id, edit, source_id)
            clash = session.scalar(select(FundingSource.id).where(
                FundingSource.program_id == source.program_id,
                FundingSource.name == edit.name, FundingSource.id != source_id))
            if clash:
                raise UserError(f"a funding source called {edit.name!r} already exists")
            _apply(session, source, edit)
            session.flush()
            return _row(source, _titles(session, source.program_id))
    except EditConflict:
        theirs = source_row(access, source_id)
        raise conflict(access, label, "funding_source", source_id, _fields(edit, theirs.paid),
                       _fields(theirs.edit, theirs.paid), theirs.version) from None


def _fields(edit: SourceEdit, paid: Sequence[PaidPosition] = ()) -> dict[str, object]:
    titles = {p.position_id: p.title for p in paid}
    out: dict[str, object] = {_LABELS[k]: getattr(edit, k) for k in _LABELS}
    out[_LABELS["annual_cents"]] = money(edit.annual_cents)
    out[_LABELS["positions"]] = ", ".join(f"{titles.get(pid, f'#{pid}')} {share}%"
                                          for pid, share in edit.positions)
    return out


def delete_source(access: Access, source_id: int, read_version: int) -> None:
    """Remove a source and its position links; EditConflict if it changed meanwhile."""
    with access.writing(Action.EDIT_PROGRAM, f"Funding source {source_id}") as session:
        source = _get(session, source_id)
        if source.version != read_version:
            raise EditConflict(f"Funding source {source.name}")
        session.delete(source)
