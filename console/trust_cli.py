"""Subcommands of the trust layer: users, audit, key.

Passwords and passphrases are asked at the terminal without echo; when standard input
is not a terminal (a script), each is read as one line from it.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path

from console.data.enums import UserRole
from console.errors import UserError


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    users = sub.add_parser("users", help="add, disable, enable, reset the password of, list users")
    users_sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = users_sub.add_parser("add", help="add a user (asks for the first password)")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="the person's full name")
    add.add_argument("--role", required=True, choices=[r.value for r in UserRole])
    for action, text in (("disable", "stop a user from signing in"),
                         ("enable", "let a disabled user sign in again"),
                         ("reset-password", "set a new password (also lifts a lock-out)")):
        users_sub.add_parser(action, help=text).add_argument("username")
    users_sub.add_parser("list", help="list users with their role and state")

    audit = sub.add_parser("audit", help="verify or show the audit trail")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    audit_sub.add_parser("verify", help="recompute the hash chain; exit 1 if it was altered")
    audit_sub.add_parser("accept", help="after a restore on another workstation: accept the "
                                        "trail as it is now if its chain verifies (recorded)")
    show = audit_sub.add_parser("list", help="print the newest entries as JSON lines")
    show.add_argument("--limit", type=int, default=50)

    key = sub.add_parser("key", help="move the database's encryption key between workstations")
    key_sub = key.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    export = key_sub.add_parser("export", help="write the key to FILE, protected by a passphrase")
    export.add_argument("file", type=Path)
    imp = key_sub.add_parser("import", help="put a key exported elsewhere into this "
                                            "workstation's OS keyring")
    imp.add_argument("file", type=Path)
    key_sub.add_parser("info", help="which key the database uses and where it is kept")


def ask_secret(prompt: str, *, confirm: bool = False) -> str:
    """A password or passphrase: from the terminal without echo, else one line of stdin."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise UserError(f"{prompt.rstrip(': ')}: nothing on standard input")
        return line.rstrip("\r\n")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again: ") != first:
        raise UserError("the two entries differ; nothing was changed")
    return first


def printable(text: str) -> str:
    """Text from the database made safe for a terminal: control characters (line breaks,
    escape sequences, direction marks) are shown escaped, so a stored value cannot forge
    lines or rewrite the screen."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escaped(c) for c in text)


def _escaped(char: str) -> str:
    code = ord(char)
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or (
        f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000
        else f"\\U{code:08x}")


def cmd_users(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.services import users_service as users

    opened = open_access(args)
    try:
        access, name = opened.access, getattr(args, "username", "")
        if args.users_command == "add":
            info = users.add_user(access, name, args.name, UserRole(args.role),
                                  ask_secret(f"First password for {name}: ", confirm=True))
            print(f"added {info.username} ({info.role.label}); they choose their own "
                  "password at first sign-in")
        elif args.users_command in ("disable", "enable"):
            info = users.set_active(access, name, args.users_command == "enable")
            print(f"{info.username} {'enabled' if info.active else 'disabled'}")
        elif args.users_command == "reset-password":
            info = users.reset_password(access, name,
                                        ask_secret(f"New password for {name}: ", confirm=True))
            print(f"password of {info.username} reset; they choose their own at next sign-in")
        else:
            for u in users.list_users(access):
                state = "active" if u.active else "disabled"
                if u.locked_until:
                    state += f", locked until {u.locked_until:%Y-%m-%d %H:%M}"
                last = f"{u.last_login_at:%Y-%m-%d %H:%M}" if u.last_login_at else "never"
                print(f"{printable(u.username):<20} {u.role.value:<11} {state:<10} "
                      f"last sign-in {last}  {printable(u.display_name)}")
    finally:
        opened.db.dispose()
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.data import audit_anchor
    from console.services import audit_service

    opened = open_access(args)
    try:
        if args.audit_command == "verify":
            check = audit_service.verify_trail(opened.access)
            if check.ok:
                print(f"audit trail intact: {check.entries:,} entries verified")
                return 0
            print(f"AUDIT TRAIL ALTERED: {check.problem} "
                  f"({check.entries:,} entries verified before it)", file=sys.stderr)
            return 1
        if args.audit_command == "accept":
            seen = audit_anchor.keeper_for(opened.access.factory)
            before = seen.seen() if seen else None
            check = audit_service.accept_trail(opened.access)
            if check.head is None:
                print(f"AUDIT TRAIL ALTERED: {check.problem}; nothing was accepted",
                      file=sys.stderr)
                return 1
            was = f"was entry {before.seq}" if before else "had none"
            print(f"audit trail accepted as it is: this workstation now anchors entry "
                  f"{check.head[0]} ({was}); the acceptance is recorded in the trail")
            return 0
        for entry in audit_service.recent_entries(opened.access, limit=args.limit):
            print(printable(json.dumps({
                "seq": entry.seq, "at": entry.at, "actor": entry.actor, "action": entry.action,
                "table": entry.table_name, "record": entry.record_id,
                "changes": entry.changes})))
    finally:
        opened.db.dispose()
    return 0


def cmd_key(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.services import key_service

    if args.key_command == "import":
        blob = _read(args.file)
        database_uuid = key_service.import_key_file(blob, ask_secret("Passphrase: "))
        print(f"key of database {database_uuid} stored in this workstation's OS keyring")
        return 0
    opened = open_access(args)
    try:
        if args.key_command == "export":
            key_service.check_new_file(args.file)  # before the passphrase is typed
            key_service.export_key_file(opened.access, opened.identity,
                                        ask_secret("Passphrase (12+ characters): ",
                                                   confirm=True), args.file)
            print(f"key of database {printable(opened.identity.database_uuid)} written to "
                  f"{args.file}; keep the file and its passphrase apart")
        else:
            demo = " — DEMO ONLY" if opened.identity.demo else ""
            print(f"database {printable(opened.identity.database_uuid)}: key kept in "
                  f"{opened.identity.key_label}{demo}")
    finally:
        opened.db.dispose()
    return 0


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}") from None


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "users": cmd_users, "audit": cmd_audit, "key": cmd_key,
}
