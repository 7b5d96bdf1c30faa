"""The provider network: add, edit (with conflicts), retire, delete only without referrals,
the one-line refusals, and who may do what."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from provider_world import network, provider, referral
from sqlalchemy import func, select

from console.data.engine import Database
from console.data.enums import AuditAction, UserRole
from console.data.models import AuditEntry, Provider
from console.data.referral_enums import ProviderService, VettingStatus
from console.errors import UserError
from console.services.access import Access, Actor, EditConflict, PermissionDenied
from console.services.referrals import providers as ps

TODAY = dt.date(2026, 3, 1)


def _vetted(name: str = "Riverside Crisis Center") -> ps.ProviderEdit:
    return ps.ProviderEdit(
        name, (ProviderService.CRISIS_STABILIZATION, ProviderService.PEER_SUPPORT),
        catchment="North and East precincts", contacts="Intake desk 555-0100",
        hours="24/7", after_hours=True, vetting=VettingStatus.VETTED,
        vetted_on=dt.date(2025, 6, 1), vetted_by="Dir. Okafor",
        mou_signed_on=dt.date(2025, 7, 1), mou_renewal_due=dt.date(2026, 4, 15),
        notes="Takes walk-ins")


@pytest.fixture
def boss(db: Database, tmp_path: Path) -> Access:
    return network(db, tmp_path)


def test_add_then_read_back_every_field(boss: Access) -> None:
    pid = ps.add_provider(boss, _vetted())
    row = ps.provider_detail(boss, pid, today=TODAY)
    assert row.edit() == _vetted()
    assert row.services_text == "Crisis stabilization, Peer support"
    assert row.referrals == 0 and row.active and row.version == 1
    # Renewal due 45 days after TODAY: inside the 60-day warning; 60 days ahead is due,
    # 61 is not yet.
    assert row.renewal_due
    assert ps.provider_detail(boss, pid, today=dt.date(2026, 2, 14)).renewal_due
    assert not ps.provider_detail(boss, pid, today=dt.date(2026, 2, 13)).renewal_due


def test_list_puts_active_first_by_name_with_referral_counts(boss: Access,
                                                             db: Database) -> None:
    b = ps.add_provider(boss, ps.ProviderEdit("beacon housing"))
    a = ps.add_provider(boss, ps.ProviderEdit("Alder Detox"))
    old = ps.add_provider(boss, ps.ProviderEdit("Aaron Clinic"))
    ps.retire_provider(boss, old, dt.date(2025, 1, 1))
    referral(db, b, dt.datetime(2025, 3, 3, 10))
    referral(db, b, dt.datetime(2025, 3, 4, 10))
    rows = ps.list_providers(boss)
    assert [(r.id, r.referrals) for r in rows] == [(a, 0), (b, 2), (old, 0)]
    assert [r.id for r in ps.list_providers(boss, include_retired=False)] == [a, b]


@pytest.mark.parametrize(("edit", "reason"), [
    (ps.ProviderEdit("  "), "needs a name"),
    (ps.ProviderEdit("x" * 201), "201 characters"),
    (ps.ProviderEdit("Alder", vetting=VettingStatus.VETTED), "who vetted it"),
    (ps.ProviderEdit("Alder", vetting=VettingStatus.VETTED, vetted_on=dt.date(2025, 1, 1)),
     "who vetted it"),
    (ps.ProviderEdit("Alder", vetting=VettingStatus.LAPSED, vetted_on=dt.date(2099, 1, 1),
                     vetted_by="Lee"), "in the future"),
    (ps.ProviderEdit("Alder", mou_signed_on=dt.date(2025, 5, 1),
                     mou_renewal_due=dt.date(2025, 5, 1)), "must fall after its signing"),
])
def test_bad_forms_are_refused_in_one_line_and_change_nothing(
        boss: Access, db: Database, edit: ps.ProviderEdit, reason: str) -> None:
    with pytest.raises(UserError, match=reason) as told:
        ps.add_provider(boss, edit)
    assert "\n" not in told.value.message
    with db.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Provider)) == 0


def test_names_are_unique_in_the_program_whatever_the_case(boss: Access) -> None:
    first = ps.add_provider(boss, ps.ProviderEdit("Alder Detox"))
    with pytest.raises(UserError, match="already has a provider called 'ALDER DETOX';"):
        ps.add_provider(boss, ps.ProviderEdit("ALDER DETOX "))
    other = ps.add_provider(boss, ps.ProviderEdit("Beacon"))
    with pytest.raises(UserError, match="already has"):
        ps.update_provider(boss, other, 1, ps.ProviderEdit("alder detox"))
    # Renaming a provider to its own name in another case is no clash.
    ps.update_provider(boss, first, 1, ps.ProviderEdit("ALDER detox"))


def test_not_vetted_clears_the_vetting_date_and_who(boss: Access) -> None:
    pid = ps.add_provider(boss, _vetted())
    row = ps.update_provider(boss, pid, 1, ps.ProviderEdit(
        "Riverside Crisis Center", vetting=VettingStatus.NOT_VETTED,
        vetted_on=dt.date(2025, 1, 1), vetted_by="Someone"))
    assert (row.vetted_on, row.vetted_by, row.version) == (None, "", 2)


def test_concurrent_edit_is_a_conflict_with_both_versions_and_who(boss: Access,
                                                                 tmp_path: Path) -> None:
    pid = ps.add_provider(boss, _vetted())
    read = ps.provider_detail(boss, pid)
    director = boss.as_actor(Actor("dir.okafor", UserRole.DIRECTOR, "Dir. Okafor"))
    ps.update_provider(director, pid, read.version,
                       _replace(read.edit(), hours="Weekdays 8-20"))
    mine = _replace(read.edit(), hours="24/7, weekends by phone")
    with pytest.raises(EditConflict) as conflict:
        ps.update_provider(boss, pid, read.version, mine)
    fields = {label: (m, t) for label, m, t in conflict.value.fields}
    assert fields["Hours"] == ("24/7, weekends by phone", "Weekdays 8-20")
    assert conflict.value.saved_by == "dir.okafor"
    assert conflict.value.theirs_version == 2
    assert ps.provider_detail(boss, pid).hours == "Weekdays 8-20"  # nothing overwritten
    # Saving over theirs, knowingly, with the version the conflict reports.
    saved = ps.update_provider(boss, pid, conflict.value.theirs_version, mine)
    assert (saved.hours, saved.version) == ("24/7, weekends by phone", 3)


def test_delete_is_refused_once_a_provider_has_referrals(boss: Access, db: Database) -> None:
    used = ps.add_provider(boss, ps.ProviderEdit("Alder Detox"))
    referral(db, used, dt.datetime(2025, 3, 3, 10))
    with pytest.raises(UserError) as told:
        ps.delete_provider(boss, used)
    assert told.value.message == ("provider 'Alder Detox' has 1 referral and cannot be "
                                  "deleted; retire it instead (its history stays on the "
                                  "scorecard)")
    ps.retire_provider(boss, used, dt.date(2025, 4, 1))
    row = ps.provider_detail(boss, used)
    assert (row.retired_on, row.referrals, row.active) == (dt.date(2025, 4, 1), 1, False)
    with pytest.raises(UserError, match="already retired on 2025-04-01"):
        ps.retire_provider(boss, used)
    ps.unretire_provider(boss, used)
    assert ps.provider_detail(boss, used).active
    with pytest.raises(UserError, match="is not retired"):
        ps.unretire_provider(boss, used)
    unused = ps.add_provider(boss, ps.ProviderEdit("Typo Clinic"))
    ps.delete_provider(boss, unused)
    assert [r.name for r in ps.list_providers(boss)] == ["Alder Detox"]


def test_every_edit_is_in_the_audit_trail(boss: Access, db: Database) -> None:
    pid = ps.add_provider(boss, ps.ProviderEdit("Alder Detox"))
    ps.retire_provider(boss, pid)
    ps.delete_provider(boss, pid)
    with db.session_factory() as s:
        actions = s.scalars(select(AuditEntry.action).where(
            AuditEntry.table_name == "provider").order_by(AuditEntry.seq)).all()
    assert actions == [AuditAction.INSERT, AuditAction.UPDATE, AuditAction.DELETE]


@pytest.mark.parametrize("role", [UserRole.RESPONDER, UserRole.ANALYST, UserRole.REVIEWER])
def test_only_supervisors_and_directors_edit_the_network(boss: Access, db: Database,
                                                         role: UserRole) -> None:
    pid = provider(db, "Alder Detox")
    other = boss.as_actor(Actor(f"someone.{role.value}", role, "Someone"))
    assert [r.name for r in ps.list_providers(other)] == ["Alder Detox"]  # may read
    for attempt in (lambda: ps.add_provider(other, ps.ProviderEdit("New")),
                    lambda: ps.retire_provider(other, pid),
                    lambda: ps.delete_provider(other, pid)):
        with pytest.raises(PermissionDenied, match="may not edit the provider network"):
            attempt()


def test_parse_services_takes_values_or_labels() -> None:
    assert ps.parse_services("detox, Peer support,peer_support, ") == (
        ProviderService.DETOX, ProviderService.PEER_SUPPORT)
    with pytest.raises(UserError, match="unknown provider service 'spa'; known: crisis_"):
        ps.parse_services("detox, spa")


def test_find_provider_ignores_case_and_says_what_to_do(boss: Access) -> None:
    ps.add_provider(boss, ps.ProviderEdit("Alder Detox"))
    assert ps.find_provider(boss, " alder DETOX").name == "Alder Detox"
    with pytest.raises(UserError, match="`providers list` shows them"):
        ps.find_provider(boss, "Nope")


def _replace(edit: ps.ProviderEdit, **changes: object) -> ps.ProviderEdit:
    from dataclasses import replace

    return replace(edit, **changes)  # type: ignore[arg-type]
