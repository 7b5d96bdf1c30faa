"""generate_demo: write the whole demo program in one transaction."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import select

from console.data import audit
from console.data.enums import AuditAction
from console.data.models import Program
from console.errors import UserError
from console.services.access import Access, Action
from console.services.demo import timeline
from console.services.demo.complaints import write_complaints
from console.services.demo.criteria import write_demo_criteria
from console.services.demo.funding import write_funding
from console.services.demo.governance import write_governance
from console.services.demo.people import PEOPLE_TABLES, write_people
from console.services.demo.program import _Demo
from console.services.demo.providers import write_providers
from console.services.demo.referrals import REFERRAL_TABLES, _Referrals
from console.services.demo.roster_history import write_roster_history
from console.services.demo.timeline import DemoSummary, Progress, demo_timeline
from console.services.demo.writing import _bulk_load_settings, _sync_sequences
from console.services.users_service import add_demo_supervisor


def generate_demo(access: Access, *, years: int = 3, seed: int = 7,
                  end: date | None = None, calls_total: int | None = None,
                  progress: Progress | None = None) -> DemoSummary:
    """Write the demo program into an empty database, in one transaction.

    It covers `years` years ending at `end` (default today; calls up to the day before).
    `calls_total` scales the call volume to about that many calls (default about 20,000
    for three years). `progress(done, total, text)` is called between batches; whatever
    it raises (a cancel) propagates and rolls everything back. Raises UserError when the
    database already holds a program.
    """
    if calls_total is not None and calls_total < 1:
        raise UserError(f"calls_total={calls_total}: give a positive number of calls")
    tl = demo_timeline(end if end is not None else date.today(), years)
    bulk = calls_total is not None and calls_total >= timeline.BULK_LOAD_CALLS
    with _bulk_load_settings(access.factory, bulk), \
            access.writing(Action.EDIT_PROGRAM) as session:
        existing = session.scalar(select(Program.name).limit(1))
        if existing is not None:
            raise UserError(f"the database already holds the program {existing!r}: "
                            "write the demo into a new, empty database")
        demo = _Demo(session, random.Random(seed), tl, calls_total, progress)
        if progress is not None:
            progress(0, (tl.end - tl.start).days, "Writing staff, shifts and events")
        demo.program()
        demo.staff()
        demo.events()
        write_demo_criteria(demo.out, demo.program_id, tl)
        demo.shifts()
        # Who calls are about, the providers they are referred to and the referrals'
        # details: random numbers of their own, so the calls are drawn as without them.
        write_providers(demo.out, tl, demo.program_id, demo.clinical_manager())
        demo.pathways_rng = random.Random(f"pathways-{seed}")
        demo.referrals = _Referrals(demo.out, access.vault, random.Random(f"referrals-{seed}"),
                                    tl, demo.unit, demo.program_id)
        demo.calls()
        # Its own generator, after every other step: the calls and shifts stay as they were.
        write_people(session, demo.out, access.vault, random.Random(f"people-{seed}"), tl,
                     demo.unit, demo.program_id)
        # After the calls (a complaint names one) and with its own random numbers.
        write_complaints(session, access.vault, tl, seed, demo.staff_rows,
                         {m.id for m in demo.unit}, demo.program_id)
        write_governance(session, demo.out, tl, demo.program_id)
        write_funding(session, tl, demo.program_id)
        # From the shifts as written, which it leaves as they are.
        write_roster_history(demo.out, tl, demo.program_id, demo.roster.shifts,
                             demo.roster.assignments, demo.staff_rows)
        _sync_sequences(session, ("program", "agency", "staff_member", "position",
                                  "position_assignment", "program_event", "shift", "person",
                                  "call", "criteria_version", *PEOPLE_TABLES,
                                  *REFERRAL_TABLES))
        counts = demo.out.counts
        add_demo_supervisor(session)
        # Rows written in bulk are recorded as one entry: what was loaded, not each row.
        audit.record_event(session.connection(), access.vault, access.actor.username,
                           "demo program", str(demo.program_id),
                           {"seed": seed, "years": years, "rows": dict(counts)},
                           action=AuditAction.BULK)
    return DemoSummary(
        program_id=demo.program_id, start=tl.start, end=tl.end,
        calls=counts.get("call", 0), staff=counts.get("staff_member", 0),
        shifts=counts.get("shift", 0), events=counts.get("program_event", 0),
        persons=counts.get("person", 0), erosion_starts=tl.leadership_change,
    )
