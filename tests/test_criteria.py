"""Versioned activation criteria: which version decides a call, and what applying one
changes, on small hand-built programs counted by hand (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import program_access_for
from sqlalchemy import func, insert, select

from console.data.engine import Database
from console.data.enums import Activation, AuditAction
from console.data.models import AuditEntry, Call, CriteriaVersion
from console.errors import UserError
from console.services.access import Access, Action
from console.services.criteria.propose import propose
from console.services.criteria.reclassify import (
    apply_spec,
    apply_version,
    preview_spec,
    preview_version,
)
from console.services.criteria.timeline import CriteriaTimeline
from console.services.criteria.versions import (
    EntrySpec,
    VersionSpec,
    create_draft,
    delete_draft,
    list_versions,
    update_draft,
)
from console.services.indicators.catalog import BY_ID
from console.services.indicators.series import Reading, Weeks

D, T = dt.date, dt.datetime
IN, OUT = True, False


@pytest.fixture
def access(any_db: Database, tmp_path: Path) -> Access:
    return program_access_for(any_db, tmp_path)


_n = 0


def call(at: dt.datetime, call_type: str | None, in_scope: bool | None = None,
         **values: Any) -> dict[str, Any]:
    global _n
    _n += 1
    row = {"program_id": 1, "agency_id": 1, "incident_number": f"C{_n}", "received_at": at,
           "final_call_type": call_type, "initial_call_type": None, "in_scope": in_scope,
           "activation": None}
    row.update(values)
    return row


def add_calls(access: Access, rows: list[dict[str, Any]]) -> None:
    with access.writing(Action.EDIT_CALLS) as s:
        s.execute(insert(Call), rows)


def scopes(access: Access) -> dict[str, bool | None]:
    with access.reading(Action.VIEW_CALLS) as s:
        return dict(s.execute(select(Call.incident_number, Call.in_scope)).tuples().all())


def spec(name: str, day: dt.date, *entries: tuple[str, bool], who: str = "Lt. Ortiz",
         policy: str = "GO 4.12") -> VersionSpec:
    return VersionSpec(name, day, tuple(EntrySpec(t, s, f"{t} reason") for t, s in entries),
                       approved_by=who, policy_reference=policy)


def test_a_call_takes_the_version_in_force_on_its_day(access: Access) -> None:
    rows = [
        call(T(2024, 2, 29, 23, 59, 59), "Welfare check", OUT),  # before the first version
        call(T(2024, 3, 1, 0, 0, 0), "Welfare check", OUT),      # its first second
        call(T(2024, 5, 31, 23, 59, 59), "welfare  CHECK", None),  # spelling aside
        call(T(2024, 6, 1, 0, 0, 0), "Welfare check", IN),       # the second version's day
        call(T(2024, 6, 1, 17, 0), "Welfare check", IN),
        call(T(2024, 6, 2, 8, 0), "Trespass", IN),               # listed by neither
        call(T(2024, 6, 2, 9, 0), None, IN, initial_call_type="Welfare check"),
    ]
    add_calls(access, rows)
    first = apply_spec(access, spec("Pilot", D(2024, 3, 1), ("Welfare check", IN)))
    assert (first.out_to_in, first.unknown_to_in, first.unchanged) == (1, 1, 3)
    assert first.not_listed == (("Trespass", 1),)
    second = apply_spec(access, spec("Refined", D(2024, 6, 1), ("Welfare check", OUT)))
    assert (second.in_to_out, second.out_to_in, second.changed) == (3, 0, 3)
    got = scopes(access)
    assert [got[r["incident_number"]] for r in rows] == [OUT, IN, IN, OUT, OUT, IN, OUT]


def test_the_timeline_answers_the_day_itself_and_the_days_around(access: Access) -> None:
    timeline = CriteriaTimeline((D(2024, 3, 1), D(2024, 6, 1)),
                                ({"welfare check": True}, {"welfare check": False}))
    assert timeline.scope(D(2024, 2, 29), "Welfare check") is None
    assert timeline.scope(D(2024, 3, 1), "Welfare check") is True
    assert timeline.scope(D(2024, 5, 31), "WELFARE CHECK") is True
    assert timeline.scope(D(2024, 6, 1), "Welfare check") is False
    assert timeline.scope(D(2030, 1, 1), "Trespass") is None


def test_preview_counts_what_apply_changes_and_one_audit_entry_says_so(
        access: Access) -> None:
    add_calls(access, [call(T(2024, 1, d, 10), t, s) for d in range(1, 21)
                       for t, s in (("Suicidal person", OUT), ("Disturbance", IN),
                                    ("Trespass", None))])
    draft = create_draft(access, spec("2024 criteria", D(2024, 1, 11),
                                      ("Suicidal person", IN), ("Disturbance", OUT),
                                      ("Trespass", OUT)))
    before = preview_version(access, draft.id)
    assert (before.out_to_in, before.in_to_out, before.unknown_to_out) == (10, 10, 10)
    assert scopes(access)[f"C{_n}"] is None  # a preview changes nothing
    done = apply_version(access, draft.id, draft.version)
    assert done.as_dict() | {"applied": False} == before.as_dict()
    with access.reading(Action.VIEW_AUDIT) as s:
        entries = s.scalars(select(AuditEntry).where(
            AuditEntry.action == AuditAction.BULK)).all()
        assert len(entries) == 1 and json.loads(entries[0].changes)["changed"] == 30
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.table_name == "call")) == 0  # not one entry per call


def test_an_approved_version_never_changes(access: Access) -> None:
    first = create_draft(access, spec("Pilot", D(2024, 1, 1), ("Welfare check", IN)))
    apply_version(access, first.id, first.version)
    applied = list_versions(access)[0]
    assert applied.applied and applied.approved_on is not None
    with pytest.raises(UserError, match="approved versions never change"):
        update_draft(access, applied.id, applied.version,
                     spec("Pilot", D(2024, 1, 1), ("Welfare check", OUT)))
    with pytest.raises(UserError, match="approved versions never change"):
        delete_draft(access, applied.id)
    with pytest.raises(UserError, match="already approved"):
        apply_version(access, applied.id, applied.version)
    assert list_versions(access) == [applied]


def test_a_draft_is_edited_checked_and_deleted(access: Access) -> None:
    draft = create_draft(access, spec("Draft", D(2024, 1, 1), ("Welfare check", IN),
                                      who="", policy=""))
    edited = update_draft(access, draft.id, draft.version,
                          spec("Draft", D(2024, 1, 1), ("Welfare check", OUT), who=""))
    assert edited.version > draft.version and edited.entries[0].in_scope is False
    with pytest.raises(UserError, match="without who approved it"):
        apply_version(access, edited.id, edited.version)
    with pytest.raises(UserError, match="changed"):
        update_draft(access, draft.id, draft.version, spec("Draft", D(2024, 1, 1),
                                                           ("Welfare check", IN)))
    with pytest.raises(UserError, match="listed twice"):
        create_draft(access, spec("Other", D(2024, 1, 1), ("Trespass", IN), ("TRESPASS", OUT)))
    delete_draft(access, edited.id)
    assert list_versions(access) == []


def test_versions_follow_each_other_and_never_drop_a_call_type(access: Access) -> None:
    apply_spec(access, spec("Pilot", D(2024, 3, 1), ("Welfare check", IN), ("Trespass", IN)))
    with pytest.raises(UserError, match="not after"):
        preview_spec(access, spec("Early", D(2024, 3, 1), ("Welfare check", IN),
                                  ("Trespass", IN)))
    with pytest.raises(UserError, match="leaves out 1 call type"):
        apply_spec(access, spec("Later", D(2024, 4, 1), ("Welfare check", IN)))
    with access.reading(Action.VIEW_PROGRAM) as s:
        assert s.scalar(select(func.count()).select_from(CriteriaVersion)) == 1


def test_propose_lists_the_call_types_the_criteria_do_not_decide(access: Access) -> None:
    add_calls(access, [call(T(2024, 1, 2, h), "Trespass", OUT) for h in range(3)]
              + [call(T(2024, 1, 2, 5), "Trespass", IN), call(T(2024, 1, 2, 6), "Mental health"),
                 call(T(2024, 1, 2, 7), "Welfare check", IN)])
    apply_spec(access, spec("Pilot", D(2024, 1, 1), ("Welfare check", IN)))
    got = [(p.call_type, p.calls, p.suggested, p.source) for p in propose(access)]
    assert got == [("Trespass", 4, False, "import map"),
                   ("Mental health", 1, True, "call type name")]


def test_the_out_of_scope_indicator_follows_the_criteria(access: Access) -> None:
    """Changing the criteria changes the out-of-scope share the early warning reads."""
    monday = D(2025, 3, 3)
    rows = [call(T(2025, 3, 4, h), t, IN, activation=Activation.DISPATCH)
            for h, t in ((9, "Welfare check"), (10, "Welfare check"), (11, "Person in crisis"),
                         (12, "Disturbance"))]
    add_calls(access, rows)
    axis = Weeks(monday, monday + dt.timedelta(weeks=1))

    def share() -> tuple[float | None, float | None]:
        with access.reading(Action.VIEW_AGGREGATES) as s:
            out, known = BY_ID["out_of_scope_share"].read(
                Reading(s, axis, D(2025, 3, 20), D(2025, 3, 16)))
            return out[0], known[0]

    assert share() == (0.0, 4.0)
    apply_spec(access, spec("Refined", D(2025, 3, 1), ("Welfare check", OUT),
                            ("Disturbance", OUT), ("Person in crisis", IN)))
    assert share() == (3.0, 4.0)


def test_applying_a_draft_with_its_edits_is_one_transaction(access: Access) -> None:
    from console.services.criteria.reclassify import apply_draft

    add_calls(access, [call(T(2024, 2, 1, 9), "Trespass", IN)])
    draft = create_draft(access, spec("Draft", D(2024, 1, 1), ("Trespass", IN), who=""))
    with pytest.raises(UserError, match="without who approved it"):
        apply_draft(access, draft.id, draft.version,
                    spec("Draft", D(2024, 1, 1), ("Trespass", OUT), who=""))
    assert list_versions(access) == [draft]  # the refused edit was not saved either
    done = apply_draft(access, draft.id, draft.version,
                       spec("Draft", D(2024, 1, 1), ("Trespass", OUT)))
    assert done.in_to_out == 1 and scopes(access)[f"C{_n}"] is False
