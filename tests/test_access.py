"""Every role against every protected service action: allowed ones run, others are refused.

The matrix runs on SQLite and, given a server, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import BACKEND_IDS, BACKENDS, SUPERVISOR, access_for, database_on, seed_program
from sqlalchemy import insert, select

from console.data.engine import Database
from console.data.enums import DegreeLevel, Disposition, EventKind, StaffRole, UserRole
from console.data.models import Call, StaffMember
from console.errors import UserError
from console.services import (
    audit_service,
    calls_service,
    complaints,
    dashboard_service,
    key_service,
    people_service,
    program_service,
    settings_service,
    staffing_service,
    stats_service,
    users_service,
)
from console.services.access import PERMISSIONS, Access, Action, Actor, PermissionDenied
from console.services.indicators import alerts_service
from console.services.indicators import engine as indicator_engine
from console.services.indicators.model import Evaluation, Severity, Thresholds
from console.services.referrals import providers, scorecard

Case = Callable[[Access, dict[str, Any]], object]


def _backup(access: Access, ctx: dict[str, Any]) -> object:
    from console.services import backup_service

    target = ctx["tmp"] / f"backup-{access.actor.role.value}-{len(ctx)}-{id(access)}.sqlite"
    return backup_service.backup_database(access, ctx["db"], target)


def _no_such_case(call: Callable[[Access], object]) -> Case:
    """A complaint use case on a case that does not exist: the role's Action is checked
    first (PermissionDenied), then the missing case is a plain UserError."""
    def case(access: Access, _ctx: dict[str, Any]) -> object:
        try:
            return call(access)
        except PermissionDenied:
            raise
        except UserError as exc:
            assert "does not exist" in exc.message
            return None
    return case


def _restore(access: Access, ctx: dict[str, Any]) -> object:
    from console.services import backup_service

    return backup_service.restore_backup(access, ctx["db"], ctx["backup"])


# One entry per protected service function: (name, the action it needs, how to call it).
CASES: list[tuple[str, Action, Case]] = [
    ("dashboard overview", Action.VIEW_AGGREGATES,
     lambda a, c: dashboard_service.dashboard_overview(a)),
    ("database stats", Action.VIEW_AGGREGATES, lambda a, c: stats_service.database_stats(a)),
    ("idle lock setting", Action.VIEW_AGGREGATES,
     lambda a, c: settings_service.get_int(a, settings_service.IDLE_LOCK_MINUTES)),
    ("calls page", Action.VIEW_CALLS,
     lambda a, c: calls_service.fetch_page(a, calls_service.CallQuery(), None)),
    ("calls count", Action.VIEW_CALLS,
     lambda a, c: calls_service.count_calls(a, calls_service.CallQuery())),
    ("person identity", Action.VIEW_IDENTITIES,
     lambda a, c: people_service.person_identity(a, c["person_id"])),
    ("call narrative", Action.VIEW_IDENTITIES,
     lambda a, c: people_service.call_narrative(a, c["call_id"])),
    ("record person", Action.EDIT_IDENTITIES,
     lambda a, c: people_service.record_person(a, "Jordan Example", contact="555-0100")),
    ("write narrative", Action.EDIT_IDENTITIES,
     lambda a, c: people_service.set_call_narrative(a, c["call_id"], "Calm on arrival.")),
    ("correct disposition", Action.EDIT_CALLS,
     lambda a, c: people_service.set_disposition(
         a, c["call_id"], _version(c["db"], Call, c["call_id"]), Disposition.REFERRED)),
    ("staff list", Action.VIEW_STAFF, lambda a, c: staffing_service.unit_staff(a)),
    ("positions", Action.VIEW_STAFF,
     lambda a, c: staffing_service.positions_on(a, dt.date(2025, 1, 1))),
    ("staff detail", Action.VIEW_STAFF,
     lambda a, c: staffing_service.staff_detail(a, c["staff_id"])),
    ("edit staff member", Action.EDIT_STAFF,
     lambda a, c: staffing_service.update_staff_member(
         a, c["staff_id"], _version(c["db"], StaffMember, c["staff_id"]),
         staffing_service.StaffEdit("Ana Rivera", "Clinician II", "Social work",
                                    DegreeLevel.MASTER))),
    ("program summary", Action.VIEW_PROGRAM, lambda a, c: program_service.program_summary(a)),
    ("program events", Action.VIEW_PROGRAM, lambda a, c: program_service.program_events(a)),
    ("add program event", Action.EDIT_PROGRAM,
     lambda a, c: program_service.add_program_event(a, dt.date(2025, 3, 1),
                                                    EventKind.BRIEFING, "Roll call, B shift")),
    ("provider list", Action.VIEW_PROGRAM, lambda a, c: providers.list_providers(a)),
    ("provider scorecard", Action.VIEW_AGGREGATES,
     lambda a, c: scorecard.provider_scorecard(a)),
    ("add provider", Action.EDIT_PROVIDERS,
     lambda a, c: providers.add_provider(
         a, providers.ProviderEdit(f"Crisis line ({a.actor.role.value})"))),
    ("list users", Action.MANAGE_USERS, lambda a, c: users_service.list_users(a)),
    ("add user", Action.MANAGE_USERS,
     lambda a, c: users_service.add_user(a, f"new.{a.actor.role.value}", "New Person",
                                         UserRole.ANALYST, "a long password 1")),
    ("reset password", Action.MANAGE_USERS,
     lambda a, c: users_service.reset_password(a, "lee.analyst", "another password 2")),
    ("disable user", Action.MANAGE_USERS,
     lambda a, c: users_service.set_active(a, "lee.analyst", False)),
    ("audit entries", Action.VIEW_AUDIT, lambda a, c: audit_service.recent_entries(a)),
    ("verify audit trail", Action.VIEW_AUDIT, lambda a, c: audit_service.verify_trail(a)),
    ("accept audit trail", Action.RESTORE, lambda a, c: audit_service.accept_trail(a)),
    ("back up", Action.BACKUP, _backup),
    ("complaint queue", Action.VIEW_COMPLAINTS, lambda a, c: complaints.queue(a)),
    ("complaint note", Action.EDIT_COMPLAINTS,
     _no_such_case(lambda a: complaints.add_note(a, 999_999, "Called the family back."))),
    ("complaint narrative", Action.READ_COMPLAINT_CONFIDENTIAL,
     _no_such_case(lambda a: complaints.read_confidential(a, 999_999))),
    ("restore", Action.RESTORE, _restore),
    ("export key", Action.MANAGE_KEYS,
     lambda a, c: key_service.export_key_file(
         a, c["identity"], "a long passphrase",
         c["tmp"] / f"key-{a.actor.role.value}-{id(a)}.coresponse-key")),
    ("change idle lock", Action.EDIT_SETTINGS,
     lambda a, c: settings_service.set_int(a, settings_service.IDLE_LOCK_MINUTES, 15)),
    ("evaluate indicators", Action.VIEW_AGGREGATES,
     lambda a, c: indicator_engine.evaluate_all(a, dt.date(2025, 1, 1))),
    ("indicator thresholds", Action.EDIT_SETTINGS,
     lambda a, c: alerts_service.set_thresholds(a, "patrol_requests", Thresholds(2, 4, 6))),
    ("acknowledge alert", Action.ACKNOWLEDGE_ALERTS,
     lambda a, c: alerts_service.acknowledge(a, _flagged(a), "Talking to the captains")),
    ("note warnings seen", Action.NOTE_SEEN,
     lambda a, c: alerts_service.mark_seen(a, [_flagged(a)])),
]


def _flagged(access: Access) -> Evaluation:
    """An evaluation as a flagged one would read (the small world flags nothing)."""
    return replace(indicator_engine.evaluate_one(access.as_actor(SUPERVISOR), "vacancy_age"),
                   severity=Severity.WARNING, flagged_since=dt.date(2025, 1, 6))
# The role table of DESIGN.md ("Users and roles") and README ("Who may see what"), written
# out by hand: the test must not take its expected answer from access.PERMISSIONS.
A = Action
EXPECTED: dict[UserRole, set[Action]] = {
    # everything, including users, criteria, settings
    UserRole.SUPERVISOR: {
        A.VIEW_AGGREGATES, A.VIEW_CALLS, A.VIEW_IDENTITIES, A.EDIT_IDENTITIES, A.EDIT_CALLS,
        A.VIEW_STAFF, A.EDIT_STAFF, A.VIEW_PROGRAM, A.EDIT_PROGRAM, A.EDIT_PROVIDERS,
        A.MANAGE_USERS,
        A.VIEW_AUDIT, A.BACKUP, A.RESTORE, A.MANAGE_KEYS, A.EDIT_SETTINGS,
        A.ACKNOWLEDGE_ALERTS, A.NOTE_SEEN,
        A.VIEW_COMPLAINTS, A.EDIT_COMPLAINTS, A.READ_COMPLAINT_CONFIDENTIAL,
    },
    # everything but user administration, restores, keys and settings
    UserRole.DIRECTOR: {
        A.VIEW_AGGREGATES, A.VIEW_CALLS, A.VIEW_IDENTITIES, A.EDIT_IDENTITIES, A.EDIT_CALLS,
        A.VIEW_STAFF, A.EDIT_STAFF, A.VIEW_PROGRAM, A.EDIT_PROGRAM, A.EDIT_PROVIDERS,
        A.VIEW_AUDIT, A.BACKUP,
        A.ACKNOWLEDGE_ALERTS, A.NOTE_SEEN,
        A.VIEW_COMPLAINTS, A.EDIT_COMPLAINTS, A.READ_COMPLAINT_CONFIDENTIAL,
    },
    # complaints (the cases assigned to them), read elsewhere, without identities
    UserRole.REVIEWER: {A.VIEW_AGGREGATES, A.VIEW_CALLS, A.VIEW_STAFF, A.VIEW_PROGRAM,
                        A.NOTE_SEEN,
                        A.VIEW_COMPLAINTS, A.EDIT_COMPLAINTS, A.READ_COMPLAINT_CONFIDENTIAL},
    # they see and record the people they serve; read elsewhere
    UserRole.RESPONDER: {A.VIEW_AGGREGATES, A.VIEW_CALLS, A.VIEW_STAFF, A.VIEW_PROGRAM,
                         A.VIEW_IDENTITIES, A.EDIT_IDENTITIES, A.NOTE_SEEN},
    # aggregate views and reports, never identities, the trail or any write
    UserRole.ANALYST: {A.VIEW_AGGREGATES, A.VIEW_CALLS, A.VIEW_STAFF, A.VIEW_PROGRAM,
                       A.NOTE_SEEN},
}

# On PostgreSQL these cases refuse the roles allowed them with a one-line UserError (the
# server is backed up on the server with pg_dump); the other roles get PermissionDenied.
REFUSED_ON_POSTGRESQL: dict[str, str] = {"back up": "pg_dump", "restore": "pg_dump"}


def _version(db: Database, model: Any, row_id: int) -> int:
    with db.session_factory() as s:
        return int(s.scalar(select(model.version).where(model.id == row_id)))


@pytest.fixture(scope="module", params=BACKENDS, ids=BACKEND_IDS)
def world(request: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A small database with one of everything the cases touch, and a backup of it
    (on PostgreSQL, where backups are refused, a path that is never reached)."""
    tmp = tmp_path_factory.mktemp("matrix")
    with database_on(request.param, request, tmp) as db:
        yield _fill_world(db, tmp)


