"""Shift trades: one person's shift handed to another, approved by a supervisor only if
the roster after the trade breaks no rule the roster before it kept."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.data.models import Shift, ShiftAssignment, ShiftTrade, StaffMember
from console.data.schedule_enums import TradeStatus
from console.errors import UserError
from console.services.access import Access, Action
from console.services.schedule.roster_service import load_roster
from console.services.schedule.rules import Breach, RosterShift, check

# The rules a trade can break reach this far after the shift: rest before the next
# shift, the week's and the pay period's hours (up to a 31-day pay period).
REACH = dt.timedelta(days=31)


@dataclass(frozen=True)
class TradeRow:
    id: int
    shift_id: int
    from_name: str
    to_name: str
    status: TradeStatus
    shift: str = ""  # 'Tue 2026-03-03 08:00-16:00 (Day)'
    requested_on: dt.date | None = None
    decided_by: str | None = None


def request_trade(access: Access, shift_id: int, from_staff_id: int, to_staff_id: int,
                  today: dt.date) -> int:
    """Record a request; nothing changes on the roster until a supervisor approves it."""
    with access.writing(Action.EDIT_STAFF, "shift trade") as s:
        shift = s.get(Shift, shift_id)
        giver, taker = s.get(StaffMember, from_staff_id), s.get(StaffMember, to_staff_id)
        if shift is None or giver is None or taker is None:
            raise UserError("trade: that shift or staff member no longer exists; reload")
        if from_staff_id == to_staff_id:
            raise UserError(f"trade: {giver.display_name} cannot trade a shift with themself")
        if s.get(ShiftAssignment, (shift_id, from_staff_id)) is None:
            raise UserError(f"trade: {giver.display_name} is not on this shift")
        if s.get(ShiftAssignment, (shift_id, to_staff_id)) is not None:
            raise UserError(f"trade: {taker.display_name} is already on this shift")
        trade = ShiftTrade(shift_id=shift_id, from_staff_id=from_staff_id,
                           to_staff_id=to_staff_id, status=TradeStatus.REQUESTED,
                           requested_on=today)
        s.add(trade)
        s.flush()
        return trade.id


def trade_breaches(access: Access, trade_id: int) -> list[Breach]:
    """The breaches the trade would bring: those of the roster after it that the roster
    before it did not have (an old breach is not the trade's fault)."""
    with access.reading(Action.VIEW_STAFF) as s:
        trade = s.get(ShiftTrade, trade_id)
        if trade is None:
            raise UserError("trade: no such trade; reload")
        shift = s.get(Shift, trade.shift_id)
        assert shift is not None
        day, giver, taker = shift.starts_at.date(), trade.from_staff_id, trade.to_staff_id
        shift_id = shift.id
    before = load_roster(access, day - dt.timedelta(days=1), day + REACH,
                         also_staff=frozenset({giver, taker}))
    after = dataclasses.replace(before, shifts=tuple(
        dataclasses.replace(sh, staff_ids=tuple(sorted(
            {*sh.staff_ids} - {giver} | {taker})))
        if sh.id == shift_id else sh for sh in before.shifts))
    old = {(b.rule, b.staff_id, b.shift_id, b.explanation) for b in check(before)}
    return [b for b in check(after)
            if (b.rule, b.staff_id, b.shift_id, b.explanation) not in old]


def approve_trade(access: Access, trade_id: int, today: dt.date) -> None:
    """Hand the shift over, unless the trade would break a rule: then a UserError names
    the first breach and nothing changes."""
    new = trade_breaches(access, trade_id)
    if new:
        more = f" (and {len(new) - 1} more)" if len(new) > 1 else ""
        raise UserError(f"trade not approved: {new[0].explanation}{more}")
    with access.writing(Action.EDIT_STAFF, "shift trade") as s:
        trade = _requested(s, trade_id)
        giver = s.get(ShiftAssignment, (trade.shift_id, trade.from_staff_id))
        taken = s.get(ShiftAssignment, (trade.shift_id, trade.to_staff_id))
        if giver is None or taken is not None:
            raise UserError("trade: the shift changed since the request; reload")
        s.delete(giver)
        s.add(ShiftAssignment(shift_id=trade.shift_id, staff_id=trade.to_staff_id))
        _decide(trade, TradeStatus.APPROVED, access, today)


def refuse_trade(access: Access, trade_id: int, today: dt.date) -> None:
    with access.writing(Action.EDIT_STAFF, "shift trade") as s:
        _decide(_requested(s, trade_id), TradeStatus.REFUSED, access, today)


def trades(access: Access) -> list[TradeRow]:
    with access.reading(Action.VIEW_STAFF) as s:
        names = dict(s.execute(select(StaffMember.id, StaffMember.display_name)).tuples().all())
        rows = s.scalars(select(ShiftTrade).order_by(ShiftTrade.id)).all()
        shifts = {sh.id: RosterShift(sh.id, sh.starts_at, sh.ends_at, sh.label).name
                  for sh in s.scalars(select(Shift).where(
                      Shift.id.in_(sorted({t.shift_id for t in rows}))))}
        return [TradeRow(t.id, t.shift_id, names[t.from_staff_id], names[t.to_staff_id],
                         t.status, shifts.get(t.shift_id, ""), t.requested_on, t.decided_by)
                for t in rows]


def _requested(s: Session, trade_id: int) -> ShiftTrade:
    trade = s.get(ShiftTrade, trade_id)
    if trade is None:
        raise UserError("trade: no such trade; reload")
    if trade.status is not TradeStatus.REQUESTED:
        raise UserError(f"trade: already {trade.status.value}")
    return trade


def _decide(trade: ShiftTrade, status: TradeStatus, access: Access, today: dt.date) -> None:
    trade.status = status
    trade.decided_by = (access.actor.display_name or access.actor.username)[:80]
    trade.decided_on = today
