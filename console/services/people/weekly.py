"""Weekly values behind the bench_ready and pipeline_cover early warnings.

Query helpers: they take a Session and the days to judge (each week's last day) and
never commit; the indicator engine and the services around them open the session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.data.models import BenchCandidate, StaffMember
from console.data.people_enums import ProtectedRole, Readiness, Stage
from console.services.people.facts import leave_facts, position_facts
from console.services.people.forecast import forecast
from console.services.people.pipeline import paths

Values = tuple[float | None, ...]


def ready_by_role(session: Session, days: Sequence[dt.date]) -> dict[ProtectedRole, Values]:
    """People ready now for each protected role, on each day.

    The bench keeps each successor's latest assessment only, so a day counts those
    assessed ready by then and still in the unit (an earlier readiness is not replayed).
    """
    rows = session.execute(
        select(BenchCandidate.role, BenchCandidate.readiness, BenchCandidate.assessed_on,
               StaffMember.hired_on, StaffMember.separated_on)
        .join(StaffMember, StaffMember.id == BenchCandidate.staff_id)).tuples().all()
    out: dict[ProtectedRole, Values] = {}
    for role in ProtectedRole:
        ready = [(assessed, separated) for r, readiness, assessed, _, separated in rows
                 if r is role and readiness is Readiness.READY_NOW]
        out[role] = tuple(float(sum(a <= d and (s is None or d < s) for a, s in ready))
                          for d in days)
    return out


def bench_ready(session: Session, days: Sequence[dt.date]) -> Values:
    """The thinnest bench on each day: the fewest people ready now for any protected
    role. None before anyone was put on a bench (a program that does not keep one yet)."""
    first = session.scalars(select(BenchCandidate.assessed_on)
                            .order_by(BenchCandidate.assessed_on).limit(1)).first()
    if first is None:
        return tuple(None for _ in days)
    by_role = ready_by_role(session, days)
    return tuple(None if d < first else min(v[i] or 0.0 for v in by_role.values())
                 for i, d in enumerate(days))


def pipeline_cover(session: Session, days: Sequence[dt.date]) -> Values:
    """Projected hires over the vacancies expected in the next 12 months, as known on
    each day. No vacancies expected counts as covered (1.0). None before any position,
    and before the pipeline's first hire: until one candidate has gone all the way there
    is no conversion to project from, which is not the same as an empty pipeline."""
    history = paths(session)
    positions = position_facts(session)
    leave = leave_facts(session)
    values: list[float | None] = []
    for d in days:
        known = [k for p in positions if (k := p.known_on(d)) is not None]
        if not known or not any(p.stage_on(d) is Stage.HIRED for p in history):
            values.append(None)
            continue
        f = forecast(known, [x for x in leave if x.start <= d], history, d)
        values.append(f.hires / f.vacancies if f.vacancies > 0 else 1.0)
    return tuple(values)


def thin_roles(session: Session, day: dt.date) -> str:
    """Which protected roles have fewer than two ready on the day, for an explanation."""
    from console.services.people.bench import READY_NEEDED

    ready = ready_by_role(session, [day])
    thin = [f"{role.label.lower()} {int(v[0] or 0)} ready" for role, v in ready.items()
            if (v[0] or 0) < READY_NEEDED]
    return "thin: " + ", ".join(thin) if thin else ""
