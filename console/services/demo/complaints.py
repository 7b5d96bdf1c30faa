"""The demo's complaints: three years of cases through the real workflow, two overdue at the end.

Written through console.services.complaints.engine, so every case has the history,
checklist, deadlines and sealed narrative a real one has. Its own random.Random, seeded
from the demo's seed: the calls and staff of the demo draw exactly what they drew before.
Most complaints are resolved informally or by a supervisor review, a few need a full
review; about one in twelve is withdrawn. Every step finishes within its deadline except
on two cases still open at the end: an acknowledgement nobody sent, and a full review
that ran past its 90 business days.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.data.complaint_enums import (
    AllegationCategory,
    Channel,
    ChecklistStatus,
    Classification,
    Finding,
)
from console.data.crypto import Vault
from console.data.enums import StaffRole
from console.data.models import (
    Call,
    ClosureDay,
    Complaint,
    ComplaintSettings,
    ReportingLine,
    call_responder,
)
from console.services.complaints import engine
from console.services.complaints.deadlines import BusinessCalendar
from console.services.complaints.engine import Intake, Request
from console.services.complaints.standing import reviewer_conflict
from console.services.complaints.workflow import WorkflowAction, required_documents
from console.services.demo.timeline import DemoTimeline, Row
from console.services.demo.world import FIRST_NAMES, LAST_NAMES

A, C = WorkflowAction, AllegationCategory
CHIEF = "demo"  # the demo supervisor's account
STATE = "IL"
_NARRATIVES = {
    C.COMMUNICATION: "Says the responder talked over {them} and never explained why the "
                     "officers stayed; the family left the scene not knowing where {they} "
                     "had been taken.",
    C.CONDUCT: "Says the responder was dismissive on the porch, rolled their eyes at {them} "
               "and told the neighbours it was 'another one of these calls'.",
    C.CLINICAL_PRACTICE: "Says the risk assessment took five minutes, nobody asked about "
                         "{their} medication, and the referral given was to a clinic that "
                         "closed last year.",
    C.POLICY: "Says {they} asked for the unit and patrol handled the call alone, and that "
              "no follow-up visit came although one was promised.",
    C.CONFIDENTIALITY: "Says details of {their} mental-health history were discussed in "
                       "front of a neighbour and later repeated at {their} workplace.",
    C.BIAS: "Says the responder assumed {they} were using drugs because of where {they} "
            "live and would not consider a medical cause.",
}
_PRONOUNS = [("him", "he", "his"), ("her", "she", "her"), ("them", "they", "their")]


@dataclass(frozen=True)
class _Plan:
    received: date
    channel: Channel
    categories: tuple[AllegationCategory, ...]
    subjects: tuple[int, ...]
    classification: Classification
    withdraw_after: int | None  # steps taken before a withdrawal
    finding: Finding
    stuck: str = ""  # "acknowledge" or "review": the overdue cases at the end


def write_complaints(session: Session, vault: Vault, tl: DemoTimeline, seed: int,
                     staff_rows: list[Row], unit_ids: set[int], program_id: int) -> int:
    """Settings, reporting lines and cases; returns how many cases were written."""
    rng = random.Random(f"complaints:{seed}")
    session.add(ComplaintSettings(program_id=program_id, country="US", subdivision=STATE))
    for year in range(tl.start.year, tl.end.year + 1):
        session.add(ClosureDay(program_id=program_id, day=date(year, 12, 24),
                               label="City offices closed (Christmas Eve)"))
    staff = {r["id"]: r for r in staff_rows}
    _reporting_lines(session, staff_rows, unit_ids)
    session.flush()
    cal = engine.calendar(session, program_id)
    reviewers = [r["id"] for r in staff_rows
                 if r["role"] == StaffRole.SWORN_OFFICER.value and r["rank"] == "Sergeant"
                 and r["separated_on"] is None and r["id"] not in unit_ids]
    plans = _plans(rng, tl, cal, staff_rows)
    for plan in plans:
        _write_case(session, vault, rng, cal, tl, plan, staff, reviewers)
    return len(plans)


def _reporting_lines(session: Session, rows: list[Row], unit_ids: set[int]) -> None:
    """Responders and interns report to the clinical manager, the unit's officers to the
    unit sergeant; patrol officers to nobody recorded here (outside the unit)."""
    sergeant = next(r["id"] for r in rows if r["role"] == StaffRole.SUPERVISOR.value
                    and r["rank"] == "Sergeant")
    manager = next(r["id"] for r in rows if r["role"] == StaffRole.SUPERVISOR.value
                   and r["id"] != sergeant)
    for r in rows:
        if r["role"] in (StaffRole.MH_RESPONDER.value, StaffRole.INTERN.value):
            session.add(ReportingLine(staff_id=r["id"], supervisor_id=manager))
        elif r["role"] == StaffRole.SWORN_OFFICER.value and r["id"] in unit_ids:
            session.add(ReportingLine(staff_id=r["id"], supervisor_id=sergeant))


def _active_unit(rows: list[Row], day: date) -> list[int]:
    unit = (StaffRole.MH_RESPONDER.value, StaffRole.INTERN.value)
    return [r["id"] for r in rows if r["role"] in unit and r["hired_on"] <= day
            and (r["separated_on"] is None or day < r["separated_on"])]


def _plans(rng: random.Random, tl: DemoTimeline, cal: BusinessCalendar,
           rows: list[Row]) -> list[_Plan]:
    plans: list[_Plan] = []
    day = tl.start + timedelta(days=rng.randrange(10, 40))
    while day < tl.end - timedelta(days=5):
        unit = _active_unit(rows, day)
        if unit and cal.is_business_day(day):
            plans.append(_plan(rng, day, unit))
        day += timedelta(days=rng.randrange(8, 42))
    # The two overdue at the end: a full review past its deadline, an unsent acknowledgement.
    review_start = tl.end - timedelta(days=190)
    while not cal.is_business_day(review_start):
        review_start -= timedelta(days=1)
    unit = _active_unit(rows, review_start)
    plans.append(_plan(rng, review_start, unit, stuck="review"))
    late_ack = tl.end - timedelta(days=12)
    while not cal.is_business_day(late_ack):
        late_ack -= timedelta(days=1)
    plans.append(_plan(rng, late_ack, _active_unit(rows, late_ack), stuck="acknowledge"))
    return sorted(plans, key=lambda p: p.received)


def _plan(rng: random.Random, day: date, unit: list[int], stuck: str = "") -> _Plan:
    channel = rng.choices(list(Channel), weights=(30, 30, 10, 10, 10, 10))[0]
    categories = tuple(sorted(set(rng.choices(
        list(AllegationCategory), weights=(25, 15, 35, 12, 8, 5), k=rng.choice((1, 1, 2))))))
    roll = rng.random()
    classification = (Classification.INFORMAL_RESOLUTION if roll < 0.5
                      else Classification.SUPERVISOR_REVIEW if roll < 0.85
                      else Classification.FULL_REVIEW)
    if stuck == "review":
        classification = Classification.FULL_REVIEW
    finding = rng.choices(list(Finding), weights=(15, 35, 20, 15, 15))[0]
    withdraw = rng.randrange(1, 4) if rng.random() < 0.08 and not stuck else None
    subjects = (rng.choice(unit),) if rng.random() < 0.85 or len(unit) < 2 \
        else tuple(sorted(rng.sample(unit, 2)))
    return _Plan(day, channel, categories, subjects, classification, withdraw, finding, stuck)


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randrange(8, 17), rng.randrange(60)))


def _username(name: str) -> str:
    first, _, last = name.partition(" ")
    return f"{first[0]}.{last}".lower().replace(" ", "")


def _write_case(session: Session, vault: Vault, rng: random.Random, cal: BusinessCalendar,
                tl: DemoTimeline, plan: _Plan, staff: dict[int, Row],
                reviewers: list[int]) -> None:
    anonymous = plan.channel is Channel.ANONYMOUS
    them, they, their = rng.choice(_PRONOUNS)
    narrative = " ".join(_NARRATIVES[c].format(them=them, they=they, their=their)
                         for c in plan.categories)
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    call_id = _call_for(session, plan.subjects[0], plan.received)
    clock = _at(plan.received, rng)
    case = engine.record_intake(session, vault, CHIEF, Intake(
        received_on=plan.received, channel=plan.channel, narrative=narrative,
        subject_ids=plan.subjects, categories=plan.categories, anonymous=anonymous,
        complainant_name="" if anonymous else name,
        complainant_contact="" if anonymous else f"555-{rng.randrange(100, 10000):04d}",
        call_id=call_id, note=f"Received by {plan.channel.label.lower()} channel."),
        at=clock)
    if plan.stuck == "acknowledge":
        return
    reviewer = next(r for r in rng.sample(reviewers, len(reviewers))
                    if reviewer_conflict(session, r, set(plan.subjects)) is None)
    reviewer_user = _username(staff[reviewer]["display_name"])
    steps = _steps(plan, reviewer, reviewer_user)
    day = plan.received
    for i, (request, actor, limit) in enumerate(steps):
        if plan.withdraw_after is not None and i == plan.withdraw_after:
            request, actor = _WITHDRAWAL, CHIEF
        if plan.stuck == "review" and request.action is A.PROPOSE_FINDINGS:
            return  # the review that ran past its deadline: still under review at the end
        done = cal.add(day, rng.randrange(max(1, limit // 4), limit + 1))
        if rng.random() < 0.1:  # a step that ran late, long enough ago to be over now
            late = cal.add(day, limit + rng.randrange(2, limit // 2 + 4))
            done = late if late < tl.end - timedelta(days=60) else done
        if done >= tl.end:
            return  # still in this step at the end of the demo, within its deadline
        day = done
        clock = max(_at(day, rng), clock + timedelta(minutes=5))
        _documents(session, vault, case, request.action, actor, clock)
        clock += timedelta(minutes=rng.randrange(5, 90))
        engine.apply(session, vault, actor, case, request, at=clock)
        if request.action is A.WITHDRAW:
            return


_WITHDRAWAL = Request(A.WITHDRAW, "The complainant asked to withdraw the complaint after "
                                  "a call with the supervisor.")


def _steps(plan: _Plan, reviewer: int, user: str) -> list[tuple[Request, str, int]]:
    """(request, who, most business days it may take) for each step of the plan's path."""
    ack = (Request(A.ACKNOWLEDGE, "Acknowledged; the complainant was told who reviews it."),
           CHIEF, 3)
    if plan.classification is Classification.INFORMAL_RESOLUTION:
        return [ack, (Request(A.RESOLVE_INFORMALLY, "Met the complainant with the responder's "
                                                    "supervisor; explanation accepted."),
                      CHIEF, 25)]
    full = plan.classification is Classification.FULL_REVIEW
    return [
        ack,
        (Request(A.ASSIGN, "Classified and assigned outside the subject's chain.",
                 reviewer_id=reviewer, classification=plan.classification), CHIEF, 20),
        (Request(A.BEGIN_REVIEW, "Subject notified; review begun."), user, 10),
        (Request(A.PROPOSE_FINDINGS, "Review report filed.", finding=plan.finding), user,
         70 if full else 35),
        (Request(A.DECIDE, "Command decision recorded.",
                 decision=_decision(plan.finding)), CHIEF, 10),
        (Request(A.CLOSE, "Case closed.", closing_letter="" if plan.channel is Channel.ANONYMOUS
                 else "Thank you for telling us about this call. We reviewed it and have "
                      "written to you about what we found and what changes."), CHIEF, 8),
    ]


