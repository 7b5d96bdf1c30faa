"""The demo program generator: volumes, determinism, realism and the erosion episode."""

from __future__ import annotations

import bisect
import datetime as dt
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.orm import Session

from console.data import audit, migrate
from console.data.engine import Database, open_database, sqlite_url
from console.data.enums import Activation, AuditAction, Disposition, EventKind, StaffRole
from console.data.identity import unlock
from console.data.models import (
    AuditEntry,
    Base,
    Call,
    Position,
    PositionAssignment,
    Program,
    ProgramEvent,
    Shift,
    ShiftAssignment,
    StaffMember,
    UserAccount,
    call_responder,
)
from console.errors import UserError
from console.services.access import Access, Actor
from console.services.demo import (
    DemoSummary,
    Progress,
    demo_timeline,
    generate_demo,
    sqlite_datetime,
)
from console.services.demo import timeline as demo_timeline_module

END = dt.date(2026, 6, 30)
VISIBILITY = [k.value for k in EventKind if k.is_visibility]
# Who may sign in, what changed, which key: a new key, salt and clock on every run.
TRUST_TABLES = ("user_account", "audit_entry", "audit_head", "database_identity",
                "setting")


def new_database(path: Path) -> Database:
    db = open_database(sqlite_url(path))
    migrate.upgrade(db)
    return db


def demo_access(db: Database) -> Access:
    """The console writing the demo: a demo database (key beside it), the system actor."""
    return Access(db.session_factory, Actor.system("demo"),
                  unlock(db, create_demo=True).vault)