def _fill_world(db: Database, tmp: Path) -> dict[str, Any]:
    boss = access_for(db, tmp)
    with db.engine.begin() as conn:
        seed_program(conn)
        conn.execute(insert(StaffMember).values(
            id=1, program_id=1, staff_key="E1", display_name="Rivera, Ana",
            role=StaffRole.MH_RESPONDER, hired_on=dt.date(2023, 1, 1)))
        conn.execute(insert(Call).values(id=1, program_id=1, agency_id=1,
                                         incident_number="24-000001",
                                         received_at=dt.datetime(2024, 5, 1, 14, 0)))
    users_service.add_user(boss, "lee.analyst", "Lee Analyst", UserRole.ANALYST,
                           "a long password 0")
    person_id = people_service.record_person(boss, "Sam Doe")
    from console.data.identity import unlock
    from console.data.keystore import DemoKeyFile

    identity = unlock(db, store=DemoKeyFile(tmp / "test-key")).identity
    ctx: dict[str, Any] = {"db": db, "tmp": tmp, "staff_id": 1, "call_id": 1,
                           "person_id": person_id, "identity": identity}
    if db.sqlite_path is not None:
        ctx["backup"] = _backup(boss, ctx).path  # type: ignore[attr-defined]
    else:
        ctx["backup"] = tmp / "no-backup.sqlite"
    ctx["vault"] = boss.vault
    return ctx


