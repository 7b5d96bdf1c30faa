"""Subcommand governance: who owns, funds and answers for the program, what is flagged,
and the reporting-structure chart as a file.

    governance [--as-of DATE] [--json]
    governance chart OUT.svg|OUT.png [--as-of DATE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

from console.errors import UserError


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    gov = sub.add_parser(
        "governance", help="show the program's governance and its flags, or draw its chart",
        description="The program's governance model, agencies, posts and their holders, "
                    "reporting lines and flags; 'governance chart OUT.svg' (or .png) writes "
                    "the reporting-structure chart.")
    gov.add_argument("action", nargs="?", choices=("show", "chart"), default="show",
                     help="show (default) or chart")
    gov.add_argument("out", nargs="?", type=Path, metavar="OUT.svg|OUT.png",
                     help="for chart: the file to write (the suffix picks the format)")
    gov.add_argument("--as-of", metavar="YYYY-MM-DD", type=_day,
                     help="who held each post on this day (default: today)")
    gov.add_argument("--json", action="store_true", help="print JSON instead of text")


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write YYYY-MM-DD") from None


def cmd_governance(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.services.governance.flags import governance_flags
    from console.services.governance.records import governance

    if args.action == "chart" and args.out is None:
        raise UserError("governance chart: name the file to write, e.g. structure.svg")
    if args.action == "chart" and args.out.suffix.lower() not in (".svg", ".png"):
        raise UserError(f"{args.out.name}: write the chart as .svg or .png")
    opened = open_access(args)
    try:
        g = governance(opened.access, args.as_of)
    finally:
        opened.db.dispose()
    if g is None:
        raise UserError("this database holds no program yet")
    flags = governance_flags(g)
    if args.action == "chart":
        from console.reports.governance_chart import save_chart
        from console.services.governance.chart import chart_layout

        path = save_chart(chart_layout(g, flags), args.out)
        print(f"reporting-structure chart written to {path}")
        return 0
    if args.json:
        print(json.dumps(_as_json(g, flags), indent=2))
        return 0
    print(f"{g.program} — governance as of {g.as_of:%Y-%m-%d}")
    print(f"Model: {g.model.label if g.model else 'not recorded'}")
    for a in g.agencies:
        lead = " (lead)" if a.is_lead else ""
        print(f"  {a.name}{lead}: {a.responsibility or 'role not recorded'}")
    titles = {p.id: p.title for p in g.posts}
    for p in g.posts:
        h = p.holder
        who = "VACANT" if h is None else (
            f"{h.described}, {'sworn' if h.sworn else 'civilian'}, since {h.since_on}")
        ups = [titles[x.reports_to_id] + (" (dotted)" if x.dotted else "")
               for x in g.lines if x.post_id == p.id]
        to = f"  -> {', '.join(ups)}" if ups else ""
        print(f"{p.title:<32} {who}{to}")
    for f in flags:
        print(f"{f.severity.key:<9} {f.text}")
    if not flags:
        print("ok        nothing flagged")
    return 0


def _as_json(g: Any, flags: Any) -> dict[str, Any]:
    def holder(h: Any) -> dict[str, Any] | None:
        if h is None:
            return None
        return {"name": h.name, "rank": h.rank, "staff_id": h.staff_id, "agency": h.agency or None,
                "sworn": h.sworn, "acting": h.acting, "since": h.since_on.isoformat(),
                "until": h.until_on.isoformat() if h.until_on else None}

    return {
        "program": g.program,
        "as_of": g.as_of.isoformat(),
        "model": g.model.value if g.model else None,
        "agencies": [{"name": a.name, "kind": a.kind.value, "lead": a.is_lead,
                      "responsibility": a.responsibility} for a in g.agencies],
        "posts": [{"id": p.id, "kind": p.kind.value, "title": p.title,
                   "holder": holder(p.holder)} for p in g.posts],
        "reporting_lines": [{"post_id": x.post_id, "reports_to_id": x.reports_to_id,
                             "dotted": x.dotted} for x in g.lines],
        "flags": [{"code": f.code, "severity": f.severity.key,
                   "post": f.post_kind.value if f.post_kind else None, "text": f.text}
                  for f in flags],
    }


HANDLERS = {"governance": cmd_governance}
