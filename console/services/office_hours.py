"""Office hours against after hours: one definition for the indicators, the schedule's
coverage and the provider scorecard.

Office hours are 08:00-18:00 on weekdays; evenings, nights and weekends are after hours,
when most crises happen and the first hours a budget cut or a provider drops.
"""

from __future__ import annotations

import datetime as dt

DAY_START, DAY_END = 8, 18


def office_hour(at: dt.datetime) -> bool:
    """Whether a local wall-clock time falls in office hours."""
    return office_hour_of(at.weekday(), at.hour)


def office_hour_of(weekday: int, hour: int) -> bool:
    """Whether an hour of the week (Monday 0) is an office hour."""
    return weekday < 5 and DAY_START <= hour < DAY_END
