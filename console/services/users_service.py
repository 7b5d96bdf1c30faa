"""User accounts: the first supervisor, signing in with lock-out, and user administration.

Passwords are kept only as Argon2id hashes (argon2-cffi's defaults, rehashed on sign-in
when the parameters move on). Repeated failures lock the account for a while: a shared
precinct workstation is exactly where someone may try a colleague's password.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import unicodedata
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from console.data.crypto import Vault
from console.data.engine import read_session
from console.data.enums import UserRole
from console.data.models import UserAccount
from console.errors import UserError
from console.services.access import Access, Action, Actor, acting_session

MAX_FAILED_SIGN_INS = 5
LOCKOUT = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
# The demo program's supervisor; a demo database signs it in without asking (fictional data).
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-supervisor"
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,59}")
_hasher = PasswordHasher()


class SignInRefused(UserError):
    """Wrong name or password, a locked or a disabled account."""


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: UserRole
    active: bool
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None
    must_change_password: bool


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def check_username(username: str) -> str:
    name = username.strip().lower()
    if not _USERNAME.fullmatch(name):
        raise UserError(f"user name {_shown(username)}: use 2-60 letters, digits, '.', '_' "
                        "or '-'; nothing was changed")
    return name


def check_display_name(display_name: str, username: str) -> str:
    """The person's full name as stored: it must fit its column and print as one line."""
    name = display_name.strip()
    where = f"full name of user {username!r}"
    if not name:
        raise UserError(f"{where}: give the person's full name; nothing was changed")
    if len(name) > _DISPLAY_NAME_CHARS:
        raise UserError(f"{where} is {len(name):,} characters; at most "
                        f"{_DISPLAY_NAME_CHARS} fit: shorten it; nothing was changed")
    bad = next((c for c in name if _is_control(c)), None)
    if bad is not None:
        raise UserError(f"{where} holds control character U+{ord(bad):04X} (a line break, "
                        "escape or direction mark would forge lines where it is printed): "
                        "remove it; nothing was changed")
    return name


_DISPLAY_NAME_CHARS: int = UserAccount.__table__.c.display_name.type.length  # type: ignore[attr-defined]
_JOINERS = frozenset("\u200c\u200d")  # zero-width (non-)joiners belong to some scripts' names


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") and char not in _JOINERS


def _shown(text: str, limit: int = 40) -> str:
    """A value quoted for a message: escaped, and cut short when long."""
    return repr(text[:limit]) + (f"… ({len(text):,} characters)" if len(text) > limit else "")


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"password too short: use at least {MIN_PASSWORD_LENGTH} characters")


def _actor(user: UserAccount) -> Actor:
    return Actor(username=user.username, role=user.role, display_name=user.display_name,
                 user_id=user.id, must_change_password=user.must_change_password)


def _info(user: UserAccount) -> UserInfo:
    return UserInfo(user.id, user.username, user.display_name, user.role, user.active,
                    user.locked_until, user.last_login_at, user.must_change_password)


def has_users(factory: sessionmaker[Session]) -> bool:
    """Whether anyone can sign in yet (the first start asks for the first supervisor)."""
    with read_session(factory) as session:
        return bool(session.scalar(select(func.count()).select_from(UserAccount)))


def create_first_supervisor(factory: sessionmaker[Session], vault: Vault, username: str,
                            display_name: str, password: str) -> Actor:
    """The account of the unit's owner, allowed only while the database has no users."""
    name = check_username(username)
    display_name = check_display_name(display_name, name)
    check_password(password)
    with acting_session(factory, f"setup:{name}", vault) as session, session.begin():
        if session.scalar(select(func.count()).select_from(UserAccount)):
            raise UserError("this database already has users: sign in as a supervisor "
                            "to add more")
        user = UserAccount(username=name, display_name=display_name,
                           role=UserRole.SUPERVISOR, password_hash=_hasher.hash(password),
                           created_at=_now())
        session.add(user)
        session.flush()
        return _actor(user)