def test_every_action_has_a_case() -> None:
    assert {action for _name, action, _case in CASES} == set(Action)


def test_the_permission_table_is_the_designed_one() -> None:
    """Any permission added or taken away in access.py shows here, role by role."""
    assert set(EXPECTED) == set(UserRole)
    for role in UserRole:
        assert set(PERMISSIONS[role]) == EXPECTED[role], role.value


def test_supervisor_may_do_everything() -> None:
    assert PERMISSIONS[UserRole.SUPERVISOR] == frozenset(Action)


@pytest.mark.parametrize("role", list(UserRole), ids=lambda r: r.value)
@pytest.mark.parametrize(("name", "action", "case"), CASES, ids=[c[0] for c in CASES])
def test_role_against_action(world: dict[str, Any], role: UserRole, name: str,
                             action: Action, case: Case) -> None:
    actor = Actor(f"someone.{role.value}", role, f"Someone ({role.value})")
    access = Access(world["db"].session_factory, actor, world["vault"])
    on_postgresql = world["db"].sqlite_path is None
    if action in EXPECTED[role] and on_postgresql and name in REFUSED_ON_POSTGRESQL:
        with pytest.raises(UserError, match=REFUSED_ON_POSTGRESQL[name]) as told:
            case(access, world)
        assert not isinstance(told.value, PermissionDenied)
        assert "\n" not in told.value.message
    elif action in EXPECTED[role]:
        case(access, world)  # runs without PermissionDenied
    else:
        with pytest.raises(PermissionDenied) as refused:
            case(access, world)
        assert action.value in refused.value.message
        assert "\n" not in refused.value.message


