"""Governance records: holders over time, the sworn-owner flags, edit conflicts, the
audit trail, permissions, and the reporting-structure chart drawn from the records."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import access_for, program_access_for
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import insert, select

from console.data.engine import Database
from console.data.enums import StaffRole, UserRole
from console.data.governance_enums import GovernanceModel, PostKind
from console.data.models import AuditEntry, StaffMember
from console.errors import UserError
from console.services.access import Access, Actor, EditConflict, PermissionDenied
from console.services.governance import edits
from console.services.governance.chart import chart_layout
from console.services.governance.edits import HolderEdit
from console.services.governance.flags import governance_flags, owner_flags
from console.services.governance.records import HolderRow, governance
from console.services.indicators.model import Severity

D = dt.date
START = D(2024, 1, 1)


@pytest.fixture
def access(any_db: Database, tmp_path: Path) -> Access:
    return program_access_for(any_db, tmp_path)


def _sergeant(access: Access, separated: dt.date | None = None) -> int:
    with access.factory.begin() as session:
        session.execute(insert(StaffMember).values(
            id=5, program_id=1, agency_id=1, staff_key="S5", display_name="Nate Novak",
            role=StaffRole.SUPERVISOR, rank="Sergeant", hired_on=D(2015, 1, 1),
            separated_on=separated))
    return 5


def _full(access: Access) -> dict[str, int]:
    """A governed program: every required post held, a chief above the owner."""
    edits.set_model(access, GovernanceModel.CITY, "run by Metro PD", None)
    chief = edits.add_post(access, PostKind.OTHER, "Chief of police")
    edits.assign_holder(access, chief, HolderEdit("Walter Brennan", START, rank="Chief",
                                                  agency_id=1, sworn=True))
    ids = {"chief": chief}
    for kind, edit in (
            (PostKind.PROGRAM_OWNER, HolderEdit("Helen Marsh", START, rank="Deputy Chief",
                                                agency_id=1, sworn=True)),
            (PostKind.BUDGET_HOLDER, HolderEdit("Karen Liu", START)),
            (PostKind.OUTCOMES_OWNER, HolderEdit("Sam Garza", START)),
            (PostKind.SUPERVISION_CONTACT, HolderEdit("", START, staff_id=_sergeant(access),
                                                      rank="Sergeant", sworn=True))):
        edits.assign_holder(access, kind, edit)
    g = governance(access, START)
    assert g is not None
    for kind in PostKind:
        if kind.required:
            post = g.post(kind)
            assert post is not None
            ids[kind.value] = post.id
    owner = ids[PostKind.PROGRAM_OWNER.value]
    for low in ("budget_holder", "outcomes_owner", "supervision_contact"):
        ids[f"line_{low}"] = edits.add_line(access, ids[low], owner)
    ids["line_owner"] = edits.add_line(access, owner, chief)
    ids["dotted"] = edits.add_line(access, ids["outcomes_owner"], ids["supervision_contact"],
                                   dotted=True)
    return ids


# --- records over time ------------------------------------------------------------------

def test_a_new_holder_closes_the_last_and_each_day_reads_its_own(access: Access) -> None:
    _full(access)
    edits.assign_holder(access, PostKind.PROGRAM_OWNER,
                        HolderEdit("Luis Ortega", D(2025, 3, 3), rank="Captain", sworn=True,
                                   acting=True))
    before, after = governance(access, D(2025, 3, 2)), governance(access, D(2025, 3, 3))
    assert before is not None and after is not None
    owner_before, owner_after = before.post(PostKind.PROGRAM_OWNER), after.post(
        PostKind.PROGRAM_OWNER)
    assert owner_before is not None and owner_after is not None
    assert owner_before.holder is not None and owner_before.holder.name == "Helen Marsh"
    assert owner_after.holder is not None and owner_after.holder.described == \
        "Captain Luis Ortega (acting)"
    assert [h.until_on for h in owner_after.history] == [D(2025, 3, 3), None]
    contact = after.post(PostKind.SUPERVISION_CONTACT)
    assert contact is not None and contact.holder is not None
    assert contact.holder.name == "Nate Novak"  # the staff member's name, filled in


def test_one_post_of_each_required_kind_and_no_reporting_circle(access: Access) -> None:
    ids = _full(access)
    with pytest.raises(UserError, match="already has a program owner"):
        edits.add_post(access, PostKind.PROGRAM_OWNER)
    with pytest.raises(UserError, match="circle"):
        edits.add_line(access, ids["chief"], ids["budget_holder"])
    with pytest.raises(UserError, match="itself"):
        edits.add_line(access, ids["chief"], ids["chief"])
    with pytest.raises(UserError, match="cannot be removed"):
        edits.delete_post(access, ids["program_owner"])
    with pytest.raises(UserError, match="before it began"):
        edits.assign_holder(access, PostKind.BUDGET_HOLDER,
                            HolderEdit("X", D(2025, 1, 2), until_on=D(2025, 1, 1)))


# --- flags ------------------------------------------------------------------------------

def test_a_governed_program_raises_no_flag(access: Access) -> None:
    _full(access)
    g = governance(access, D(2025, 6, 1))
    assert g is not None and governance_flags(g) == ()


def test_each_owner_problem_is_flagged_on_the_records(access: Access) -> None:
    _full(access)
    g = governance(access, START)
    assert g is not None
    owner = g.post(PostKind.PROGRAM_OWNER)
    assert owner is not None and owner.holder is not None
    holder_id, version = owner.holder.id, owner.holder.version

    def codes(edit: HolderEdit) -> set[str]:
        nonlocal version
        version = edits.update_holder(access, holder_id, version, edit).version
        now = governance(access, D(2025, 6, 1))
        assert now is not None
        return {f.code for f in governance_flags(now)}

    marsh = HolderEdit("Helen Marsh", START, rank="Deputy Chief", sworn=True)
    assert codes(marsh) == set()
    assert codes(HolderEdit("Helen Marsh", START, sworn=False)) == {"owner_civilian"}
    assert codes(HolderEdit("Helen Marsh", START, rank="Captain", sworn=True,
                            acting=True)) == {"owner_acting"}
    assert codes(HolderEdit("Helen Marsh", START, sworn=True)) == {"owner_unranked"}
    assert codes(HolderEdit("Helen Marsh", START, rank="Deputy Chief", sworn=True,
                            until_on=D(2025, 1, 1))) == {"owner_missing"}


def test_an_owner_who_left_the_unit_and_an_empty_post_are_flagged(access: Access) -> None:
    _sergeant(access, separated=D(2025, 2, 1))
    edits.assign_holder(access, PostKind.PROGRAM_OWNER,
                        HolderEdit("", START, staff_id=5, rank="Sergeant", sworn=True))
    g = governance(access, D(2025, 2, 1))
    assert g is not None
    flags = {f.code: f for f in governance_flags(g)}
    assert flags["owner_separated"].severity is Severity.CRITICAL
    assert {"post_vacant", "model_missing"} <= set(flags)
    day_before = governance(access, D(2025, 1, 31))
    assert day_before is not None
    assert "owner_separated" not in {f.code for f in governance_flags(day_before)}


@given(present=st.booleans(), sworn=st.booleans(), acting=st.booleans(),
       rank=st.sampled_from([None, "Captain"]),
       separated=st.sampled_from([None, D(2025, 1, 1), D(2026, 1, 1)]))
def test_owner_flags_follow_the_sworn_owner_rule(present: bool, sworn: bool, acting: bool,
                                                 rank: str | None,
                                                 separated: dt.date | None) -> None:
    day = D(2025, 6, 1)
    holder = HolderRow(1, 1, None, "A. Person", rank, None, "", sworn, acting, START, None,
                       separated) if present else None
    codes = {f.code for f in owner_flags(holder, day)}
    expected = {"owner_missing"} if not present else {
        code for code, wrong in (("owner_civilian", not sworn),
                                 ("owner_unranked", sworn and rank is None),
                                 ("owner_acting", acting),
                                 ("owner_separated", separated is not None and separated <= day))
        if wrong}
    assert codes == expected


# --- editing: versions, audit, permissions ---------------------------------------------

def test_a_stale_holder_edit_is_refused_with_both_versions(access: Access) -> None:
    _full(access)
    g = governance(access, START)
    assert g is not None
    owner = g.post(PostKind.PROGRAM_OWNER)
    assert owner is not None and owner.holder is not None
    director = access.as_actor(Actor("dir.okafor", UserRole.DIRECTOR, "Director Okafor"))
    read = owner.holder.version
    saved = edits.update_holder(access, owner.holder.id, read,
                                HolderEdit("Helen Marsh", START, rank="Chief Deputy",
                                           sworn=True))
    with pytest.raises(EditConflict) as conflict:
        edits.update_holder(director, owner.holder.id, read,
                            HolderEdit("Helen Marsh", START, rank="Captain", sworn=True))
    c = conflict.value
    assert ("Rank", "Captain", "Chief Deputy") in c.fields
    assert c.theirs_version == saved.version and c.saved_by == "sgt.rivera"
    now = governance(access, START)
    assert now is not None
    kept = now.post(PostKind.PROGRAM_OWNER)
    assert kept is not None and kept.holder is not None and kept.holder.rank == "Chief Deputy"
    # Saving over theirs: again with the version the conflict reports.
    edits.update_holder(director, owner.holder.id, c.theirs_version or 0,
                        HolderEdit("Helen Marsh", START, rank="Captain", sworn=True))


def test_a_stale_model_edit_is_refused(access: Access) -> None:
    version = edits.set_model(access, GovernanceModel.CITY, "", None)
    edits.set_model(access, GovernanceModel.COUNTY, "the county took it over", version)
    with pytest.raises(EditConflict) as conflict:
        edits.set_model(access, GovernanceModel.REGIONAL, "", version)
    assert ("Model", "Regional", "County") in conflict.value.fields
    g = governance(access)
    assert g is not None and g.model is GovernanceModel.COUNTY


def test_every_governance_write_is_audited(access: Access) -> None:
    ids = _full(access)
    edits.set_responsibility(access, 1, "Runs the program", None)
    edits.delete_line(access, ids["dotted"])
    with access.factory() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.actor == "sgt.rivera")
                                  ).all()
    tables = {(e.table_name, e.action.value) for e in entries}
    for table in ("program_governance", "governance_post", "governance_holder",
                  "governance_line", "agency_responsibility"):
        assert any(t == table for t, _ in tables), table
    assert ("governance_line", "delete") in tables
    holder = next(e for e in entries if e.table_name == "governance_holder")
    assert "Walter Brennan" in holder.changes


def test_everyone_reads_governance_only_editors_write(any_db: Database,
                                                     tmp_path: Path) -> None:
    access = program_access_for(any_db, tmp_path)
    _full(access)
    analyst = access_for(any_db, tmp_path, Actor("eval", UserRole.ANALYST, "Evaluator"))
    assert governance(analyst) is not None
    with pytest.raises(PermissionDenied):
        edits.set_model(analyst, GovernanceModel.REGIONAL, "", None)
    with pytest.raises(PermissionDenied):
        edits.assign_holder(analyst, PostKind.PROGRAM_OWNER, HolderEdit("X", START))


# --- the chart --------------------------------------------------------------------------

def test_the_chart_is_drawn_from_the_records(access: Access, tmp_path: Path) -> None:
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from console.reports.governance_chart import draw_governance_chart, save_chart_files

    ids = _full(access)
    g = governance(access, D(2025, 6, 1))
    assert g is not None
    layout = chart_layout(g)
    levels = {n.post_id: n.y for n in layout.nodes}
    assert levels[ids["chief"]] < levels[ids["program_owner"]] < levels[ids["budget_holder"]]
    assert levels[ids["budget_holder"]] == levels[ids["supervision_contact"]]

    figure = Figure()
    draw_governance_chart(figure, layout)
    ax = figure.axes[0]
    texts = [t.get_text() for t in ax.texts]
    for name in ("Chief Walter Brennan", "Deputy Chief Helen Marsh", "Karen Liu",
                 "Sam Garza", "Sergeant Nate Novak", "Program owner", "Budget holder"):
        assert any(name in t for t in texts), name
    lines = [a for a in ax.get_children() if isinstance(a, Line2D)
             and (a.get_gid() or "").startswith("line-")]
    assert sorted(a.get_gid() for a in lines) == sorted(f"line-{x.id}" for x in g.lines)
    dotted = next(a for a in lines if a.get_gid() == f"line-{ids['dotted']}")
    assert dotted.get_linestyle() != "-"

    svg, png = save_chart_files(layout, tmp_path / "structure")
    text = svg.read_text()
    assert "Deputy Chief Helen Marsh" in text and "Sergeant Nate Novak" in text
    assert text.count('id="line-') == len(g.lines) == 5
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_chart_marks_a_flagged_post(access: Access) -> None:
    _full(access)
    edits.assign_holder(access, PostKind.PROGRAM_OWNER,
                        HolderEdit("Luis Ortega", D(2025, 3, 3), rank="Captain", sworn=True,
                                   acting=True))
    g = governance(access, D(2025, 6, 1))
    assert g is not None
    owner = g.post(PostKind.PROGRAM_OWNER)
    assert owner is not None
    layout = chart_layout(g)
    assert layout.node(owner.id).severity is Severity.WARNING
    assert layout.node(owner.id).holder == "Captain Luis Ortega (acting)"
    assert all(n.severity is Severity.OK for n in layout.nodes if n.post_id != owner.id)


# --- the command line --------------------------------------------------------------------

def test_governance_json_and_chart_from_the_command_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import program_database

    from console.__main__ import main
    from console.data.engine import open_database, sqlite_url
    from console.data.identity import unlock

    path = program_database(tmp_path / "p.sqlite")
    database = open_database(sqlite_url(path), create=False)
    try:
        _full(Access(database.session_factory, Actor.system("test"), unlock(database).vault))
    finally:
        database.dispose()
    assert main(["--db", str(path), "governance", "--json", "--as-of", "2025-06-01"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["model"] == "city" and out["flags"] == []
    owner = next(p for p in out["posts"] if p["kind"] == "program_owner")
    assert owner["holder"]["name"] == "Helen Marsh" and owner["holder"]["sworn"] is True
    assert len(out["reporting_lines"]) == 5
    assert main(["--db", str(path), "governance", "--json", "--as-of", "2023-06-01"]) == 0
    early = json.loads(capsys.readouterr().out)
    assert {f["code"] for f in early["flags"]} >= {"owner_missing", "post_vacant"}
    for name in ("chart.svg", "chart.png"):
        assert main(["--db", str(path), "governance", "chart", str(tmp_path / name)]) == 0
        assert (tmp_path / name).stat().st_size > 1000
    assert main(["--db", str(path), "governance", "chart", str(tmp_path / "c.pdf")]) == 2
