"""import_csv: importing a 100,000-row CSV export into a database with its program, no calls.

Baseline: the standard csv module reading the same file (`for row in csv.reader(f): pass`),
measured in the same run. Target ratio 2. The file is Seattle-like (the 13 columns of
the city's CAD export, 12-hour month-first timestamps, real-looking code values), with
a mapping of 11 of its columns (codes to dispositions and sources, call types to scope),
given as a profile would be: the survey a wizard runs first is timed apart in the note.
The best of `runs` imports (each into a new database) against the best of `runs` reads,
measured in alternation.

The note breaks the import down (reading, converting and validating, writing, rebuilding
the indexes) and gives the peak memory of a separate process importing 50,000 and
100,000 rows, which shows whether memory grows with the file.
"""

from __future__ import annotations

import csv
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import CACHE, ROOT, Result

sys.path.insert(0, str(ROOT))

TARGET = 2.0
N = 100_000
HEADER = ["CAD Event Number", "Event Clearance Description", "Call Type", "Priority",
          "Initial Call Type", "Final Call Type", "Original Time Queued", "Arrived Time",
          "Precinct", "Sector", "Beat", "Blurred_Longitude", "Blurred_Latitude"]
CLEARANCES = ["ASSISTANCE RENDERED", "UNABLE TO LOCATE INCIDENT OR COMPLAINANT",
              "NO POLICE ACTION POSSIBLE OR NECESSARY", "PHYSICAL ARREST MADE",
              "REPORT WRITTEN (NO ARREST)", "CITATION ISSUED (CRIMINAL OR NON-CRIMINAL)",
              "PROBLEM SOLVING PROJECT", "RESPONDING UNIT(S) CANCELLED BY RADIO",
              "DUPLICATED OR CANCELLED BY RADIO", "OTHER REPORT MADE"]
SOURCES = ["911", "ONVIEW", "TELEPHONE OTHER, NOT 911", "ALARM CALL (NOT POLICE ALARM)",
           "TEXT MESSAGE"]
TYPES = [f"--{w} - {v}" for w in ("CRISIS COMPLAINT", "SUSPICIOUS CIRCUM.", "DISTURBANCE",
                                  "PREMISE CHECKS", "TRAFFIC", "THEFT", "ASSAULTS",
                                  "WELFARE CHECK", "NOISE", "PROPERTY DEST")
         for v in ("GENERAL", "PERSON", "OTHER", "IN PROGRESS", "REPORT")]
PRECINCTS = {"EAST": ["CHARLIE", "EDWARD", "GEORGE"], "NORTH": ["BOY", "JOHN", "LINCOLN"],
             "SOUTH": ["ROBERT", "SAM", "OCEAN"], "WEST": ["DAVID", "KING", "MARY"]}


def rows(n: int, seed: int = 11) -> list[list[str]]:
    """n Seattle-like rows, deterministic for a seed; incident numbers unique."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        year = 2019 + i * 5 // n
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        hour, minute, second = rng.randint(1, 12), rng.randint(0, 59), rng.randint(0, 59)
        noon = rng.choice(("AM", "PM"))
        queued = f"{month:02d}/{day:02d}/{year} {hour}:{minute:02d}:{second:02d} {noon}"
        later = min(minute + rng.randint(0, 40), 59)
        arrived = f"{month:02d}/{day:02d}/{year} {hour}:{later:02d}:{second:02d} {noon}"
        precinct = rng.choice(list(PRECINCTS))
        sector = rng.choice(PRECINCTS[precinct])
        out.append([f"{year}{i:09d}", rng.choice(CLEARANCES), rng.choice(SOURCES),
                    str(rng.randint(1, 9)), rng.choice(TYPES), rng.choice(TYPES), queued,
                    arrived if rng.random() < 0.9 else "", precinct, sector,
                    f"{sector[0]}{rng.randint(1, 3)}",
                    f"{-122.3 + rng.random() / 10:.7f}", f"{47.6 + rng.random() / 10:.7f}"])
    return out


def mapping():  # type: ignore[no-untyped-def]
    from console.data.enums import CallSource, Disposition
    from console.data.importers.fields import DateOrder, Mapping

    disposition = {"ASSISTANCE RENDERED": Disposition.RESOLVED_ON_SCENE,
                   "UNABLE TO LOCATE INCIDENT OR COMPLAINANT": Disposition.UNABLE_TO_LOCATE,
                   "PHYSICAL ARREST MADE": Disposition.ARREST}
    return Mapping(
        columns={"incident_number": "CAD Event Number", "disposition":
                 "Event Clearance Description", "source": "Call Type", "priority": "Priority",
                 "initial_call_type": "Initial Call Type", "final_call_type": "Final Call Type",
                 "received_at": "Original Time Queued", "arrived_at": "Arrived Time",
                 "precinct": "Precinct", "sector": "Sector", "beat": "Beat"},
        date_order=DateOrder.MONTH_FIRST,
        scope={t: t.startswith(("--CRISIS", "--WELFARE")) for t in TYPES},
        dispositions={c: disposition.get(c) for c in CLEARANCES},
        sources={"911": CallSource.E911, "ONVIEW": CallSource.ON_VIEW,
                 "TELEPHONE OTHER, NOT 911": CallSource.NON_EMERGENCY,
                 "ALARM CALL (NOT POLICE ALARM)": CallSource.OTHER,
                 "TEXT MESSAGE": CallSource.E911},
    )


def csv_file(n: int = N) -> Path:
    """The benchmark's CSV of n rows, written once into bench/.cache."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"seattle-like-{n}.csv"
    if not path.exists():
        part = path.with_suffix(".part")
        with part.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(HEADER)
            writer.writerows(rows(n))
        part.replace(path)
    return path


