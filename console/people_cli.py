"""Subcommands staffing and pipeline: the numbers of the Staffing and Intern pipeline
pages, as text or JSON. Candidates appear by number only, never by name."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from typing import Any

from console.errors import UserError


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    for name, text in (
        (
            "staffing",
            "authorized and filled positions, vacancies with their age, credentials "
            "lapsing within 60 days, and the leadership bench",
        ),
        (
            "pipeline",
            "candidates per stage, conversion per partner program and cohort, and "
            "projected hires against projected vacancies",
        ),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument(
            "--as-of", metavar="DATE", help="the day to report on (YYYY-MM-DD; default today)"
        )
        cmd.add_argument("--json", action="store_true", help="print JSON instead of text")


def _as_of(args: argparse.Namespace) -> dt.date:
    if not args.as_of:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(args.as_of)
    except ValueError:
        raise UserError(f"--as-of {args.as_of}: give a date as YYYY-MM-DD") from None


def _print(data: dict[str, Any], text: list[str], as_json: bool) -> None:
    if as_json:
        json.dump(data, sys.stdout, indent=2, default=str)
        print()
    else:
        print("\n".join(text))


def staffing_report(access: Any, as_of: dt.date) -> tuple[dict[str, Any], list[str]]:
    from console.services.people import bench, staffing
    from console.trust_cli import printable

    overview = staffing.staffing_overview(access, as_of)
    now = overview.series.total[-1]
    vacancies: list[dict[str, Any]] = [
        {
            "position_id": v.position_id,
            "title": v.title,
            "role": v.role.value,
            "since": v.since.isoformat(),
            "age_days": v.age(as_of),
            "history": [
                {
                    "position_id": s.position_id,
                    "funding": s.funding,
                    "from": s.start.isoformat(),
                    "to": s.end.isoformat() if s.end else None,
                }
                for s in v.segments
            ],
        }
        for v in overview.open_vacancies
    ]
    lapsing: list[dict[str, Any]] = [
        {
            "staff": r.name,
            "credential": r.credential,
            "state": r.state,
            "expires_on": r.expires_on.isoformat() if r.expires_on else None,
            "days_left": r.days_left,
        }
        for r in staffing.lapsing(access, as_of)
    ]
    roles: list[dict[str, Any]] = [
        {
            "role": r.role.value,
            "holder": r.holder,
            "ready_now": r.ready,
            "flagged": r.thin,
            "successors": [
                {
                    "name": s.name,
                    "readiness": s.readiness.value,
                    "acting": s.acting,
                    "training": s.training,
                }
                for s in r.successors
            ],
        }
        for r in bench.bench(access, as_of)
    ]
    data = {
        "as_of": as_of.isoformat(),
        "authorized": now.authorized,
        "filled": now.filled,
        "by_role": {
            r.value: {"authorized": p[-1].authorized, "filled": p[-1].filled}
            for r, p in overview.series.by_role.items()
        },
        "by_funding": {
            f: {"authorized": p[-1].authorized, "filled": p[-1].filled}
            for f, p in overview.series.by_funding.items()
        },
        "vacancies": vacancies,
        "credentials_lapsing": lapsing,
        "bench": roles,
    }
    text = [f"Staffing on {as_of:%Y-%m-%d}: {now.filled} of {now.authorized} positions filled"]
    for v in vacancies:
        carried = " (carried across a re-authorization)" if len(v["history"]) > 1 else ""
        text.append(
            f"  vacant: {printable(v['title'])} since {v['since']}, {v['age_days']} days{carried}"
        )
    text.append(f"Credentials lapsing within 60 days: {len(lapsing) or 'none'}")
    for c in lapsing:
        text.append(
            f"  {printable(c['staff'])}: {printable(c['credential'])} "
            f"{c['state']} on {c['expires_on']} ({c['days_left']} days)"
        )
    text.append("Leadership bench (ready now):")
    for r, b in zip(roles, bench.bench(access, as_of), strict=True):
        flag = "  FEWER THAN TWO READY" if r["flagged"] else ""
        text.append(
            f"  {b.role.label}: {r['ready_now']} ready of {len(r['successors'])} on the bench{flag}"
        )
    return data, text


def pipeline_report(access: Any, as_of: dt.date) -> tuple[dict[str, Any], list[str]]:
    from console.services.people.overview import pipeline_overview

    o = pipeline_overview(access, as_of)
    f = o.forecast
    data = {
        "as_of": as_of.isoformat(),
        "per_stage": {s.value: n for s, n in o.per_stage.items()},
        "conversion_by_stage": {s.value: r for s, r in o.stage_conversion.items()},
        "by_partner": [
            {
                "partner": c.group,
                "candidates": c.candidates,
                "decided": c.decided,
                "hired": c.hired,
                "rate": c.rate,
            }
            for c in o.by_partner
        ],
        "by_cohort": [
            {
                "cohort": c.group,
                "candidates": c.candidates,
                "decided": c.decided,
                "hired": c.hired,
                "rate": c.rate,
            }
            for c in o.by_cohort
        ],
        "forecast": {
            "horizon": f.horizon.isoformat(),
            "open_now": f.open_now,
            "recorded": f.recorded,
            "on_leave": f.on_leave,
            "turnover_rate": round(f.turnover_rate, 4),
            "turnover": round(f.turnover, 2),
            "vacancies": round(f.vacancies, 2),
            "expected_vacancies": f.expected_vacancies,
            "projected_hires": round(f.hires, 2),
            "covered": f.covered,
            "sentence": f.sentence,
        },
    }
    text = [f"Intern pipeline on {as_of:%Y-%m-%d}"]
    text.append("  " + ", ".join(f"{s.label.lower()} {n}" for s, n in o.per_stage.items()))
    text.append("Conversion to a hire by partner program (decided candidates):")
    for c in o.by_partner:
        rate = f"{c.rate:.0%}" if c.rate is not None else "none decided yet"
        text.append(
            f"  {c.group}: {c.hired} hired of {c.decided} ({rate}); {c.candidates - c.decided} open"
        )
    text.append(f"Forecast: {f.sentence[0].upper()}{f.sentence[1:]}.")
    text.append(
        f"  {f.vacancies:.1f} vacancies expected ({f.recorded} recorded, "
        f"{f.on_leave} on long leave, {f.turnover:.1f} from turnover at "
        f"{f.turnover_rate:.0%} a year); {f.hires:.1f} projected hires"
    )
    return data, text


def _run(
    args: argparse.Namespace, report: Callable[[Any, dt.date], tuple[dict[str, Any], list[str]]]
) -> int:
    from console.cli import open_access

    as_of = _as_of(args)
    opened = open_access(args)
    try:
        data, text = report(opened.access, as_of)
    finally:
        opened.db.dispose()
    _print(data, text, args.json)
    return 0


def cmd_staffing(args: argparse.Namespace) -> int:
    return _run(args, staffing_report)


def cmd_pipeline(args: argparse.Namespace) -> int:
    return _run(args, pipeline_report)


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "staffing": cmd_staffing,
    "pipeline": cmd_pipeline,
}
