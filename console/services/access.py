"""Who may do what: the one permission check every service goes through.

Views hide what a role cannot do, but only as a courtesy: the service refuses anyway,
so a missing `if` in a view never opens a door.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from console.data.crypto import Vault
from console.data.engine import READ_ONLY
from console.data.enums import UserRole
from console.errors import UserError
from console.services import program_scope  # its listener scopes every query to a program


class Action(enum.StrEnum):
    """A protected service action (DESIGN.md, "Users and roles")."""

    VIEW_AGGREGATES = "view aggregate measures and charts"
    VIEW_CALLS = "view call records"
    VIEW_IDENTITIES = "view names and contact details"
    EDIT_IDENTITIES = "record names, contact details and narratives"
    EDIT_CALLS = "edit call records"
    VIEW_STAFF = "view staffing"
    EDIT_STAFF = "edit staffing"
    VIEW_PROGRAM = "view the program"
    EDIT_PROGRAM = "edit the program"
    # The referral network's vetting and agreements: a management decision, kept apart
    # from EDIT_PROGRAM so a role may one day vet providers without editing budgets.
    EDIT_PROVIDERS = "edit the provider network"
    MANAGE_USERS = "manage user accounts"
    VIEW_AUDIT = "view the audit trail"
    BACKUP = "back up the database"
    RESTORE = "restore a backup"
    MANAGE_KEYS = "export or import the encryption key"
    EDIT_SETTINGS = "change settings"
    ACKNOWLEDGE_ALERTS = "acknowledge early-warning alerts"
    # Everyone's own "last looked" marks, so the sign-in banner tells what got worse.
    NOTE_SEEN = "remember which warnings they have seen"
    # Complaints: which cases, and whether the confidential parts, is decided per case
    # in console.services.complaints.standing (assigned reviewer, subject).
    VIEW_COMPLAINTS = "view complaint cases"
    EDIT_COMPLAINTS = "record and review complaints"
    READ_COMPLAINT_CONFIDENTIAL = "read complaint narratives, complainants and attachments"


_EVERYONE_READS = frozenset({
    Action.VIEW_AGGREGATES, Action.VIEW_CALLS, Action.VIEW_STAFF, Action.VIEW_PROGRAM,
    Action.NOTE_SEEN,
})

PERMISSIONS: dict[UserRole, frozenset[Action]] = {
    UserRole.SUPERVISOR: frozenset(Action),
    UserRole.DIRECTOR: frozenset(Action) - {
        Action.MANAGE_USERS, Action.RESTORE, Action.MANAGE_KEYS, Action.EDIT_SETTINGS,
    },
    # Complaints assigned to them; read-only elsewhere, without identities.
    UserRole.REVIEWER: _EVERYONE_READS | {
        Action.VIEW_COMPLAINTS, Action.EDIT_COMPLAINTS, Action.READ_COMPLAINT_CONFIDENTIAL,
    },
    # Their own schedule, referrals and follow-ups: they see and record the people they serve.
    UserRole.RESPONDER: _EVERYONE_READS | {Action.VIEW_IDENTITIES, Action.EDIT_IDENTITIES},
    # Aggregate views and reports, never identities or complaint narratives.
    UserRole.ANALYST: _EVERYONE_READS,
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user, or the workstation's administrator at the CLI."""

    username: str
    role: UserRole
    display_name: str = ""
    user_id: int | None = None
    must_change_password: bool = False

    @classmethod
    def workstation(cls, os_user: str) -> Actor:
        """The CLI's actor: whoever can reach the database file or server credentials
        already holds it all, so the command line acts as a supervisor, audited by OS name."""
        return cls(username=f"os:{os_user}", role=UserRole.SUPERVISOR,
                   display_name=f"{os_user} (command line)")

    @classmethod
    def system(cls, task: str) -> Actor:
        """Work the console does by itself (demo generation, automatic backups)."""
        return cls(username=f"system:{task}", role=UserRole.SUPERVISOR, display_name=task)


class PermissionDenied(UserError):
    """The actor's role does not allow the action."""


def allowed(actor: Actor, action: Action) -> bool:
    return action in PERMISSIONS[actor.role]


def require(actor: Actor, action: Action) -> None:
    """Raise PermissionDenied unless the actor's role allows the action."""
    if not allowed(actor, action):
        raise PermissionDenied(
            f"{actor.display_name or actor.username} ({actor.role.label}) may not {action.value}"
        )


def acting_session(factory: sessionmaker[Session], actor: str, vault: Vault) -> Session:
    """A session that says who acts and carries the data key, as the audit trail requires.

    Access opens these after its permission check; signing in and setting up the first
    account open them before anyone has a role.
    """
    return factory(info={"actor": actor, "vault": vault})


class EditConflict(UserError):
    """Someone else saved the record since it was loaded; nothing was overwritten.

    Services that edit a record fill in `fields` (label, mine, theirs) and who saved
    theirs, so the view can show both versions side by side.
    """

    def __init__(self, record: str, fields: list[tuple[str, str, str]] | None = None,
                 theirs_version: int | None = None, saved_by: str = "",
                 saved_at: str = "") -> None:
        who = f" by {saved_by}" if saved_by else ""
        super().__init__(f"{record} was changed{who} since you opened it; "
                         "your changes were not saved")
        self.record, self.fields = record, fields or []
        self.theirs_version, self.saved_by, self.saved_at = theirs_version, saved_by, saved_at


@dataclass(frozen=True)
class Access:
    """What a service needs to act for someone: the database, who is acting, the data key.

    Every service opens its unit of work through `reading` or `writing`, which is where
    the permission check happens and where the audit trail learns who is acting.
    """

    factory: sessionmaker[Session]
    actor: Actor
    vault: Vault
    # The program every query is about (console.services.program_scope); None: the only one.
    program_id: int | None = None

    def as_actor(self, actor: Actor) -> Access:
        return replace(self, actor=actor)

    def allows(self, action: Action) -> bool:
        return allowed(self.actor, action)

    def _session(self) -> Session:
        session = acting_session(self.factory, self.actor.username, self.vault)
        if self.program_id is not None:
            session.info[program_scope.SESSION_KEY] = self.program_id
        return session

    @contextmanager
    def reading(self, action: Action) -> Iterator[Session]:
        """A session for a query; anything written in it is rolled back."""
        require(self.actor, action)
        with self._session() as session:
            # Only reads: on SQLite it never waits for a writer such as a long import.
            session.connection(execution_options={READ_ONLY: True})
            yield session

    @contextmanager
    def writing(self, action: Action, record: str = "the record") -> Iterator[Session]:
        """One transaction: the changes and their audit entries commit together or not at all.

        A concurrent save of a versioned row surfaces as EditConflict, never as a lost update.
        """
        require(self.actor, action)
        try:
            with self._session() as session, session.begin():
                yield session
        except StaleDataError:
            raise EditConflict(record) from None
