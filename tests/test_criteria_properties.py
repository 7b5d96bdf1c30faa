"""Applying criteria versions to random calls: the preview counts exactly what apply
changes, and every call ends as the version in force on its day (or its import) says."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import program_access_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, select

from console.data.engine import Database
from console.data.models import Call, CriteriaEntry, CriteriaVersion
from console.services.access import Access, Action
from console.services.criteria.reclassify import apply_version, preview_version
from console.services.criteria.timeline import type_key
from console.services.criteria.versions import EntrySpec, VersionSpec, create_draft

START = dt.datetime(2024, 1, 1)
TYPES = ["Welfare check", "welfare  CHECK", "Trespass", "Person in crisis", "Disturbance"]
KEYS = sorted({type_key(t) for t in TYPES})

calls_st = st.lists(st.tuples(
    st.integers(0, 30 * 86400 - 1),                 # seconds after START
    st.sampled_from([*TYPES, None]),                # final type
    st.sampled_from([*TYPES, None]),                # initial type
    st.sampled_from([None, True, False]),           # the import's scope
), max_size=60)


@st.composite
def versions_st(draw: st.DrawFn) -> list[tuple[int, dict[str, bool]]]:
    days = sorted(draw(st.sets(st.integers(-3, 33), min_size=1, max_size=3)))
    out: list[tuple[int, dict[str, bool]]] = []
    listed: dict[str, bool] = {}
    for day in days:
        # Every call type the version before listed, maybe flipped, and maybe new ones.
        listed = {k: draw(st.booleans()) for k in listed}
        for k in draw(st.sets(st.sampled_from(KEYS), min_size=0 if listed else 1)):
            listed.setdefault(k, draw(st.booleans()))
        out.append((day, dict(listed)))
    return out


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(calls=calls_st, versions=versions_st())
def test_preview_equals_apply_and_calls_follow_the_version_of_their_day(
        db: Database, tmp_path: Path, calls: list[tuple[int, str | None, str | None,
                                                          bool | None]],
        versions: list[tuple[int, dict[str, bool]]]) -> None:
    access = _access(db, tmp_path)
    with access.writing(Action.EDIT_CALLS) as s:
        for table in (CriteriaEntry, CriteriaVersion, Call):
            s.execute(delete(table))
        if calls:
            s.execute(insert(Call), [
                {"program_id": 1, "agency_id": 1, "incident_number": f"N{i}",
                 "received_at": START + dt.timedelta(seconds=at), "final_call_type": final,
                 "initial_call_type": initial, "in_scope": scope}
                for i, (at, final, initial, scope) in enumerate(calls)])
    for n, (day, listed) in enumerate(versions):
        draft = create_draft(access, VersionSpec(
            f"V{n}", START.date() + dt.timedelta(days=day),
            tuple(EntrySpec(k, v, "") for k, v in listed.items()),
            approved_by="Lt. Ortiz", policy_reference="GO 1"))
        before = _scopes(access)
        preview = preview_version(access, draft.id)
        done = apply_version(access, draft.id, draft.version)
        after = _scopes(access)
        moved = sum(before[k] is not after[k] for k in before)
        assert preview.changed == done.changed == moved
        assert (preview.in_to_out, preview.out_to_in) == (done.in_to_out, done.out_to_in)
        assert done.in_to_out == sum(before[k] is True and after[k] is False for k in before)
    got = _scopes(access)
    for i, (at, final, initial, scope) in enumerate(calls):
        day = (START + dt.timedelta(seconds=at)).date()
        kind = final if final is not None else initial
        expected = scope
        in_force = [listed for d, listed in versions
                    if START.date() + dt.timedelta(days=d) <= day]
        if in_force and kind is not None and type_key(kind) in in_force[-1]:
            expected = in_force[-1][type_key(kind)]
        assert got[f"N{i}"] is expected, (i, day, kind, scope)


_opened: dict[str, Access] = {}


def _access(db: Database, tmp_path: Path) -> Access:
    """One program per test database (hypothesis runs every example on the same one)."""
    key = str(tmp_path)
    if key not in _opened:
        _opened[key] = program_access_for(db, tmp_path)
    return _opened[key]


def _scopes(access: Access) -> dict[str, bool | None]:
    with access.reading(Action.VIEW_CALLS) as s:
        return dict(s.execute(select(Call.incident_number, Call.in_scope)).tuples().all())
