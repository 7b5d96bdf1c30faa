"""Subcommands funding and unit-costs: the program's sources, runway and cliffs; the
unit costs cost avoidance is priced with.

Exit status 0 whatever the runway (a cliff is news, not a failure); 2 for a user error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from console.indicators_cli import _day


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    funding = sub.add_parser(
        "funding", help="funding sources, runway and grant cliffs as of a day",
        description="The program's funding sources with their end dates, the runway in "
                    "months (pending renewals counted as failing, and as granted) and the "
                    "sources ending within 180 days.")
    funding.add_argument("--as-of", metavar="YYYY-MM-DD", type=_day,
                         help="as the funding stood on this day (default: today)")
    funding.add_argument("--json", action="store_true", help="print JSON")
    costs = sub.add_parser("unit-costs", help="the unit costs cost avoidance is priced with",
                           description="Each unit cost with its amount, source, year and "
                                       "the day it was last checked.")
    costs.add_argument("--json", action="store_true", help="print JSON")


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def cmd_funding(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.services.funding.overview import funding_overview

    opened = open_access(args)
    try:
        o = funding_overview(opened.access, args.as_of)
    finally:
        opened.db.dispose()
    r = o.runway
    out: dict[str, Any] = {
        "as_of": r.as_of.isoformat(),
        "sources": [{
            "name": s.name, "kind": s.edit.kind.value, "annual_amount": s.edit.annual_cents / 100,
            "start": s.edit.start_on.isoformat(), "end": _iso(s.edit.end_on),
            "renewal": s.edit.renewal.value, "notes": s.edit.notes,
            "positions": [{"title": p.title, "share_percent": p.share_percent} for p in s.paid],
        } for s in o.sources],
        "runway": {
            "ends_on": _iso(r.ends_on), "days": r.days, "months": r.months,
            "ends_on_if_pending_granted": _iso(r.ends_on_if_pending_granted),
            "first_to_lose": list(r.first_to_lose),
            "positions": [{
                "title": p.title, "share_percent": p.share_percent, "sources": list(p.sources),
                "funded_until": _iso(p.funded_until),
                "funded_until_if_pending_fail": _iso(p.funded_until_if_pending_fail),
                "share_falls_on": _iso(p.share_falls_on),
            } for p in r.positions],
            "unfunded_positions": list(r.unfunded),
        },
        "cliffs": [{
            "source": c.name, "end": c.end_on.isoformat(), "days": c.days,
            "severity": "critical" if c.critical else "warning", "renewal": c.renewal.value,
            "positions": list(c.positions),
        } for c in r.cliffs],
    }
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    _print_funding(o)
    return 0


def _print_funding(o: Any) -> None:
    from console.services.funding.edits import money

    r = o.runway
    print(f"Funding as of {r.as_of}")
    if not o.sources:
        print("  no funding sources recorded")
    for s in o.sources:
        e = s.edit
        end = e.end_on.isoformat() if e.end_on else "ongoing"
        print(f"  {s.name:<34} {e.kind.label:<13} {money(e.annual_cents, whole=True):>12}/yr"
              f"  {e.start_on} to {end:<10}  renewal {e.renewal.label.lower()}"
              f"  ({len(s.paid)} positions)")
    if r.ends_on is None:
        print("Runway: no end recorded for any funded position")
    else:
        print(f"Runway: {r.months} months ({r.days} days), funded positions funded until "
              f"{r.ends_on} if pending renewals fail; first to lose funding: "
              f"{', '.join(r.first_to_lose)}")
        hopeful = r.ends_on_if_pending_granted
        print(f"        with pending renewals granted: until {hopeful or 'no end recorded'}")
    if r.unfunded:
        print(f"Open positions no source pays: {', '.join(r.unfunded)}")
    if not r.cliffs:
        print("No source ends within 180 days")
    for c in r.cliffs:
        level = "critical" if c.critical else "warning"
        print(f"{level:<9} {c.name} ends {c.end_on} (in {c.days} days; renewal "
              f"{c.renewal.label.lower()}): {', '.join(c.positions) or 'no positions'}")


def cmd_unit_costs(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.services.funding.edits import money
    from console.services.funding.unit_costs import unit_costs

    opened = open_access(args)
    try:
        rows = unit_costs(opened.access)
    finally:
        opened.db.dispose()
    if args.json:
        print(json.dumps([{
            "kind": u.kind.value, "label": u.kind.label, "amount": u.edit.amount_cents / 100,
            "source": u.edit.source, "year": u.edit.year,
            "checked_on": u.edit.checked_on.isoformat(), "notes": u.edit.notes,
        } for u in rows], indent=2))
        return 0
    if not rows:
        print("no unit costs recorded: cost avoidance is not available")
    for u in rows:
        print(f"{u.kind.label:<28} {money(u.edit.amount_cents):>11}  {u.edit.year}  "
              f"checked {u.edit.checked_on}  {u.edit.source}")
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "funding": cmd_funding, "unit-costs": cmd_unit_costs,
}
