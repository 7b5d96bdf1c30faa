"""The case summary PDF holds what its reader may see, and nothing more."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from complaint_world import COMPLAINANT, NARRATIVE, actor, build, new_case
from sqlalchemy import func, select

from console.data.complaint_enums import DocumentKind
from console.data.engine import Database
from console.data.models import AuditEntry
from console.reports.complaint_pdf import WITHHELD, write_case_summary
from console.services.access import Access
from console.services.complaints import add_note, attach
from console.services.complaints.queries import ACCESS_TABLE, case_summary

NOTE = "Called Zelda back about the Juniper Court visit"
FILE_NAME = "Quincewhistle letter.pdf"


def _text(pdf: Path) -> str:
    """The PDF's text as a reader sees it (pdftotext), or its raw bytes without it."""
    if shutil.which("pdftotext") is None:
        return pdf.read_bytes().decode("latin-1")
    return subprocess.run(["pdftotext", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture
def world(db: Database, tmp_path: Path) -> tuple[Access, int]:
    sup = build(db, tmp_path)
    case_id = new_case(sup)
    add_note(sup, case_id, NOTE)
    attach(sup, case_id, FILE_NAME, b"%PDF-1.4 letter", "application/pdf",
           DocumentKind.INTAKE_FORM)
    return sup, case_id


def _reads(sup: Access) -> int:
    with sup.factory() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.table_name == ACCESS_TABLE)) or 0


def test_the_supervisors_summary_holds_the_account_and_is_audited(
        world: tuple[Access, int], tmp_path: Path) -> None:
    sup, case_id = world
    detail, confidential = case_summary(sup, case_id)
    assert confidential is not None and _reads(sup) == 1
    pdf = write_case_summary(tmp_path / "sup.pdf", detail, confidential, "Sup")
    text = " ".join(_text(pdf).split())
    assert COMPLAINANT in text and NARRATIVE[:30] in text and NOTE in text
    assert FILE_NAME in text and WITHHELD not in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_the_subjects_summary_omits_what_they_may_not_see(world: tuple[Access, int],
                                                          tmp_path: Path) -> None:
    sup, case_id = world
    subject = actor(sup, "subject supervisor")
    detail, confidential = case_summary(subject, case_id)
    assert confidential is None and _reads(sup) == 0
    pdf = write_case_summary(tmp_path / "subject.pdf", detail, confidential, "Sam")
    text = " ".join(_text(pdf).split())
    assert "C-2026-001" in text and " ".join(WITHHELD.split()) in text
    raw = pdf.read_bytes()
    for secret in (COMPLAINANT, "Quincewhistle", NARRATIVE[:30], NOTE, FILE_NAME):
        assert secret not in text
        assert secret.encode() not in raw


def test_a_summary_written_from_the_supervisors_view_still_withholds_notes(
        world: tuple[Access, int], tmp_path: Path) -> None:
    """Without the confidential parts the PDF prints no note, whatever view it was given."""
    sup, case_id = world
    detail, _ = case_summary(sup, case_id)
    pdf = write_case_summary(tmp_path / "x.pdf", detail, None, "Someone")
    assert NOTE.encode() not in pdf.read_bytes() and NOTE not in _text(pdf)
