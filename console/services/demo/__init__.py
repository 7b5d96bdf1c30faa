"""The demo program: years of a fictional co-responder unit that end in a quiet erosion.

The City of Port Alder runs a co-responder unit (its police department with a
behavioral-health partner). Everything is invented and deterministic for a seed and an
end date: the same seed and end date write byte-identical rows (one `random.Random(seed)`,
no global random, no `hash()` of strings, no wall clock except the default end date).

The story (dates in `demo_timeline`, measured figures in docs/demo-program.md): the unit
launches, adds a late shift after a demand review and moves in next to patrol roll call.
Then, 150 days before the end, a new chief arrives: patrol stops asking for the unit,
briefings and ride-alongs dry up, a civilian hiring freeze leaves a responder's position
empty, the late shift is cut and the unit is moved out to the city annex.

The call table holds every crisis-type call the unit attended or could have attended:
calls when nobody was on shift, or when the officer on scene did not ask for the unit,
are kept with no activation and no responder, so demand and coverage can be compared.
A call is in scope when its final call type is in the activation criteria.

Everything is written in one transaction, so a cancel (an exception raised by
`progress`) leaves nothing behind.
"""

from console.services.demo.generate import generate_demo
from console.services.demo.timeline import (
    APPEND_ORDERED_INDEXES,
    BATCH_ROWS,
    BULK_LOAD_CALLS,
    DemoSummary,
    DemoTimeline,
    Progress,
    demo_timeline,
    keyed_hash,
    sqlite_datetime,
)

__all__ = [
    "APPEND_ORDERED_INDEXES",
    "BATCH_ROWS",
    "BULK_LOAD_CALLS",
    "DemoSummary",
    "DemoTimeline",
    "Progress",
    "demo_timeline",
    "generate_demo",
    "keyed_hash",
    "sqlite_datetime",
]
