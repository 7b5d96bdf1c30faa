"""Subcommands import-calls, import-events and profiles (see `import-calls --help`).

import-events reads a list of program events (briefings, ride-alongs, trainings, office
moves...) through the same importer, options and exit status as import-calls.

Exit status of import-calls: 0 when every row was imported (or was already there),
1 when rows were rejected (with --all-or-nothing nothing was written; otherwise the
good rows were), 2 for a user error (a file that cannot be read, a mapping that does
not fit it; nothing was changed), 130 when interrupted (nothing was changed).

FILE "-" reads the export from standard input: it is copied to a private temporary
file (removed afterwards) and read like any other; a terminal is refused. A named pipe
given by its path is refused at once, never waited on.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from console import APP_ID
from console.data.importers.fields import (
    CALL_TYPE_FIELDS,
    CALLS,
    PROGRAM_EVENTS,
    REFERRALS,
    ROSTER,
    DateOrder,
    FieldKind,
    ImportKind,
)
from console.errors import UserError
from console.private_files import open_private

if TYPE_CHECKING:
    from console.data.importers.fields import Mapping
    from console.services.access import Access
    from console.services.import_service import ImportResult, Survey

EXIT_REJECTED = 1
SHOWN_REJECTS = 10
STDIN = "-"
STDIN_NAME = "standard input"  # the spooled copy's name: what messages call it
DATE_ORDERS = {"day-first": "day_first", "month-first": "month_first"}


# The subcommand of each import kind.
COMMANDS = {"import-calls": CALLS, "import-events": PROGRAM_EVENTS, "roster": ROSTER,
            "referrals": REFERRALS}


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imp = sub.add_parser(
        "import-calls", help="import calls from a CAD or records-system export (CSV, XLSX)",
        description="Import calls from a CAD or records-system export. Without --profile or "
                    "--mapping the suggested mapping is used. Exit status: 0 every row "
                    "imported, 1 rows rejected, 2 nothing imported (a user error).")
    _add_import_options(imp, CALLS)
    imp.add_argument("--agency", metavar="NAME",
                     help="the program's agency that issued the calls (default: its lead "
                          "police or sheriff agency)")
    events = sub.add_parser(
        "import-events", help="import program events (briefings, ride-alongs, trainings, "
                              "office moves...) from a list (CSV, XLSX)",
        description="Import program events: date, kind, title and notes per row, keyed by "
                    "(date, kind, title) so a second import of the same list adds nothing. "
                    "Without --profile or --mapping the suggested mapping is used. Exit "
                    "status: 0 every row imported, 1 rows rejected, 2 nothing imported.")
    _add_import_options(events, PROGRAM_EVENTS)
    _add_profile_parsers(sub)


def _add_import_options(imp: argparse.ArgumentParser, kind: ImportKind) -> None:
    imp.add_argument("file", type=Path, metavar="FILE",
                     help="the list (CSV or XLSX); - reads it from standard input")
    how = imp.add_mutually_exclusive_group()
    how.add_argument("--profile", metavar="NAME", help="use the saved import profile NAME")
    how.add_argument("--mapping", type=Path, metavar="FILE.json",
                     help="use the mapping in this JSON file (e.g. from `profiles export`)")
    imp.add_argument("--sheet", metavar="NAME|NUMBER",
                     help="the worksheet of a workbook to read, by name or number from 1 "
                          f"(default: the sheet that looks like {kind.plural})")
    imp.add_argument("--date-order", choices=tuple(DATE_ORDERS), metavar="day-first|month-first",
                     help="how to read dates such as 11/04/2023 (overrides the mapping; "
                          "default: as the file's dates decide)")
    imp.add_argument("--all-or-nothing", action="store_true",
                     help="write nothing if any row is rejected")
    imp.add_argument("--dry-run", action="store_true",
                     help="validate and count without writing anything")
    imp.add_argument("--report", type=Path, metavar="REJECTS.csv",
                     help="write the rejected rows (row, column, value, reason) to this CSV")
    imp.add_argument("--save-profile", metavar="NAME",
                     help="save the mapping used as the import profile NAME")
    imp.add_argument("--json", action="store_true", help="print one JSON object")


def _add_profile_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    profiles = sub.add_parser("profiles", help="list, export, import or delete import profiles")
    psub = profiles.add_subparsers(dest="profiles_command", metavar="ACTION", required=True)
    show = psub.add_parser("list", help="list the saved import profiles")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    export = psub.add_parser("export", help="write the profile NAME to a JSON file")
    export.add_argument("name", metavar="NAME")
    export.add_argument("file", type=Path, metavar="FILE.json")
    load = psub.add_parser("import", help="save the mapping of a JSON file as a profile")
    load.add_argument("file", type=Path, metavar="FILE.json")
    load.add_argument("--name", help="the profile's name (default: the name in the file)")
    delete = psub.add_parser("delete", help="delete the profile NAME")
    delete.add_argument("name", metavar="NAME")


def cmd_import(args: argparse.Namespace) -> int:
    """import-calls and import-events: the kind is the subcommand's."""
    from console.services import import_service, profiles_service

    kind = COMMANDS[args.command]
    if args.dry_run and args.save_profile:
        raise UserError("--save-profile with --dry-run: a dry run writes nothing; "
                        "save the profile with the real import")
    if args.report is not None:
        import_service.check_report_path(args.report)  # before anything is imported
    profile_name: str | None = None
    mapping: Mapping | None = None
    if args.mapping is not None:
        loaded = profiles_service.read_mapping_file(args.mapping)
        mapping, profile_name = loaded.mapping, loaded.name
        if mapping.kind != kind.name:
            raise UserError(f"{args.mapping}: this mapping is for "
                            f"{mapping.import_kind.plural}, not {kind.plural}")
    with _input_file(args.file, args.command) as path:
        return _import(args, kind, path, mapping, profile_name)


