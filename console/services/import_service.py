"""Importing calls from CAD and records-system exports (CSV, XLSX), and other lists.

The use cases, in the order the import wizard (and `import-calls`) goes through them:

- `survey_file`: one read of the file without the database: header, a sample, the row
  count, the code values, the date order, and a suggested mapping.
- `preview`: the first rows as they would be stored, with each row's problems.
- `import_file` (`import_calls`): validate every row, upsert the good ones by their key
  (a call's agency and incident number) in one transaction, and report every rejected
  row with its reason.
- `write_rejects_csv`: the rejected rows as a CSV the user keeps.

The mapping's kind (calls, program events) says what the rows are: its fields and key
(console/data/importers/fields.py) and how they are written (importing/kinds.py); the
rest is the same for every kind.

An import is one transaction: a cancel, an unreadable file or a bad row under
all-or-nothing leaves the database exactly as it was. Rows are streamed a chunk at a
time, so memory does not grow with the file (apart from one entry per incident number,
which finds the duplicates within it).
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from console.data import audit
from console.data.bulk import SqliteBulk, sqlite_bulk
from console.data.db_errors import database_error
from console.data.enums import AgencyKind, AuditAction
from console.data.importers.fields import (
    CALLS,
    IDENTITY_FIELDS,
    ImportKind,
    Mapping,
    code_key,
)
from console.data.importers.readers import Table, open_table
from console.data.models import Agency, DatabaseIdentity, Program
from console.errors import UserError
from console.services.access import Access, Action, require
from console.services.criteria.timeline import load_timeline
from console.services.importing.kinds import WRITINGS, Target, Writer, Writing
from console.services.importing.preview import PreviewRow, preview
from console.services.importing.rejects import (
    REJECT_COLUMNS,
    check_report_path,
    write_rejects_csv,
)
from console.services.importing.survey import Survey, SurveyCancelled, survey_file
from console.services.importing.validate import Reject, RowConverter
from console.services.importing.write import call_table_size
from console.services.program_scope import current_program

log = logging.getLogger(__name__)

__all__ = [
    "REJECT_COLUMNS", "ImportCancelled", "ImportCounts", "ImportResult", "PreviewRow",
    "Reject", "Survey", "SurveyCancelled", "check_report_path", "import_calls",
    "import_file", "preview", "survey_file", "write_rejects_csv",
]

Progress = Callable[[int, int, str], None]
CHUNK_ROWS = 5000
# On SQLite the call indexes are dropped and rebuilt when an import brings at least this
# many rows and at least half as many as the table already holds: rebuilding costs about
# a third of inserting into them row by row.
BULK_MIN_ROWS = 20_000
DEFAULT_PROGRAM = "Co-responder program"
DEFAULT_AGENCY = "Police department"


class ImportCancelled(UserError):
    """The person cancelled the import; the database is as it was."""


@dataclass(frozen=True)
class ImportCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0  # rows (a row may have several rejected cells)

    def as_dict(self) -> dict[str, int]:
        return {"inserted": self.inserted, "updated": self.updated,
                "unchanged": self.unchanged, "rejected": self.rejected}


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, for a dry run or a refused all-or-nothing, would do).

    committed: the rows were written. With all-or-nothing and a bad row nothing is, and
    inserted/updated/unchanged are 0; `valid_rows` says how many rows were good.
    """

    path: Path
    counts: ImportCounts
    rejects: tuple[Reject, ...]
    mapping: Mapping
    program: str
    agency: str
    committed: bool
    dry_run: bool
    rows: int  # data rows read from the file
    valid_rows: int
    created_program: bool = False  # the database had no program: a minimal one was made
    # What the import added beside its rows: "persons_added" and
    # "requesting_officers_added" for calls (0 in a dry run or a refused import).
    added: dict[str, int] = field(default_factory=dict)
    sha256: str = ""
    profile_name: str | None = None
    # Seconds: open (a workbook is parsed here), read, convert, write, indexes, commit.
    timings: dict[str, float] = field(default_factory=dict)
    sheet: str | None = None          # the worksheet read, for a workbook
    sheets: tuple[str, ...] = ()      # all of the workbook's worksheets
    unmapped: tuple[str, ...] = ()    # the file's columns that the mapping leaves unused
    # Call types (rows) the activation criteria in force did not list: their scope came
    # from the mapping's call-type map, a proposal for the criteria (`criteria propose`).
    not_in_criteria: dict[str, int] = field(default_factory=dict)

    @property
    def kind(self) -> ImportKind:
        return self.mapping.import_kind

    @property
    def persons_added(self) -> int:
        return self.added.get("persons_added", 0)

    @property
    def requesting_officers_added(self) -> int:
        """Officers the console did not know, added as staff records to complete."""
        return self.added.get("requesting_officers_added", 0)

    @property
    def scope_decided(self) -> bool:
        """Whether the mapping marks any call in or out of the unit's scope: it maps a
        call-type column and decides some call types (else every call's scope is unknown)."""
        return self.mapping.decides_scope()