def _decision(finding: Finding) -> str:
    return {
        Finding.SUSTAINED: "Concur: sustained. Written counselling and a supervised "
                           "ride-along review.",
        Finding.POLICY_OR_TRAINING: "Concur: the policy was unclear; training bulletin issued "
                                    "to the unit.",
    }.get(finding, f"Concur with the reviewer: {finding.label.lower()}.")


def _documents(session: Session, vault: Vault, case: Complaint, action: WorkflowAction,
               actor: str, at: datetime) -> None:
    categories = frozenset(c.category for c in case.categories)
    for kind in required_documents(action, case.classification, categories):
        item = next((i for i in case.checklist if i.kind is kind), None)
        if item is not None and item.status is ChecklistStatus.OPEN:
            engine.mark_document(session, vault, actor, case, kind, ChecklistStatus.DONE,
                                 "", at=at)


def _call_for(session: Session, staff_id: int, received: date) -> int | None:
    """A call the subject responded to in the two weeks before the complaint, if any."""
    start = datetime.combine(received - timedelta(days=14), time())
    return session.scalar(
        select(Call.id).join(call_responder, call_responder.c.call_id == Call.id)
        .where(call_responder.c.staff_id == staff_id, Call.received_at >= start,
               Call.received_at < datetime.combine(received, time()))
        .order_by(Call.received_at.desc()).limit(1))

