"""Deadlines in business days: weekdays that are neither a public holiday of the
program's state nor one of the program's own closure days.

A step that takes n business days and starts on day d is due on the n-th business day
after d (d itself does not count, whatever it is). A deadline therefore never falls on
a weekend, a holiday or a closure day: it moves on to the next business day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import holidays

from console.errors import UserError


@dataclass(frozen=True)
class BusinessCalendar:
    """Which days count, for one program."""

    country: str = "US"
    subdivision: str | None = None
    closures: frozenset[dt.date] = field(default_factory=frozenset)

    @cached_property
    def _holidays(self) -> holidays.HolidayBase:
        try:
            return holidays.country_holidays(self.country, subdiv=self.subdivision)
        except NotImplementedError:
            where = f"{self.country}-{self.subdivision}" if self.subdivision else self.country
            raise UserError(f"complaint deadlines: no public holidays are known for {where!r}; "
                            "set an ISO country and state such as US and IL") from None

    def is_business_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self._holidays and day not in self.closures

    def holiday_name(self, day: dt.date) -> str | None:
        if day in self.closures:
            return "program closure"
        return self._holidays.get(day)

    def add(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th business day after `start` (0: start itself)."""
        if days < 0:
            raise ValueError("days must not be negative")
        day, left = start, days
        while left:
            day += dt.timedelta(days=1)
            if self.is_business_day(day):
                left -= 1
        return day

    def between(self, start: dt.date, end: dt.date) -> int:
        """Business days after `start` up to and including `end` (negative when end < start)."""
        if end < start:
            return -self.between(end, start)
        return sum(1 for k in range(1, (end - start).days + 1)
                   if self.is_business_day(start + dt.timedelta(days=k)))


def calendar_for(country: str, subdivision: str | None,
                 closures: Iterable[dt.date] = ()) -> BusinessCalendar:
    return BusinessCalendar(country.upper(), subdivision.upper() if subdivision else None,
                            frozenset(closures))


def check_subdivision(country: str, subdivision: str | None) -> None:
    """Raise UserError unless the holidays package knows the state (e.g. 'IL')."""
    if subdivision is None:
        return
    try:
        holidays.country_holidays(country.upper(), subdiv=subdivision.upper())
    except NotImplementedError:
        raise UserError(f"complaint deadlines: {subdivision!r} is not a state or province of "
                        f"{country!r} that public holidays are known for "
                        "(e.g. 'IL' for Illinois)") from None
