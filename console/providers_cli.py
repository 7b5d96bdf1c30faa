"""Subcommand providers: the provider scorecard for a period, and the network's list.

`providers [--from DATE] [--to DATE] [--json]` prints the scorecard (counts, never a
person); `providers list`, `providers add NAME` and `providers retire NAME` keep the
network. Exit status 0, 2 for a user error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from console.services.referrals.providers import ProviderRow
    from console.services.referrals.scorecard import Scorecard, ScoreLine


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser(
        "providers", help="the provider scorecard for a period, or list/add/retire providers",
        description="Print the provider scorecard: per provider (ranked) and for the whole "
                    "network, referrals, warm-handoff share, share reached, after-hours "
                    "share answered, median hours from call to first service, acceptance, "
                    "no-shows, and a flag for a provider that stopped answering after hours.")
    cmd.add_argument("--from", dest="start", metavar="YYYY-MM-DD", type=_day,
                     help="referrals made on or after this day (default: the first)")
    cmd.add_argument("--to", dest="end", metavar="YYYY-MM-DD", type=_day,
                     help="referrals made on or before this day (default: the last)")
    cmd.add_argument("--json", action="store_true", help="print JSON instead of text")
    psub = cmd.add_subparsers(dest="providers_command", metavar="ACTION")
    listing = psub.add_parser("list", help="list the providers (retired ones too)")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    add = psub.add_parser("add", help="add a provider (not yet vetted)")
    add.add_argument("name")
    add.add_argument("--services", default="",
                     help="services separated by commas, e.g. detox,peer_support")
    add.add_argument("--after-hours", action="store_true",
                     help="the provider says it answers after hours")
    retire = psub.add_parser("retire", help="retire a provider (its history is kept)")
    retire.add_argument("name")


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write YYYY-MM-DD") from None


def cmd_providers(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.services.referrals import providers, scorecard

    opened = open_access(args)
    try:
        access = opened.access
        action = args.providers_command
        if action == "list":
            rows = providers.list_providers(access)
            _print_list(rows, args.json)
        elif action == "add":
            edit = providers.ProviderEdit(args.name, providers.parse_services(args.services),
                                          after_hours=args.after_hours)
            providers.add_provider(access, edit)
            print(f"provider {args.name.strip()!r} added (not yet vetted)")
        elif action == "retire":
            row = providers.find_provider(access, args.name)
            providers.retire_provider(access, row.id)
            print(f"provider {row.name!r} retired; its {row.referrals} referrals stay on the "
                  "scorecard")
        else:
            card = scorecard.provider_scorecard(access, args.start, args.end)
            if args.json:
                json.dump(scorecard_json(card), sys.stdout, indent=2)
                print()
            else:
                _print_card(card)
    finally:
        opened.db.dispose()
    return 0


def scorecard_json(card: Scorecard) -> dict[str, Any]:
    return {
        "from": card.start.isoformat() if card.start else None,
        "to": card.end.isoformat() if card.end else None,
        "recent_from": card.recent_from.isoformat() if card.recent_from else None,
        "providers": [_line_json(line) for line in card.providers],
        "network": _line_json(card.network),
    }


def _line_json(line: ScoreLine) -> dict[str, Any]:
    c = line.counts
    return {
        "id": line.provider_id,
        "name": line.name,
        "rank": line.rank,
        "referrals": c.referrals,
        "warm_share": _round(c.warm_share),
        "reached_share": _round(c.reached_share),
        "after_hours_referrals": c.after_hours,
        "after_hours_answered_share": _round(c.after_hours_answered_share),
        "median_hours_to_service": _round(c.median_hours_to_service),
        "with_first_service": c.with_service,
        "acceptance_share": _round(c.acceptance_share),
        "no_show_share": _round(c.no_show_share),
        "flagged": line.flagged,
        "flag_reason": line.flag_reason or None,
        "retired": line.retired,
        "trend": [{"month": f"{p.month:%Y-%m}", "referrals": p.counts.referrals,
                   "warm_share": _round(p.counts.warm_share),
                   "reached_share": _round(p.counts.reached_share),
                   "after_hours_answered_share": _round(p.counts.after_hours_answered_share)}
                  for p in line.trend],
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _print_card(card: Scorecard) -> None:
    lines = [*card.providers, card.network]
    width = max(len(line.name) for line in lines)
    print(f"{'rank':>4}  {'provider':<{width}}  {'referrals':>9}  {'warm':>5}  "
          f"{'reached':>7}  {'after-h':>7}  {'median h':>8}  flag")
    for line in lines:
        c = line.counts
        hours = "—" if c.median_hours_to_service is None else f"{c.median_hours_to_service:.1f}"
        rank = "" if line.rank is None else str(line.rank)
        flag = f"FLAGGED: {line.flag_reason}" if line.flagged else ""
        print(f"{rank:>4}  {line.name:<{width}}  {c.referrals:>9}  {_pct(c.warm_share):>5}  "
              f"{_pct(c.reached_share):>7}  {_pct(c.after_hours_answered_share):>7}  "
              f"{hours:>8}  {flag}".rstrip())


def _print_list(rows: list[ProviderRow], as_json: bool) -> None:
    if as_json:
        json.dump([{"id": r.id, "name": r.name, "services": [s.value for s in r.services],
                    "after_hours": r.after_hours, "vetting": r.vetting.value,
                    "vetted_on": r.vetted_on.isoformat() if r.vetted_on else None,
                    "mou_renewal_due": (r.mou_renewal_due.isoformat()
                                        if r.mou_renewal_due else None),
                    "renewal_due": r.renewal_due,
                    "retired_on": r.retired_on.isoformat() if r.retired_on else None,
                    "referrals": r.referrals} for r in rows], sys.stdout, indent=2)
        print()
        return
    for r in rows:
        state = f"retired {r.retired_on:%Y-%m-%d}" if r.retired_on else r.vetting.label
        print(f"{r.name}  [{state}]  {r.referrals} referrals  {r.services_text}")


HANDLERS = {"providers": cmd_providers}
