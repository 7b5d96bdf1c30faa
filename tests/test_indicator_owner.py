"""The owner_missing early warning on hand-built governance records: days without a
confirmed owner (named, sworn, not acting, still in the unit) at each week's end."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import program_access_for
from sqlalchemy import insert

from console.data.engine import Database
from console.data.enums import StaffRole
from console.data.governance_enums import PostKind
from console.data.models import StaffMember
from console.services.access import Access
from console.services.governance import edits
from console.services.governance.edits import HolderEdit
from console.services.indicators.engine import evaluate_one
from console.services.indicators.model import Severity

D = dt.date
LEFT = D(2025, 1, 10)  # a Friday: the confirmed owner's last day is the 9th


@pytest.fixture
def access(any_db: Database, tmp_path: Path) -> Access:
    return program_access_for(any_db, tmp_path)  # program started 2023-01-01


def _owner_then_acting(access: Access) -> None:
    edits.assign_holder(access, PostKind.PROGRAM_OWNER,
                        HolderEdit("Helen Marsh", D(2023, 6, 1), rank="Deputy Chief",
                                   sworn=True))
    edits.assign_holder(access, PostKind.PROGRAM_OWNER,
                        HolderEdit("Luis Ortega", LEFT, rank="Captain", sworn=True,
                                   acting=True))


def test_unknown_before_any_record_and_quiet_with_a_confirmed_owner(access: Access) -> None:
    none = evaluate_one(access, "owner_missing", D(2024, 3, 3))
    assert none.severity is Severity.OK and set(none.values) == {None}
    _owner_then_acting(access)
    e = evaluate_one(access, "owner_missing", D(2025, 1, 5))  # a Sunday, before LEFT
    assert e.severity is Severity.OK and e.value == 0.0
    first = e.weeks.index(D(2023, 5, 29))
    assert e.values[first - 1] is None and e.values[first + 1] == 0.0


def test_an_acting_owner_turns_watch_then_warning_at_30_days(access: Access) -> None:
    _owner_then_acting(access)
    watch = evaluate_one(access, "owner_missing", D(2025, 2, 2))  # Sunday, 23 days on
    assert watch.value == 23.0 and watch.severity is Severity.WATCH
    assert "Captain Luis Ortega (acting)" in watch.explanation
    edge = evaluate_one(access, "owner_missing", D(2025, 2, 9))  # exactly 30 days
    assert edge.value == 30.0 and edge.severity is Severity.WARNING
    assert edge.flagged_since == D(2025, 1, 6)
    late = evaluate_one(access, "owner_missing", D(2025, 4, 13))  # 93 days
    assert late.value == 93.0 and late.severity is Severity.CRITICAL


def test_a_permanent_owner_ends_the_gap(access: Access) -> None:
    _owner_then_acting(access)
    edits.assign_holder(access, PostKind.PROGRAM_OWNER,
                        HolderEdit("Raymond Voss", D(2025, 3, 3), rank="Deputy Chief",
                                   sworn=True))
    e = evaluate_one(access, "owner_missing", D(2025, 3, 9))
    assert e.severity is Severity.OK and e.value == 0.0
    assert max(v or 0 for v in e.values) == (D(2025, 3, 2) - LEFT).days  # the gap's peak


def test_a_civilian_or_departed_owner_counts_as_none(access: Access) -> None:
    with access.factory.begin() as session:
        session.execute(insert(StaffMember).values(
            id=5, program_id=1, staff_key="S5", display_name="Nate Novak",
            role=StaffRole.SUPERVISOR, rank="Sergeant", hired_on=D(2015, 1, 1),
            separated_on=D(2025, 1, 20)))
    edits.assign_holder(access, PostKind.PROGRAM_OWNER,
                        HolderEdit("", D(2024, 1, 1), staff_id=5, rank="Sergeant", sworn=True))
    edits.assign_holder(access, PostKind.BUDGET_HOLDER, HolderEdit("Karen Liu", D(2023, 1, 2)))
    gone = evaluate_one(access, "owner_missing", D(2025, 2, 2))
    assert gone.value == (D(2025, 2, 2) - D(2025, 1, 20)).days
    assert "left on 20 January 2025" in gone.explanation
    # Before the sergeant was named, the budget holder's record starts the clock.
    early = evaluate_one(access, "owner_missing", D(2023, 3, 5))
    assert early.value == (D(2023, 3, 5) - D(2023, 1, 2)).days
    assert early.severity is Severity.WARNING
