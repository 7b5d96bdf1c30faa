"""Unit costs for cost avoidance: what one ED visit, jail booking or officer hour costs
the public, each with its amount, source, the year it is priced in and when it was last
checked. One per kind and program. Edited with EDIT_PROGRAM (directors and supervisors,
see sources.py); read by everyone who sees aggregates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.data.funding_enums import UnitCostKind
from console.data.models import UnitCost
from console.errors import UserError
from console.services.access import Access, Action, EditConflict
from console.services.funding.edits import conflict, money, program_of
from console.services.program_scope import current_program_id_or_none, in_this_program


@dataclass(frozen=True)
class UnitCostEdit:
    kind: UnitCostKind
    amount_cents: int
    source: str
    year: int
    checked_on: dt.date
    notes: str = ""


@dataclass(frozen=True)
class UnitCostRow:
    id: int
    edit: UnitCostEdit
    version: int

    @property
    def kind(self) -> UnitCostKind:
        return self.edit.kind

    @property
    def cited(self) -> str:
        """"$1,320.00 (2025; Source ..., checked 2026-05-01)"."""
        e = self.edit
        return f"{money(e.amount_cents)} ({e.year}; {e.source}, checked {e.checked_on})"


_LABELS = {"kind": "Unit cost", "amount_cents": "Amount", "source": "Source", "year": "Year",
           "checked_on": "Checked on", "notes": "Notes"}


def _row(u: UnitCost) -> UnitCostRow:
    return UnitCostRow(u.id, UnitCostEdit(u.kind, u.amount_cents, u.source, u.year,
                                          u.checked_on, u.notes), u.version)


def unit_costs_in(session: Session) -> dict[UnitCostKind, UnitCostRow]:
    """The current program's unit costs by kind (a query helper: never commits)."""
    program_id = current_program_id_or_none(session)
    if program_id is None:
        return {}
    return {u.kind: _row(u) for u in session.scalars(
        select(UnitCost).where(UnitCost.program_id == program_id))}


def unit_costs(access: Access) -> list[UnitCostRow]:
    """The recorded unit costs, in the order of UnitCostKind."""
    with access.reading(Action.VIEW_AGGREGATES) as session:
        found = unit_costs_in(session)
    return [found[k] for k in UnitCostKind if k in found]


def _check(edit: UnitCostEdit, today: dt.date | None = None) -> UnitCostEdit:
    what = edit.kind.label
    if edit.amount_cents <= 0:
        raise UserError(f"{what}: a unit cost must be more than zero")
    source = edit.source.strip()
    if not source:
        raise UserError(f"{what}: say where the figure comes from (a source)")
    if not 1990 <= edit.year <= 2100:
        raise UserError(f"{what}: {edit.year} is not a year")
    if edit.checked_on > (today or dt.date.today()):
        raise UserError(f"{what}: checked on {edit.checked_on}, a day still to come")
    return UnitCostEdit(edit.kind, edit.amount_cents, source, edit.year, edit.checked_on,
                        edit.notes.strip())


def _fields(edit: UnitCostEdit) -> dict[str, object]:
    out: dict[str, object] = {_LABELS[k]: getattr(edit, k) for k in _LABELS}
    out[_LABELS["amount_cents"]] = money(edit.amount_cents)
    return out


def _get(session: Session, cost_id: int) -> UnitCost:
    cost = in_this_program(session, UnitCost, cost_id)
    if cost is None:
        raise UserError(f"unit cost {cost_id} no longer exists")
    return cost


def unit_cost_row(access: Access, cost_id: int) -> UnitCostRow:
    with access.reading(Action.VIEW_AGGREGATES) as session:
        return _row(_get(session, cost_id))


def add_unit_cost(access: Access, edit: UnitCostEdit) -> int:
    edit = _check(edit)
    with access.writing(Action.EDIT_PROGRAM, f"Unit cost {edit.kind.label}") as session:
        program_id = program_of(session)
        if session.scalar(select(UnitCost.id).where(UnitCost.program_id == program_id,
                                                    UnitCost.kind == edit.kind)):
            raise UserError(f"{edit.kind.label}: a unit cost is already recorded; edit it")
        cost = UnitCost(program_id=program_id, kind=edit.kind, amount_cents=edit.amount_cents,
                        source=edit.source, year=edit.year, checked_on=edit.checked_on,
                        notes=edit.notes)
        session.add(cost)
        session.flush()
        return cost.id


def update_unit_cost(access: Access, cost_id: int, read_version: int,
                     edit: UnitCostEdit) -> UnitCostRow:
    """Save an edit to the version read; EditConflict (both versions) if it changed."""
    edit = _check(edit)
    label = f"Unit cost {edit.kind.label}"
    try:
        with access.writing(Action.EDIT_PROGRAM, label) as session:
            cost = _get(session, cost_id)
            if cost.version != read_version:
                raise EditConflict(label)
            if cost.kind != edit.kind:
                raise UserError(f"{cost.kind.label}: the kind of a unit cost cannot change")
            cost.amount_cents, cost.source, cost.year = edit.amount_cents, edit.source, edit.year
            cost.checked_on, cost.notes = edit.checked_on, edit.notes
            session.flush()
            return _row(cost)
    except EditConflict:
        theirs = unit_cost_row(access, cost_id)
        raise conflict(access, label, "unit_cost", cost_id, _fields(edit),
                       _fields(theirs.edit), theirs.version) from None


def delete_unit_cost(access: Access, cost_id: int, read_version: int) -> None:
    with access.writing(Action.EDIT_PROGRAM, f"Unit cost {cost_id}") as session:
        cost = _get(session, cost_id)
        if cost.version != read_version:
            raise EditConflict(f"Unit cost {cost.kind.label}")
        session.delete(cost)
