"""The plain values the indicator engine hands to views, reports and the command line."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from console.data.enums import EventKind


class Severity(enum.IntEnum):
    """Ordered: a larger value is worse, so `max()` gives the worst."""

    OK = 0
    WATCH = 1
    WARNING = 2
    CRITICAL = 3

    @property
    def key(self) -> str:
        """The name used in JSON and settings: ok, watch, warning, critical."""
        return self.name.lower()

    @property
    def label(self) -> str:
        return self.name.capitalize()

    @classmethod
    def from_key(cls, key: str) -> Severity:
        return cls[key.upper()]


@dataclass(frozen=True)
class Thresholds:
    """Where the detection statistic turns watch, warning and critical.

    `above` True: a statistic at or above a threshold reaches its severity (a CUSUM, an
    age in days); False: at or below (a share filled, a share covered).
    """

    watch: float
    warning: float
    critical: float
    above: bool = True

    def severity(self, statistic: float | None) -> Severity:
        if statistic is None:
            return Severity.OK
        for level, limit in ((Severity.CRITICAL, self.critical),
                             (Severity.WARNING, self.warning), (Severity.WATCH, self.watch)):
            if (statistic >= limit) if self.above else (statistic <= limit):
                return level
        return Severity.OK

    def ordered(self) -> bool:
        """Watch comes before warning, which comes before critical."""
        seq = (self.watch, self.warning, self.critical)
        return list(seq) == sorted(seq, reverse=not self.above)


@dataclass(frozen=True)
class Marker:
    """A program event drawn on every chart; structural ones are named in explanations."""

    on: dt.date
    kind: EventKind
    title: str
    structural: bool


@dataclass(frozen=True)
class Acknowledgement:
    indicator_id: str
    flagged_since: dt.date | None
    severity: Severity
    note: str
    review_on: dt.date | None
    by: str
    at: dt.datetime


@dataclass(frozen=True)
class AlertEpisode:
    """A past or current run of weeks at watch or worse, with its acknowledgements."""

    indicator_id: str
    started: dt.date  # Monday of its first week
    ended: dt.date | None  # Monday of the first week back to ok; None while it lasts
    peak: Severity
    acknowledgements: tuple[Acknowledgement, ...]


@dataclass(frozen=True)
class Evaluation:
    """One indicator as of a day: where it stands, why, and the series behind it.

    All tuples run in step with `weeks` (Mondays, oldest first). `values` are the
    indicator's own numbers (a count, a share 0-1, hours, days); `expected` and the band
    are the baseline on the same scale; `statistic` is what the rule compares with
    `thresholds` (a CUSUM, a z score, the value itself for threshold rules).
    """

    id: str
    title: str
    why: str
    unit: str  # how a value reads: "requests a week", "share", "hours a week", "days"
    rule: str  # the detection rule in plain words
    baseline_note: str  # "the same weeks of 2 earlier years", "not enough history: ..."
    severity: Severity
    value: float | None
    baseline: float | None
    explanation: str
    flagged_since: dt.date | None
    weeks: tuple[dt.date, ...]
    values: tuple[float | None, ...]
    expected: tuple[float | None, ...]
    band_low: tuple[float | None, ...]
    band_high: tuple[float | None, ...]
    statistic: tuple[float | None, ...]
    statistic_label: str
    thresholds: Thresholds
    markers: tuple[Marker, ...]
    acknowledgement: Acknowledgement | None = None  # the current alert's, if any
    as_of: dt.date | None = None
    percent: bool = False  # values are shares (0-1), shown as percentages

    @property
    def acknowledged(self) -> bool:
        return self.acknowledgement is not None