class _Rollback(Exception):
    """Ends the import's transaction without committing (dry run, all-or-nothing)."""


# --- import -----------------------------------------------------------------------------
def import_file(access: Access, path: Path, mapping: Mapping, *, agency: str | None = None,
                sheet: str | int | None = None, all_or_nothing: bool = False,
                dry_run: bool = False,
                profile_name: str | None = None, progress: Progress | None = None,
                cancelled: Callable[[], bool] | None = None) -> ImportResult:
    """Import one list of the mapping's kind (calls, program events) in one transaction.

    Rows are matched by the kind's key (see `import_calls` for calls; program events by
    program, date, kind and title): new ones inserted, changed ones updated, equal ones
    left alone, bad ones rejected with a reason each (none written under
    `all_or_nothing`). Requires the kind's permission (EDIT_PROGRAM for events).
    """
    return _import_kind(access, Path(path), mapping, WRITINGS[mapping.kind], agency=agency,
                        sheet=sheet, all_or_nothing=all_or_nothing, dry_run=dry_run,
                        profile_name=profile_name, progress=progress, cancelled=cancelled)


def import_calls(access: Access, path: Path, mapping: Mapping, *, agency: str | None = None,
                 sheet: str | int | None = None, all_or_nothing: bool = False,
                 dry_run: bool = False,
                 profile_name: str | None = None, progress: Progress | None = None,
                 cancelled: Callable[[], bool] | None = None) -> ImportResult:
    """Import the calls of one export into the program's agency, in one transaction.

    Rows are matched by (agency, incident number): new ones are inserted, changed ones
    updated (only the mapped fields; their version bumped), equal ones left alone. Rows
    that fail validation are rejected with a reason each; the good ones are committed,
    or none when `all_or_nothing`. `dry_run` validates and counts without writing.
    `agency` names the program's agency (default: its lead police or sheriff agency); a
    database without a program gets a minimal one. `sheet` names or numbers the worksheet
    of a workbook (default: the one that looks like calls). Requires EDIT_CALLS, and
    EDIT_IDENTITIES when a name, birth date, address or narrative is mapped, and a real
    database for those (see `refuse_identities_in_demo`). Raises UserError (nothing
    changed) for an unreadable file or a mapping that does not fit it, ImportCancelled
    when `cancelled()` turns true. A requesting officer the console does not know is
    added as a staff record to complete (`ImportResult.requesting_officers_added`).
    """
    if mapping.import_kind is not CALLS:
        raise UserError(f"this mapping is for {mapping.import_kind.plural}, not calls")
    return import_file(access, path, mapping, agency=agency, sheet=sheet,
                       all_or_nothing=all_or_nothing, dry_run=dry_run,
                       profile_name=profile_name, progress=progress, cancelled=cancelled)


def _import_kind(access: Access, path: Path, mapping: Mapping, writing: Writing, *,
                 agency: str | None, sheet: str | int | None, all_or_nothing: bool,
                 dry_run: bool, profile_name: str | None, progress: Progress | None,
                 cancelled: Callable[[], bool] | None) -> ImportResult:
    require(access.actor, writing.action)
    if any(name in mapping.columns for name in writing.kind.identity_fields):
        require(access.actor, Action.EDIT_IDENTITIES)
        refuse_identities_in_demo(access, mapping)
    start = time.perf_counter()
    with open_table(path, sheet=sheet, kind=writing.kind) as table:
        try:
            return _import(access, path, table, time.perf_counter() - start, mapping,
                           writing, agency=agency, all_or_nothing=all_or_nothing,
                           dry_run=dry_run, profile_name=profile_name, progress=progress,
                           cancelled=cancelled)
        except DBAPIError as exc:
            mapped = database_error(exc)
            if mapped is None:
                raise
            log.info("import of %s stopped: %s", path.name, mapped.message, exc_info=True)
            raise UserError(f"the import of {path.name} stopped and nothing was changed: "
                            f"{mapped.message}") from None


def refuse_identities_in_demo(access: Access, mapping: Mapping) -> None:
    """A demo database keeps its data key in a file beside itself, so whatever it seals is
    open to anyone who copies the folder: it takes no names, birth dates, addresses or
    narratives. One-line UserError naming the columns to leave out."""
    mapped = [name for name in IDENTITY_FIELDS if name in mapping.columns]
    if not mapped:
        return
    with access.reading(Action.EDIT_CALLS) as session:
        identity = session.get(DatabaseIdentity, 1)
        demo = identity is not None and identity.demo
    if demo:
        columns = ", ".join(f"{mapping.columns[name]!r} ({IDENTITY_FIELDS[name]})"
                            for name in mapped)
        raise UserError(f"this is the demo database (its key lies in a file beside it): it "
                        f"takes no real names, birth dates, addresses or narratives; leave "
                        f"out the column{'s' if len(mapped) > 1 else ''} {columns}, or "
                        "import into the program's own database")


