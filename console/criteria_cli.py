"""Subcommand criteria: the activation criteria's versions, their sheet, and new versions.

  criteria list | show [VERSION] | export OUT.pdf [--version VERSION] | propose
  criteria preview FILE.csv --name NAME --effective DATE
  criteria apply FILE.csv --name NAME --effective DATE --approved-by WHO --policy REF

FILE.csv holds one call type a row: call type, in or out, reason (a header row is
optional). Call types of the version in force that the file leaves out are carried over
unchanged: the file says what changes. `apply` approves the version and re-classifies
the calls from its date on, at once; `preview` says how many calls it would change.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from console.errors import UserError

if TYPE_CHECKING:
    from console.services.access import Access
    from console.services.criteria.reclassify import ScopeChange
    from console.services.criteria.versions import CriteriaVersionRow, EntrySpec, VersionSpec

IN_WORDS = {"in": True, "yes": True, "y": True, "true": True, "1": True, "in scope": True,
            "out": False, "no": False, "n": False, "false": False, "0": False,
            "out of scope": False}


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    criteria = sub.add_parser(
        "criteria", help="the activation criteria: versions, the printable sheet, changes",
        description="The call types in and out of the unit's scope, by version.")
    csub = criteria.add_subparsers(dest="criteria_command", metavar="ACTION", required=True)
    listing = csub.add_parser("list", help="the versions, oldest first")
    listing.add_argument("--json", action="store_true", help="print JSON")
    show = csub.add_parser("show", help="one version's call types and reasons")
    show.add_argument("version", nargs="?", metavar="VERSION",
                      help="name or id (default: the version in force today)")
    show.add_argument("--json", action="store_true", help="print JSON")
    export = csub.add_parser("export", help="write the one-page sheet for dispatch and "
                                            "patrol (PDF)")
    export.add_argument("file", type=Path, metavar="OUT.pdf")
    export.add_argument("--version", metavar="VERSION",
                        help="name or id (default: the version in force today)")
    propose = csub.add_parser(
        "propose", help="call types on calls the criteria do not list yet, with the import "
                        "map's suggestion")
    propose.add_argument("--json", action="store_true", help="print JSON")
    for name, text in (("preview", "how many calls a new version would re-classify"),
                       ("apply", "approve a new version and re-classify the calls from its "
                                 "date on")):
        cmd = csub.add_parser(name, help=text)
        cmd.add_argument("file", type=Path, metavar="FILE.csv",
                         help="call type, in|out, reason per row")
        cmd.add_argument("--name", required=True, help="the version's name")
        cmd.add_argument("--effective", required=True, metavar="DATE",
                         help="in force from this day (YYYY-MM-DD)")
        cmd.add_argument("--approved-by", default="", metavar="WHO")
        cmd.add_argument("--approved-on", metavar="DATE", help="default: today")
        cmd.add_argument("--policy", default="", metavar="REF", help="the policy reference")
        cmd.add_argument("--notes", default="")
        cmd.add_argument("--json", action="store_true", help="print JSON")


def cmd_criteria(args: argparse.Namespace) -> int:
    from console.cli import open_access

    handler = {"list": _list, "show": _show, "export": _export, "propose": _propose,
               "preview": _preview, "apply": _apply}[args.criteria_command]
    opened = open_access(args)
    try:
        handler(opened.access, args)
    finally:
        opened.db.dispose()
    return 0


def _print(data: Any, text: list[str], as_json: bool) -> None:
    if as_json:
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
        print()
    else:
        print("\n".join(text))


def version_dict(v: CriteriaVersionRow, *, entries: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": v.id, "name": v.name, "effective_on": v.effective_on.isoformat(),
        "status": v.status.lower(), "approved_by": v.approved_by,
        "approved_on": v.approved_on.isoformat() if v.approved_on else None,
        "policy_reference": v.policy_reference, "notes": v.notes,
        "applied_at": v.applied_at.isoformat(" ") if v.applied_at else None,
        "in_scope": len(v.in_scope_types), "out_of_scope": len(v.out_of_scope_types)}
    if entries:
        out["entries"] = [{"call_type": e.call_type, "scope": "in" if e.in_scope else "out",
                           "reason": e.reason} for e in v.entries]
    return out


def _list(access: Access, args: argparse.Namespace) -> None:
    from console.services.criteria.versions import in_force, list_versions
    from console.trust_cli import printable

    versions = list_versions(access)
    now = in_force(versions, dt.date.today())
    text = [f"{'*' if v == now else ' '} {v.id:>3}  {v.effective_on:%Y-%m-%d}  "
            f"{v.status:<8}  {len(v.in_scope_types):>3} in {len(v.out_of_scope_types):>3} out"
            f"  {printable(v.name)}" for v in versions] or ["no criteria versions yet"]
    if versions:
        text.append("* in force today")
    _print([version_dict(v, entries=False) | {"in_force": v == now} for v in versions],
           text, args.json)


def _show(access: Access, args: argparse.Namespace) -> None:
    from console.services.criteria.versions import find_version, list_versions
    from console.trust_cli import printable

    v = find_version(list_versions(access), args.version, dt.date.today())
    text = [f"{printable(v.name)} ({v.status.lower()}), in force from "
            f"{v.effective_on:%Y-%m-%d}",
            f"approved by {printable(v.approved_by) or '—'}"
            f"{f' on {v.approved_on:%Y-%m-%d}' if v.approved_on else ''}; policy "
            f"{printable(v.policy_reference) or '—'}"]
    for label, entries in (("in scope", v.in_scope_types), ("out of scope", v.out_of_scope_types)):
        text.append(f"{label} ({len(entries)}):")
        text += [f"  {printable(e.call_type)}{f' — {printable(e.reason)}' if e.reason else ''}"
                 for e in entries]
    if v.notes:
        text.append(f"notes: {printable(v.notes)}")
    _print(version_dict(v), text, args.json)


def _export(access: Access, args: argparse.Namespace) -> None:
    from console.services.criteria.sheet import export_sheet

    v = export_sheet(access, args.file, args.version)
    print(f"criteria sheet of {v.name!r} written to {args.file}")


def _propose(access: Access, args: argparse.Namespace) -> None:
    from console.services.criteria.propose import propose
    from console.trust_cli import printable

    found = propose(access)
    text = [f"{p.calls:>7,}  {'in ' if p.suggested else 'out'}  {printable(p.call_type)}  "
            f"(suggested by the {p.source})" for p in found] or [
        "every call type on the calls is in the criteria"]
    _print([p.as_dict() for p in found], text, args.json)


def read_entries(path: Path) -> tuple[EntrySpec, ...]:
    """call type, in|out, reason per row of a CSV; a first row whose second cell is not
    in/out is a header. One-line UserError naming the row otherwise."""
    from console.services.criteria.versions import EntrySpec

    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            rows = [r for r in csv.reader(f) if any(c.strip() for c in r)]
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UserError(f"{path.name} is not UTF-8 text: save it as CSV UTF-8") from None
    if rows and (len(rows[0]) < 2 or rows[0][1].strip().casefold() not in IN_WORDS):
        rows = rows[1:]
    out: list[EntrySpec] = []
    for n, r in enumerate(rows, start=1):
        scope = IN_WORDS.get(r[1].strip().casefold()) if len(r) > 1 else None
        if scope is None:
            raise UserError(f"{path.name}, call type row {n}: say in or out in the second "
                            f"column (found {r[1] if len(r) > 1 else 'nothing'!r})")
        out.append(EntrySpec(r[0], scope, r[2] if len(r) > 2 else ""))
    return tuple(out)


def _spec(access: Access, args: argparse.Namespace) -> tuple[VersionSpec, int]:
    from console.services.criteria.versions import (
        VersionSpec,
        latest_applied,
        list_versions,
        with_carry_over,
    )

    spec = VersionSpec(args.name, _date(args.effective, "--effective"),
                       read_entries(args.file), approved_by=args.approved_by,
                       approved_on=_date(args.approved_on, "--approved-on")
                       if args.approved_on else None,
                       policy_reference=args.policy, notes=args.notes)
    return with_carry_over(spec, latest_applied(list_versions(access)))


def _change(change: ScopeChange, carried: int, as_json: bool) -> None:
    text = [change.summary()]
    if carried:
        text.append(f"{carried} call type(s) carried over unchanged from the version before")
    text += [f"  {c.calls:>7,}  {c.call_type}: "
             f"{'unknown' if c.before is None else 'in' if c.before else 'out'} → "
             f"{'in' if c.after else 'out'}" for c in change.by_type]
    _print(change.as_dict() | {"carried_over": carried}, text, as_json)


def _preview(access: Access, args: argparse.Namespace) -> None:
    from console.services.criteria.reclassify import preview_spec

    spec, carried = _spec(access, args)
    _change(preview_spec(access, spec), carried, args.json)


def _apply(access: Access, args: argparse.Namespace) -> None:
    from console.services.criteria.reclassify import apply_spec

    spec, carried = _spec(access, args)
    _change(apply_spec(access, spec), carried, args.json)


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{option} {text}: give a date as YYYY-MM-DD") from None


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {"criteria": cmd_criteria}
