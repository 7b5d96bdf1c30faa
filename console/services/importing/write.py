"""Writing converted rows: insert new calls, update changed ones, leave equal ones alone.

Calls are matched by (agency, incident number). Rows go to the driver with executemany
(tuples on SQLite, where SQLAlchemy's per-value processing would cost more than SQLite
itself), never as one ORM object per row. Stored rows are read back raw for comparison,
so a value compares equal exactly when the same value would be written.

Everything happens on the import's one connection and transaction: an exception (a
cancel, a bad file found late, all-or-nothing with a bad row) rolls it all back,
including the dropped and rebuilt indexes (SQLite's DDL is transactional).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, text, update

from console.data.crypto import Vault
from console.data.enums import StaffRole
from console.data.models import StaffMember
from console.services.importing.validate import (
    FLAG_FIELDS,
    OFFICER_COLUMN,
    Converted,
    staff_key_of,
)
from console.services.people_service import NAME, NARRATIVE

LOOKUP_CHUNK = 500  # incident numbers per IN (...) list


class CallWriter:
    """Upserts the chunks of one import into one agency's calls.

    write=False (a dry run, or all-or-nothing after a bad row) compares and counts
    without changing anything.
    """

    def __init__(self, conn: Connection, *, columns: Sequence[str], program_id: int | None,
                 agency_id: int | None, vault: Vault, has_person: bool,
                 has_narrative: bool, keep_when_blank: frozenset[str] = frozenset()) -> None:
        self.conn, self.vault = conn, vault
        self.sqlite = conn.dialect.name == "sqlite"
        self.program_id, self.agency_id = program_id, agency_id
        self.columns = list(columns)
        self.has_person, self.has_narrative = has_person, has_narrative
        self.inserted = self.updated = self.unchanged = self.persons_added = 0
        self.write = True
        self.officers = _Officers(conn, program_id, agency_id, self.columns) \
            if OFFICER_COLUMN in self.columns else None
        self._person_ids: dict[str, int] = {}
        self.agency_has_calls = agency_id is not None and conn.execute(
            text("SELECT 1 FROM call WHERE agency_id = :a LIMIT 1"), {"a": agency_id}
        ).first() is not None
        extra = [f for f in FLAG_FIELDS if f not in self.columns]  # NOT NULL, no server default
        tail = (["person_id"] if has_person else []) + (["narrative"] if has_narrative else [])
        self._insert_columns = ["program_id", "agency_id", *self.columns, *extra, *tail]
        self._insert_extra = (False,) * len(extra)
        self._update_columns = [c for c in self.columns if c != "incident_number"] + tail
        if self.sqlite:
            # The values every row shares are written into the statement, so a row is
            # the converted values (and the tail) as they are, with nothing to copy.
            self._insert_sql = _sqlite_insert_sql(
                {"program_id": program_id, "agency_id": agency_id,
                 **dict.fromkeys(extra, 0)}, [*self.columns, *tail])
        else:
            self._insert_sql = _insert_sql(self._insert_columns)
        # Columns where a blank new value leaves the stored one (see RowConverter).
        self._keep = [i for i, c in enumerate(self.columns) if c in keep_when_blank]
        self._update_sql = text(
            "UPDATE call SET " + ", ".join(
                f"{c} = COALESCE(:{c}, {c})" if c in keep_when_blank else f"{c} = :{c}"
                for c in self._update_columns)
            + ", version = version + 1 WHERE id = :_id")

    # --- one chunk -----------------------------------------------------------------------
    @property
    def officers_added(self) -> int:
        return self.officers.added if self.officers is not None else 0

    def add(self, chunk: Converted) -> None:
        if not chunk.values:
            return
        if self.officers is not None:
            chunk.values = self.officers.resolve(chunk.values, write=self.write)
        person_ids = self._person_ids_of(chunk.persons) if chunk.persons is not None else None
        stored = self._stored([v[0] for v in chunk.values]) if self.agency_has_calls else {}
        inserts: list[tuple[Any, ...]] = []
        updates: list[dict[str, Any]] = []
        head = () if self.sqlite else (self.program_id, self.agency_id)
        extra = () if self.sqlite else self._insert_extra
        if self.sqlite and not stored and person_ids is None and not self.has_narrative:
            self.inserted += len(chunk.values)  # all new, and each row as converted
            if self.write:
                self._insert(chunk.values)
            return
        for i, values in enumerate(chunk.values):
            tail: tuple[Any, ...] = ()
            if person_ids is not None:
                tail += (person_ids[i],)
            narrative = chunk.narratives[i] if chunk.narratives is not None else None
            old = stored.get(values[0])
            if old is None:
                if self.has_narrative:
                    tail += (self._seal(narrative, NARRATIVE),)
                inserts.append(head + values + extra + tail)
                continue
            if self._same(old, values, tail, narrative):
                self.unchanged += 1
                continue
            if self.has_narrative:
                tail += (self._seal(narrative, NARRATIVE),)
            row = dict(zip(self._update_columns, values[1:] + tail, strict=True))
            row["_id"] = old[0]
            updates.append(row)
        self.inserted += len(inserts)
        self.updated += len(updates)
        if not self.write:
            return
        if inserts:
            self._insert(inserts)
        if updates:
            self.conn.execute(self._update_sql, updates)

    def _insert(self, rows: list[tuple[Any, ...]]) -> None:
        if self.sqlite:  # tuples go to the driver's executemany as they are
            self.conn.exec_driver_sql(self._insert_sql, rows)  # type: ignore[arg-type]
        else:
            self.conn.execute(text(self._insert_sql),
                              [dict(zip(self._insert_columns, r, strict=True)) for r in rows])

    def _same(self, old: tuple[Any, ...], values: tuple[Any, ...], tail: tuple[Any, ...],
              narrative: str | None) -> bool:
        n = len(values)
        stored = tuple(old[1:1 + n])
        if self._keep:
            values = tuple(stored[i] if v is None and i in self._keep else v
                           for i, v in enumerate(values))
        if stored != values:
            return False
        if self.has_person and old[1 + n] != tail[0]:
            return False
        if self.has_narrative:
            sealed = old[-1]
            was = self.vault.open(sealed, purpose=NARRATIVE) if sealed else None
            if was != narrative:
                return False
        return True

    def _seal(self, plain: str | None, purpose: str) -> str | None:
        return self.vault.seal(plain, purpose=purpose) if plain else None

    def _stored(self, numbers: list[str]) -> dict[str, tuple[Any, ...]]:
        """id and the written columns of the agency's calls with these numbers."""
        columns = ["id", *self.columns] + (["person_id"] if self.has_person else []) + \
            (["narrative"] if self.has_narrative else [])
        query = text(f"SELECT {', '.join(columns)} FROM call WHERE agency_id = :a "
                     "AND incident_number IN :numbers").bindparams(
            bindparam("numbers", expanding=True))
        found: dict[str, tuple[Any, ...]] = {}
        for i in range(0, len(numbers), LOOKUP_CHUNK):
            for row in self.conn.execute(query, {"a": self.agency_id,
                                                 "numbers": numbers[i:i + LOOKUP_CHUNK]}):
                found[row[1]] = tuple(row)
        return found

    def _person_ids_of(self, persons: list[tuple[str, str] | None]) -> list[int | None]:
        """The id of each row's person, adding the people not seen before (when writing)."""
        known = self._person_ids
        wanted: dict[str, str] = {}
        for p in persons:  # the first spelling of a name is the one kept
            if p is not None and p[0] not in known:
                wanted.setdefault(p[0], p[1])
        if wanted:
            self._lookup_persons(list(wanted))
            new = [(key, name) for key, name in wanted.items() if key not in known]
            if new and self.write:
                sealed = [{"k": key, "n": self.vault.seal(name.strip(), purpose=NAME)}
                          for key, name in new]
                self.conn.execute(text("INSERT INTO person (person_key, name, version) "
                                       "VALUES (:k, :n, 1)"), sealed)
                self.persons_added += len(new)
                self._lookup_persons([key for key, _ in new])
        return [known.get(p[0]) if p is not None else None for p in persons]

    def _lookup_persons(self, keys: list[str]) -> None:
        query = text("SELECT person_key, id FROM person WHERE person_key IN :keys").bindparams(
            bindparam("keys", expanding=True))
        if len(self._person_ids) > 200_000:  # bounded memory on very large files
            self._person_ids.clear()
        for i in range(0, len(keys), LOOKUP_CHUNK):
            for key, pid in self.conn.execute(query, {"keys": keys[i:i + LOOKUP_CHUNK]}):
                self._person_ids[key] = pid


