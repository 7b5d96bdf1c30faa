"""Settings: a value is kept within its range, both ends included, and a second save
replaces the first (per-program keys and their fallback: tests/test_program_scope.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import program_access_for
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from console.data.engine import Database
from console.data.models import AuditEntry, Setting
from console.errors import UserError
from console.services.access import Access, Action
from console.services.referrals.queue import FOLLOW_UP_HOURS
from console.services.schedule.settings import REST_HOURS
from console.services.settings_service import IDLE_LOCK_MINUTES, get_int, set_int


@pytest.fixture
def access(db: Database, tmp_path: Path) -> Access:
    return program_access_for(db, tmp_path)


@pytest.mark.parametrize("setting", [FOLLOW_UP_HOURS, REST_HOURS, IDLE_LOCK_MINUTES],
                         ids=lambda s: s.key)
def test_both_ends_of_the_range_are_kept_and_beyond_is_refused(access: Access,
                                                                setting: object) -> None:
    from console.services.settings_service import IntSetting

    assert isinstance(setting, IntSetting)
    assert get_int(access, setting) == setting.default
    for value in (setting.minimum, setting.maximum):
        set_int(access, setting, value)  # the second save replaces the first
        assert get_int(access, setting) == value
    for value in (setting.minimum - 1, setting.maximum + 1):
        with pytest.raises(UserError, match=f"{value} is out of range"):
            set_int(access, setting, value)
        assert get_int(access, setting) == setting.maximum  # nothing changed


def test_each_save_is_audited_and_the_last_one_kept(access: Access) -> None:
    set_int(access, FOLLOW_UP_HOURS, 48)
    set_int(access, FOLLOW_UP_HOURS, 96)
    with access.reading(Action.VIEW_AUDIT) as session:
        audited = session.scalars(select(AuditEntry.record_id)
                                  .where(AuditEntry.table_name == "setting")).all()
        stored = session.scalars(select(Setting.value)).all()
    assert stored == ["96"]
    assert audited == ["program.1.referral_follow_up_hours"] * 2


@given(st.text(max_size=8))
def test_any_stored_text_reads_as_a_value_in_range(text: str) -> None:
    from console.services.settings_service import _parsed

    value = _parsed(text, REST_HOURS)  # never raises: a hand-edited database still opens
    assert REST_HOURS.minimum <= value <= REST_HOURS.maximum


@given(st.integers(-1000, 1000))
def test_a_stored_number_reads_as_itself_when_in_range(number: int) -> None:
    from console.services.settings_service import _parsed

    in_range = REST_HOURS.minimum <= number <= REST_HOURS.maximum
    assert _parsed(str(number), REST_HOURS) == (number if in_range else REST_HOURS.default)
