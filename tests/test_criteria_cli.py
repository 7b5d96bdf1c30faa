"""criteria list|show|export|propose|preview|apply on a small demo program, and the
one-page sheet."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from console.__main__ import main
from console.reports.criteria_pdf import criteria_pdf
from console.services.criteria.versions import CriteriaVersionRow, EntrySpec

PAGE = re.compile(rb"/Type\s*/Page(?!s)")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("criteria-cli") / "demo.sqlite"
    assert main(["--db", str(path), "demo", "--years", "1", "--calls", "900"]) == 0
    return path


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_list_and_show_the_demo_s_two_versions(demo_file: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    listed = _json(capsys, "--db", str(demo_file), "criteria", "list", "--json")
    assert isinstance(listed, list)
    assert [(v["name"], v["status"], v["in_scope"], v["out_of_scope"], v["in_force"])
            for v in listed] == [("Pilot: every call", "approved", 11, 0, False),
                                 ("Refined criteria at launch", "approved", 6, 5, True)]
    shown = _json(capsys, "--db", str(demo_file), "criteria", "show", "--json")
    assert isinstance(shown, dict) and shown["name"] == "Refined criteria at launch"
    scope = {e["call_type"]: e["scope"] for e in shown["entries"]}
    assert scope["Trespass"] == "out" and scope["Suicidal person"] == "in"
    assert all(e["reason"] for e in shown["entries"])
    pilot = _json(capsys, "--db", str(demo_file), "criteria", "show", "Pilot: every call",
                  "--json")
    assert isinstance(pilot, dict) and {e["scope"] for e in pilot["entries"]} == {"in"}
    capsys.readouterr()
    assert main(["--db", str(demo_file), "criteria", "show", "No such"]) == 2
    assert "no criteria version 'No such'" in capsys.readouterr().err


def test_preview_then_apply_a_csv_and_the_counts_agree(
        demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    changes = tmp_path / "changes.csv"
    changes.write_text("call type,scope,reason\nWelfare check,out,Patrol handles them now\n"
                       "Dog at large,in,never seen\n", encoding="utf-8")
    listed = _json(capsys, "--db", str(demo_file), "criteria", "list", "--json")
    assert isinstance(listed, list)
    day = _next_day(listed[-1]["effective_on"])
    args = ["--db", str(demo_file), "criteria", "preview", str(changes), "--name", "2026",
            "--effective", day, "--json"]
    preview = _json(capsys, *args)
    assert isinstance(preview, dict) and preview["carried_over"] == 10
    assert preview["in_to_out"] > 0 and preview["out_to_in"] == 0
    assert [t["call_type"] for t in preview["by_type"]] == ["Welfare check"]
    capsys.readouterr()
    assert main([*args[:-3], "--effective", "2100-01-01"]) == 0  # text: nothing yet
    assert capsys.readouterr().out.startswith("0 calls would change scope")
    capsys.readouterr()
    assert main([*args[:-3], "--effective", "2000-01-01"]) == 2
    assert "is not after" in capsys.readouterr().err
    capsys.readouterr()
    assert main(["--db", str(demo_file), "criteria", "apply", str(changes), "--name",
                 "2026", "--effective", day]) == 2  # who approved it, and the policy
    assert "without who approved it and its policy reference" in capsys.readouterr().err
    applied = _json(capsys, "--db", str(demo_file), "criteria", "apply", str(changes),
                    "--name", "2026", "--effective", day, "--approved-by", "Lt. Ortiz",
                    "--policy", "GO 4.12 rev. 2", "--json")
    assert isinstance(applied, dict) and applied["applied"]
    assert {k: v for k, v in applied.items() if k != "applied"} == \
        {k: v for k, v in preview.items() if k != "applied"}
    again = _json(capsys, "--db", str(demo_file), "criteria", "preview", str(changes),
                  "--name", "2027", "--effective", "2100-01-02", "--json")
    assert isinstance(again, dict) and again["changed"] == 0
    proposed = _json(capsys, "--db", str(demo_file), "criteria", "propose", "--json")
    assert proposed == []  # the demo's call types are all in the criteria


def _next_day(day: str) -> str:
    import datetime as dt

    return (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()


def test_export_writes_a_one_page_sheet(demo_file: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "criteria.pdf"
    assert main(["--db", str(demo_file), "criteria", "export", str(out),
                 "--version", "Refined criteria at launch"]) == 0
    data = out.read_bytes()
    assert len(PAGE.findall(data)) == 1
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], check=True, capture_output=True,
                              text=True).stdout
        for call_type in ("Suicidal person", "Person in crisis", "Trespass", "Disturbance",
                          "Missing person (at risk)", "General Order 4.12"):
            assert call_type in text
    capsys.readouterr()
    assert main(["--db", str(demo_file), "criteria", "export", str(tmp_path / "x.txt")]) == 2
    assert "is a PDF" in capsys.readouterr().err


def test_a_long_list_still_fits_one_page(tmp_path: Path) -> None:
    import datetime as dt

    entries = tuple(EntrySpec(f"Call type number {i}", i % 3 != 0,
                              "a reason long enough to wrap onto a second line of the "
                              "sheet's column " * 2) for i in range(90))
    version = CriteriaVersionRow(1, "Long", dt.date(2025, 1, 1), "Chief", None, "GO 1", "",
                                 None, "", 1, entries)
    data = criteria_pdf(version, "Metro")
    assert len(PAGE.findall(data)) == 1
    if shutil.which("pdftotext"):
        (tmp_path / "long.pdf").write_bytes(data)
        text = subprocess.run(["pdftotext", str(tmp_path / "long.pdf"), "-"], check=True,
                              capture_output=True, text=True).stdout
        assert "DRAFT" in text and "Call type number 0" in text
        assert "Call type number 89" in text
