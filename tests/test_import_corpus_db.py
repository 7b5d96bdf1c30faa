"""The hostile corpus through the import service, against a real database.

Every file either gives its clear one-line reason with the database exactly as before
(a whole dump compared), or imports what it should: see tests/import_corpus.py for the
levels. One database per backend for the whole module.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    BACKEND_IDS,
    BACKENDS,
    database_on,
    program_access_for,
)
from import_corpus import CorpusFile, build_corpus
from sqlalchemy import inspect, text

from console.data.importers.fields import Mapping
from console.errors import UserError
from console.services.access import Access
from console.services.import_service import import_calls, survey_file

CORPUS_FOLDER_NAME = "corpus"
PLAIN = Mapping(columns={"incident_number": "Incident Number", "received_at": "Received"})


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[CorpusFile]:
    return build_corpus(tmp_path_factory.mktemp(CORPUS_FOLDER_NAME))


@pytest.fixture(scope="module", params=BACKENDS, ids=BACKEND_IDS)
def program_access(request: pytest.FixtureRequest,
                   tmp_path_factory: pytest.TempPathFactory) -> Iterator[Access]:
    folder = tmp_path_factory.mktemp("db")
    with database_on(request.param, request, folder) as database:
        yield program_access_for(database, folder)


def dump(access: Access) -> dict[str, list[tuple[Any, ...]]]:
    engine = access.factory.kw["bind"]
    with engine.connect() as conn:
        names = sorted(inspect(conn).get_table_names())
        return {name: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{name}"'))),
                             key=repr) for name in names}


def one_line(error: UserError) -> str:
    assert "\n" not in error.message and error.message.strip() == error.message
    return error.message.lower()


def test_the_corpus_has_every_level(corpus: list[CorpusFile]) -> None:
    levels = {f.level for f in corpus}
    assert levels == {"file", "mapping", "rows", "ok"} and len(corpus) >= 25


def test_unreadable_files_change_nothing(corpus: list[CorpusFile],
                                         program_access: Access) -> None:
    for item in (f for f in corpus if f.level == "file"):
        with pytest.raises(UserError) as surveyed:
            survey_file(item.path)
        assert item.expect in one_line(surveyed.value), item.name
        before = dump(program_access)
        with pytest.raises(UserError) as imported:
            import_calls(program_access, item.path, PLAIN)
        assert item.expect in one_line(imported.value), item.name
        assert dump(program_access) == before, item.name


def test_files_needing_a_decision_change_nothing(corpus: list[CorpusFile],
                                                 program_access: Access) -> None:
    for item in (f for f in corpus if f.level == "mapping"):
        survey = survey_file(item.path)
        before = dump(program_access)
        with pytest.raises(UserError) as imported:
            import_calls(program_access, item.path, survey.suggested)
        assert item.expect in one_line(imported.value), (item.name, imported.value)
        assert dump(program_access) == before, item.name


def test_partly_bad_files_reject_rows_with_their_reason(corpus: list[CorpusFile],
                                                        program_access: Access) -> None:
    for item in (f for f in corpus if f.level == "rows"):
        survey = survey_file(item.path)
        before = dump(program_access)
        refused = import_calls(program_access, item.path, survey.suggested,
                               all_or_nothing=True)
        assert not refused.committed and refused.counts.rejected > 0, item.name
        assert dump(program_access) == before, item.name
        result = import_calls(program_access, item.path, survey.suggested)
        reasons = " | ".join(r.reason.lower() for r in result.rejects)
        assert item.expect in reasons, (item.name, reasons)
        assert result.counts.rejected == refused.counts.rejected, item.name
        assert result.valid_rows == survey.row_count - result.counts.rejected, item.name


def test_hostile_looking_files_import_completely(corpus: list[CorpusFile],
                                                 program_access: Access) -> None:
    for item in (f for f in corpus if f.level == "ok"):
        survey = survey_file(item.path)
        result = import_calls(program_access, item.path, survey.suggested)
        assert not result.rejects, (item.name, result.rejects[:3])
        counts = result.counts
        assert counts.inserted + counts.updated + counts.unchanged == survey.row_count, \
            item.name
        assert survey.row_count > 0


def test_a_survey_reads_the_whole_file(corpus: list[CorpusFile], tmp_path: Path) -> None:
    item = next(f for f in corpus if f.name == "bom_utf8.csv")
    survey = survey_file(item.path)
    assert survey.kind == "csv" and survey.encoding == "utf-8-sig"
    assert survey.row_count == 6 and len(survey.sample) == 6
    assert survey.sample[0][0] == 2  # the header is row 1
    assert set(survey.distinct["Call Type"]) == {"PERSON IN CRISIS", "WELFARE CHECK", "THEFT"}
    assert survey.suggested.columns["incident_number"] == "Incident Number"
    assert survey.suggested.date_order is not None and not survey.date_order_needed