def _import(args: argparse.Namespace, kind: ImportKind, path: Path, mapping: Mapping | None,
            profile_name: str | None) -> int:
    from console.cli import open_access
    from console.services import import_service, profiles_service
    from console.services.importing.cells import AmbiguousDateOrder
    from console.services.importing.codes import savable_mapping

    show = sys.stderr.isatty() and not args.json
    opened = open_access(args)
    try:
        access = opened.access
        if args.profile is not None:
            found = profiles_service.find_profile(access, args.profile, kind)
            mapping, profile_name = found.mapping, found.name
        survey: Survey | None = None  # read when the mapping is the suggested one
        if mapping is None:
            survey = import_service.survey_file(path, sheet=args.sheet, kind=kind,
                                                progress=_progress if show else None)
            mapping = survey.suggested
            _end_progress(show)
        if args.date_order is not None:
            mapping = replace(mapping, date_order=DateOrder(DATE_ORDERS[args.date_order]))
        elif survey is not None:
            _refuse_date_conflict(survey, mapping)
        try:
            result = import_service.import_file(
                access, path, mapping, agency=args.agency if kind.per_agency else None,
                sheet=survey.sheet if survey is not None else args.sheet,
                all_or_nothing=args.all_or_nothing, dry_run=args.dry_run,
                profile_name=args.save_profile or profile_name,
                progress=_progress if show else None)
        except AmbiguousDateOrder as exc:
            _end_progress(show)
            if survey is None:  # a saved mapping without an order: do the dates clash?
                _refuse_date_conflict(
                    import_service.survey_file(path, sheet=args.sheet, kind=kind), mapping)
            raise UserError(f"{exc} (--date-order day-first|month-first)") from None
        _end_progress(show)
        report_error = None
        if args.report is not None:
            try:
                import_service.write_rejects_csv(result.rejects, args.report)
            except UserError as exc:  # the import stands: say so, and what it did
                report_error = str(exc)
        saved = None
        if args.save_profile and result.committed:
            # A suggestion's rare code values (a name typed into a code column?) are not
            # kept: nobody confirmed them (a profile's or a mapping file's decisions are).
            kept = mapping if survey is None else savable_mapping(mapping, survey)
            saved = profiles_service.save_profile(access, args.save_profile, kept).name
    finally:
        opened.db.dispose()
    _print_result(result, args, saved, report_error)
    if report_error is not None:
        print(f"{APP_ID}: the import stands, but the rejects report was not written: "
              f"{report_error}", file=sys.stderr)
    return EXIT_REJECTED if result.counts.rejected else 0


