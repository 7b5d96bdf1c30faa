"""Subcommands referrals import and referrals queue.

referrals import reads a list of referrals (CSV, XLSX) through the calls' importer, with
its options and exit status (0 every row imported, 1 rows rejected, 2 nothing imported).
referrals queue prints the follow-up queue: every responder's, as the command line acts
as a supervisor.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from console.data.importers.fields import REFERRALS
    from console.import_cli import _add_import_options

    referrals = sub.add_parser("referrals", help="import referrals, or list the follow-up queue",
                               description="Referrals to the provider network.")
    rsub = referrals.add_subparsers(dest="referrals_command", metavar="ACTION", required=True)
    imp = rsub.add_parser(
        "import", help="import referrals from a list (CSV, XLSX)",
        description="Import referrals: incident number, provider, kind, referred at, contact "
                    "made, attempts, first service, result and notes per row. Each is "
                    "matched to its call by incident number (an unknown one is rejected); a "
                    "provider not known yet is added, not yet vetted; a second import of "
                    "the same file changes nothing. Exit status: 0 every row imported, 1 "
                    "rows rejected, 2 nothing imported.")
    _add_import_options(imp, REFERRALS)
    queue = rsub.add_parser(
        "queue", help="the people referred whose first service is not confirmed yet",
        description="The follow-up queue, oldest first, with due dates (the follow-up hours "
                    "setting after the referral) and overdue flags; names are left out.")
    queue.add_argument("--json", action="store_true", help="print one JSON object")


def cmd_referrals(args: argparse.Namespace) -> int:
    return ACTIONS[args.referrals_command](args)


def cmd_import(args: argparse.Namespace) -> int:
    """The importer's own command, its kind referrals (one importer, not two)."""
    from console.import_cli import cmd_import as import_file

    return import_file(args)


def cmd_queue(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.services.referrals.queue import follow_up_queue

    opened = open_access(args)
    try:
        queue = follow_up_queue(opened.access)
    finally:
        opened.db.dispose()
    rows: list[dict[str, Any]] = [
        {"referral": r.referral_id, "incident_number": r.incident_number,
         "provider": r.provider, "kind": r.kind.value, "referred_at": r.referred_at.isoformat(),
         "due_at": r.due_at.isoformat(), "overdue": r.overdue, "responder": r.staff,
         "last_follow_up": r.last_follow_up.isoformat() if r.last_follow_up else None,
         "reached": r.reached} for r in queue.rows]
    if args.json:
        json.dump({"due_hours": queue.due_hours, "older_not_listed": queue.older,
                   "referrals": rows}, sys.stdout)
        print()
        return 0
    overdue = sum(1 for r in queue.rows if r.overdue)
    print(f"{len(rows)} referral{'s' * (len(rows) != 1)} waiting for a first service, "
          f"{overdue} overdue (follow up within {queue.due_hours} hours)")
    for r in queue.rows:
        flag = "OVERDUE " if r.overdue else ""
        print(f"  {flag}due {r.due_at:%Y-%m-%d %H:%M}  {r.incident_number}  {r.provider} "
              f"({r.kind.label.lower()}, {r.staff or 'no responder'})")
    if queue.older:
        print(f"{queue.older} older referral{'s' * (queue.older != 1)} never confirmed are "
              "not listed (they count as follow-up misses)")
    return 0


ACTIONS: dict[str, Callable[[argparse.Namespace], int]] = {"import": cmd_import,
                                                           "queue": cmd_queue}
HANDLERS = {"referrals": cmd_referrals}
