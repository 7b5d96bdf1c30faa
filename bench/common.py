"""Shared pieces of the benchmarks: results, timing of child processes, cached databases."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
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


@functools.cache
def user_folders() -> Path:
    """The console's user folders for the processes a benchmark starts, thrown away at exit.

    After sign-in the console writes its daily automatic backup there: in the user's own
    folder that would be a copy of the million-call database every day (14 kept). Here
    the warm-up run writes it and the measured runs find it fresh.
    """
    home = Path(tempfile.mkdtemp(prefix="console-bench-"))
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    return home


def qt_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["XDG_DATA_HOME"] = str(user_folders() / "data")
    env["XDG_CONFIG_HOME"] = str(user_folders() / "config")
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


def demo_key_file(db: Path) -> Path:
    """The key file beside a demo database (console.data.keystore.demo_key_path)."""
    return Path(f"{db}.demo-key")


def million_call_db() -> Path:
    """A demo database with the demo program scaled to 1,000,000 calls, built once and kept.

    Written by the `demo` command, it is a demo database: its data key lies beside it, so
    the console opens it and signs its demo supervisor in without a keyring or a dialog.
    A cache without that key file (unfinished, or built before databases had a key) is
    built again.
    """
    return cached_demo("million.sqlite", calls=1_000_000)


def cached_demo(name: str, *, calls: int, years: int = 3) -> Path:
    """A demo database of about `calls` calls over `years` years, built once into the cache."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / name
    if not demo_key_file(path).exists():
        building = CACHE / f"building-{name}"
        shutil.rmtree(building, ignore_errors=True)
        for leftover in CACHE.glob(f"{path.stem}.partial*"):  # from older versions
            leftover.unlink()
        building.mkdir()
        partial = building / path.name
        subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "--db", str(partial), "demo",
             "--calls", str(calls), "--years", str(years)],
            check=True, cwd=ROOT,
        )
        for stale in CACHE.glob(f"{path.name}*"):  # the old file and its -wal, -shm
            stale.unlink()
        os.replace(partial, path)
        os.replace(demo_key_file(partial), demo_key_file(path))  # last: marks it complete
        shutil.rmtree(building)
    return path
