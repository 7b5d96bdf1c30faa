"""The demo's people over time: crises that build up, a first meeting, and what follows.

A person from the pool of people seen again (calls.py) is called about more and more as
their crisis builds (ESCALATION); most of those early calls are handled by patrol alone,
because the unit meets someone only once their calls have piled up (`meets`). After the
first meeting their calls ease somewhat on their own (regression to the mean: people are
met near their worst), and their first referral decides the rest: connected to care by a
warm handoff and accepted, their calls fall to a fifth; accepted after a number handed
over, to under half, and only once they get there (days to weeks later); declined,
no-show or never referred, not at all. A few chronic high utilizers change little
whatever happens. The referral itself (provider, warm or not, reached or not, first
service) is decided here, as the call is drawn, because it shapes the calls that follow;
referrals.py writes it with the details that do not. All of it draws from random numbers
of its own (`_Paths.rng`), so the calls are drawn exactly as without it.
"""

from __future__ import annotations

import math
import random
from typing import NamedTuple

from console.data.enums import Disposition
from console.data.referral_enums import ReferralResult
from console.services.demo.providers import (
    PROVIDERS,
    after_hours,
    answer_chance,
    open_at,
)
from console.services.demo.world import DAY, _Picker

LOW, PEAK = 0.3, 2.0  # a person's call rate at the start of their crisis and at its height
ESCALATION_DAYS = 150  # from LOW to PEAK
SETTLE_DAYS = 60  # after the first meeting, the rate drifts down toward SETTLED
SETTLED = 0.7
CHRONIC_FLOOR = 0.6  # the high utilizers' calls fall at most to this share
# Chance the unit meets an unmet person on a call it attends, by their calls so far.
MEET_FIRST, MEET_STEP = 0.08, 0.18
# After a first referral accepted: warm handoff that reached the provider, else.
AFTER_WARM, AFTER_COLD = 0.2, 0.45
COLD_ACCEPTED = 0.35  # a number handed over (or a handoff nobody answered) that is used
# Referral chance by disposition of a call the unit attended with a person.
REFER = {Disposition.REFERRED.value: 1.0, Disposition.RESOLVED_ON_SCENE.value: 0.22,
         Disposition.VOLUNTARY_TRANSPORT.value: 0.55}
WARM_OFFICE, WARM_AFTER_HOURS = 0.8, 0.6  # chance the responder tries a warm handoff
HOUR = 3600


class ReferralPlan(NamedTuple):
    """A referral decided as its call was drawn; seconds from the demo's first midnight."""

    call_id: int
    person_id: int
    provider: int  # index into PROVIDERS
    warm: bool
    referred_s: int
    contact_made: bool | None  # None: information only, nobody was called
    attempts: int
    first_service_s: int | None
    result: str  # a ReferralResult value
    staff: tuple[int, ...]  # who attended: the responder first


class _Paths:
    """Pool people's states, indexed like calls.py's pool (k)."""

    def __init__(self, rng: random.Random, n: int, n_high: int,
                 windows: list[tuple[int, int]], first_weekday: int, falters_day: int) -> None:
        self.rng, self.n_high, self.windows = rng, n_high, windows
        self.first_weekday, self.falters_day = first_weekday, falters_day
        self.calls = [0] * n  # crisis calls about them so far
        self.met = [-1] * n  # day of the first meeting
        self.met_level = [1.0] * n
        self.target = [1.0] * n  # what their first referral does to their rate
        self.onset = [math.inf] * n  # from this day
        self.referred = bytearray(n)
        self.plans: list[ReferralPlan] = []
        any_hour = [(p, s.weight) for p, s in enumerate(PROVIDERS)]
        self.any_provider = _Picker([p for p, _ in any_hour], [w for _, w in any_hour])
        # Providers open at each (weekday, hour): the ones a warm handoff can reach.
        self.open_now = [[_Picker(*zip(*[(p, s.weight) for p, s in enumerate(PROVIDERS)
                                          if open_at(s, wd, h)], strict=True))
                          for h in range(24)] for wd in range(7)]

    def level(self, k: int, day: int) -> float:
        """Person k's call rate on `day`, relative to their usual (at most PEAK)."""
        if k < self.n_high:
            return 1.0 if day < self.onset[k] else max(CHRONIC_FLOOR, self.target[k])
        met = self.met[k]
        if met < 0:
            start = self.windows[k][0]
            return LOW + (PEAK - LOW) * min(1.0, max(0, day - start) / ESCALATION_DAYS)
        level = SETTLED + (self.met_level[k] - SETTLED) * math.exp(-(day - met) / SETTLE_DAYS)
        return level * self.target[k] if day >= self.onset[k] else level

    def meets(self, k: int) -> bool:
        """Whether a call the unit attends may be its first meeting with person k."""
        if self.met[k] >= 0 or k < self.n_high:
            return True
        return self.rng.random() < MEET_FIRST + MEET_STEP * self.calls[k]

    def called(self, k: int, day: int, attended: bool) -> None:
        """Record a crisis call about pool person k."""
        if attended and self.met[k] < 0:
            self.met[k] = day
            self.met_level[k] = max(SETTLED, self.level(k, day))
        self.calls[k] += 1

    def refer(self, call_id: int, person: int, k: int | None, disposition: str,
              arrived: int, cleared: int, staff: tuple[int, ...]) -> None:
        """Maybe a referral on a call the unit attended; k: the pool person, if one."""
        rand = self.rng.random
        if not staff or rand() >= REFER.get(disposition, 0.0):
            return
        referred = arrived + int((cleared - arrived) * (0.3 + 0.6 * rand()))
        day, hour = referred // DAY, referred % DAY // HOUR
        weekday = (self.first_weekday + day) % 7
        late = after_hours(weekday, hour)
        warm = rand() < (WARM_AFTER_HOURS if late else WARM_OFFICE)
        provider: int = (self.open_now[weekday][hour] if warm else self.any_provider)(self.rng)
        contact: bool | None = None
        attempts = 0
        if warm:
            contact = rand() < answer_chance(provider, day, late, self.falters_day)
            attempts = 1 + (rand() < 0.3) if contact else 2 + int(rand() * 3)
        result, wait = self._result(warm and bool(contact))
        first = None if wait is None else referred + wait
        self.plans.append(ReferralPlan(call_id, person, provider, warm, referred, contact,
                                       attempts, first, result, staff))
        if k is not None and not self.referred[k]:
            self.referred[k] = 1
            if result == ReferralResult.ACCEPTED.value and first is not None:
                self.target[k] = AFTER_WARM if warm and contact else AFTER_COLD
                self.onset[k] = first // DAY + 1

    def _result(self, connected: bool) -> tuple[str, int | None]:
        """Accepted, declined or no-show, and seconds from the referral to first service.

        Reached in real time: hours to a few days, most accepted. A number handed over
        (or a warm handoff nobody answered): days to weeks, when it happens at all.
        """
        r = self.rng.random()
        if connected:
            if r < 0.8:  # capped: a handoff that takes longer than that did not connect
                return ReferralResult.ACCEPTED.value, int(
                    HOUR * min(96.0, self.rng.lognormvariate(math.log(16), 0.8)))
            return (ReferralResult.DECLINED if r < 0.9 else ReferralResult.NO_SHOW).value, None
        if r < COLD_ACCEPTED:
            return ReferralResult.ACCEPTED.value, int(
                DAY * self.rng.lognormvariate(math.log(8), 0.7))
        declined = r < COLD_ACCEPTED + 0.15
        return (ReferralResult.DECLINED if declined else ReferralResult.NO_SHOW).value, None
