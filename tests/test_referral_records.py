"""Recording and editing referrals, follow-ups, the follow-up queue, and who sees what:
a responder their own, supervisors everyone's, an analyst counts only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from referral_world import PEOPLE, as_user, build
from sqlalchemy import select

from console.data.engine import Database
from console.data.models import Provider, Referral
from console.data.referral_enums import ReferralKind, ReferralResult, VettingStatus
from console.errors import UserError
from console.services import settings_service
from console.services.access import Access, Action, EditConflict, PermissionDenied
from console.services.outcomes_service import WARM, outcome_report
from console.services.populations import Period
from console.services.referrals.queue import (
    FOLLOW_UP_HOURS,
    follow_up_queue,
    referral_rows,
)
from console.services.referrals.records import (
    ReferralEdit,
    active_providers,
    add_follow_up,
    record_referral,
    referral_record,
    update_referral,
)

T = dt.datetime
WARM_, INFO = ReferralKind.WARM_HANDOFF, ReferralKind.INFORMATION_ONLY
NOTE = "Agreed to see the crisis team tomorrow; sister Rosalind will drive."


@pytest.fixture
def sup(db: Database, tmp_path: Path) -> Access:
    return build(db, tmp_path)


def test_a_responder_records_and_sees_their_own(sup: Access) -> None:
    ana, ben = as_user(sup, 2), as_user(sup, 3)
    mine = record_referral(ana, 1, ReferralEdit("Riverbend Crisis", WARM_, T(2026, 3, 2, 10, 40),
                                                contact_made=True, contact_attempts=1,
                                                outcome_notes=NOTE))
    # Ben records on Ana's call too: the referral is his (the responder who made it).
    record_referral(ben, 3, ReferralEdit("Harbor Housing", INFO, T(2026, 3, 9, 15)))
    assert [r.person for r in referral_rows(ana)] == [PEOPLE[0]]
    assert [r.staff for r in referral_rows(ben)] == ["Ben Okafor"]
    assert {r.person for r in referral_rows(sup)} == {PEOPLE[0], PEOPLE[2]}
    record = referral_record(ana, mine)
    assert record.outcome_notes == NOTE and record.staff == "Ana Ruiz"
    # Ben can neither read nor edit Ana's.
    with pytest.raises(UserError, match="not one of yours"):
        referral_record(ben, mine)
    with pytest.raises(UserError, match="not one of yours"):
        add_follow_up(ben, mine, T(2026, 3, 3, 9), reached=True)
    # A responder whose account is not linked has no referrals of their own.
    with pytest.raises(UserError, match="not linked to a staff member"):
        referral_rows(as_user(sup, 5))
    # An unknown provider was added, not yet vetted.
    with sup.reading(Action.VIEW_PROGRAM) as s:
        added = s.scalars(select(Provider).order_by(Provider.name)).all()
        assert [(p.name, p.vetting) for p in added] == [
            ("Harbor Housing", VettingStatus.NOT_VETTED),
            ("Riverbend Crisis", VettingStatus.NOT_VETTED)]
        # The notes are sealed in the database.
        assert NOTE not in (s.scalar(select(Referral.outcome_notes)) or "")
    assert [p.name for p in active_providers(ana)] == ["Harbor Housing", "Riverbend Crisis"]


def test_an_analyst_sees_counts_never_names_or_notes(sup: Access) -> None:
    record_referral(sup, 1, ReferralEdit("Riverbend Crisis", WARM_, T(2026, 3, 2, 10, 40),
                                         outcome_notes=NOTE))
    analyst = as_user(sup, 4)
    for denied in (lambda: referral_rows(analyst), lambda: follow_up_queue(analyst),
                   lambda: referral_record(analyst, 1),
                   lambda: record_referral(analyst, 2, ReferralEdit("X", INFO,
                                                                    T(2026, 3, 5, 23)))):
        with pytest.raises(PermissionDenied):
            denied()
    # The counts are theirs: 1 warm handoff of the 4 co-responses.
    warm = outcome_report(analyst, Period()).measure(WARM)
    assert (warm.numerator, warm.denominator) == (1, 4)


def test_the_follow_up_queue(sup: Access) -> None:
    ana = as_user(sup, 2)
    now = T(2026, 3, 21, 12)
    a = record_referral(ana, 1, ReferralEdit("Riverbend Crisis", WARM_, T(2026, 3, 2, 10, 40)))
    b = record_referral(ana, 2, ReferralEdit("Harbor Housing", INFO, T(2026, 3, 5, 23, 50)))
    c = record_referral(ana, 4, ReferralEdit("Harbor Housing", INFO, T(2026, 3, 20, 3, 30)))
    record_referral(ana, 2, ReferralEdit("Riverbend Crisis", WARM_, T(2026, 3, 5, 23, 55),
                                         first_service_at=T(2026, 3, 6, 9)))  # served: out
    record_referral(as_user(sup, 3), 3, ReferralEdit("Harbor Housing", INFO,
                                                     T(2026, 3, 9, 15)))  # Ben's
    add_follow_up(ana, b, T(2026, 3, 7, 10), reached=True, note="doing better")
    queue = follow_up_queue(ana, now)
    assert queue.due_hours == 72
    assert [r.referral_id for r in queue.rows] == [a, b, c]  # oldest first, Ana's only
    first, second, third = queue.rows
    assert first.due_at == T(2026, 3, 5, 10, 40) and first.overdue
    assert not second.overdue and second.reached  # reached on the follow-up
    assert third.due_at == T(2026, 3, 23, 3, 30) and not third.overdue
    assert first.person == PEOPLE[0]
    assert len(follow_up_queue(sup, now).rows) == 4  # the supervisor sees Ben's too
    # A shorter setting (audited) moves the due dates; declined leaves the queue.
    settings_service.set_int(sup, FOLLOW_UP_HOURS, 24)
    assert follow_up_queue(ana, now).rows[2].due_at == T(2026, 3, 21, 3, 30)
    record = referral_record(ana, a)
    update_referral(ana, a, record.version, ReferralEdit(
        record.provider_id, WARM_, record.referred_at, result=ReferralResult.DECLINED))
    assert [r.referral_id for r in follow_up_queue(ana, now).rows] == [b, c]
    # A month on, the old ones are no longer today's work, but they are counted.
    later = follow_up_queue(ana, T(2026, 4, 15))
    assert [r.referral_id for r in later.rows] == [c] and later.older == 1


def test_an_edit_someone_saved_first_is_a_conflict(sup: Access) -> None:
    ana = as_user(sup, 2)
    rid = record_referral(ana, 1, ReferralEdit("Riverbend Crisis", WARM_, T(2026, 3, 2, 11)))
    read = referral_record(ana, rid)
    theirs = ReferralEdit(read.provider_id, WARM_, read.referred_at, contact_made=True,
                          contact_attempts=2)
    update_referral(sup, rid, read.version, theirs)
    mine = ReferralEdit(read.provider_id, WARM_, read.referred_at,
                        first_service_at=T(2026, 3, 3, 9), result=ReferralResult.ACCEPTED)
    with pytest.raises(EditConflict) as caught:
        update_referral(ana, rid, read.version, mine)
    fields = {label: (m, t) for label, m, t in caught.value.fields}
    assert fields["Attempts"] == ("0", "2") and fields["First service"][0] == "2026-03-03 09:00"
    saved = update_referral(ana, rid, caught.value.theirs_version or 0, mine)
    assert saved.first_service_at == T(2026, 3, 3, 9) and saved.contact_attempts == 0


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(referred=st.integers(min_value=-2000, max_value=2000),
       served=st.one_of(st.none(), st.integers(min_value=-2000, max_value=20000)),
       attempts=st.integers(min_value=-3, max_value=120), contact=st.sampled_from(
           [None, True, False]))
def test_bad_times_and_counts_change_nothing(sup: Access, referred: int, served: int | None,
                                             attempts: int, contact: bool | None) -> None:
    """Whatever is typed, a referral is saved only when it is consistent (referred no more
    than 15 minutes before the call, first service not before the referral, 0-99
    attempts, at least one when contact was made); otherwise nothing changes."""
    call = T(2026, 3, 2, 10)
    at = call + dt.timedelta(minutes=referred)
    first = None if served is None else at + dt.timedelta(minutes=served)
    edit = ReferralEdit("Riverbend Crisis", WARM_, at, contact_made=contact,
                        contact_attempts=attempts, first_service_at=first)
    ok = (referred >= -15 and (served is None or served >= 0) and 0 <= attempts <= 99
          and not (contact and attempts == 0))
    with sup.reading(Action.VIEW_CALLS) as s:
        before = s.scalar(select(Referral.id).where(Referral.call_id == 1))
    if before is not None:  # hypothesis reuses the database: start each example clean
        with sup.writing(Action.EDIT_IDENTITIES) as s:
            s.delete(s.get(Referral, before))
    if ok:
        rid = record_referral(sup, 1, edit)
        assert referral_record(sup, rid).contact_attempts == attempts
    else:
        with pytest.raises(UserError):
            record_referral(sup, 1, edit)
        with sup.reading(Action.VIEW_CALLS) as s:
            assert s.scalar(select(Referral.id).where(Referral.call_id == 1)) is None
