"""The demo's provider network: who the unit refers to, when each answers.

Ten invented services around Port Alder. Warm handoffs go to providers open at that hour
(the 24-hour ones at night); information-only referrals may name any of them. One of the
24-hour providers, Riverbend Recovery Center, stops answering its night intake line in
the demo's last months (`DemoTimeline.provider_falters`): part of the erosion episode,
visible only in the referrals the unit logs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from console.data.models import Provider
from console.data.referral_enums import ProviderService, VettingStatus
from console.services.demo.timeline import DemoTimeline, Row
from console.services.demo.writing import _Writer
from console.services.office_hours import DAY_END, office_hour_of

_S = ProviderService
FALTER_RAMP_DAYS = 14  # the night line goes from answering to not over two weeks
AFTER_HOURS_ANSWER_FALTERED = 0.1


@dataclass(frozen=True)
class _Spec:
    """A provider as the demo knows it. `open_` is (weekdays only, from hour, to hour),
    None for 24 hours; `weight` how often the unit thinks of it."""

    name: str
    services: tuple[ProviderService, ...]
    catchment: str
    contacts: str
    hours: str
    open_: tuple[bool, int, int] | None
    weight: float
    answers: float  # share of real-time calls it picks up while open
    vetting: VettingStatus
    vetted_years_before: float | None  # before the demo's start; None: never
    mou: tuple[int, int] | None  # (days before start signed, days after end renewal due)
    notes: str

    @property
    def after_hours(self) -> bool:
        return self.open_ is None or not self.open_[0] or self.open_[2] > DAY_END


PROVIDERS: tuple[_Spec, ...] = (
    _Spec("Harbor Street Crisis Stabilization Center",
          (_S.CRISIS_STABILIZATION, _S.PSYCHIATRIC_URGENT_CARE), "Citywide; adults 18+",
          "Intake desk (24 h) 555-0142; clinical director Dr. Ruth Okonkwo",
          "24 hours, 7 days", None, 3.0, 0.92, VettingStatus.VETTED, 0.6, (240, 420),
          "Takes drop-offs from patrol and the unit; no medical clearance needed unless "
          "injured. Call ahead from the scene."),
    _Spec("Riverbend Recovery Center", (_S.DETOX, _S.CRISIS_STABILIZATION, _S.PEER_SUPPORT),
          "Port Alder and Marlow County", "24-hour intake line 555-0187; admissions nurse",
          "Intake 24 hours, 7 days; detox admissions around the clock", None, 3.0, 0.86,
          VettingStatus.VETTED, 0.8, (300, 250),
          "Night intake through the charge nurse. Medically monitored detox, 16 beds."),
    _Spec("Alder Valley Mobile Crisis Team", (_S.MOBILE_CRISIS,), "Citywide",
          "Crisis line 555-0100 (ask for the mobile team)", "24 hours, 7 days", None, 1.6,
          0.9, VettingStatus.VETTED, 0.3, (200, 700),
          "The partner agency's own team: for people the unit cannot stay with."),
    _Spec("Alder Valley Behavioral Health Outpatient Clinic",
          (_S.OUTPATIENT, _S.CASE_MANAGEMENT), "Citywide",
          "Front desk 555-0110; same-day access coordinator",
          "Mon-Fri 08:00-17:00; walk-in assessments 08:00-11:00", (True, 8, 17), 3.2, 0.93,
          VettingStatus.VETTED, 0.3, (200, 700),
          "Same-day intake when called before noon; bring ID if possible."),
    _Spec("Port Alder Peer Warmline", (_S.PEER_SUPPORT,), "Citywide and by phone statewide",
          "Warmline 555-0133", "Daily 16:00-23:00", (False, 16, 23), 1.0, 0.84,
          VettingStatus.VETTED, 0.5, (150, 380),
          "Peers with lived experience; good for people who refuse clinical services."),
    _Spec("Northside Housing Navigation", (_S.HOUSING, _S.CASE_MANAGEMENT),
          "North and Central precincts", "Navigator on call 555-0160; program manager",
          "Mon-Fri 09:00-17:00", (True, 9, 17), 1.8, 0.88, VettingStatus.VETTED, 0.4,
          (330, 24),
          "Coordinated-entry assessments; shelter beds through the navigator only."),
    _Spec("St. Brigid's Psychiatric Urgent Care", (_S.PSYCHIATRIC_URGENT_CARE,),
          "Port Alder; walk-ins from the county", "Triage nurse 555-0175",
          "Mon-Sat 08:00-20:00", (False, 8, 20), 1.5, 0.9, VettingStatus.VETTED, 0.7,
          (260, 510), "Medication bridging; prescriber on site until 19:00."),
    _Spec("Marlow County Veterans Outreach", (_S.CASE_MANAGEMENT, _S.PEER_SUPPORT,
                                              _S.OUTPATIENT),
          "Veterans in Marlow County", "Outreach coordinator 555-0191",
          "Mon-Fri 08:00-16:30", (True, 8, 16), 0.7, 0.87, VettingStatus.VETTED, 0.9,
          (120, 600), "Ask whether the person served; eligibility checked by the VA later."),
    _Spec("Lighthouse Youth and Family Services", (_S.OUTPATIENT, _S.CRISIS_STABILIZATION),
          "Youth 12-24 and their families, citywide", "Intake 555-0122",
          "Mon-Fri 09:00-17:00", (True, 9, 17), 0.8, 0.88, VettingStatus.LAPSED, 2.2, None,
          "Vetting lapsed: the annual site visit is overdue. Youth respite beds (6)."),
    _Spec("New Dawn Sober Living", (_S.HOUSING, _S.PEER_SUPPORT), "East precinct",
          "House manager 555-0199", "Mon-Fri 10:00-16:00 (phone)", (True, 10, 16), 0.4,
          0.7, VettingStatus.NOT_VETTED, None, None,
          "Named by patrol officers; no site visit yet. Confirm fees before referring."),
)
FALTERING = 1  # Riverbend: the night intake line stops being answered


def open_at(spec: _Spec, weekday: int, hour: int) -> bool:
    if spec.open_ is None:
        return True
    weekdays_only, start, end = spec.open_
    return (weekday < 5 or not weekdays_only) and start <= hour < end


def after_hours(weekday: int, hour: int) -> bool:
    """Outside office hours as the scorecard counts them (console.services.office_hours):
    when only some providers pick up."""
    return not office_hour_of(weekday, hour)


def answer_chance(p: int, day: int, late: bool, falters_day: int) -> float:
    """How likely provider `p` picks up a real-time call `day` days into the demo."""
    chance = PROVIDERS[p].answers
    if p == FALTERING and late and day >= falters_day:
        drop = min(1.0, (day - falters_day) / FALTER_RAMP_DAYS)
        chance += (AFTER_HOURS_ANSWER_FALTERED - chance) * drop
    return chance


def write_providers(out: _Writer, tl: DemoTimeline, program_id: int, vetter: str) -> None:
    """The provider rows, vetted by the clinical program manager at their dates."""
    rows: list[Row] = []
    for i, p in enumerate(PROVIDERS, 1):
        vetted_on = None if p.vetted_years_before is None else \
            tl.start - timedelta(days=math.floor(365 * p.vetted_years_before))
        signed = due = None
        if p.mou is not None:
            signed = tl.start - timedelta(days=p.mou[0])
            due = tl.end + timedelta(days=p.mou[1])
        rows.append({
            "id": i, "program_id": program_id, "name": p.name,
            "services": ",".join(s.value for s in p.services), "catchment": p.catchment,
            "contacts": p.contacts, "hours": p.hours, "after_hours": p.after_hours,
            "vetting": p.vetting.value, "vetted_on": vetted_on,
            "vetted_by": vetter if vetted_on is not None else None,
            "mou_signed_on": signed, "mou_renewal_due": due, "notes": p.notes,
            "retired_on": None,
        })
    out.write(Provider.__table__, rows)



def falters_day(tl: DemoTimeline) -> int:
    return (tl.provider_falters - tl.start).days
