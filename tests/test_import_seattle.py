"""The public Seattle CAD sample imports with the suggested mapping: every row but those
of the one clearance code no keyword places ("PRIORITY CALL HANDLING"), which wait for a
person to translate it (the wizard asks; the command line rejects them).

The file is read where it lies (../shared/data/real beside the checkout), never copied
into the repository; without it the tests skip and say why.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from conftest import NO_SEATTLE_SAMPLE, SEATTLE_SAMPLE
from sqlalchemy import func, select

from console.data.engine import Database
from console.data.enums import CallSource, Disposition
from console.data.models import Call
from console.services.access import Access
from console.services.import_service import import_calls, preview, survey_file

SAMPLE = SEATTLE_SAMPLE
pytestmark = pytest.mark.skipif(SAMPLE is None, reason=NO_SEATTLE_SAMPLE)


@pytest.fixture
def program_access(any_db: Database, tmp_path: Path) -> Access:
    from conftest import program_access_for

    return program_access_for(any_db, tmp_path)


def test_survey_suggests_every_column_it_should() -> None:
    assert SAMPLE is not None
    survey = survey_file(SAMPLE)
    assert survey.kind == "csv" and survey.row_count == 222
    columns = survey.suggested.columns
    assert columns["incident_number"] == "CAD Event Number"
    assert columns["received_at"] == "Original Time Queued"
    assert columns["disposition"] == "Event Clearance Description"
    assert survey.suggested.date_order is not None
    assert all(row.ok for row in preview(survey, survey.suggested))


def test_the_sample_imports_then_adds_nothing(program_access: Access) -> None:
    assert SAMPLE is not None
    mapping = survey_file(SAMPLE).suggested
    result = import_calls(program_access, SAMPLE, mapping)
    # One clearance code no keyword places gets no suggestion: its rows wait for a person.
    assert {(r.value, r.reason.split(":")[0]) for r in result.rejects} == {
        ("PRIORITY CALL HANDLING", "unknown disposition code 'PRIORITY CALL HANDLING'")}
    assert result.counts.as_dict() == {"inserted": 214, "updated": 0, "unchanged": 0,
                                       "rejected": 8}
    with SAMPLE.open(newline="", encoding="utf-8") as f:
        first = next(csv.DictReader(f))
    with program_access.factory() as session:
        assert session.scalar(select(func.count()).select_from(Call)) == 214
        call = session.scalars(select(Call).where(
            Call.incident_number == first["CAD Event Number"])).one()
    assert call.received_at == dt.datetime.strptime(first["Original Time Queued"],
                                                     "%m/%d/%Y %I:%M:%S %p")
    assert call.final_call_type == first["Final Call Type"]
    assert call.source is CallSource.E911 and call.beat == first["Beat"]
    assert call.disposition is Disposition.UNABLE_TO_LOCATE
    again = import_calls(program_access, SAMPLE, mapping)
    assert again.counts.as_dict() == {"inserted": 0, "updated": 0, "unchanged": 214,
                                      "rejected": 8}