def test_analyst_never_sees_identities_or_audit() -> None:
    analyst = PERMISSIONS[UserRole.ANALYST]
    assert not analyst & {Action.VIEW_IDENTITIES, Action.EDIT_IDENTITIES, Action.VIEW_AUDIT,
                          Action.MANAGE_USERS}


def test_director_manages_everything_but_users_keys_restore() -> None:
    assert frozenset(Action) - PERMISSIONS[UserRole.DIRECTOR] == {
        Action.MANAGE_USERS, Action.RESTORE, Action.MANAGE_KEYS, Action.EDIT_SETTINGS}


def test_workstation_actor_is_a_supervisor_named_by_os_user() -> None:
    actor = Actor.workstation("jdoe")
    assert actor.role is UserRole.SUPERVISOR and actor.username == "os:jdoe"
    assert SUPERVISOR.role is UserRole.SUPERVISOR


def test_refusal_changes_nothing(world: dict[str, Any], tmp_path: Path) -> None:
    db = world["db"]
    before = stats_service.database_stats(access_for(db, world["tmp"])).row_counts
    reviewer = Access(db.session_factory, Actor("r", UserRole.REVIEWER), world["vault"])
    with pytest.raises(PermissionDenied):
        people_service.record_person(reviewer, "Someone New")
    assert stats_service.database_stats(access_for(db, world["tmp"])).row_counts == before
