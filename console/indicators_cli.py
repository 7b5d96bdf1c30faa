"""Subcommand indicators: every early-warning indicator as of a day.

Exit status 0 whatever the severities (a warning is news, not a failure of the
command); 2 for a user error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from console.errors import UserError


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ind = sub.add_parser(
        "indicators", help="evaluate the early-warning indicators as of a day",
        description="Evaluate every early-warning indicator as of a day (default today), "
                    "worst first.")
    ind.add_argument("--as-of", metavar="YYYY-MM-DD", type=_day,
                     help="judge the data as it stood on this day (default: today)")
    ind.add_argument("--json", action="store_true",
                     help="print a JSON list: id, severity, value, baseline, explanation, "
                          "flagged_since and more")


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write YYYY-MM-DD") from None


def cmd_indicators(args: argparse.Namespace) -> int:
    from console.cli import open_access
    from console.services.indicators.engine import evaluate_all

    opened = open_access(args)
    try:
        evaluations = evaluate_all(opened.access, args.as_of)
    finally:
        opened.db.dispose()
    if not evaluations:
        raise UserError("no indicators to evaluate")
    if args.json:
        print(json.dumps([_as_json(e) for e in evaluations], indent=2))
        return 0
    width = max(len(e.title) for e in evaluations)
    for e in evaluations:
        print(f"{e.severity.key:<9} {e.title:<{width}}  {e.explanation}")
    return 0


def _as_json(e: Any) -> dict[str, Any]:
    return {
        "id": e.id,
        "title": e.title,
        "severity": e.severity.key,
        "value": _round(e.value),
        "baseline": _round(e.baseline),
        "unit": e.unit,
        "explanation": e.explanation,
        "flagged_since": e.flagged_since.isoformat() if e.flagged_since else None,
        "acknowledged": e.acknowledged,
        "rule": e.rule,
        "baseline_note": e.baseline_note,
        "statistic": _round(next((s for s in reversed(e.statistic) if s is not None), None)),
        "thresholds": {"watch": e.thresholds.watch, "warning": e.thresholds.warning,
                       "critical": e.thresholds.critical,
                       "worse": "above" if e.thresholds.above else "below"},
        "as_of": e.as_of.isoformat() if e.as_of else None,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


HANDLERS = {"indicators": cmd_indicators}