@dataclass(frozen=True)
class Demo:
    db: Database
    access: Access
    path: Path
    summary: DemoSummary

    def session(self) -> Session:
        return self.db.session_factory()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The default demo (three years, seed 7) ending END, written once for this module."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    db = new_database(path)
    access = demo_access(db)
    summary = generate_demo(access, seed=7, end=END)
    yield Demo(db, access, path, summary)
    db.dispose()


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table as SQLite stores it, in column order, plus the schema."""
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'alembic_version'")]
        rows = {t: con.execute(f'SELECT * FROM "{t}" ORDER BY {_all_columns(con, t)}').fetchall()
                for t in tables}
        rows["schema"] = con.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()
        return rows
    finally:
        con.close()


def program_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """dump() without the trust tables, whose keys, salts and times differ on every run,
    and with sealed values blanked: each database seals under its own key."""
    rows = dump(path)
    for table in TRUST_TABLES:
        rows.pop(table)
    for table in Base.metadata.tables.values():
        sealed = [i for i, c in enumerate(table.columns) if c.info.get("sealed")]
        if sealed and table.name in rows:
            rows[table.name] = [tuple(None if i in sealed else v for i, v in enumerate(r))
                                for r in rows[table.name]]
    return rows


def _all_columns(con: sqlite3.Connection, table: str) -> str:
    """ORDER BY every column: tables without rowid (pairs of keys) have no rowid order."""
    count = len(con.execute(f'PRAGMA table_info("{table}")').fetchall())
    return ", ".join(str(i) for i in range(1, count + 1))


def small(path: Path, seed: int = 7, progress: Progress | None = None) -> DemoSummary:
    """A one-year demo of about 3,000 calls."""
    db = new_database(path)
    try:
        return generate_demo(demo_access(db), years=1, seed=seed, end=END,
                             calls_total=3_000, progress=progress)
    finally:
        db.dispose()


def per_week(count: int, start: dt.date, end: dt.date) -> float:
    return count / ((end - start).days / 7)


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


# --- volumes, determinism, refusal, cancel -----------------------------------------------


def test_three_years_have_realistic_volumes(demo: Demo) -> None:
    s = demo.summary
    assert s.start == dt.date(2023, 6, 30) and s.end == END
    assert 15_000 <= s.calls <= 30_000
    with demo.session() as session:
        assert session.scalar(select(func.count()).select_from(Call)) == s.calls
        assert session.scalar(select(func.count()).select_from(Program)) == 1
        in_unit = select(PositionAssignment.staff_id)
        patrol = session.scalar(select(func.count()).where(
            StaffMember.role == StaffRole.SWORN_OFFICER, StaffMember.id.not_in(in_unit)))
        assert patrol == 60
        last_day = END - dt.timedelta(days=1)
        in_post = session.scalar(select(func.count()).where(
            PositionAssignment.start_on <= last_day,
            (PositionAssignment.end_on.is_(None)) | (PositionAssignment.end_on > last_day)))
        assert 9 <= (in_post or 0) <= 14
        assert session.scalar(select(func.count()).select_from(Position)) == 13
        assert s.shifts > 2_000 and s.events > 100 and s.persons > 5_000
        first = session.scalar(select(func.min(Call.received_at)))
        last = session.scalar(select(func.max(Call.received_at)))
        assert first is not None and last is not None
        assert first.date() == s.start and last.date() == END - dt.timedelta(days=1)


def test_same_seed_and_end_write_identical_rows(tmp_path: Path) -> None:
    small(tmp_path / "a.sqlite")
    small(tmp_path / "b.sqlite")
    small(tmp_path / "c.sqlite", seed=8)
    a, b, c = (program_rows(tmp_path / f"{n}.sqlite") for n in "abc")
    assert a["call"] and a == b
    assert a["call"] != c["call"]


def test_refuses_a_database_that_holds_a_program(demo: Demo) -> None:
    with pytest.raises(UserError, match="already holds the program"):
        generate_demo(demo.access, seed=7, end=END)
    with demo.session() as session:
        assert session.scalar(select(func.count()).select_from(Call)) == demo.summary.calls


def test_writes_the_demo_supervisor_and_one_audit_entry(demo: Demo) -> None:
    with demo.session() as session:
        users = session.execute(select(UserAccount.username, UserAccount.role)).tuples().all()
        entries = session.execute(
            select(AuditEntry.action, AuditEntry.actor, AuditEntry.table_name)
            .where(AuditEntry.table_name != "database_identity")).tuples().all()
    assert [(name, role.value) for name, role in users] == [("demo", "supervisor")]
    # The complaints go through the workflow's own writes, each audited like a real
    # case's; everything else: the user account through the ORM, the bulk-loaded rows as
    # one entry.
    complaint_area = {"complaint", "complaint_category", "complaint_checklist",
                      "complaint_event", "complaint_settings", "complaint_subject",
                      "closure_day", "reporting_line",
                      # the funding records, written through the ORM (demo/funding.py)
                      "funding_source", "funded_position", "budget_line", "unit_cost"}
    cases = [e for e in entries if e[2] in complaint_area]
    assert cases and {(action, actor) for action, actor, _ in cases} <= {
        (AuditAction.INSERT, "system:demo"), (AuditAction.UPDATE, "system:demo")}
    assert sorted(e for e in entries if e[2] not in complaint_area) == [
        (AuditAction.BULK, "system:demo", "demo program"),
        (AuditAction.INSERT, "system:demo", "user_account")]
    with demo.db.engine.connect() as conn:
        assert audit.verify(conn, demo.access.vault).ok


@pytest.mark.parametrize("bulk", [False, True])
def test_a_cancel_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 bulk: bool) -> None:
    if bulk:
        monkeypatch.setattr(demo_timeline_module, "BULK_LOAD_CALLS", 0)
    path = tmp_path / "cancelled.sqlite"
    db = new_database(path)
    access = demo_access(db)
    before = dump(path)
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int, text: str) -> None:
        seen.append((done, total))
        if len(seen) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        generate_demo(access, years=1, end=END, calls_total=20_000,
                      progress=progress)
    db.dispose()
    assert seen[0][0] == 0 and seen[1][0] > 0
    assert dump(path) == before  # no rows, no user, no audit entry, and every index is back


def test_progress_runs_to_the_end(tmp_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    summary = small(tmp_path / "p.sqlite", progress=lambda *a: seen.append(a))
    done = [d for d, _, _ in seen]
    assert done == sorted(done) and done[-1] == seen[-1][1] == (summary.end - summary.start).days
    assert "Writing calls" in seen[-1][2]


def test_bulk_load_writes_the_same_rows_and_schema(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    small(tmp_path / "plain.sqlite")
    monkeypatch.setattr(demo_timeline_module, "BULK_LOAD_CALLS", 0)
    small(tmp_path / "bulk.sqlite")
    assert program_rows(tmp_path / "bulk.sqlite") == program_rows(tmp_path / "plain.sqlite")
    con = sqlite3.connect(tmp_path / "bulk.sqlite")
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)  # back from the load
    con.close()


@pytest.mark.timeout(300, method="signal")  # no timer thread: a threaded process never forks
def test_bulk_load_runs_its_producer_in_a_child_process(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows built in a forked child are the rows built here (same state, same order)."""
    from console.services import child_producer

    monkeypatch.setattr(demo_timeline_module, "BULK_LOAD_CALLS", 0)
    monkeypatch.setattr(child_producer, "can_fork", lambda: False)
    small(tmp_path / "here.sqlite")
    monkeypatch.undo()
    monkeypatch.setattr(demo_timeline_module, "BULK_LOAD_CALLS", 0)
    if not child_producer.can_fork():
        pytest.skip("this platform or process cannot fork safely")
    small(tmp_path / "child.sqlite")
    assert program_rows(tmp_path / "child.sqlite") == program_rows(tmp_path / "here.sqlite")


