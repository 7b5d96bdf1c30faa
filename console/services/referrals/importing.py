"""The referrals' half of the importer: rows of a provider's or a records system's list
written as referrals (reading, mapping, profiles and rejects are the importer's).

A row is matched to the program's call by its incident number: an unknown incident, or
one two agencies of the program both issued, rejects the row with the reason. A
provider the program does not know is added "not yet vetted" and counted. A referral is
keyed by (call, provider): a second import of the same file finds each one there and
changes nothing; a changed row updates only the columns the mapping has. The person is
the call's; the responder, the call's first co-responder. Through the ORM, so each
referral is audited.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import select

from console.data.models import Call, Provider, Referral, call_responder
from console.data.referral_enums import ReferralKind, ReferralResult
from console.errors import UserError
from console.services.importing.validate import Converted, Reject
from console.services.referrals.records import NAME_LIMIT, NOTES, ReferralEdit, check_edit

_FIELDS = ("kind", "referred_at", "contact_made", "contact_attempts", "first_service_at",
           "result")
_IN = 500  # incident numbers per IN (...) query


class ReferralWriter:
    """Upserts referral rows; `write=False` (a dry run) counts without writing."""

    def __init__(self, target: Any) -> None:
        if target.program_id is None:
            raise UserError("the database holds no program yet: referrals need its calls")
        self.session, self.program_id = target.session, target.program_id
        self.vault = target.vault
        self.columns: list[str] = target.converter.columns
        self.headers: dict[str, str] = dict(target.converter.mapping.columns)
        self.write = True
        self.inserted = self.updated = self.unchanged = 0
        self.providers_added = 0
        self.providers: dict[str, int] = {
            name.casefold(): i for i, name in self.session.execute(
                select(Provider.id, Provider.name)
                .where(Provider.program_id == self.program_id)).tuples()}
        self._new_ids = 0  # a dry run's stand-in ids for providers not written

    def add(self, chunk: Converted) -> None:
        rows = [_row(self.columns, values) for values in chunk.values]
        calls = self._calls({row["incident_number"] for row in rows})
        stored = self._stored({c[0] for found in calls.values() for c in found})
        kept_rows: list[int] = []
        kept_values: list[tuple[Any, ...]] = []
        for number, values, row in zip(chunk.rows, chunk.values, rows, strict=True):
            problem = self._write(row, calls.get(row["incident_number"], []), stored)
            if problem:
                column, value, reason = problem
                chunk.rejects.append(Reject(number, column, value, reason))
                chunk.rejected_rows += 1
                continue
            kept_rows.append(number)
            kept_values.append(values)
        chunk.rows, chunk.values = kept_rows, kept_values
        chunk.rejects.sort(key=lambda r: r.row)
        if self.write:
            self.session.flush()

    def _calls(self, incidents: set[str]) -> dict[str, list[tuple[int, dt.datetime, int | None]]]:
        found: dict[str, list[tuple[int, dt.datetime, int | None]]] = defaultdict(list)
        ordered = sorted(incidents)
        for i in range(0, len(ordered), _IN):
            for call_id, number, received, person in self.session.execute(
                    select(Call.id, Call.incident_number, Call.received_at, Call.person_id)
                    .where(Call.program_id == self.program_id,
                           Call.incident_number.in_(ordered[i:i + _IN]))).tuples():
                found[number].append((call_id, received, person))
        return found

    def _stored(self, call_ids: set[int]) -> dict[tuple[int, int], Referral]:
        out: dict[tuple[int, int], Referral] = {}
        ordered = sorted(call_ids)
        for i in range(0, len(ordered), _IN):
            for referral in self.session.scalars(
                    select(Referral).where(Referral.call_id.in_(ordered[i:i + _IN]))):
                out[(referral.call_id, referral.provider_id)] = referral
        return out

    def _write(self, row: dict[str, Any], calls: list[tuple[int, dt.datetime, int | None]],
               stored: dict[tuple[int, int], Referral]) -> tuple[str, str, str] | None:
        """Upsert one row; (column, value, reason) when it is rejected."""
        incident = row["incident_number"]
        if not calls:
            return (self.headers["incident_number"], incident,
                    "no call with this incident number in the program: import the calls "
                    "first")
        if len(calls) > 1:
            return (self.headers["incident_number"], incident,
                    f"{len(calls)} of the program's agencies issued this incident number")
        call_id, received, person = calls[0]
        edit = ReferralEdit(row["provider"], ReferralKind(row["kind"]), row["referred_at"],
                            contact_made=row.get("contact_made"),
                            contact_attempts=row.get("contact_attempts") or 0,
                            first_service_at=row.get("first_service_at"),
                            result=ReferralResult(row.get("result") or ReferralResult.PENDING))
        try:
            check_edit(edit, received, incident)
        except UserError as exc:
            reason = exc.message.split(": ", 1)[-1]
            return self.headers["referred_at"], f"{edit.referred_at:%Y-%m-%d %H:%M}", reason
        provider_id = self._provider(row["provider"])
        old = stored.get((call_id, provider_id))
        notes = (row.get("outcome_notes") or "").strip()
        if old is None:
            self.inserted += 1
            referral = Referral(program_id=self.program_id, call_id=call_id,
                                person_id=person, provider_id=provider_id,
                                staff_id=self._responder(call_id))
            self._set(referral, row, notes, new=True)
            stored[(call_id, provider_id)] = referral
            if self.write:
                self.session.add(referral)
            return None
        if self._differs(old, row, notes):
            self.updated += 1
            if self.write:
                self._set(old, row, notes, new=False)
        else:
            self.unchanged += 1
        return None

    def _differs(self, old: Referral, row: dict[str, Any], notes: str) -> bool:
        for name in _FIELDS:
            if name in row and _value(name, row) != getattr(old, name):
                return True
        if "outcome_notes" in row:
            before = self.vault.open(old.outcome_notes, purpose=NOTES) \
                if old.outcome_notes else ""
            return before != notes
        return False

    def _set(self, referral: Referral, row: dict[str, Any], notes: str, *, new: bool) -> None:
        for name in _FIELDS:
            if name in row or new:
                setattr(referral, name, _value(name, row))
        if "outcome_notes" in row:
            referral.outcome_notes = self.vault.seal(notes, purpose=NOTES) if notes else None

    def _provider(self, name: str) -> int:
        clean = " ".join(name.split())[:NAME_LIMIT]
        key = clean.casefold()
        if key in self.providers:
            return self.providers[key]
        self.providers_added += 1
        if self.write:
            provider = Provider(program_id=self.program_id, name=clean)
            self.session.add(provider)
            self.session.flush()
            self.providers[key] = provider.id
        else:
            self._new_ids -= 1
            self.providers[key] = self._new_ids
        return self.providers[key]

    def _responder(self, call_id: int) -> int | None:
        found: int | None = self.session.scalar(
            select(call_responder.c.staff_id).where(call_responder.c.call_id == call_id)
            .order_by(call_responder.c.staff_id).limit(1))
        return found

    def added(self) -> dict[str, int]:
        return {"providers_added": self.providers_added}


def _row(columns: list[str], values: tuple[Any, ...]) -> dict[str, Any]:
    """A converted row by field; times as datetimes (for SQLite they arrive as the text
    the calls' bulk insert stores)."""
    row = dict(zip(columns, values, strict=True))
    for name in ("referred_at", "first_service_at"):
        if isinstance(row.get(name), str):
            row[name] = dt.datetime.fromisoformat(row[name])
    return row


def _value(name: str, row: dict[str, Any]) -> Any:
    value = row.get(name)
    if name == "kind":
        return ReferralKind(str(value))
    if name == "result":
        return ReferralResult(value) if value else ReferralResult.PENDING
    if name == "contact_attempts":
        return value or 0
    return value