class _Officers:
    """Requesting officers' badges (normalised, see validate.staff_key_of) to staff ids.

    Staff are matched by `staff_key` compared the same way. An officer the console does
    not know yet is added as a sworn officer to complete (hired on the earliest call of
    the import naming them), so the count of distinct officers asking for the unit can
    start at once; a second import of the same file finds them and adds nothing.
    """

    def __init__(self, conn: Connection, program_id: int | None, agency_id: int | None,
                 columns: Sequence[str]) -> None:
        self.conn, self.program_id, self.agency_id = conn, program_id, agency_id
        self.index = list(columns).index(OFFICER_COLUMN)
        self.received = list(columns).index("received_at")
        self.added = 0
        self._ids: dict[str, int | None] = {}
        for staff_id, key in conn.execute(select(StaffMember.id, StaffMember.staff_key)
                                          .order_by(StaffMember.id)):
            self._ids.setdefault(staff_key_of(key), staff_id)
        self._new: dict[str, dt.date] = {}  # added by this import -> hired on

    def resolve(self, rows: list[tuple[Any, ...]], *, write: bool) -> list[tuple[Any, ...]]:
        """The rows with each badge replaced by its staff id (None in a dry run for an
        officer not known yet), adding the officers not known yet when writing."""
        i, ids, new = self.index, self._ids, self._new
        earliest: dict[str, dt.date] = {}
        for values in rows:
            key = values[i]
            if key is not None and (key not in ids or key in new):
                day = _day(values[self.received])
                if key not in earliest or day < earliest[key]:
                    earliest[key] = day
        for key, day in earliest.items():
            if key not in new:
                self._add(key, day, write)
            elif day < new[key]:  # an earlier call of this import names them
                new[key] = day
                if write and ids[key] is not None:
                    self.conn.execute(update(StaffMember).where(StaffMember.id == ids[key])
                                      .values(hired_on=day))
        return [values[:i] + (ids[values[i]] if values[i] is not None else None,)
                + values[i + 1:] for values in rows]

    def _add(self, key: str, day: dt.date, write: bool) -> None:
        self._new[key] = day
        self.added += 1
        if not write or self.program_id is None:
            self._ids[key] = None
            return
        self._ids[key] = self.conn.execute(insert(StaffMember).values(
            program_id=self.program_id, agency_id=self.agency_id, staff_key=key,
            display_name=f"Badge {key} (to complete)", role=StaffRole.SWORN_OFFICER,
            hired_on=day, version=1).returning(StaffMember.id)).scalar_one()


def _day(received: Any) -> dt.date:
    """The day of a converted received time (SQLite's raw text, or a datetime)."""
    if isinstance(received, str):
        return dt.date.fromisoformat(received[:10])
    return received.date() if isinstance(received, dt.datetime) else received  # type: ignore[no-any-return]


def _insert_sql(columns: Sequence[str]) -> str:
    names = ", ".join(columns)
    return f"INSERT INTO call ({names}) VALUES ({', '.join(':' + c for c in columns)})"


def _sqlite_insert_sql(constants: dict[str, int | None], columns: Sequence[str]) -> str:
    """INSERT with the constants (ids, flags) as literals and a ? for each of `columns`."""
    names = ", ".join([*constants, *columns])
    literals = ["NULL" if v is None else str(int(v)) for v in constants.values()]
    return (f"INSERT INTO call ({names}) VALUES "
            f"({', '.join(literals + ['?'] * len(columns))})")


def call_table_size(conn: Connection) -> int:
    """How many calls the database holds (all agencies): is an import large next to it?"""
    return int(conn.execute(text("SELECT count(*) FROM call")).scalar() or 0)