def _import(access: Access, path: Path, table: Table, opened: float, mapping: Mapping,
            writing: Writing, *, agency: str | None, all_or_nothing: bool, dry_run: bool,
            profile_name: str | None, progress: Progress | None,
            cancelled: Callable[[], bool] | None) -> ImportResult:
    digest = _sha256(path)
    timings = {"open": opened, "read": 0.0, "convert": 0.0, "write": 0.0, "indexes": 0.0,
               "commit": 0.0}
    outcome: dict[str, Any] = {}
    try:
        with access.writing(writing.action, f"the import of {path.name}") as session:
            if writing.kind.per_agency:
                program, agency_row, created = _target(
                    session, agency, create=writing.creates_program and not dry_run)
            else:
                program, agency_row, created = _program(session), None, False
            criteria = load_timeline(session, program.id) \
                if program is not None and writing.kind is CALLS else None
            converter = RowConverter(
                table.header, mapping, vault=access.vault, now=_now(program),
                raw_sqlite=session.get_bind().dialect.name == "sqlite", criteria=criteria)
            conn = session.connection()
            writer = writing.writer(Target(
                session, conn, program.id if program else None,
                agency_row.id if agency_row else None, access.vault, converter))
            writer.write = not dry_run
            rejects: list[Reject] = []
            bulk_context = sqlite_bulk(conn) if writing.bulk_table else nullcontext(None)
            with bulk_context as bulk, _gc_paused():
                if bulk is not None and not dry_run:
                    # Coded values come from the enums. (A bigger page cache, as the demo
                    # uses, measured no faster here and made memory grow with the file.)
                    bulk.relax_checks()
                rows, rejected_rows = _stream(
                    table, converter, writer, bulk, rejects, timings, writing,
                    all_or_nothing=all_or_nothing, progress=progress,
                    cancelled=lambda: _check(cancelled, path))
                if bulk is not None and bulk.indexes:
                    if progress is not None:
                        progress(1, 1, "Rebuilding the call indexes")
                    t3 = time.perf_counter()
                    bulk.rebuild_indexes()
                    timings["indexes"] = time.perf_counter() - t3
            _check(cancelled, path)  # the last moment a cancel can still undo everything
            valid = rows - rejected_rows
            refused = all_or_nothing and rejected_rows > 0
            counts = ImportCounts(0, 0, 0, rejected_rows) if refused else ImportCounts(
                writer.inserted, writer.updated, writer.unchanged, rejected_rows)
            added = writer.added()
            outcome.update(
                counts=counts, rejects=tuple(rejects), rows=rows, valid_rows=valid,
                program=program.name if program else DEFAULT_PROGRAM,
                agency=agency_row.name if agency_row else
                (agency or DEFAULT_AGENCY) if writing.kind.per_agency else "",
                created=created or (writing.creates_program and dry_run and program is None),
                added={name: 0 for name in added} if refused or dry_run else added,
                committed=not (dry_run or refused),
                not_in_criteria=dict(sorted(converter.not_in_criteria.items(),
                                            key=lambda t: -t[1])))
            if dry_run or refused:
                raise _Rollback
            if writer.inserted or writer.updated or any(added.values()) or created:
                audit.record_event(
                    conn, access.vault, access.actor.username, writing.audit_what,
                    path.name,
                    {"file": path.name, "sha256": digest, "profile": profile_name,
                     "agency": agency_row.name if agency_row else None,
                     "rows": rows, **counts.as_dict(), **added},
                    action=AuditAction.BULK)
            committing = time.perf_counter()
        timings["commit"] = time.perf_counter() - committing
    except _Rollback:
        pass
    return ImportResult(
        path=path, counts=outcome["counts"], rejects=outcome["rejects"], mapping=mapping,
        program=outcome["program"], agency=outcome["agency"],
        committed=outcome["committed"],
        dry_run=dry_run, rows=outcome["rows"], valid_rows=outcome["valid_rows"],
        created_program=outcome["created"], added=outcome["added"], sha256=digest,
        profile_name=profile_name, timings=timings, sheet=table.sheet, sheets=table.sheets,
        unmapped=unmapped_columns(table.header, mapping),
        not_in_criteria=outcome["not_in_criteria"])


