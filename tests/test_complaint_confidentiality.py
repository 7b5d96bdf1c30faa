"""Only a case's supervisor, director and assigned reviewer read its narrative, its
complainant and its attachments; every read is audited; nothing of them is ever stored
in clear (database file, WAL, backup)."""

from __future__ import annotations

from pathlib import Path

import pytest
from complaint_world import COMPLAINANT, CONTACT, NARRATIVE, actor, build, new_case
from sqlalchemy import func, select

from console.data.complaint_enums import (
    ChecklistStatus,
    Classification,
    ComplaintState,
    DocumentKind,
)
from console.data.engine import Database
from console.data.models import AuditEntry, Complaint
from console.services.access import Access, Action, PermissionDenied
from console.services.complaints import (
    Request,
    WorkflowAction,
    access_log,
    add_note,
    attach,
    case_detail,
    open_attachment,
    queue,
    read_confidential,
    transition,
)
from console.services.complaints.queries import ACCESS_TABLE

SECRET_NOTE = "Spoke with Ms Quincewhistle's sister at Juniper Court"
ATTACHMENT = f"Statement of {COMPLAINANT}: {NARRATIVE}".encode()


@pytest.fixture
def case(db: Database, tmp_path: Path) -> tuple[Access, int]:
    """A case about Ana Subject (1) and Sam Second (6), assigned to Rae Able (3)."""
    sup = build(db, tmp_path)
    case_id = new_case(sup)
    with sup.writing(Action.EDIT_COMPLAINTS) as session:
        row = session.get(Complaint, case_id)
        row.state = ComplaintState.ACKNOWLEDGED
        for item in row.checklist:
            item.status = ChecklistStatus.DONE
    transition(sup, case_id, 2, Request(WorkflowAction.ASSIGN, "Assigned outside the chain.",
                                        reviewer_id=3,
                                        classification=Classification.SUPERVISOR_REVIEW))
    add_note(sup, case_id, SECRET_NOTE)
    attach(sup, case_id, f"{COMPLAINANT} statement.txt", ATTACHMENT, "text/plain",
           DocumentKind.CALL_RECORD)
    return sup, case_id


def _reads(sup: Access, case_id: int) -> int:
    with sup.factory() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.table_name == ACCESS_TABLE, AuditEntry.record_id == str(case_id))) or 0


@pytest.mark.parametrize("who", ["supervisor", "director", "assigned reviewer"])
def test_the_case_team_reads_the_confidential_parts(case: tuple[Access, int], who: str) -> None:
    sup, case_id = case
    reader = actor(sup, who)
    seen = read_confidential(reader, case_id)
    assert (seen.narrative, seen.complainant_name, seen.complainant_contact) == (
        NARRATIVE, COMPLAINANT, CONTACT)
    detail = case_detail(reader, case_id)
    assert detail.may_read_confidential
    assert any(r.note == SECRET_NOTE for r in detail.timeline)
    attachment = detail.attachments[0]
    assert attachment.filename == f"{COMPLAINANT} statement.txt"
    assert open_attachment(reader, attachment.id)[2] == ATTACHMENT


@pytest.mark.parametrize("who", ["other reviewer", "responder (subject)", "analyst",
                                 "subject supervisor"])
def test_others_cannot_read_the_narrative_or_the_complainant(
        case: tuple[Access, int], who: str) -> None:
    sup, case_id = case
    reader = actor(sup, who)
    before = _reads(sup, case_id)
    with pytest.raises(PermissionDenied):
        read_confidential(reader, case_id)
    attachment_id = case_detail(sup, case_id).attachments[0].id
    with pytest.raises(PermissionDenied):
        open_attachment(reader, attachment_id)
    assert _reads(sup, case_id) == before  # a refusal reads nothing


def test_the_subject_never_sees_the_complainant(case: tuple[Access, int]) -> None:
    """Sam Second, a supervisor by role, is a subject of the case: he sees that it exists,
    never who complained, what they said, the notes or the documents' names."""
    sup, case_id = case
    subject = actor(sup, "subject supervisor")
    detail = case_detail(subject, case_id)
    assert not detail.may_read_confidential and not detail.may_see_access_log
    assert detail.actions == ()
    assert all(r.note in (None, "(withheld)") for r in detail.timeline)
    assert detail.attachments[0].filename is None
    text = repr(detail)
    for secret in (COMPLAINANT, CONTACT, NARRATIVE, SECRET_NOTE):
        assert secret not in text
    with pytest.raises(PermissionDenied):
        access_log(subject, case_id)


def test_a_reviewer_sees_only_the_cases_assigned_to_them(case: tuple[Access, int]) -> None:
    sup, case_id = case
    other = new_case(sup)
    assert [r.id for r in queue(actor(sup, "assigned reviewer"))] == [case_id]
    assert queue(actor(sup, "other reviewer")) == []
    with pytest.raises(PermissionDenied):
        case_detail(actor(sup, "other reviewer"), case_id)
    with pytest.raises(PermissionDenied):
        case_detail(actor(sup, "assigned reviewer"), other)
    for who in ("responder (subject)", "analyst"):
        with pytest.raises(PermissionDenied):
            queue(actor(sup, who))


def test_every_read_is_audited_and_shown_to_the_supervisor(case: tuple[Access, int]) -> None:
    sup, case_id = case
    before = _reads(sup, case_id)
    reviewer = actor(sup, "assigned reviewer")
    read_confidential(reviewer, case_id)
    read_confidential(reviewer, case_id)
    read_confidential(actor(sup, "director"), case_id)
    open_attachment(reviewer, case_detail(sup, case_id).attachments[0].id)
    assert _reads(sup, case_id) == before + 4
    log = access_log(sup, case_id)
    assert [r.actor for r in log[-4:]] == ["rev.able", "rev.able", "dir", "rev.able"]
    assert "narrative" in log[-2].read and log[-1].read.startswith("attachment")
    timeline = case_detail(sup, case_id).timeline
    assert sum(1 for r in timeline if r.kind == "access") == len(log)
    # The reviewer reads the case but not who else read it.
    assert not case_detail(reviewer, case_id).may_see_access_log
    assert all(r.kind != "access" for r in case_detail(reviewer, case_id).timeline)
    with pytest.raises(PermissionDenied):
        access_log(reviewer, case_id)
    # The audit entries say who read what, never the text itself.
    with sup.factory() as session:
        changes = " ".join(session.scalars(select(AuditEntry.changes)))
    assert NARRATIVE not in changes and COMPLAINANT not in changes


SECRETS = [NARRATIVE[:40], COMPLAINANT, CONTACT[:15], SECRET_NOTE, "Statement of"]


def _leaks(data: bytes) -> list[str]:
    return [s for s in SECRETS if s.encode() in data or s.encode("utf-16-le") in data]


def test_nothing_confidential_in_the_database_file_wal_or_backup(
        case: tuple[Access, int], db: Database, tmp_path: Path) -> None:
    from console.services import backup_service

    sup, case_id = case
    read_confidential(sup, case_id)
    path = db.sqlite_path
    assert path is not None
    wal = path.with_name(path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the writes are (still) in the WAL
    assert _leaks(wal.read_bytes()) == []
    assert _leaks(path.read_bytes()) == []
    backup = backup_service.backup_database(sup, db, tmp_path / "backup.sqlite")
    assert _leaks(backup.path.read_bytes()) == []
    db.dispose()  # checkpoints the WAL into the file
    assert _leaks(path.read_bytes()) == []
