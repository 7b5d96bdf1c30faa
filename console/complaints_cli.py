"""Subcommand complaints: the queue (id, state, due, overdue, reviewer) and the measures.

Never a narrative, a complainant or a note: what it prints could end up in a ticket or a
terminal log, so it holds only what the queue and the aggregate measures hold.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from typing import Any


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser("complaints", help="print the complaint queue and measures "
                                            "(never a narrative or a complainant)")
    cmd.add_argument("--json", action="store_true", help="print JSON instead of text")
    cmd.add_argument("--all", action="store_true",
                     help="list finished cases too (closed, withdrawn, informally resolved)")
    cmd.add_argument("--link-user", nargs=2, metavar=("USERNAME", "STAFF_KEY"),
                     help="say which staff member (badge or employee number) a user account "
                          "is, so a reviewer meets the cases assigned to them; '-' unlinks")
    cmd.add_argument("--reports-to", nargs=2, metavar=("STAFF_KEY", "SUPERVISOR_KEY"),
                     help="record whom a staff member reports to (the chain a reviewer must "
                          "stand outside); '-' removes the line")


def cmd_complaints(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.services.complaints import queue
    from console.services.complaints.measures import complaint_measures

    if args.link_user or args.reports_to:
        return _people(args)
    today = dt.date.today()
    opened = open_access(args)
    try:
        rows = queue(opened.access, today=today, include_finished=args.all)
        measures = complaint_measures(opened.access, today)
    finally:
        opened.db.dispose()
    out: dict[str, Any] = {
        "as_of": today.isoformat(),
        "queue": [{"id": r.id, "reference": r.reference, "state": r.state.value,
                   "step": r.step or None,
                   "due": r.due_on.isoformat() if r.due_on else None, "overdue": r.overdue,
                   "business_days_late": r.business_days_late, "reviewer": r.reviewer}
                  for r in rows],
        "measures": {
            "open_cases": measures.open_cases,
            "overdue_steps": measures.overdue_steps,
            "withdrawn": measures.withdrawn,
            "median_business_days_to_close": {
                c.value: v for c, v in measures.median_days_to_close.items()},
            "findings": {f.value: n for f, n in measures.findings.items()},
            "per_1000_coresponse_calls_by_quarter": [
                {"quarter": q.quarter, "complaints": q.complaints, "calls": q.calls,
                 "per_1000": round(q.per_1000, 2) if q.per_1000 is not None else None}
                for q in measures.by_quarter],
        },
    }
    if args.json:
        json.dump(out, sys.stdout, indent=2)
        print()
        return 0
    _print_text(out)
    return 0


def _people(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.services.complaints.people import link_user, set_reports_to

    opened = open_access(args)
    try:
        if args.link_user:
            user, key = args.link_user
            link_user(opened.access, user, None if key == "-" else key)
            print(f"user {user} " + ("unlinked" if key == "-" else f"is staff member {key}"))
        if args.reports_to:
            key, boss = args.reports_to
            set_reports_to(opened.access, key, None if boss == "-" else boss)
            print(f"{key} " + ("reports to nobody recorded" if boss == "-"
                               else f"reports to {boss}"))
    finally:
        opened.db.dispose()
    return 0


def _print_text(out: dict[str, Any]) -> None:
    queue, m = out["queue"], out["measures"]
    print(f"Complaint queue on {out['as_of']}: {len(queue)} case(s), overdue first")
    if queue:
        print(f"  {'id':>4}  {'reference':<11} {'state':<19} {'due':<10}  {'late':>4}  reviewer")
    for r in queue:
        late = f"{r['business_days_late']}d" if r["overdue"] else ""
        print(f"  {r['id']:>4}  {r['reference']:<11} {r['state']:<19} {r['due'] or '-':<10}  "
              f"{late:>4}  {r['reviewer'] or '-'}")
    print(f"Open cases: {m['open_cases']}; overdue steps: {m['overdue_steps']}; "
          f"withdrawn: {m['withdrawn']}")
    medians = ", ".join(f"{k.replace('_', ' ')} {v:g}"
                        for k, v in m["median_business_days_to_close"].items())
    print(f"Median business days to close: {medians or 'no closed cases yet'}")
    findings = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in m["findings"].items())
    print(f"Findings of closed cases: {findings or 'none yet'}")
    for q in m["per_1000_coresponse_calls_by_quarter"][-8:]:
        rate = f"{q['per_1000']:.1f}" if q["per_1000"] is not None else "-"
        print(f"  {q['quarter']}: {q['complaints']} complaint(s), {q['calls']:,} co-response "
              f"calls, {rate} per 1,000")


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {"complaints": cmd_complaints}