def sign_in(factory: sessionmaker[Session], vault: Vault, username: str, password: str,
            *, now: dt.datetime | None = None) -> Actor:
    """The signed-in actor, or SignInRefused; failures count toward a temporary lock-out.

    Until the password is right, an unknown name, a wrong password, a locked and a
    disabled account all read the same and cost the same Argon2 check: a shared
    workstation must not tell a passer-by which accounts exist or what state they are in.
    """
    now = now or _now()
    name = username.strip().lower()
    with acting_session(factory, f"sign-in:{name}", vault) as session, session.begin():
        user = session.scalar(select(UserAccount).where(UserAccount.username == name))
        if user is None:
            _verify(_dummy_hash(), password)  # the same cost as a real check
            raise SignInRefused(_WRONG)
        locked = user.locked_until is not None and user.locked_until > now
        if _verify(user.password_hash, password):
            if not user.active:
                raise SignInRefused(f"the account {name!r} is disabled: ask a supervisor")
            if locked:
                raise SignInRefused(
                    f"the account {name!r} is locked after {MAX_FAILED_SIGN_INS} failed "
                    f"sign-ins until {user.locked_until:%H:%M}: wait, or ask a supervisor "
                    "to reset it"
                )
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = _hasher.hash(password)
            user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
            session.flush()
            return _actor(user)
        if user.active and not locked:
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILED_SIGN_INS:
                user.locked_until, user.failed_logins = now + LOCKOUT, 0
    raise SignInRefused(_WRONG)  # after the commit: the failure is counted


_WRONG = "wrong user name or password"


@functools.cache
def _dummy_hash() -> str:
    """An Argon2 hash of nothing anyone types, made once, for names that do not exist."""
    return _hasher.hash(os.urandom(16).hex())


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def add_demo_supervisor(session: Session) -> None:
    """The demo program's supervisor account, written with the demo program."""
    session.add(UserAccount(username=DEMO_USERNAME, display_name="Demo Supervisor",
                            role=UserRole.SUPERVISOR, password_hash=_hasher.hash(DEMO_PASSWORD),
                            created_at=_now()))


def demo_sign_in(factory: sessionmaker[Session]) -> Actor:
    """The demo supervisor, signed in without a password check (only for a demo database:
    its people are fictional, and the demo should open at once)."""
    with read_session(factory) as session:
        user = session.scalar(select(UserAccount).where(UserAccount.username == DEMO_USERNAME))
        if user is None or not user.active:
            raise UserError(f"this demo database has no active {DEMO_USERNAME!r} account: "
                            "write a new demo (delete the file and start with --demo)")
        return _actor(user)


def list_users(access: Access) -> list[UserInfo]:
    with access.reading(Action.MANAGE_USERS) as session:
        users = session.scalars(select(UserAccount).order_by(UserAccount.username))
        return [_info(u) for u in users]


def add_user(access: Access, username: str, display_name: str, role: UserRole,
             password: str) -> UserInfo:
    """A new account; it must change the password chosen by the supervisor at first use."""
    name = check_username(username)
    display_name = check_display_name(display_name, name)
    check_password(password)
    with access.writing(Action.MANAGE_USERS) as session:
        if session.scalar(select(UserAccount.id).where(UserAccount.username == name)):
            raise UserError(f"user {name!r} already exists")
        user = UserAccount(username=name, display_name=display_name, role=role,
                           password_hash=_hasher.hash(password), must_change_password=True,
                           created_at=_now())
        session.add(user)
        session.flush()
        return _info(user)


def _user(session: Session, username: str) -> UserAccount:
    user = session.scalar(select(UserAccount).where(
        UserAccount.username == username.strip().lower()))
    if user is None:
        raise UserError(f"no user {_shown(username)}")
    return user


def set_active(access: Access, username: str, active: bool) -> UserInfo:
    """Disable (or enable again) an account; the last active supervisor cannot be disabled."""
    with access.writing(Action.MANAGE_USERS, f"user {username}") as session:
        user = _user(session, username)
        if not active and user.role is UserRole.SUPERVISOR and user.active:
            supervisors = session.scalar(select(func.count()).select_from(UserAccount).where(
                UserAccount.role == UserRole.SUPERVISOR, UserAccount.active.is_(True)))
            if supervisors == 1:
                raise UserError(f"{user.username!r} is the only active supervisor: add "
                                "another supervisor before disabling this account")
        user.active = active
        session.flush()
        return _info(user)


def reset_password(access: Access, username: str, password: str) -> UserInfo:
    """A new password set by a supervisor: it also lifts a lock-out; changed at next use."""
    check_password(password)
    with access.writing(Action.MANAGE_USERS, f"user {username}") as session:
        user = _user(session, username)
        user.password_hash = _hasher.hash(password)
        user.failed_logins, user.locked_until, user.must_change_password = 0, None, True
        session.flush()
        return _info(user)


def change_own_password(access: Access, old: str, new: str) -> None:
    """Anyone may change their own password, knowing the current one."""
    check_password(new)
    # No permission to check: every role may change its own password.
    with acting_session(access.factory, access.actor.username, access.vault) as session, \
            session.begin():
        user = _user(session, access.actor.username)
        if not _verify(user.password_hash, old):
            raise UserError("the current password is wrong; nothing was changed")
        if old == new:
            raise UserError("choose a new password different from the current one")
        user.password_hash = _hasher.hash(new)
        user.must_change_password = False
