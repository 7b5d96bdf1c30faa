"""The demo's two versions of the activation criteria.

The pilot's "every call" version ran in the 13 weeks before the unit's full field
operations, which is where the demo's calls begin; the refined version, approved at
launch, is in force from the first call on. Its entries are exactly how the demo
classifies its calls (world.IN_SCOPE_TYPES over every call type it generates), so the
calls as written already agree with the criteria in force on their day: applying them
again changes nothing (tests/test_criteria_demo.py checks it).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from console.data.models import CriteriaEntry, CriteriaVersion
from console.services.demo.timeline import DemoTimeline
from console.services.demo.world import IN_SCOPE_TYPES, PRIORITY
from console.services.demo.writing import _Writer

PILOT_WEEKS = 13

REASONS = {
    "Suicidal person": "Immediate risk to life: a clinician on scene lowers the use of "
                       "force and finds the right level of care",
    "Person in crisis": "The unit's core call: a behavioral-health crisis without a weapon "
                        "or violence in progress",
    "Welfare check": "Most welfare checks are about mental health or isolation; the unit "
                     "assesses and connects to care",
    "Missing person (at risk)": "At-risk adults (dementia, suicidal statements): the unit "
                                "knows the people and the places",
    "Follow-up visit": "The unit's own follow-up after a co-response, within 72 hours",
    "Overdose follow-up": "Follow-up with people seen after an overdose, with the "
                          "treatment partner",
    "Disturbance": "Patrol handles it; patrol may still ask for the unit on scene",
    "Family disturbance": "Possible domestic violence: patrol leads; the unit follows up "
                          "when asked",
    "Trespass": "Enforcement call: patrol; the unit only if patrol asks",
    "Intoxicated person": "Medical or sobering services, not the unit, unless a crisis "
                          "is reported",
    "Suspicious person": "Patrol call: no crisis reported",
}


def write_demo_criteria(out: _Writer, program_id: int, tl: DemoTimeline) -> None:
    """The pilot version (every call type in scope) and the refined one (the demo's)."""
    pilot_on = tl.start - timedelta(weeks=PILOT_WEEKS)
    applied = datetime.combine(tl.start - timedelta(days=3), time(16, 30))
    out.write(CriteriaVersion.__table__, [
        {"id": 1, "program_id": program_id, "name": "Pilot: every call",
         "effective_on": pilot_on, "approved_by": "Capt. Renata Okafor",
         "approved_on": pilot_on - timedelta(days=10),
         "policy_reference": "Pilot memorandum PM-01", "applied_by": "Capt. Renata Okafor",
         "applied_at": datetime.combine(pilot_on - timedelta(days=1), time(9)),
         "notes": "Thirteen-week pilot: dispatch sends the unit to every call it can "
                  "take, to learn which calls need it.", "version": 1},
        {"id": 2, "program_id": program_id, "name": "Refined criteria at launch",
         "effective_on": tl.start, "approved_by": "Chief Daniel Marsh",
         "approved_on": tl.start - timedelta(days=7),
         "policy_reference": "General Order 4.12 (Co-Response)",
         "applied_by": "Capt. Renata Okafor", "applied_at": applied,
         "notes": "From the pilot's findings: the unit takes behavioral-health calls; "
                  "patrol keeps enforcement and disorder calls and may ask for the unit.",
         "version": 1},
    ])
    types = sorted(PRIORITY, key=lambda t: (t not in IN_SCOPE_TYPES, t))
    out.write(CriteriaEntry.__table__, [
        {"version_id": 1, "call_type": t, "in_scope": True,
         "reason": "Pilot: every call, to learn which calls need the unit"} for t in types
    ] + [
        {"version_id": 2, "call_type": t, "in_scope": t in IN_SCOPE_TYPES,
         "reason": REASONS[t]} for t in types
    ])
