"""The demo's world: names, places, call types, outcome mixes, and drawing from them."""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Sequence
from datetime import date
from itertools import accumulate
from statistics import NormalDist
from typing import Any

from console.data.enums import (
    Activation,
    CallSource,
    Disposition,
)

FIRST_NAMES = (
    "Aaliyah Adrian Alma Amir Ana Andre Ava Ben Bianca Brooke Caleb Carmen Casey Chen Chris "
    "Dana Daniel Deja Devon Diego Elena Eli Emma Eric Farah Gabe Grace Hana Hector Imani Isaac "
    "Jada Jamal Jasmine Javier Jenna Joel Jordan Kara Keith Kim Lena Leo Luis Maya Marcus "
    "Mei Nadia Nate Nina Omar Paige Priya Quinn Rafael Rosa Ruth Sam Tariq Tess Victor Yara"
).split()
LAST_NAMES = (
    "Abbott Alvarez Baker Banks Becker Bishop Boyd Brennan Castillo Chavez Coleman Cruz Delgado "
    "Dunn Ellis Erikson Fischer Flores Foster Garza Gibson Graves Hale Hansen Hayes Holt Ibarra "
    "Jensen Kaur Keller Kim Lambert Larsen Lopez Lund Mahoney Marsh Medina Meyer Moreno Nakamura "
    "Nguyen Novak Okafor Olsen Ortega Park Patel Pierce Quinlan Ramos Reyes Riley Rivera Ross "
    "Sandoval Schmidt Shah Silva Sorensen Stone Sullivan Tan Thornton Torres Vance Vargas Wade "
    "Walsh Warren Weber Whitfield Wong Yoder Young Zamora"
).split()
RESPONDER_DISCIPLINES = ("Social work (MSW)", "Clinical mental health counseling",
                         "Marriage and family therapy", "Counseling psychology")
# precinct, code letter, share of calls (and of patrol officers)
PRECINCTS = (("Central", "C", 0.34), ("North", "N", 0.24), ("South", "S", 0.26),
             ("East", "E", 0.16))

IN_SCOPE_TYPES = frozenset({"Person in crisis", "Suicidal person", "Welfare check",
                            "Missing person (at risk)", "Follow-up visit", "Overdose follow-up"})
PRIORITY = {
    "Suicidal person": (1, 1, 2), "Person in crisis": (1, 2, 2, 3), "Welfare check": (3, 3, 4),
    "Missing person (at risk)": (2,), "Follow-up visit": (4,), "Overdose follow-up": (4,),
    "Disturbance": (2, 3), "Family disturbance": (1, 2), "Trespass": (3, 4),
    "Intoxicated person": (3,), "Suspicious person": (3, 4),
}
OUTCOME_GROUP = {"Suicidal person": "suicide", "Follow-up visit": "follow_up",
                 "Overdose follow-up": "follow_up", "Disturbance": "public",
                 "Family disturbance": "public", "Trespass": "public",
                 "Intoxicated person": "public", "Suspicious person": "public"}  # else crisis

# Four streams of calls: dispatched on the criteria, patrol on scene (who may ask for the
# unit), the unit's own on-view contacts, and its follow-up visits.
DISPATCH, PATROL, SELF, FOLLOW_UP = range(4)
STREAM_TYPES: dict[int, tuple[tuple[str, float], ...]] = {
    DISPATCH: (("Person in crisis", 30), ("Welfare check", 28), ("Suicidal person", 22),
               ("Missing person (at risk)", 4), ("Disturbance", 6), ("Intoxicated person", 4),
               ("Trespass", 3), ("Suspicious person", 3)),
    PATROL: (("Disturbance", 25), ("Welfare check", 20), ("Person in crisis", 20),
             ("Trespass", 12), ("Intoxicated person", 10), ("Suicidal person", 8),
             ("Family disturbance", 5)),
    SELF: (("Welfare check", 40), ("Person in crisis", 25), ("Trespass", 15),
           ("Intoxicated person", 10), ("Suspicious person", 10)),
    FOLLOW_UP: (("Follow-up visit", 60), ("Overdose follow-up", 40)),
}
STREAM_SOURCES: dict[int, tuple[tuple[str, float], ...]] = {
    DISPATCH: ((CallSource.E911.value, 72), (CallSource.NON_EMERGENCY.value, 28)),
    PATROL: ((CallSource.E911.value, 55), (CallSource.NON_EMERGENCY.value, 20),
             (CallSource.ON_VIEW.value, 25)),
    SELF: ((CallSource.ON_VIEW.value, 1),),
    FOLLOW_UP: ((CallSource.OTHER.value, 1),),
}
STREAM_ACTIVATION = {DISPATCH: Activation.DISPATCH.value, PATROL: Activation.PATROL_REQUEST.value,
                     SELF: Activation.SELF_INITIATED.value, FOLLOW_UP: Activation.FOLLOW_UP.value}

