"""The rules of the pipeline's stages, and what its history says: time in stage and
conversion to a hire. Pure functions over plain values."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from console.data.people_enums import PIPELINE, Stage
from console.errors import UserError


def check_move(current: Stage, target: Stage, reason: str | None = None) -> None:
    """Refuse a move the pipeline does not allow, with a one-line reason.

    A card moves to the next stage; a move further on skips stages and needs a reason;
    a candidate may withdraw from any open stage; hired and withdrawn are final; nothing
    moves back (a correction is a new record, not a rewritten history).
    """
    if current.final:
        raise UserError(f"the candidate is {current.label.lower()}: a final stage, "
                        "nothing was changed")
    if target is current:
        raise UserError(f"the candidate is already at {current.label.lower()}")
    if target is Stage.WITHDRAWN:
        return
    here, there = PIPELINE.index(current), PIPELINE.index(target)
    if there < here:
        raise UserError(f"{current.label} to {target.label.lower()}: stages only move "
                        "forward")
    if there > here + 1 and not (reason or "").strip():
        skipped = ", ".join(s.label.lower() for s in PIPELINE[here + 1:there])
        raise UserError(f"{current.label} to {target.label.lower()} skips {skipped}: "
                        "give the reason for the skip")


@dataclass(frozen=True)
class Path:
    """One candidate's history: the stages entered, in order, with the day of each."""

    candidate_id: int
    partner: str | None
    cohort: str
    steps: tuple[tuple[Stage, dt.date], ...]

    def stage_on(self, day: dt.date) -> Stage | None:
        current = None
        for stage, entered in self.steps:
            if entered <= day:
                current = stage
        return current

    def reached(self, day: dt.date) -> set[Stage]:
        """The stages entered by `day`; a skipped stage counts as passed through."""
        seen = {s for s, d in self.steps if d <= day}
        furthest = max((PIPELINE.index(s) for s in seen if s in PIPELINE), default=-1)
        return seen | set(PIPELINE[:furthest + 1])


def conversion_by_stage(paths: Sequence[Path], as_of: dt.date) -> dict[Stage, float | None]:
    """For each open stage, the share hired of the decided candidates (hired or withdrawn
    by `as_of`) who reached it; None where nobody who reached it has been decided yet."""
    out: dict[Stage, float | None] = {}
    decided = [(p, p.stage_on(as_of)) for p in paths]
    decided = [(p, s) for p, s in decided if s is not None and s.final]
    for stage in PIPELINE[:-1]:
        went = [s for p, s in decided if stage in p.reached(as_of)]
        out[stage] = sum(s is Stage.HIRED for s in went) / len(went) if went else None
    out[Stage.HIRED] = 1.0
    return out


@dataclass(frozen=True)
class Conversion:
    group: str
    candidates: int
    decided: int
    hired: int

    @property
    def rate(self) -> float | None:
        return self.hired / self.decided if self.decided else None


def conversion_by(paths: Sequence[Path], as_of: dt.date,
                  key: Callable[[Path], Hashable]) -> list[Conversion]:
    """Applied to hired, per group (partner program, cohort), among decided candidates."""
    groups: dict[str, list[Stage | None]] = {}
    for p in paths:
        stage = p.stage_on(as_of)
        if stage is not None:
            groups.setdefault(str(key(p) or "No partner program"), []).append(stage)
    return [Conversion(g, len(s), sum(x is not None and x.final for x in s),
                       sum(x is Stage.HIRED for x in s)) for g, s in sorted(groups.items())]


def projected_hires(paths: Sequence[Path], as_of: dt.date,
                    conversion: dict[Stage, float | None] | None = None) -> float:
    """Open candidates by stage times that stage's historical conversion to a hire
    (a stage with no history yet counts for nothing)."""
    rates = conversion if conversion is not None else conversion_by_stage(paths, as_of)
    total = 0.0
    for p in paths:
        stage = p.stage_on(as_of)
        if stage is not None and not stage.final:
            total += rates.get(stage) or 0.0
    return total


def days_in_stage(paths: Sequence[Path], as_of: dt.date) -> dict[Stage, float]:
    """Median days candidates spent in each stage they left by `as_of`."""
    spent: dict[Stage, list[int]] = {}
    for p in paths:
        steps = [(s, d) for s, d in p.steps if d <= as_of]
        for (stage, entered), (_, left) in zip(steps, steps[1:], strict=False):
            spent.setdefault(stage, []).append((left - entered).days)
    return {s: statistics.median(v) for s, v in spent.items()}
