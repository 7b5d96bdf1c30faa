"""Subcommands import-calls and profiles (see `import-calls --help`).

Exit status of import-calls: 0 when every row was imported (or was already there),
1 when rows were rejected (with --all-or-nothing nothing was written; otherwise the
good rows were), 2 for a user error (a file that cannot be read, a mapping that does
not fit it; nothing was changed), 130 when interrupted (nothing was changed).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from console.errors import UserError

if TYPE_CHECKING:
    from console.data.importers.fields import Mapping
    from console.services.access import Access
    from console.services.import_service import ImportResult, Survey

EXIT_REJECTED = 1
SHOWN_REJECTS = 10


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imp = sub.add_parser(
        "import-calls", help="import calls from a CAD or records-system export (CSV, XLSX)",
        description="Import calls from a CAD or records-system export. Without --profile or "
                    "--mapping the suggested mapping is used. Exit status: 0 every row "
                    "imported, 1 rows rejected, 2 nothing imported (a user error).")
    imp.add_argument("file", type=Path, metavar="FILE", help="the export (CSV or XLSX)")
    how = imp.add_mutually_exclusive_group()
    how.add_argument("--profile", metavar="NAME", help="use the saved import profile NAME")
    how.add_argument("--mapping", type=Path, metavar="FILE.json",
                     help="use the mapping in this JSON file (e.g. from `profiles export`)")
    imp.add_argument("--agency", metavar="NAME",
                     help="the program's agency that issued the calls (default: its lead "
                          "police or sheriff agency)")
    imp.add_argument("--all-or-nothing", action="store_true",
                     help="write nothing if any row is rejected")
    imp.add_argument("--dry-run", action="store_true",
                     help="validate and count without writing anything")
    imp.add_argument("--report", type=Path, metavar="REJECTS.csv",
                     help="write the rejected rows (row, column, value, reason) to this CSV")
    imp.add_argument("--save-profile", metavar="NAME",
                     help="save the mapping used as the import profile NAME")
    imp.add_argument("--json", action="store_true", help="print one JSON object")

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


def cmd_import_calls(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.services import import_service, profiles_service
    from console.services.importing.codes import savable_mapping

    if args.dry_run and args.save_profile:
        raise UserError("--save-profile with --dry-run: a dry run writes nothing; "
                        "save the profile with the real import")
    profile_name: str | None = None
    mapping: Mapping | None = None
    survey: Survey | None = None  # read when the mapping is the suggested one
    if args.mapping is not None:
        loaded = profiles_service.read_mapping_file(args.mapping)
        mapping, profile_name = loaded.mapping, loaded.name
    show = sys.stderr.isatty() and not args.json
    opened = open_access(args)
    try:
        access = opened.access
        if args.profile is not None:
            found = profiles_service.find_profile(access, args.profile)
            mapping, profile_name = found.mapping, found.name
        if mapping is None:
            survey = import_service.survey_file(args.file, progress=_progress if show else None)
            mapping = survey.suggested
            _end_progress(show)
        result = import_service.import_calls(
            access, args.file, mapping, agency=args.agency,
            all_or_nothing=args.all_or_nothing, dry_run=args.dry_run,
            profile_name=args.save_profile or profile_name,
            progress=_progress if show else None)
        _end_progress(show)
        if args.report is not None:
            import_service.write_rejects_csv(result.rejects, args.report)
        saved = None
        if args.save_profile and result.committed:
            # A suggestion's rare code values (a name typed into a code column?) are not
            # kept: nobody confirmed them (a profile's or a mapping file's decisions are).
            kept = mapping if survey is None else savable_mapping(mapping, survey)
            saved = profiles_service.save_profile(access, args.save_profile, kept).name
    finally:
        opened.db.dispose()
    _print_result(result, args, saved)
    return EXIT_REJECTED if result.counts.rejected else 0


def _print_result(result: ImportResult, args: argparse.Namespace, saved: str | None) -> None:
    from console.services.import_service import field_label

    counts = result.counts
    if args.json:
        out: dict[str, Any] = {
            "file": str(result.path), "sha256": result.sha256,
            "mapping": result.mapping.to_json(), "counts": counts.as_dict(),
            "committed": result.committed, "dry_run": result.dry_run,
            "program": result.program, "agency": result.agency,
            "created_program": result.created_program, "rows": result.rows,
            "persons_added": result.persons_added, "profile": result.profile_name,
            "saved_profile": saved, "report": str(args.report) if args.report else None,
            "rejects": [{"row": r.row, "column": r.column, "value": r.value,
                         "reason": r.reason} for r in result.rejects[:1000]],
        }
        json.dump(out, sys.stdout, ensure_ascii=False)
        print()
        return
    print(f"mapping{f' (profile {result.profile_name})' if result.profile_name else ''}:")
    width = max((len(field_label(f)) for f in result.mapping.columns), default=0)
    for name, column in result.mapping.columns.items():
        print(f"  {field_label(name):<{width}}  <- {column}")
    order = result.mapping.date_order
    print(f"  dates read {order.value.replace('_', ' ') if order else 'as they decide'}")
    if result.created_program:
        print(f"the database had no program: {'would create' if result.dry_run else 'created'}"
              f" {result.program!r} with the agency {result.agency!r}; complete it on the "
              "Program page")
    verb = ("dry run, nothing written" if result.dry_run else
            "nothing written (all or nothing)" if not result.committed else "imported")
    would = "would be " if result.dry_run else ""
    print(f"{result.path.name} into {result.agency} ({result.program}): {verb}: "
          f"{counts.inserted:,} {would}inserted, {counts.updated:,} {would}updated, "
          f"{counts.unchanged:,} unchanged, {counts.rejected:,} rejected")
    for r in result.rejects[:SHOWN_REJECTS]:
        print(f"  row {r.row}, {r.column} {r.value!r}: {r.reason}")
    if len(result.rejects) > SHOWN_REJECTS:
        more = len(result.rejects) - SHOWN_REJECTS
        where = f"in {args.report}" if args.report else "with --report FILE.csv"
        print(f"  … and {more:,} more problems ({'see them' if args.report else 'list them'}"
              f" {where})")
    elif args.report:
        print(f"rejected rows written to {args.report}" if result.rejects else
              f"no row was rejected: {args.report} holds only its header")
    if saved:
        print(f"mapping saved as the import profile {saved!r}")


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
            json.dump({"profiles": [{"name": p.name, "fields": p.fields,
                                     "saved_at": p.saved_at.isoformat(),
                                     "saved_by": p.saved_by} for p in found]},
                      sys.stdout, ensure_ascii=False)
            print()
        elif not found:
            print("no import profiles saved yet (import-calls --save-profile NAME saves one)")
        else:
            for p in found:
                print(f"{p.name}\t{p.fields} fields\tsaved {p.saved_at:%Y-%m-%d %H:%M} "
                      f"by {p.saved_by}")
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
    "import-calls": cmd_import_calls, "profiles": cmd_profiles,
}