def _refuse_date_conflict(survey: Survey, mapping: Mapping) -> None:
    """A UserError when the mapped date columns read only day first in one place and only
    month first in another (and the mapping does not choose): no order reads them all."""
    if mapping.date_order is not None:
        return
    fields = mapping.import_kind.field_by_name
    dated = [column for name, column in mapping.columns.items()
             if fields[name].kind in (FieldKind.DATETIME, FieldKind.DATE)]
    conflict = survey.date_conflict(dated)
    if conflict is not None:
        raise UserError(f"{conflict} (--date-order day-first|month-first)")


@contextlib.contextmanager
def _input_file(path: Path, command: str = "import-calls") -> Iterator[Path]:
    """The export to read: the path itself, or for "-" standard input copied to a
    private temporary file (removed afterwards), so it can be read more than once."""
    if str(path) != STDIN:
        yield path
        return
    stdin = sys.stdin
    if stdin is None or stdin.isatty():
        raise UserError(f"{command} -: standard input is a terminal, not an export; pipe "
                        f"the export in ({command} - < export.csv) or name the file")
    folder = tempfile.mkdtemp(prefix="coresponse-import-")  # readable by its owner only
    try:
        spool = Path(folder) / STDIN_NAME
        with open_private(spool, "xb") as out:
            shutil.copyfileobj(stdin.buffer, out, 1 << 20)
        yield spool
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _print_result(result: ImportResult, args: argparse.Namespace, saved: str | None,
                  report_error: str | None = None) -> None:
    from console.services.import_service import field_label

    counts = result.counts
    warnings = _warnings(result)
    report = args.report if args.report is not None and report_error is None else None
    kind = result.kind
    if args.json:
        out: dict[str, Any] = {
            "kind": kind.name,
            "file": str(args.file) if str(args.file) == STDIN else str(result.path),
            "sha256": result.sha256, "sheet": result.sheet, "sheets": list(result.sheets),
            "mapping": result.mapping.to_json(), "unmapped": list(result.unmapped),
            "counts": counts.as_dict(),
            "committed": result.committed, "dry_run": result.dry_run,
            "program": result.program, "agency": result.agency,
            "created_program": result.created_program, "rows": result.rows,
            **result.added, "profile": result.profile_name,
            "saved_profile": saved, "report": str(report) if report else None,
            "report_error": report_error, "warnings": warnings,
            "not_in_criteria": result.not_in_criteria,
            "rejects": [{"row": r.row, "column": r.column, "value": r.value,
                         "reason": r.reason} for r in result.rejects[:1000]],
        }
        json.dump(out, sys.stdout, ensure_ascii=False)
        print()
        return
    if len(result.sheets) > 1:
        print(f"sheet {result.sheet!r} of {result.path.name} (its sheets: "
              f"{', '.join(repr(name) for name in result.sheets)}; choose with --sheet)")
    print(f"mapping{f' (profile {result.profile_name})' if result.profile_name else ''}:")
    width = max((len(field_label(f, kind)) for f in result.mapping.columns), default=0)
    for name, column in result.mapping.columns.items():
        print(f"  {field_label(name, kind):<{width}}  <- {column}")
    order = result.mapping.date_order
    print(f"  dates read {order.value.replace('_', ' ') if order else 'as they decide'}")
    if result.unmapped:
        print(f"  not used ({len(result.unmapped)} of the file's columns): "
              f"{', '.join(repr(column) for column in result.unmapped)}")
    for warning in warnings:
        print(f"warning: {warning}")
    if result.created_program:
        print(f"the database had no program: {'would create' if result.dry_run else 'created'}"
              f" {result.program!r} with the agency {result.agency!r}; complete it on the "
              "Program page")
    verb = ("dry run, nothing written" if result.dry_run else
            "nothing written (all or nothing)" if not result.committed else "imported")
    would = "would be " if result.dry_run else ""
    into = f"{result.agency} ({result.program})" if result.agency else result.program
    print(f"{result.path.name} into {into}: {verb}: "
          f"{counts.inserted:,} {would}inserted, {counts.updated:,} {would}updated, "
          f"{counts.unchanged:,} unchanged, {counts.rejected:,} rejected")
    officers = result.requesting_officers_added
    if officers:
        print(f"{officers:,} requesting officer{'s' if officers > 1 else ''} not known yet "
              f"{'were' if officers > 1 else 'was'} added as staff records to complete "
              "(badge only)")
    staff = result.added.get("staff_added", 0)
    if staff:
        print(f"{staff:,} staff member{'s' if staff > 1 else ''} not known yet "
              f"{'were' if staff > 1 else 'was'} added as records to complete (badge and name "
              "from the export)")
    if result.not_in_criteria:
        rows = sum(result.not_in_criteria.values())
        print(f"{rows:,} row(s) of {len(result.not_in_criteria)} call type(s) not in the "
              "activation criteria yet took the mapping's scope: "
              f"{', '.join(repr(t) for t in list(result.not_in_criteria)[:6])}"
              f"{' …' if len(result.not_in_criteria) > 6 else ''} (see `criteria propose`)")
    providers = result.added.get("providers_added", 0)
    if providers:
        print(f"{providers:,} provider{'s' if providers > 1 else ''} not known yet "
              f"{'were' if providers > 1 else 'was'} added, not yet vetted (complete them "
              "on the Referrals page)")
    for r in result.rejects[:SHOWN_REJECTS]:
        print(f"  row {r.row}, {r.column} {r.value!r}: {r.reason}")
    if len(result.rejects) > SHOWN_REJECTS:
        more = len(result.rejects) - SHOWN_REJECTS
        where = f"in {report}" if report else "with --report FILE.csv"
        print(f"  … and {more:,} more problems ({'see them' if report else 'list them'}"
              f" {where})")
    elif report:
        print(f"rejected rows written to {report}" if result.rejects else
              f"no row was rejected: {report} holds only its header")
    if saved:
        print(f"mapping saved as the import profile {saved!r}")