def test_calls_are_stored_as_sqlalchemy_stores_datetimes(demo: Demo) -> None:
    from console.data.base import SQLITE_SECONDS

    processor = SQLITE_SECONDS.bind_processor(sqlite_dialect.dialect())
    assert processor is not None
    value = dt.datetime(2026, 3, 4, 5, 6, 7)
    assert sqlite_datetime(value) == processor(value)
    con = sqlite3.connect(demo.path)
    raw = con.execute("SELECT received_at FROM call WHERE id = 1").fetchone()[0]
    con.close()
    with demo.session() as session:
        parsed = session.scalar(select(Call.received_at).where(Call.id == 1))
    assert parsed is not None and raw == processor(parsed)


# --- realism -------------------------------------------------------------------------------


def test_some_people_and_places_come_back_often(demo: Demo) -> None:
    with demo.session() as session:
        per_person = Counter(dict(session.execute(
            select(Call.person_id, func.count()).where(Call.person_id.is_not(None))
            .group_by(Call.person_id)).tuples().all()))
        per_place = session.execute(
            select(func.count()).select_from(Call).group_by(Call.location_key)).scalars().all()
    counts = sorted(per_person.values(), reverse=True)
    assert counts[0] >= 20 and 3 <= sum(c >= 20 for c in counts) <= 60
    assert sum(c == 1 for c in counts) > len(counts) / 2  # heavy tail: most are seen once
    assert max(per_place) >= 20


def test_calls_follow_the_clock_and_the_calendar(demo: Demo) -> None:
    with demo.session() as session:
        received = session.execute(select(Call.received_at)).scalars().all()
    by_hour = Counter(t.hour for t in received)
    small_hours = sum(by_hour[h] for h in (3, 4)) / 2
    afternoon = sum(by_hour[h] for h in range(14, 20)) / 6
    assert small_hours < 0.35 * afternoon
    by_month = Counter(t.month for t in received)
    assert sum(by_month[m] for m in (6, 7, 8)) > 1.05 * sum(by_month[m] for m in (1, 2, 3))
    by_weekday = Counter(t.weekday() for t in received)
    assert by_weekday[4] > by_weekday[6]  # Friday busier than Sunday


