"""Subcommands roster check and coverage: the schedule's rules and its cover of demand.

roster check exits 1 when the roster breaks a rule (a breach is a finding the caller may
act on, as a linter's); 2 for a user error. coverage always exits 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

CHECK_DAYS = 28  # roster check looks four weeks ahead unless told
COVERAGE_DAYS = 84  # coverage looks twelve weeks back unless told


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    roster = sub.add_parser("roster", help="check the roster against its rules",
                            description="Work with the unit's roster.")
    rsub = roster.add_subparsers(dest="roster_command", metavar="ACTION", required=True)
    check = rsub.add_parser(
        "check", help="list the roster's breaches of the rules (exit 1 if any)",
        description="Check the shifts starting in a period against the roster rules "
                    "(min_staffing, rest, max_week_hours, max_period_hours, qualification, "
                    "double_booking, leave). Exit status 1 when any rule is broken.")
    _period(check, f"default: today and the {CHECK_DAYS - 1} days after",
            f"default: {CHECK_DAYS - 1} days after --from")
    check.add_argument("--json", action="store_true",
                       help="print a JSON list: rule, staff, shift, explanation")
    rules = rsub.add_parser(
        "rules", help="show or set the values of the roster rules",
        description="Show the roster rules' values; --set changes one (supervisors; audited).")
    rules.add_argument("--set", metavar="NAME=VALUE", action="append", default=[],
                       help="set a rule value, e.g. rest_hours=11 (repeatable)")
    rules.add_argument("--add-minimum", nargs=4, metavar=("START", "END", "ROLE", "N"),
                       help="require N people of ROLE on shift every hour from START to END "
                            "(hours 0-24; END <= START runs past midnight), e.g. 18 2 "
                            "sworn_officer 1")
    rules.add_argument("--remove-minimum", type=int, metavar="ID",
                       help="remove the minimum-staffing band ID")
    rules.add_argument("--json", action="store_true", help="print a JSON object")
    suggest = rsub.add_parser(
        "suggest", help="suggest shift moves that cover more demand under the same rules",
        description="Suggest moving shifts within their day (same length, same people) to "
                    "cover more of the demand of the 12 weeks before the period, never "
                    "adding a breach of the roster rules.")
    _period(suggest, "default: next Monday", "default: 6 days after --from")
    suggest.add_argument("--json", action="store_true", help="print a JSON list")
    export = rsub.add_parser(
        "export", help="write the roster to XLSX (the columns roster import reads) or PDF",
        description="Write the shifts of a period to an XLSX workbook (a row per person per "
                    "shift, and a sheet of the rules' breaches) or a printable PDF (a week "
                    "per landscape page), chosen by the file's suffix.")
    export.add_argument("file", type=Path, metavar="FILE.xlsx|FILE.pdf")
    _period(export, "default: today", f"default: {CHECK_DAYS - 1} days after --from")
    cal = rsub.add_parser(
        "calendars", help="write an iCalendar (.ics) file per staff member",
        description="Write ROSTER-<badge>.ics into FOLDER for each person on a shift in the "
                    "period, for their own calendar.")
    cal.add_argument("folder", type=Path, metavar="FOLDER")
    _period(cal, "default: today", f"default: {CHECK_DAYS - 1} days after --from")
    trade = rsub.add_parser(
        "trade", help="request, approve or refuse a shift trade, or list them",
        description="Without arguments, list the trades. request SHIFT_ID FROM_BADGE TO_BADGE "
                    "records a request; approve ID hands the shift over unless that breaks a "
                    "rule (exit 2 with the breach); refuse ID declines it.")
    trade.add_argument("action", nargs="?", choices=("request", "approve", "refuse"))
    trade.add_argument("values", nargs="*", metavar="ARG")
    publish = rsub.add_parser(
        "publish", help="publish the roster of a period as the next version",
        description="Publish the shifts of a period as the next roster version (kept whole, "
                    "with who published it and when); refused while it breaks a rule.")
    _period(publish, "default: today", f"default: {CHECK_DAYS - 1} days after --from")
    shown = rsub.add_parser("versions", help="list the published roster versions")
    shown.add_argument("--json", action="store_true", help="print a JSON list")
    diff = rsub.add_parser("diff", help="what a published version changed from another")
    diff.add_argument("a", type=int, metavar="VERSION_A")
    diff.add_argument("b", type=int, metavar="VERSION_B")
    template = rsub.add_parser(
        "template", help="add a shift template (or list them without arguments)",
        description="Add a recurring shift: NAME START HOURS DAYS, e.g. Late 14:00 8 xxxxx-- "
                    "(days Monday first, x a day worked). Without arguments, list them.")
    template.add_argument("spec", nargs="*", metavar="NAME START HOURS DAYS")
    template.add_argument("--requires", action="append", default=[], metavar="CREDENTIAL",
                          help="a credential someone on the shift must hold (repeatable)")
    generate = rsub.add_parser(
        "generate", help="generate a period's open shifts from the templates",
        description="Add the templates' shifts for each day of a period; a shift already "
                    "there is left alone, so generating twice adds nothing.")
    _period(generate, "default: next Monday", "default: 27 days after --from")
    imp = rsub.add_parser(
        "import", help="import a roster exported by a scheduling system (CSV, XLSX)",
        description="Import a roster: date, start, end, badge or employee number, name, shift "
                    "name, leave type per row. Staff not known yet are added as records to "
                    "complete; a second import of the same file changes nothing. Exit "
                    "status: 0 every row imported, 1 rows rejected, 2 nothing imported.")
    from console.data.importers.fields import ROSTER
    from console.import_cli import _add_import_options

    _add_import_options(imp, ROSTER)
    cov = sub.add_parser(
        "coverage", help="how much of the crisis demand the roster covered",
        description="Demand is the in-scope calls received in the period; a call is covered "
                    "when a shift with the unit's staff on it was running when it came in.")
    _period(cov, f"default: {COVERAGE_DAYS - 1} days before --to",
            "default: today")
    cov.add_argument("--json", action="store_true",
                     help="print a JSON object: demand_calls, demand_covered_share, "
                          "staffed_hours, after_hours_hours, uncovered_hours and more")


def _period(parser: argparse.ArgumentParser, first: str, last: str) -> None:
    parser.add_argument("--from", dest="first", metavar="YYYY-MM-DD", type=_day,
                        help=f"first day ({first})")
    parser.add_argument("--to", dest="last", metavar="YYYY-MM-DD", type=_day,
                        help=f"last day, included ({last})")


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write YYYY-MM-DD") from None


def cmd_roster(args: argparse.Namespace) -> int:
    return int(ROSTER_ACTIONS[args.roster_command](args))


def cmd_roster_check(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.services.schedule.roster_service import check_roster

    first = args.first or dt.date.today()
    last = args.last or first + dt.timedelta(days=CHECK_DAYS - 1)
    opened = open_access(args)
    try:
        breaches = check_roster(opened.access, first, last)
    finally:
        opened.db.dispose()
    if args.json:
        print(json.dumps([{"rule": b.rule, "staff": b.staff, "shift": b.shift,
                           "explanation": b.explanation} for b in breaches], indent=2))
    elif breaches:
        print(f"{len(breaches)} breach{'es' if len(breaches) != 1 else ''} of the roster "
              f"rules, {first} to {last}:")
        for b in breaches:
            print(f"{b.rule:<17} {b.explanation}")
    else:
        print(f"The roster from {first} to {last} keeps every rule.")
    return 1 if breaches else 0


def cmd_coverage(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.services.schedule.coverage import coverage

    last = args.last or dt.date.today()
    first = args.first or last - dt.timedelta(days=COVERAGE_DAYS - 1)
    opened = open_access(args)
    try:
        c = coverage(opened.access, first, last)
    finally:
        opened.db.dispose()
    if args.json:
        print(json.dumps(_as_json(c), indent=2))
        return 0
    share = "n/a" if c.demand_covered_share is None else f"{c.demand_covered_share:.1%}"
    print(f"Coverage {c.first} to {c.last}: {c.demand_calls} in-scope calls, "
          f"{c.covered_calls} received while the unit was on shift ({share}).")
    print(f"Staffed co-responder hours: {c.staffed_hours:g}, of them after hours: "
          f"{c.after_hours_hours:g}.")
    if c.uncovered_hours:
        print("Hours of highest uncovered demand: " + ", ".join(
            f"{u.label} ({u.calls})" for u in c.uncovered_hours) + ".")
    return 0


def _as_json(c: Any) -> dict[str, Any]:
    share = c.demand_covered_share
    return {
        "from": c.first.isoformat(), "to": c.last.isoformat(),
        "demand_calls": c.demand_calls, "covered_calls": c.covered_calls,
        "demand_covered_share": None if share is None else round(share, 4),
        "staffed_hours": round(c.staffed_hours, 2),
        "after_hours_hours": round(c.after_hours_hours, 2),
        "uncovered_hours": [{"weekday": u.label[:3], "hour": u.hour, "calls": u.calls}
                            for u in c.uncovered_hours],
    }


def cmd_roster_rules(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.data.enums import StaffRole
    from console.errors import UserError
    from console.services.schedule import settings
    from console.services.settings_service import get_int

    names = {s.key.removeprefix("roster_"): s for s in settings.RULE_SETTINGS}
    changes = []
    for text in args.set:
        name, _, value = text.partition("=")
        if name not in names or not value.strip().lstrip("-").isdigit():
            raise UserError(f"--set {text!r}: write NAME=WHOLE_NUMBER, NAME one of "
                            f"{', '.join(names)}")
        changes.append((names[name], int(value)))
    band = None
    if args.add_minimum:
        start, end, role, n = args.add_minimum
        try:
            band = (int(start), int(end), StaffRole(role), int(n))
        except ValueError:
            raise UserError(f"--add-minimum {' '.join(args.add_minimum)}: write START END ROLE "
                            f"N, ROLE one of {', '.join(r.value for r in StaffRole)}") from None
    opened = open_access(args)
    try:
        for setting, value in changes:
            settings.set_rule_value(opened.access, setting, value)
        if band is not None:
            settings.add_minimum(opened.access, *band)
        if args.remove_minimum is not None:
            settings.remove_minimum(opened.access, args.remove_minimum)
        values = {name: get_int(opened.access, s) for name, s in names.items()}
        bands = settings.minimums(opened.access)
    finally:
        opened.db.dispose()
    if args.json:
        print(json.dumps({**values, "minimums": [
            {"id": i, "start_hour": a, "end_hour": b, "role": r.value, "minimum": m}
            for i, a, b, r, m in bands]}, indent=2))
    else:
        for name, s in names.items():
            print(f"{name:<20} {values[name]:>4}  {s.label}")
        for i, a, b, r, m in bands:
            print(f"minimum {i:<12} {m:>4}  {r.label} on shift {a:02d}:00-{b % 24:02d}:00")
    return 0


def _next_monday() -> dt.date:
    """The first day of next week: what suggestions and generated shifts default to."""
    today = dt.date.today()
    return today + dt.timedelta(days=7 - today.weekday())


def cmd_roster_suggest(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.services.schedule.optimizer import suggest_moves

    first = args.first or _next_monday()
    last = args.last or first + dt.timedelta(days=6)
    opened = open_access(args)
    try:
        moves = suggest_moves(opened.access, first, last)
    finally:
        opened.db.dispose()
    if args.json:
        print(json.dumps([{"shift_id": m.shift_id, "from": m.starts_at.isoformat(),
                           "to": m.new_starts_at.isoformat(), "gain": round(m.gain, 4),
                           "suggestion": m.sentence} for m in moves], indent=2))
    elif moves:
        for m in moves:
            print(m.sentence[0].upper() + m.sentence[1:])
    else:
        print(f"No move of a shift from {first} to {last} covers more demand under the rules.")
    return 0


def cmd_roster_export(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.errors import UserError
    from console.services.schedule.export import export_pdf, export_xlsx

    first = args.first or dt.date.today()
    last = args.last or first + dt.timedelta(days=CHECK_DAYS - 1)
    suffix = args.file.suffix.lower()
    if suffix not in (".xlsx", ".pdf"):
        raise UserError(f"roster export {args.file}: name an .xlsx or a .pdf file")
    opened = open_access(args)
    try:
        if suffix == ".pdf":
            pages = export_pdf(opened.access, first, last, args.file)
        else:
            rows = export_xlsx(opened.access, first, last, args.file)
    finally:
        opened.db.dispose()
    if suffix == ".pdf":
        print(f"{pages} week{'s' * (pages != 1)} from {first} to {last} written to "
              f"{args.file}")
    else:
        print(f"{rows} roster row{'s' * (rows != 1)} from {first} to {last} written to "
              f"{args.file}")
    return 0


def cmd_roster_calendars(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.services.schedule.calendar_files import export_ics

    first = args.first or dt.date.today()
    last = args.last or first + dt.timedelta(days=CHECK_DAYS - 1)
    opened = open_access(args)
    try:
        files = export_ics(opened.access, first, last, args.folder)
    finally:
        opened.db.dispose()
    print(f"{len(files)} calendar file{'s' * (len(files) != 1)} written to {args.folder}")
    return 0


def cmd_roster_trade(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from console.cli import open_access
    from console.data.models import StaffMember
    from console.errors import UserError
    from console.services.access import Action
    from console.services.schedule import trades

    wanted = {"request": 3, "approve": 1, "refuse": 1, None: 0}[args.action]
    if len(args.values) != wanted or not all(v.strip() for v in args.values):
        raise UserError("roster trade: request SHIFT_ID FROM_BADGE TO_BADGE, approve ID or "
                        "refuse ID")
    today = dt.date.today()
    opened = open_access(args)
    try:
        access = opened.access
        if args.action == "request":
            shift, giver, taker = args.values
            with access.reading(Action.VIEW_STAFF) as s:
                ids = dict(s.execute(select(StaffMember.staff_key, StaffMember.id)
                                     .where(StaffMember.staff_key.in_([giver, taker])))
                           .tuples().all())
            missing = [b for b in (giver, taker) if b not in ids]
            if missing or not shift.isdigit():
                raise UserError(f"roster trade: no staff member with badge {missing[0]!r}"
                                if missing else f"roster trade: {shift!r} is not a shift id")
            number = trades.request_trade(access, int(shift), ids[giver], ids[taker], today)
            print(f"trade {number} requested")
        elif args.action in ("approve", "refuse"):
            if not args.values[0].isdigit():
                raise UserError(f"roster trade: {args.values[0]!r} is not a trade id")
            decide = trades.approve_trade if args.action == "approve" else trades.refuse_trade
            decide(access, int(args.values[0]), today)
            print(f"trade {args.values[0]} {args.action}d")
        else:
            for t in trades.trades(access):
                print(f"{t.id:>4}  shift {t.shift_id}: {t.from_name} to {t.to_name}  "
                      f"{t.status.label}")
    finally:
        opened.db.dispose()
    return 0


def cmd_roster_publish(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.services.schedule.versions import publish

    first = args.first or dt.date.today()
    last = args.last or first + dt.timedelta(days=CHECK_DAYS - 1)
    opened = open_access(args)
    try:
        number = publish(opened.access, first, last, dt.datetime.now())
    finally:
        opened.db.dispose()
    print(f"published the roster from {first} to {last} as version {number}")
    return 0


def cmd_roster_versions(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.services.schedule.versions import versions

    opened = open_access(args)
    try:
        rows = versions(opened.access)
    finally:
        opened.db.dispose()
    if args.json:
        print(json.dumps([{"number": v.number, "from": v.first.isoformat(),
                           "to": v.last.isoformat(), "published_by": v.published_by,
                           "published_at": v.published_at.isoformat(),
                           "assignments": v.assignments} for v in rows], indent=2))
        return 0
    for v in rows:
        print(f"{v.number:>4}  {v.first} to {v.last}  {v.assignments} assignments, published "
              f"by {v.published_by} on {v.published_at:%Y-%m-%d %H:%M}")
    if not rows:
        print("no roster has been published yet")
    return 0


def cmd_roster_diff(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.services.schedule.versions import differences

    opened = open_access(args)
    try:
        lines = differences(opened.access, args.a, args.b)
    finally:
        opened.db.dispose()
    print("\n".join(lines) if lines else f"versions {args.a} and {args.b} are the same")
    return 0


def cmd_roster_template(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.errors import UserError
    from console.services.schedule import templates

    if args.spec and len(args.spec) != 4:
        raise UserError("roster template: give NAME START HOURS DAYS, e.g. Late 14:00 8 "
                        "xxxxx--")
    opened = open_access(args)
    try:
        if args.spec:
            name, start, hours, days = args.spec
            try:
                at, length = dt.time.fromisoformat(start), float(hours)
            except ValueError:
                raise UserError(f"roster template: {start!r} {hours!r} is not a start time "
                                "(HH:MM) and a length in hours") from None
            templates.add_template(opened.access, name, at, length, days,
                                   tuple(args.requires))
        rows = templates.templates(opened.access)
    finally:
        opened.db.dispose()
    for t in rows:
        needs = f"  needs {', '.join(t.requires)}" if t.requires else ""
        print(f"{t.label:<12} {t.start:%H:%M} {t.hours:g} h  {t.days}{needs}")
    if not rows:
        print("no shift templates yet")
    return 0


def cmd_roster_generate(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.services.schedule.templates import generate

    first = args.first or _next_monday()
    last = args.last or first + dt.timedelta(days=27)
    opened = open_access(args)
    try:
        added = generate(opened.access, first, last)
    finally:
        opened.db.dispose()
    print(f"{added} open shift{'s' * (added != 1)} added from {first} to {last}")
    return 0


def cmd_roster_import(args: argparse.Namespace) -> int:
    """The importer's own command, its kind the roster (one importer, not two)."""
    from console.import_cli import cmd_import

    return cmd_import(args)


ROSTER_ACTIONS = {"check": cmd_roster_check, "import": cmd_roster_import,
                  "rules": cmd_roster_rules, "suggest": cmd_roster_suggest,
                  "export": cmd_roster_export, "publish": cmd_roster_publish,
                  "versions": cmd_roster_versions, "diff": cmd_roster_diff,
                  "template": cmd_roster_template, "generate": cmd_roster_generate,
                  "calendars": cmd_roster_calendars, "trade": cmd_roster_trade}
HANDLERS = {"roster": cmd_roster, "coverage": cmd_coverage}