def _warnings(result: ImportResult) -> list[str]:
    """What the mapping leaves undecided that the counts do not show (one line each)."""
    if result.kind is not CALLS or result.scope_decided or not result.rows:
        return []
    if not set(CALL_TYPE_FIELDS) & set(result.mapping.columns):
        return ["no call-type column is mapped, so no call is marked in or out of the "
                "unit's scope; map one (--mapping FILE.json, or the import wizard)"]
    return ["the mapping decides no call type in or out of scope, so every call's scope "
            "is unknown; decide them (--mapping FILE.json, or the import wizard)"]


def _progress(done: int, total: int, text: str) -> None:
    pct = 100 * done // total if total else 0
    print(f"\r{text[:60]:<60} {pct:3d}%", end="", file=sys.stderr, flush=True)


def _end_progress(shown: bool) -> None:
    if shown:
        print(file=sys.stderr)


def cmd_profiles(args: argparse.Namespace) -> int:
    from console.cli import open_access

    opened = open_access(args)
    try:
        return _profiles(opened.access, args)
    finally:
        opened.db.dispose()


def _profiles(access: Access, args: argparse.Namespace) -> int:
    from console.services import profiles_service as profiles

    action = args.profiles_command
    if action == "list":
        found = profiles.list_profiles(access)
        if args.json:
            json.dump({"profiles": [{"name": p.name, "kind": p.kind, "fields": p.fields,
                                     "saved_at": p.saved_at.isoformat(),
                                     "saved_by": p.saved_by} for p in found]},
                      sys.stdout, ensure_ascii=False)
            print()
        elif not found:
            print("no import profiles saved yet (import-calls --save-profile NAME saves one)")
        else:
            for p in found:
                print(f"{p.name}\t{p.kind}\t{p.fields} fields\tsaved "
                      f"{p.saved_at:%Y-%m-%d %H:%M} by {p.saved_by}")
    elif action == "export":
        path = profiles.export_profile(access, args.name, args.file)
        print(f"profile {profiles.find_profile(access, args.name).name!r} written to {path}")
    elif action == "import":
        loaded = profiles.read_mapping_file(args.file)
        info = profiles.save_profile(access, args.name or loaded.name, loaded.mapping)
        print(f"profile {info.name!r} saved ({info.fields} fields)")
    elif action == "delete":
        if not profiles.delete_profile(access, args.name):
            raise UserError(f"no import profile named {args.name!r}")
        print(f"profile {profiles.clean_name(args.name)!r} deleted")
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "import-calls": cmd_import, "import-events": cmd_import, "profiles": cmd_profiles,
}