def test_dispositions_are_a_sensible_mix(demo: Demo) -> None:
    with demo.session() as session:
        mix = dict(session.execute(
            select(Call.disposition, func.count()).group_by(Call.disposition)).tuples().all())
    total = sum(mix.values())
    share = {d: mix.get(d, 0) / total for d in Disposition}
    assert set(mix) == set(Disposition)
    assert share[Disposition.RESOLVED_ON_SCENE] == max(share.values())
    assert (share[Disposition.RESOLVED_ON_SCENE] + share[Disposition.REFERRED]
            + share[Disposition.VOLUNTARY_TRANSPORT]) > 0.6
    assert 0.02 <= share[Disposition.ARREST] <= 0.04
    assert share[Disposition.ED_TRANSPORT] < 0.15 and share[Disposition.INVOLUNTARY_HOLD] < 0.15


def test_responders_and_requesting_officers_are_the_right_people(demo: Demo) -> None:
    with demo.session() as session:
        activations = set(session.execute(select(Call.activation).distinct()).scalars())
        shifts: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
        for staff_id, start, end in session.execute(
                select(ShiftAssignment.staff_id, Shift.starts_at, Shift.ends_at).join(Shift)
                .order_by(Shift.starts_at)):
            shifts.setdefault(staff_id, []).append((start, end))
        responders = session.execute(
            select(call_responder.c.staff_id, Call.received_at, Call.activation)
            .join(Call, Call.id == call_responder.c.call_id)).tuples().all()
        requests = select(func.count()).where(Call.activation == Activation.PATROL_REQUEST)
        unit = select(PositionAssignment.staff_id)
        assert session.scalar(requests.where(Call.requesting_officer_id.is_(None))) == 0
        assert session.scalar(requests.where(Call.requesting_officer_id.in_(unit))) == 0
        assert session.scalar(select(func.count()).where(
            Call.requesting_officer_id.is_not(None),
            Call.activation != Activation.PATROL_REQUEST)) == 0
    assert set(Activation) <= activations

    def on_shift(staff_id: int, at: dt.datetime) -> bool:
        worked = shifts.get(staff_id, [])
        k = bisect.bisect(worked, (at, dt.datetime.max)) - 1
        return k >= 0 and worked[k][0] <= at < worked[k][1]

    assert responders and all(activation is not None for _, _, activation in responders)
    assert all(on_shift(staff_id, at) for staff_id, at, _ in responders)


def test_times_are_consistent(demo: Demo) -> None:
    with demo.session() as session:
        out_of_order = select(func.count()).where(
            (Call.dispatched_at < Call.received_at) | (Call.arrived_at < Call.dispatched_at)
            | (Call.cleared_at <= Call.arrived_at))
        assert session.scalar(out_of_order) == 0
        requested = select(func.count()).where(Call.activation == Activation.PATROL_REQUEST)
        patrol_first = requested.where(Call.patrol_cleared_at < Call.cleared_at)
        assert (session.scalar(patrol_first) or 0) > 0.5 * (session.scalar(requested) or 1)
        force = session.scalar(select(func.count()).where(Call.use_of_force)) or 0
        assert 0 < force < 0.02 * demo.summary.calls


# --- the erosion episode -------------------------------------------------------------------


@pytest.fixture(scope="module")
def lead(demo: Demo) -> dt.date:
    with demo.session() as session:
        changes = session.execute(select(ProgramEvent.occurred_on).where(
            ProgramEvent.kind == EventKind.LEADERSHIP_CHANGE)).scalars().all()
    assert len(changes) == 1
    return changes[0]


def test_leadership_change_about_five_months_before_the_end(demo: Demo, lead: dt.date) -> None:
    assert lead == demo.summary.erosion_starts == demo_timeline(END).leadership_change
    assert END - dt.timedelta(days=183) <= lead <= END - dt.timedelta(days=120)