def unmapped_columns(header: Iterable[str], mapping: Mapping) -> tuple[str, ...]:
    """The file's columns, in order, that feed no field under `mapping`."""
    used = set(mapping.columns.values())
    return tuple(column for column in header if column not in used)


def _stream(table: Table, converter: RowConverter, writer: Writer, bulk: SqliteBulk | None,
            rejects: list[Reject], timings: dict[str, float], writing: Writing, *,
            all_or_nothing: bool, progress: Progress | None,
            cancelled: Callable[[], None]) -> tuple[int, int]:
    """Read, convert and write the rows a chunk at a time; returns (rows, rejected rows).

    All on the calling thread: a writer thread overlapping SQLite with the conversion
    was measured slower (executemany takes the GIL back for every row, and waits for
    it behind the converting thread), so there is none.
    """
    rows = rejected_rows = 0
    existing = call_table_size(bulk.conn) if bulk is not None else 0
    source = table.rows()
    while True:
        cancelled()
        t0 = time.perf_counter()
        chunk = list(islice(source, CHUNK_ROWS))
        t1 = time.perf_counter()
        timings["read"] += t1 - t0
        if not chunk:
            break
        converted = converter.convert(chunk)
        t2 = time.perf_counter()
        timings["convert"] += t2 - t1
        rows += len(chunk)
        if all_or_nothing and (rejected_rows or converted.rejected_rows):
            writer.write = False
        writer.add(converted)  # a writer may reject rows too (a referral's unknown call)
        rejected_rows += converted.rejected_rows
        rejects.extend(converted.rejects)
        if bulk is not None and writer.write and rows == len(chunk) and writer.inserted:
            # After the first chunk (so inside a transaction): is the import large?
            expected = _expected_rows(table, rows)
            if expected >= BULK_MIN_ROWS and expected * 2 >= existing:
                bulk.drop_indexes([writing.bulk_table or "call"])
        timings["write"] += time.perf_counter() - t2
        if progress is not None:
            progress(int(table.progress * 1000), 1000,
                     f"Importing {table.name}: {rows:,} rows")
    return rows, rejected_rows


def _check(cancelled: Callable[[], bool] | None, path: Path) -> None:
    if cancelled is not None and cancelled():
        raise ImportCancelled(f"the import of {path.name} was cancelled; nothing was changed")


def _program(session: Session) -> Program | None:
    """The current program: where a list without an agency goes."""
    return current_program(session)


def _target(session: Session, agency: str | None, *,
            create: bool) -> tuple[Program | None, Agency | None, bool]:
    """The current program and the agency whose calls these are."""
    program = current_program(session)
    if program is None:
        if not create:
            return None, None, False
        program = Program(name=DEFAULT_PROGRAM, jurisdiction=agency or DEFAULT_AGENCY,
                          started_on=dt.date.today(),
                          description="Made by the first call import; complete it on the "
                                      "Program page.")
        lead = Agency(program=program, name=(agency or DEFAULT_AGENCY).strip(),
                      kind=AgencyKind.POLICE, is_lead=True)
        session.add_all([program, lead])
        session.flush()
        return program, lead, True
    agencies = session.scalars(select(Agency).where(Agency.program_id == program.id)
                               .order_by(Agency.is_lead.desc(), Agency.name)).all()
    if agency is not None:
        wanted = code_key(agency)
        for row in agencies:
            if code_key(row.name) == wanted:
                return program, row, False
        names = ", ".join(a.name for a in agencies) or "none"
        raise UserError(f"the program {program.name!r} has no agency {agency!r} "
                        f"(its agencies: {names})")
    police = [a for a in agencies if a.kind in (AgencyKind.POLICE, AgencyKind.SHERIFF)]
    leads = [a for a in police if a.is_lead]
    if leads:
        return program, leads[0], False
    if len(police) == 1:
        return program, police[0], False
    names = ", ".join(a.name for a in police or agencies) or "none"
    raise UserError(f"which agency issued these calls? name it (--agency); the program's "
                    f"agencies: {names}")


def _now(program: Program | None) -> dt.datetime:
    """The wall-clock time now where the program is (CAD times are local)."""
    if program is not None:
        try:
            return dt.datetime.now(ZoneInfo(program.timezone)).replace(tzinfo=None)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return dt.datetime.now()


def _expected_rows(table: Table, rows_read: int) -> int:
    """About how many rows the file holds, from how far the first ones reached into it."""
    fraction = table.progress
    return int(rows_read / fraction) if fraction > 0 else rows_read


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic collections while rows stream: they hold no cycles, and the collector
    would otherwise walk every live tuple again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def field_label(name: str, kind: ImportKind = CALLS) -> str:
    """The label a person reads for a field name (for printing a mapping)."""
    fields = kind.field_by_name
    return fields[name].label if name in fields else name
