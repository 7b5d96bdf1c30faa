"""Run the benchmarks: `python bench/run.py [NAME...] [--json] [--runs N]`.

Each benchmark measures its figure and its baseline in the same run and prints their
ratio against the target ratio. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Result  # noqa: E402

# name -> module in bench/ with run(runs) -> Result; later issues add theirs here.
BENCHMARKS = {
    "startup": "startup",  # also reports startup_ready
    "demo_million": "demo_million",
    "import_csv": "import_csv",  # also reports the breakdown and peak memory
    "import_xlsx": "import_xlsx",
    "indicators": "indicators",
    "detection": "detection",  # also reports each comparison rule and the combined rule
    "roster_rules": "roster_rules",
    "coverage": "coverage",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=", ".join(BENCHMARKS))
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--runs", type=int, default=None, help="repetitions where it applies")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {unknown[0]!r}; choose from {', '.join(BENCHMARKS)}")
    results: list[Result] = []
    for name in args.names or list(BENCHMARKS):
        module = importlib.import_module(BENCHMARKS[name])
        outcome = module.run(args.runs) if args.runs else module.run()
        for result in outcome if isinstance(outcome, list) else [outcome]:
            results.append(result)
            _print(result, as_json=args.json)
    return 0 if all(r.met for r in results) else 1


def _print(result: Result, *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result.as_json()), flush=True)
        return
    print(
        f"{result.name:<14} {result.value:9.3f} {result.unit}  baseline "
        f"{result.baseline:8.3f} {result.unit}  ratio {result.ratio:6.2f}  "
        f"target <= {result.target:g}  {'ok' if result.met else 'MISSED'}"
        + (f"  ({result.note})" if result.note else ""),
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
