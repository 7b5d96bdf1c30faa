"""The staffing and pipeline subcommands: text and JSON, on a small demo program."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from console.__main__ import main


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("people-cli") / "demo.sqlite"
    assert main(["--db", str(path), "demo", "--years", "2", "--calls", "800"]) == 0
    return path


def test_staffing_json(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", str(demo_file), "staffing", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # The demo ends today: interns' seats stand empty in summer, so count what never varies.
    assert data["authorized"] == 13 and data["filled"] == 13 - len(data["vacancies"])
    [vacancy] = [v for v in data["vacancies"] if v["role"] != "intern"]
    assert vacancy["role"] == "mh_responder" and vacancy["age_days"] > 60
    assert len(data["credentials_lapsing"]) == 2
    assert [r["role"] for r in data["bench"] if r["flagged"]] == ["clinical_lead"]


def test_staffing_text_as_of_a_day(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", str(demo_file), "staffing", "--as-of", "2025-01-15"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Staffing on 2025-01-15: ")
    assert "Sworn supervisor: " in out and "FEWER THAN TWO READY" in out


def test_pipeline_json_and_text(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", str(demo_file), "pipeline", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {p["partner"] for p in data["by_partner"]} == {"Alder State University",
                                                         "Port Alder College"}
    assert data["forecast"]["sentence"].startswith("the pipeline covers ")
    assert sum(data["per_stage"].values()) == sum(p["candidates"] for p in data["by_partner"])
    assert main(["--db", str(demo_file), "pipeline"]) == 0
    out = capsys.readouterr().out
    assert "Forecast: The pipeline covers " in out
    assert "@students.example.edu" not in out  # candidates by number only


def test_a_bad_date_is_a_one_line_error(demo_file: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", str(demo_file), "pipeline", "--as-of", "2026-13-01"]) == 2
    assert capsys.readouterr().err.strip().endswith("give a date as YYYY-MM-DD")
