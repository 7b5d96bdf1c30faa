"""Command line entry point: the GUI by default, headless subcommands otherwise."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from console import APP_ID, __version__

log = logging.getLogger("console")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=APP_ID,
        description="Co-Response Console: run and protect a police co-responder unit.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--db", metavar="PATH", help="SQLite database file to open")
    where.add_argument(
        "--db-url",
        metavar="URL",
        help="SQLAlchemy URL of a shared server, e.g. postgresql+psycopg://user@host/db "
        "(the password is read from the OS keyring)",
    )
    where.add_argument(
        "--demo",
        action="store_true",
        help="open the demo program (created in the user data folder on first use)",
    )
    parser.add_argument(
        "--area",
        metavar="KEY",
        help="open on this area: dashboard, calls, referrals, schedule, staffing, pipeline, "
        "complaints, program, reports",
    )
    parser.add_argument(
        "--program",
        metavar="NAME",
        help="work in this program when the database holds several (default: the oldest)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    # For bench/run.py: quit as soon as the main window has painted once.
    parser.add_argument("--exit-after-paint", action="store_true", help=argparse.SUPPRESS)

    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = sub.add_parser("demo", help="write the demo program into the chosen database")
    demo.add_argument("--years", type=int, default=3, help="years of history (default 3)")
    demo.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    demo.add_argument(
        "--calls", type=int, default=None, metavar="N", help="about N calls instead of ~20,000"
    )
    sub.add_parser("migrate", help="upgrade the chosen database to the newest schema")
    sub.add_parser("stats", help="print row counts and the date range of calls as JSON")
    from console.cli import command_modules

    for module in command_modules():
        module.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from console.errors import UserError
    from console.logs import setup_logging

    setup_logging(args.verbose)
    try:
        if args.command is None:
            from console.app import run_gui

            return run_gui(args)
        from console import cli

        return cli.run(args)
    except UserError as exc:
        print(f"{APP_ID}: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader of our output went away (`stats | head`)
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:
        from console.data.db_errors import database_error

        mapped = database_error(exc)  # a busy, read-only or full database is no bug
        if mapped is not None:
            log.info("%s", mapped.message, exc_info=True)  # the traceback to the log only
            print(f"{APP_ID}: {mapped.message}", file=sys.stderr)
            return mapped.exit_code
        log.exception("unexpected error")
        print(
            f"{APP_ID}: internal error; the details are in the log file "
            "(run with -v to see them here)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
