"""Shared pieces of the benchmarks: results, timing of child processes, cached databases."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"


@dataclass(frozen=True)
class Result:
    """A figure and its baseline, measured in the same run; the target bounds the ratio."""

    name: str
    value: float
    baseline: float
    target: float
    unit: str
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("inf")

    @property
    def met(self) -> bool:
        return self.ratio <= self.target

    def as_json(self) -> dict[str, object]:
        out = asdict(self)
        out["ratio"] = round(self.ratio, 3)
        out["met"] = self.met
        return out


def qt_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def time_until_lines(cmd: list[str], markers: tuple[str, ...] = ("painted",),
                     timeout: float = 120) -> dict[str, float]:
    """Seconds from spawning cmd until it prints each marker line (in order)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=qt_env(), cwd=ROOT)
    assert proc.stdout is not None
    seen: dict[str, float] = {}
    try:
        for line in proc.stdout:
            if line.strip() in markers:
                seen[line.strip()] = time.perf_counter() - start
                if len(seen) == len(markers):
                    proc.wait(timeout=timeout)
                    return seen
        proc.wait(timeout=timeout)
        err = proc.stderr.read() if proc.stderr else ""
        raise RuntimeError(f"{cmd[1:]} exited {proc.returncode} before {markers}: {err[-800:]}")
    finally:
        if proc.poll() is None:
            proc.kill()


def median_alternating(a: list[str], a_markers: tuple[str, ...], b: list[str],
                       runs: int) -> tuple[dict[str, float], float]:
    """Median times to each of a's markers, and to b's "painted", run in alternation
    after one warm-up each (so both see the same disk cache and machine load)."""
    time_until_lines(a, a_markers)
    time_until_lines(b)
    ta: dict[str, list[float]] = {m: [] for m in a_markers}
    tb: list[float] = []
    for _ in range(runs):
        for marker, seconds in time_until_lines(a, a_markers).items():
            ta[marker].append(seconds)
        tb.append(time_until_lines(b)["painted"])
    return {m: statistics.median(v) for m, v in ta.items()}, statistics.median(tb)


def million_call_db() -> Path:
    """A SQLite file with the demo program scaled to 1,000,000 calls, built once and kept."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / "million.sqlite"
    if not path.exists():
        partial = path.with_suffix(".partial")
        for leftover in CACHE.glob("million.partial*"):
            leftover.unlink()
        subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "--db", str(partial), "demo",
             "--calls", "1000000"],
            check=True, cwd=ROOT,
        )
        partial.rename(path)
    return path
