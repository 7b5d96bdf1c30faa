"""The demo's people beyond the roster: separation reasons, leave, credentials, cross
training, the leadership bench, partner programs and the intern pipeline.

Written after everything else from its own random.Random (seeded from the demo's seed),
so the calls and shifts drawn before stay exactly as they were. The pipeline thins out
in the erosion episode: fewer applicants, withdrawals after the new chief arrives, and
no offers once the hiring freeze starts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from console.data.base import sealed_purpose
from console.data.crypto import Vault
from console.data.enums import StaffRole
from console.data.models import (
    BenchActivity,
    BenchCandidate,
    Candidate,
    CandidateStage,
    Credential,
    CrossTraining,
    Evaluation,
    PartnerProgram,
    Position,
    PositionAssignment,
    StaffLeave,
    StaffMember,
)
from console.data.models.pipeline import RUBRIC
from console.data.people_enums import (
    BenchActivityKind,
    CredentialKind,
    EvaluationKind,
    LeaveKind,
    ProtectedRole,
    Readiness,
    SeparationReason,
    Stage,
)
from console.services.demo.roster import _Member
from console.services.demo.timeline import DemoTimeline, Row
from console.services.demo.world import FIRST_NAMES, LAST_NAMES
from console.services.demo.writing import _Writer

PEOPLE_TABLES = ("staff_leave", "credential", "cross_training", "bench_candidate",
                 "bench_activity", "partner_program", "candidate", "candidate_stage",
                 "evaluation")
COHORTS = 3
SEATS = 2  # practicum seats a year
APPLY_DAYS_BEFORE = 190  # applications open this long before the placement starts
# What becomes of each applicant of a cohort: healthy years place two interns who are
# hired; in the cohort finishing under the hiring freeze one intern leaves after the new
# chief arrives and the other, offered nothing, goes elsewhere; the cohort recruiting
# after the new chief arrives draws half the applicants, and half of those leave.
FATES = {
    "healthy": ("hired", "hired", "screen_out", "screen_out", "interview_out",
                "interview_out", "no_seat", "no_seat", "no_seat"),
    "frozen": ("frozen", "frozen_left", "screen_out", "screen_out", "interview_out",
               "interview_out", "no_seat", "no_seat", "no_seat"),
    "recruiting": ("open", "open", "left_chief", "left_chief"),
}
# Days from the placement date (late August) at which a placed intern reaches each stage.
PLACED_STEPS = ((Stage.MID_EVALUATION, 100), (Stage.FINAL_EVALUATION, 220),
                (Stage.OFFERED, 250), (Stage.HIRED, 285))


@dataclass(frozen=True)
class _Staff:
    id: int
    name: str
    role: StaffRole
    hired: date
    separated: date | None
    rank: str | None


def write_people(session: Session, out: _Writer, vault: Vault, rng: random.Random,
                 tl: DemoTimeline, unit: list[_Member], program_id: int) -> None:
    staff = {s.id: _Staff(s.id, s.display_name, s.role, s.hired_on, s.separated_on, s.rank)
             for s in session.scalars(select(StaffMember))}
    holds = session.execute(select(Position.id, Position.title, PositionAssignment.staff_id,
                                   PositionAssignment.start_on, PositionAssignment.end_on)
                            .join(PositionAssignment)
                            .order_by(Position.id, PositionAssignment.start_on)).tuples().all()
    current = [(pid, title, sid) for pid, title, sid, _, end in holds if end is None]
    _separations(session, rng, tl, staff)
    _leave(out, tl, unit, staff)
    _credentials(out, rng, tl, staff, current)
    _cross_training(out, rng, tl, current)
    leaver = next((person for _p, title, person, _s, end in holds
                   if end == tl.responder_separates and title.startswith("Mental-Health")),
                  None)
    _bench(session, out, tl, staff, current, program_id, leaver)
    managers = [staff[sid].name for _, title, sid in current if title.startswith("Clinical")]
    # The interns in the seats each year: the placed candidates of their cohort.
    interns: dict[date, list[tuple[str, int]]] = {}
    for _pos, title, person, start, _end in holds:
        if title.startswith("Graduate Intern"):
            interns.setdefault(start, []).append(
                (staff[person].name, 1 if "Social work" in title else 2))
    _pipeline(out, vault, rng, tl, managers[0] if managers else "Clinical program manager",
              program_id, interns)


def _separations(session: Session, rng: random.Random, tl: DemoTimeline,
                 staff: dict[int, _Staff]) -> None:
    """Why each member of staff who left did so (interns' placements simply end)."""
    for s in sorted(staff.values(), key=lambda x: x.id):
        if s.separated is None or s.role is StaffRole.INTERN:
            continue
        if s.role is StaffRole.SWORN_OFFICER:
            reason = rng.choice((SeparationReason.RETIRED, SeparationReason.RETIRED,
                                 SeparationReason.RESIGNED, SeparationReason.TRANSFERRED))
        elif s.separated >= tl.leadership_change:  # left in the hiring freeze's shadow
            reason = SeparationReason.RESIGNED
        else:
            reason = rng.choice((SeparationReason.RESIGNED, SeparationReason.TRANSFERRED))
        session.execute(update(StaffMember).where(StaffMember.id == s.id)
                        .values(separation_reason=reason.value))


def _leave(out: _Writer, tl: DemoTimeline, unit: list[_Member],
           staff: dict[int, _Staff]) -> None:
    """The leave weeks the roster already kept people off shift, and one long leave
    planned from the demo's last day (a return the forecast counts on)."""
    rows: list[Row] = []
    for m in unit:
        if m.role is StaffRole.INTERN:
            continue
        days = sorted(d for d in m.leave if m.in_unit(d) and d < tl.end)
        run: list[date] = []
        for d in [*days, None]:
            if run and (d is None or d != run[-1] + timedelta(days=1)):
                rows.append({"staff_id": m.id, "kind": LeaveKind.ANNUAL.value,
                             "starts_on": run[0], "ends_on": run[-1] + timedelta(days=1)})
                run = []
            if d is not None:
                run.append(d)
    away = next((m for m in unit if m.role is StaffRole.MH_RESPONDER and m.end is None), None)
    if away is not None:
        rows.append({"staff_id": away.id, "kind": LeaveKind.FAMILY.value,
                     "starts_on": tl.end + timedelta(days=14),
                     "ends_on": tl.end + timedelta(days=14 + 84)})
    rows.sort(key=lambda r: (r["starts_on"], r["staff_id"]))
    out.write(StaffLeave.__table__, [{"id": i, **r} for i, r in enumerate(rows, 1)])


def _credentials(out: _Writer, rng: random.Random, tl: DemoTimeline,
                 staff: dict[int, _Staff], current: list[tuple[int, str, int]]) -> None:
    """Certifications of everyone in post; exactly two lapse within 60 days of the end."""
    rows: list[Row] = []
    for _, title, sid in sorted(current, key=lambda c: c[2]):
        person = staff[sid]
        if person.role is StaffRole.INTERN:
            continue
        sworn = person.role is StaffRole.SWORN_OFFICER or "Sergeant" in title
        certs = [("CIT 40-hour certification", 3), ("First aid and CPR", 2)]
        if not sworn:
            certs.append(("State crisis counselor certification", 2))
        if "Manager" in title:
            rows.append({"staff_id": sid, "kind": CredentialKind.LICENSE.value,
                         "name": "LCSW", "issued_on": person.hired - timedelta(days=900),
                         "expires_on": tl.end + timedelta(days=rng.randrange(200, 700))})
        for name, years in certs:
            expires = tl.end + timedelta(days=rng.randrange(90, 365 * years - 30))
            rows.append({"staff_id": sid, "kind": CredentialKind.CERTIFICATION.value,
                         "name": name, "issued_on": expires - timedelta(days=365 * years),
                         "expires_on": expires, "years": years})
    # Two lapse soon: a clinician's first aid in three weeks, an officer's CIT in 45 days.
    sworn_ids = {sid for _, title, sid in current
                 if staff[sid].role is StaffRole.SWORN_OFFICER or "Sergeant" in title}
    for name, in_days, of_sworn in (("First aid and CPR", 21, False),
                                    ("CIT 40-hour certification", 45, True)):
        row = next(r for r in rows
                   if r["name"] == name and (r["staff_id"] in sworn_ids) == of_sworn)
        row["expires_on"] = tl.end + timedelta(days=in_days)
        row["issued_on"] = row["expires_on"] - timedelta(days=365 * row["years"])
    for r in rows:
        r.pop("years", None)
    out.write(Credential.__table__, [{"id": i, **r} for i, r in enumerate(rows, 1)])


def _cross_training(out: _Writer, rng: random.Random, tl: DemoTimeline,
                    current: list[tuple[int, str, int]]) -> None:
    subjects = {True: ("Radio procedure and the incident command structure",
                       "Scene safety with patrol"),
                False: ("Safety planning and warm handoffs", "Suicide risk screening")}
    rows: list[Row] = []
    for _, title, sid in sorted(current, key=lambda c: c[2]):
        if title.startswith("Graduate Intern"):
            continue
        clinician = title.startswith(("Mental-Health", "Clinical"))
        for subject in subjects[clinician]:
            if rng.random() < 0.7:
                rows.append({"staff_id": sid, "subject": subject, "hours": rng.choice((4, 8, 16)),
                             "completed_on": tl.start + timedelta(
                                 days=rng.randrange(30, (tl.leadership_change - tl.start).days))})
    out.write(CrossTraining.__table__, [{"id": i, **r} for i, r in enumerate(rows, 1)])


def _bench(session: Session, out: _Writer, tl: DemoTimeline, staff: dict[int, _Staff],
           current: list[tuple[int, str, int]], program_id: int,
           leaver: int | None) -> None:
    """Two ready for every role until the erosion: then the responder who leaves in the
    hiring freeze (`leaver`) was one of the clinical lead's two, and that bench is thin."""
    session.execute(update(Position).where(Position.title == "Co-Response Unit Sergeant")
                    .values(protected_role=ProtectedRole.SWORN_SUPERVISOR.value))
    session.execute(update(Position).where(Position.title == "Clinical Program Manager")
                    .values(protected_role=ProtectedRole.CLINICAL_LEAD.value))
    by_title: dict[str, list[int]] = {}
    for _, title, sid in sorted(current, key=lambda c: c[2]):
        by_title.setdefault(title, []).append(sid)
    officers = by_title.get("Co-Responding Officer", [])
    responders = by_title.get("Mental-Health First Responder", [])
    sergeant = by_title.get("Co-Response Unit Sergeant", [])
    manager = by_title.get("Clinical Program Manager", [])
    patrol_sergeants = [s.id for s in staff.values() if s.role is StaffRole.SWORN_OFFICER
                        and s.separated is None and s.rank == "Sergeant"
                        and s.id not in officers + sergeant][:1]
    assessed = tl.leadership_change - timedelta(days=60)
    ready, year, dev = Readiness.READY_NOW, Readiness.WITHIN_YEAR, Readiness.DEVELOPING
    plan = [(ProtectedRole.SWORN_SUPERVISOR, officers[:1] + patrol_sergeants, ready),
            (ProtectedRole.SWORN_SUPERVISOR, officers[1:2], year),
            (ProtectedRole.CLINICAL_LEAD, ([leaver] if leaver else []) + responders[:1], ready),
            (ProtectedRole.CLINICAL_LEAD, responders[1:2], dev),
            (ProtectedRole.DIRECTOR, manager + sergeant, ready)]
    candidates: list[Row] = []
    for role, people, readiness in plan:
        for sid in people:
            candidates.append({"id": len(candidates) + 1, "program_id": program_id,
                               "role": role.value, "staff_id": sid,
                               "readiness": readiness.value, "assessed_on": assessed,
                               "notes": ""})
    activities: list[Row] = []
    for c in candidates:
        if c["readiness"] == ready.value:
            start = tl.at(0.6) + timedelta(days=7 * c["id"])
            activities.append({"candidate_id": c["id"], "kind": BenchActivityKind.ACTING.value,
                               "title": "Acting in the role during the holder's leave",
                               "starts_on": start, "ends_on": start + timedelta(days=13)})
        activities.append({"candidate_id": c["id"], "kind": BenchActivityKind.TRAINING.value,
                           "title": "Supervisory leadership course" if c["role"] !=
                           ProtectedRole.CLINICAL_LEAD.value else "Clinical supervision course",
                           "starts_on": tl.at(0.3) + timedelta(days=5 * c["id"]),
                           "ends_on": tl.at(0.3) + timedelta(days=5 * c["id"] + 4)})
    out.write(BenchCandidate.__table__, candidates)
    out.write(BenchActivity.__table__, [{"id": i, **r} for i, r in enumerate(activities, 1)])


def _pipeline(out: _Writer, vault: Vault, rng: random.Random, tl: DemoTimeline,
              manager: str, program_id: int,
              interns: dict[date, list[tuple[str, int]]]) -> None:
    second_from = tl.at(0.25)  # the second partner's agreement
    partners = [
        {"id": 1, "program_id": program_id, "university": "Alder State University",
         "degree": "Master of Social Work (MSW)", "agreement_from": tl.start - timedelta(200),
         "agreement_to": date(tl.end.year + 2, 6, 30), "vetted": True, "vetted_by": manager,
         "vetted_on": tl.start - timedelta(150),
         "contact": "Office of Field Education, School of Social Work"},
        {"id": 2, "program_id": program_id, "university": "Port Alder College",
         "degree": "MA Clinical Mental Health Counseling", "agreement_from": second_from,
         "agreement_to": date(tl.end.year + 1, 6, 30), "vetted": True, "vetted_by": manager,
         "vetted_on": tl.at(0.25) + timedelta(30),
         "contact": "Practicum and internship coordinator, Counseling department"},
    ]
    out.write(PartnerProgram.__table__, partners)
    # The three cohorts whose applications opened before the end: the last is recruiting
    # now, in the erosion; the one before it was placed and is finishing its year.
    arrivals = [date(y, 8, 26) for y in range(tl.start.year, tl.end.year + 2)
                if date(y, 8, 26) - timedelta(days=APPLY_DAYS_BEFORE) < tl.end][-COHORTS:]
    names = iter(rng.sample(range(len(FIRST_NAMES) * len(LAST_NAMES)), 200))
    candidates: list[Row] = []
    steps: list[Row] = []
    evaluations: list[Row] = []
    for arrive in arrivals:
        cohort = f"{arrive.year}-{(arrive.year + 1) % 100:02d}"
        recruiting_eroded = arrive - timedelta(days=APPLY_DAYS_BEFORE) >= \
            tl.leadership_change - timedelta(days=60)
        offers_frozen = arrive + timedelta(days=250) >= tl.hiring_freeze or \
            arrive >= tl.leadership_change - timedelta(days=60)
        fates = list(FATES["recruiting" if recruiting_eroded else
                           "frozen" if offers_frozen else "healthy"])
        rng.shuffle(fates)
        seated = list(interns.get(max(arrive, tl.start), []))
        for k, fate in enumerate(fates):
            n = next(names)
            cid = len(candidates) + 1
            partner = 1 if k % 3 != 2 or arrive < second_from else 2
            path = _path(rng, arrive, tl, fate)
            path = [(s, d) for s, d in path if d < tl.end]
            if not path:
                continue
            name = f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[n // len(FIRST_NAMES)]}"
            if fate in ("hired", "frozen") and seated:
                # The intern the roster keeps in that seat to May (not one who leaves it).
                name, partner = seated.pop(0)
            candidates.append({
                "id": cid, "program_id": program_id, "partner_id": partner, "cohort": cohort,
                "name": vault.seal(name, purpose=sealed_purpose("candidate", "name")),
                "contact": vault.seal(f"{name.split()[0].lower()}.{cid}@students.example.edu",
                                      purpose=sealed_purpose("candidate", "contact")),
                "stage": path[-1][0].value, "stage_since": path[-1][1]})
            for stage, day in path:
                reason = None
                if stage is Stage.WITHDRAWN and day >= tl.hiring_freeze:
                    reason = "Took a county position: no offer under the hiring freeze"
                elif stage is Stage.WITHDRAWN and day >= tl.leadership_change:
                    reason = "Withdrew while the new chief reviews specialty units"
                steps.append({"id": len(steps) + 1, "candidate_id": cid, "stage": stage.value,
                              "entered_on": day, "reason": reason})
                if stage in (Stage.MID_EVALUATION, Stage.FINAL_EVALUATION):
                    evaluations.append(_evaluation(vault, rng, len(evaluations) + 1, cid,
                                                   stage, day, manager))
    out.write(Candidate.__table__, candidates)
    out.write(CandidateStage.__table__, steps)
    out.write(Evaluation.__table__, evaluations)


def _path(rng: random.Random, arrive: date, tl: DemoTimeline,
          fate: str) -> list[tuple[Stage, date]]:
    """A candidate's stages for their fate (see FATES), dated around the placement."""
    path = [(Stage.APPLIED, arrive - timedelta(days=rng.randrange(150, APPLY_DAYS_BEFORE)))]
    for stage, before, out in ((Stage.SCREENED, 120, "screen_out"),
                               (Stage.INTERVIEWED, 80, "interview_out")):
        day = arrive - timedelta(days=before - rng.randrange(10))
        if fate == out or (fate == "left_chief" and stage is Stage.SCREENED):
            return [*path, (Stage.WITHDRAWN, max(day, tl.leadership_change + timedelta(
                days=rng.randrange(20, 60))) if fate == "left_chief" else day)]
        path.append((stage, day))
    if fate == "open":
        return path
    if fate == "no_seat":  # more good applicants than seats
        return [*path, (Stage.WITHDRAWN, arrive - timedelta(days=30))]
    path.append((Stage.PLACED, arrive))
    # One of the interns placed when the new chief arrives leaves the placement.
    leaves = max(arrive + timedelta(days=30),
                 tl.leadership_change + timedelta(days=rng.randrange(20, 60)))
    for stage, after in PLACED_STEPS:
        day = arrive + timedelta(days=after + rng.randrange(7))
        if fate == "frozen_left" and day >= leaves:
            path.append((Stage.WITHDRAWN, leaves))
            break
        if stage is Stage.OFFERED and day >= tl.hiring_freeze:
            path.append((Stage.WITHDRAWN, day))  # no offer under the freeze: she goes elsewhere
            break
        path.append((stage, day))
    return path


def _evaluation(vault: Vault, rng: random.Random, eid: int, cid: int, stage: Stage,
                day: date, evaluator: str) -> Row:
    final = stage is Stage.FINAL_EVALUATION
    scores = {item: min(5, max(1, round(rng.gauss(3.9 if final else 3.1, 0.7))))
              for item in RUBRIC}
    note = rng.choice(("Steady on high-risk calls; documentation needs tightening.",
                       "Builds rapport quickly; still defers to officers on scene.",
                       "Reads the command structure well; de-escalation improving."))
    return {"id": eid, "candidate_id": cid, "kind": (EvaluationKind.FINAL if final
                                                     else EvaluationKind.MID_PLACEMENT).value,
            "evaluated_on": day, "evaluator": evaluator, **scores,
            "notes": vault.seal(note, purpose=sealed_purpose("evaluation", "notes"))}
