"""Subcommands backup and restore (see docs/backups.md)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from console.errors import UserError


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = sub.add_parser(
        "backup", help="copy the SQLite database into FILE (safe while the console is in use)")
    backup.add_argument("file", type=Path, nargs="?", metavar="FILE",
                        help="the backup file to write (default: a new timestamped file in "
                             "the backups folder); with --auto, the folder of automatic backups")
    backup.add_argument("--auto", action="store_true",
                        help="an automatic backup: only if the newest is a day old, keeping "
                             "the newest --keep")
    backup.add_argument("--keep", type=int, default=14, metavar="N",
                        help="automatic backups to keep (default 14)")
    restore = sub.add_parser(
        "restore", help="replace the database with a backup (the current one is kept beside it)")
    restore.add_argument("file", type=Path, metavar="FILE", help="the backup to restore")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.add_argument("--other-database", action="store_true",
                         help="allow a backup of a different database (its key must be here)")


def _size(n: int) -> str:
    return f"{n / 1e6:,.1f} MB" if n >= 100_000 else f"{n / 1e3:,.1f} kB"


def cmd_backup(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.services import backup_service as backups

    if args.keep < 1:
        raise UserError(f"--keep {args.keep}: keep at least 1 automatic backup")
    opened = open_access(args)
    try:
        db = opened.db
        if args.auto:
            folder = args.file or backups.backups_dir()
            written = backups.auto_backup(opened.access, db, folder, keep=args.keep)
            if written is None:
                newest = backups.list_auto_backups(db, folder)[-1]
                print(f"no automatic backup needed: the newest is {newest[1]} "
                      f"({newest[0]:%Y-%m-%d %H:%M})")
                return 0
            target = written
            info = backups.inspect_backup(target)
        else:
            live = db.sqlite_path
            target = args.file or backups.backups_dir() / (
                f"{live.stem if live else 'database'}-{dt.datetime.now():%Y%m%d-%H%M%S}.sqlite")
            info = backups.backup_database(opened.access, db, target,
                                           progress=_progress if sys.stderr.isatty() else None)
            if sys.stderr.isatty():
                print(file=sys.stderr)
    finally:
        opened.db.dispose()
    print(f"backed up {db.label} to {target} ({_size(info.size_bytes)}, "
          f"{info.call_count:,} calls); the encryption key is not in it, see docs/backups.md")
    return 0


def _progress(done: int, total: int, text: str) -> None:
    pct = 100 * done // total if total else 100
    print(f"\r{text:<50} {pct:3d}%", end="", file=sys.stderr, flush=True)


def cmd_restore(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.services import backup_service as backups

    info = backups.inspect_backup(args.file)
    opened = open_access(args)
    try:
        db = opened.db
        if not args.yes:
            if not sys.stdin.isatty():
                raise UserError("restore replaces the whole database: add --yes to confirm "
                                "(standard input is not a terminal)")
            print(f"{args.file}: database {info.database_uuid}{' (demo)' if info.demo else ''}, "
                  f"saved {info.created_at:%Y-%m-%d %H:%M}, {info.call_count:,} calls, "
                  f"schema {info.schema_revision}")
            answer = input(f"Replace the content of {db.label} with this backup? "
                           "(the current database is kept beside it) [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                print("nothing was restored")
                return 1
        result = backups.restore_backup(opened.access, db, args.file,
                                        allow_other_database=args.other_database)
    finally:
        opened.db.dispose()
    print(f"restored {args.file} into {db.label}; the database as it was before is kept in "
          f"{result.safety_copy}")
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "backup": cmd_backup, "restore": cmd_restore,
}