_D = Disposition
DISPOSITIONS = (_D.RESOLVED_ON_SCENE, _D.REFERRED, _D.VOLUNTARY_TRANSPORT, _D.ED_TRANSPORT,
                _D.INVOLUNTARY_HOLD, _D.ARREST, _D.REFUSED_SERVICES, _D.UNABLE_TO_LOCATE)
# Percentages in the order of DISPOSITIONS, by (unit on scene, outcome group).
DISPOSITION_MIX: dict[tuple[bool, str], tuple[float, ...]] = {
    (True, "crisis"): (38, 26, 13, 6, 5, 1.5, 6.5, 4),
    (True, "suicide"): (24, 24, 20, 15, 13, 0.5, 2, 1.5),
    (True, "public"): (44, 20, 10, 3, 2, 4.5, 12, 4.5),
    (True, "follow_up"): (32, 44, 6, 1, 1, 0, 6, 10),
    (False, "crisis"): (36, 6, 8, 18, 14, 5, 8, 5),
    (False, "suicide"): (19, 4, 10, 34, 28, 1, 2, 2),
    (False, "public"): (48, 3, 3, 6, 4, 13, 15, 8),
}
_UNABLE, _ARREST = _D.UNABLE_TO_LOCATE.value, _D.ARREST.value
_TRANSPORT = {_D.VOLUNTARY_TRANSPORT.value, _D.ED_TRANSPORT.value, _D.INVOLUNTARY_HOLD.value}
_FORCEFUL = {_D.ARREST.value, _D.INVOLUNTARY_HOLD.value}
# Cumulative chances of use of force, else subject injured, else officer injured, else
# responder injured, by whether the unit was on scene; four times as high on arrests and
# involuntary holds.
HARM = {True: (0.005, 0.010, 0.012, 0.0135), False: (0.022, 0.034, 0.040, 0.040)}

# Calls by hour of day (low overnight, afternoon and evening peak) and day of week.
HOURLY = (0.55, 0.45, 0.35, 0.28, 0.25, 0.27, 0.35, 0.5, 0.7, 0.9, 1.0, 1.1,
          1.15, 1.2, 1.3, 1.4, 1.45, 1.45, 1.4, 1.3, 1.15, 1.0, 0.85, 0.7)
WEEKDAY = (1.0, 0.97, 0.98, 1.0, 1.08, 1.07, 0.92)
# Daily means of the streams at the default volume (about 20,000 calls in three years).
DISPATCH_PER_DAY = 8.4
PATROL_ORIGIN_PER_DAY = 6.2
SELF_PER_SHIFT_HOUR = 0.07
FOLLOW_UPS_PER_DAY = (2.4, 2.4, 2.4, 2.4, 2.2, 0.8, 0.6)
PATROL_ASKS = 0.88  # chance patrol asks for the unit when it is on shift (before the erosion)
RECURRING_SHARE = 0.35  # calls about someone from the pool of people seen again
RECURRING_PEOPLE_PER_CALL = 0.12  # size of that pool
POOL_TRIES = 4  # draws from the pool before a call is about someone new instead
PATROL_ALONE_BUILDING = 0.6  # calls patrol handles alone about someone whose crisis builds
LOOKUP = 1024  # length of the tables categorical values are drawn from
DAY = 86_400


def _hour_tables() -> list[list[float]]:
    """Cumulative hourly weights for each day of the week."""
    tables = []
    for wd in range(7):
        w = list(HOURLY)
        if wd in (4, 5):  # Friday and Saturday evenings
            w[20:24] = [x * 1.2 for x in w[20:24]]
        if wd in (5, 6):  # the small hours after them
            w[0:3] = [x * 1.35 for x in w[0:3]]
        tables.append(list(accumulate(w)))
    return tables


def _season(d: date) -> float:
    """Summer higher, winter lower, with a small bump over the winter holidays."""
    f = 1.0 + 0.12 * math.cos(2 * math.pi * (d.timetuple().tm_yday - 196) / 365.25)
    if (d.month == 12 and d.day >= 18) or (d.month == 1 and d.day <= 3):
        f *= 1.1
    return f


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


class _Picker:
    """Weighted choice by bisection over cumulative weights."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1] if self.cum else 0.0
        self.last = len(self.items) - 1

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect(self.cum, rng.random() * self.total, 0, self.last)]


def _lookup(pairs: Sequence[tuple[Any, float]]) -> list[Any]:
    """A LOOKUP-long table to draw from with one random(): each item as often as its weight."""
    total = sum(w for _, w in pairs)
    exact = [w / total * LOOKUP for _, w in pairs]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(pairs)), key=lambda j: counts[j] - exact[j])
    for j in by_remainder[:LOOKUP - sum(counts)]:
        counts[j] += 1
    return [item for (item, _), n in zip(pairs, counts, strict=True) for _ in range(n)]


def _lognormal_table(median_minutes: float, sigma: float) -> list[float]:
    """LOOKUP quantiles of a log-normal duration, in seconds."""
    z = NormalDist()
    return [60 * median_minutes * math.exp(sigma * z.inv_cdf((k + 0.5) / LOOKUP))
            for k in range(LOOKUP)]
