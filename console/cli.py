"""Headless subcommands: demo, migrate, stats, users, audit, key, backup, restore.

The command line is the workstation administrator's tool: whoever can reach the
database file or the server's credentials already holds everything in it, so commands
act as a supervisor, recorded in the audit trail under the operating-system user name.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from console.data import migrate
from console.data.engine import Database, open_location
from console.data.location import chosen_location
from console.errors import UserError

if TYPE_CHECKING:
    from console.data.identity import Identity
    from console.services.access import Access


def open_from_args(args: argparse.Namespace, *, upgrade: bool = True) -> Database:
    """Open (and by default upgrade) the database that --db / --db-url / --demo name."""
    location = chosen_location(args.db, args.db_url, demo=args.demo)
    return migrate.open_upgraded(location) if upgrade else open_location(location)


@dataclass(frozen=True)
class Opened:
    """An open, upgraded, unlocked database and the command line's actor on it."""

    db: Database
    access: Access
    identity: Identity


def open_access(args: argparse.Namespace, *, create_demo: bool = False) -> Opened:
    """Open the chosen database, unlock its data key and act as the workstation administrator.

    create_demo: a database without a key yet becomes a demo database (key beside it).
    """
    from console.data.identity import unlock
    from console.services.access import Access, Actor

    db = open_from_args(args)
    try:
        unlocked = unlock(db, create_demo=create_demo or bool(args.demo))
    except BaseException:
        db.dispose()
        raise
    access = Access(db.session_factory, Actor.workstation(getpass.getuser()), unlocked.vault,
                    program_id=_program_id(db, getattr(args, "program", None)))
    return Opened(db, access, unlocked.identity)


def _program_id(db: Database, name: str | None) -> int | None:
    """The program --program names; without it, the oldest of several (said on stderr),
    so a command never mixes two programs' data. None: the database holds one or none."""
    from console.services.program_scope import program_named, programs

    try:
        if name is not None:
            return program_named(db.session_factory, name).id
        found = programs(db.session_factory)
    except BaseException:
        db.dispose()
        raise
    if len(found) < 2:
        return None
    others = ", ".join(repr(p.name) for p in found[1:])
    print(f"working in program {found[0].name!r}; the database also holds {others} "
          "(choose with --program NAME)", file=sys.stderr)
    return found[0].id


# The modules of the area commands, in the order `--help` lists them: each has
# add_parsers(sub) and HANDLERS. One list, read by the parser and by `run`.
COMMAND_MODULES = ("trust_cli", "backup_cli", "import_cli", "indicators_cli", "complaints_cli",
                   "people_cli", "schedule_cli", "governance_cli", "criteria_cli",
                   "funding_cli", "providers_cli", "referrals_cli")


def command_modules() -> list[Any]:
    """The area command modules, imported (on demand: the GUI never needs them)."""
    import importlib

    return [importlib.import_module(f"console.{name}") for name in COMMAND_MODULES]


def run(args: argparse.Namespace) -> int:
    handlers = {"demo": cmd_demo, "migrate": cmd_migrate, "stats": cmd_stats}
    for module in command_modules():
        handlers.update(module.HANDLERS)
    return handlers[args.command](args)


def cmd_demo(args: argparse.Namespace) -> int:
    if args.years < 1 or args.years > 20:
        raise UserError(f"--years {args.years}: give a number of years from 1 to 20")
    if args.calls is not None and args.calls < 1:
        raise UserError(f"--calls {args.calls}: give a positive number of calls")
    from console.data.identity import read_identity
    from console.services.demo import generate_demo
    from console.services.program_service import has_program

    # Checked before any key is made: a demo key must never be written beside real data.
    db = open_from_args(args)
    try:
        identity = read_identity(db)
        if (identity is not None and not identity.demo) or \
                (identity is None and has_program(db.session_factory)):
            raise UserError(f"{db.label} holds real data: write the demo program into a new "
                            "file (e.g. --db demo.sqlite) or use --demo")
    finally:
        db.dispose()
    opened = open_access(args, create_demo=True)
    db = opened.db
    try:
        summary = generate_demo(
            opened.access,
            years=args.years,
            seed=args.seed,
            calls_total=args.calls,
            progress=_terminal_progress if sys.stderr.isatty() else None,
        )
    finally:
        db.dispose()
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(
        f"demo program written to {db.label}: {summary.calls:,} calls "
        f"{summary.start:%Y-%m-%d} to {summary.end:%Y-%m-%d}, {summary.staff} staff, "
        f"{summary.shifts:,} shifts, {summary.events} program events; "
        f"erosion episode from {summary.erosion_starts:%Y-%m-%d}"
    )
    return 0


def _terminal_progress(done: int, total: int, text: str) -> None:
    pct = 100 * done // total if total else 0
    print(f"\r{text:<40} {pct:3d}%", end="", file=sys.stderr, flush=True)


def cmd_migrate(args: argparse.Namespace) -> int:
    db = open_from_args(args, upgrade=False)
    try:
        before = migrate.upgrade(db)
    finally:
        db.dispose()
    if before == migrate.HEAD_REVISION:
        print(f"{db.label} is already at schema {migrate.HEAD_REVISION}")
    else:
        print(f"{db.label} upgraded from {before or 'empty'} to {migrate.HEAD_REVISION}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from console.services.stats_service import database_stats

    opened = open_access(args)
    db = opened.db
    try:
        stats = database_stats(opened.access)
    finally:
        db.dispose()
    out: dict[str, Any] = {
        "database": db.label,
        "schema": migrate.HEAD_REVISION,
        "tables": stats.row_counts,
        "calls": {
            "count": stats.row_counts.get("call", 0),
            "first_received": stats.first_call.isoformat() if stats.first_call else None,
            "last_received": stats.last_call.isoformat() if stats.last_call else None,
        },
    }
    json.dump(out, sys.stdout, indent=2)
    print()
    return 0


