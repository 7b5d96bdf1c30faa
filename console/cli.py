"""Headless subcommands: demo, migrate, stats."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from console.data import migrate
from console.data.engine import Database, open_location
from console.data.location import chosen_location
from console.errors import UserError


def open_from_args(args: argparse.Namespace, *, upgrade: bool = True) -> Database:
    """Open (and by default upgrade) the database that --db / --db-url / --demo name."""
    location = chosen_location(args.db, args.db_url, demo=args.demo)
    return migrate.open_upgraded(location) if upgrade else open_location(location)


def run(args: argparse.Namespace) -> int:
    handler = {"demo": cmd_demo, "migrate": cmd_migrate, "stats": cmd_stats}[args.command]
    return handler(args)


def cmd_demo(args: argparse.Namespace) -> int:
    if args.years < 1 or args.years > 20:
        raise UserError(f"--years {args.years}: give a number of years from 1 to 20")
    if args.calls is not None and args.calls < 1:
        raise UserError(f"--calls {args.calls}: give a positive number of calls")
    from console.services.demo import generate_demo

    db = open_from_args(args)
    try:
        summary = generate_demo(
            db.session_factory,
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

    db = open_from_args(args)
    try:
        stats = database_stats(db.session_factory)
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