def test_patrol_requests_fall_by_a_quarter(demo: Demo, lead: dt.date) -> None:
    before_start = lead - dt.timedelta(days=182)
    last_months = END - dt.timedelta(days=119)

    def requests(a: dt.date, b: dt.date) -> int:
        with demo.session() as session:
            return session.scalar(select(func.count()).where(
                Call.activation == Activation.PATROL_REQUEST,
                Call.received_at >= midnight(a), Call.received_at < midnight(b))) or 0

    before = per_week(requests(before_start, lead), before_start, lead)
    after = per_week(requests(lead, END), lead, END)
    latest = per_week(requests(last_months, END), last_months, END)
    assert after <= 0.75 * before and latest <= 0.75 * before


def test_fewer_officers_ask_for_the_unit(demo: Demo, lead: dt.date) -> None:
    def officers(a: dt.date, b: dt.date) -> int:
        with demo.session() as session:
            return session.scalar(select(func.count(func.distinct(Call.requesting_officer_id)))
                                  .where(Call.received_at >= midnight(a),
                                         Call.received_at < midnight(b))) or 0

    window = dt.timedelta(days=112)
    assert officers(END - window, END) <= 0.75 * officers(lead - window, lead)
    four_weeks = dt.timedelta(days=28)
    before = [officers(lead - (k + 1) * four_weeks, lead - k * four_weeks) for k in range(4)]
    after = [officers(END - (k + 1) * four_weeks, END - k * four_weeks) for k in range(4)]
    assert max(after) < min(before)


def test_visibility_events_fall_by_a_quarter(demo: Demo, lead: dt.date) -> None:
    def events(a: dt.date, b: dt.date) -> int:
        with demo.session() as session:
            return session.scalar(select(func.count()).where(
                ProgramEvent.kind.in_(VISIBILITY), ProgramEvent.occurred_on >= a,
                ProgramEvent.occurred_on < b)) or 0

    before_start = lead - dt.timedelta(days=182)
    before = per_week(events(before_start, lead), before_start, lead)
    after = per_week(events(lead, END), lead, END)
    assert before >= 1 and after <= 0.75 * before


def test_after_hours_coverage_is_cut(demo: Demo, lead: dt.date) -> None:
    with demo.session() as session:
        cuts = session.execute(select(ProgramEvent.occurred_on).where(
            ProgramEvent.kind == EventKind.SCHEDULE_CHANGE, ProgramEvent.occurred_on > lead)
        ).scalars().all()
        staffed = session.execute(select(Shift.starts_at, Shift.ends_at).join(
            ShiftAssignment)).tuples().all()
    assert len(cuts) == 1 and cuts[0] < END - dt.timedelta(days=60)

    def after_six(a: dt.datetime, b: dt.datetime) -> float:
        evening = dt.datetime.combine(a.date(), dt.time(18))
        return max(0.0, (b - max(a, evening)).total_seconds() / 3600)

    def hours_per_week(a: dt.date, b: dt.date) -> float:
        hours = sum(after_six(s, e) for s, e in staffed if a <= s.date() < b)
        return per_week(round(hours), a, b)

    before = hours_per_week(lead - dt.timedelta(days=182), lead)
    after = hours_per_week(cuts[0], END)
    assert before >= 60 and after <= 0.5 * before


def test_a_responder_position_stays_vacant(demo: Demo, lead: dt.date) -> None:
    last_day = END - dt.timedelta(days=1)
    with demo.session() as session:
        positions = session.scalars(select(Position)).all()
        vacant = [p for p in positions if p.role is not StaffRole.INTERN and not any(
            a.start_on <= last_day and (a.end_on is None or a.end_on > last_day)
            for a in p.assignments)]
        assert [p.role for p in vacant] == [StaffRole.MH_RESPONDER]
        left = max(a.end_on for a in vacant[0].assignments if a.end_on is not None)
        assert lead < left < END - dt.timedelta(days=60)
        leaver = session.scalar(select(StaffMember).join(PositionAssignment).where(
            PositionAssignment.position_id == vacant[0].id, PositionAssignment.end_on == left))
        assert leaver is not None and leaver.separated_on == left