def empty_program_db(folder: Path):  # type: ignore[no-untyped-def]
    """A new SQLite database holding only its program and lead agency, and an Access."""
    import datetime as dt

    from sqlalchemy import insert

    from console.data import migrate
    from console.data.engine import open_database, sqlite_url
    from console.data.enums import AgencyKind
    from console.data.identity import unlock
    from console.data.models import Agency, Program
    from console.services.access import Access, Actor

    db = open_database(sqlite_url(folder / "bench.sqlite"))
    migrate.upgrade(db)
    vault = unlock(db, create_demo=True).vault
    with db.engine.begin() as conn:
        conn.execute(insert(Program).values(id=1, name="Metro", jurisdiction="Metro",
                                            started_on=dt.date(2019, 1, 1),
                                            timezone="America/Los_Angeles"))
        conn.execute(insert(Agency).values(id=1, program_id=1, name="Metro PD",
                                           kind=AgencyKind.POLICE, is_lead=True))
    return db, Access(db.session_factory, Actor.system("bench"), vault)


def time_import(path: Path) -> tuple[float, dict[str, float], int]:
    """Seconds to import path into a fresh database with its program; and the breakdown."""
    from console.services.import_service import import_calls

    with tempfile.TemporaryDirectory() as tmp:
        db, access = empty_program_db(Path(tmp))
        try:
            start = time.perf_counter()
            result = import_calls(access, path, mapping())
            seconds = time.perf_counter() - start
        finally:
            db.dispose()
    if result.counts.inserted != result.rows or result.rejects:
        raise RuntimeError(f"the benchmark file did not import cleanly: {result.counts}")
    return seconds, result.timings, result.rows


def peak_memory_mb(path: Path) -> float:
    """Peak resident memory (MB) of a fresh process importing path (as in time_import).

    VmHWM of the new process image: getrusage's ru_maxrss would also count the memory
    the benchmark process had when it started the child (Linux keeps it across exec).
    """
    code = (f"import sys; sys.path[:0] = [{str(ROOT / 'bench')!r}, {str(ROOT)!r}]\n"
            "import pathlib, import_csv\n"
            f"import_csv.time_import(pathlib.Path({str(path)!r}))\n"
            "print(next(line.split()[1] for line in open('/proc/self/status') "
            "if line.startswith('VmHWM')))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, cwd=ROOT).stdout
    return int(out.split()[-1]) / 1024


def best_alternating(read: Callable[[], float], path: Path,
                     runs: int) -> tuple[float, tuple[float, dict[str, float], int]]:
    """The best baseline and the best import of `runs`, measured in alternation so that
    both see the same load on a shared machine."""
    baselines, imports = [], []
    for _ in range(runs):
        baselines.append(read())
        imports.append(time_import(path))
    return min(baselines), min(imports, key=lambda m: m[0])


def breakdown(timings: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.2f}" for k, v in timings.items() if k != "open" or v > 0.05)


def time_survey(path: Path) -> float:
    """Seconds of the survey (one read for the suggested mapping) the wizard runs first."""
    from console.services.import_service import survey_file

    start = time.perf_counter()
    survey_file(path)
    return time.perf_counter() - start


def note(timings: dict[str, float], path: Path, half: Path) -> str:
    return (f"{breakdown(timings)}; survey apart {time_survey(path):.2f} s; peak memory "
            f"{peak_memory_mb(half):.0f} MB at {N // 2 // 1000}k rows, "
            f"{peak_memory_mb(path):.0f} MB at {N // 1000}k")


def _read_csv(path: Path) -> float:
    start = time.perf_counter()
    with path.open(newline="", encoding="utf-8") as f:
        for _row in csv.reader(f):
            pass
    return time.perf_counter() - start


def run(runs: int = 3) -> Result:
    path = csv_file()
    _read_csv(path)  # warm the disk cache for both
    baseline, (value, timings, _) = best_alternating(lambda: _read_csv(path), path, runs)
    return Result("import_csv", value, baseline, TARGET, "s",
                  note(timings, path, csv_file(N // 2)))
