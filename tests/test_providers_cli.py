"""The providers subcommand: the scorecard's JSON shape and text, list, add, retire."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import program_database
from provider_world import after_hours_run, provider, referral

from console.__main__ import main
from console.data.engine import open_database, sqlite_url

D = dt.datetime


@pytest.fixture
def network_file(tmp_path: Path) -> Path:
    path = program_database(tmp_path / "network.sqlite")
    db = open_database(sqlite_url(path), create=False)
    try:
        alder = provider(db, "Alder Crisis", after_hours=True)
        beacon = provider(db, "Beacon Housing")
        after_hours_run(db, alder, dt.date(2026, 2, 1), 40, 33)
        after_hours_run(db, alder, dt.date(2026, 5, 6), 8, 4)
        referral(db, beacon, D(2026, 3, 2, 10), received_at=D(2026, 3, 2, 9),
                 first_service_at=D(2026, 3, 2, 13))
    finally:
        db.dispose()
    return path


def test_scorecard_json_shape(network_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", str(network_file), "providers", "--from", "2026-01-01",
                 "--to", "2026-06-30", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["from"], data["to"], data["recent_from"]) == (
        "2026-01-01", "2026-06-30", "2026-05-06")
    alder, beacon = data["providers"]
    assert set(alder) >= {"name", "rank", "referrals", "warm_share",
                          "after_hours_answered_share", "median_hours_to_service",
                          "flagged", "flag_reason", "trend"}
    assert alder["name"] == "Alder Crisis" and alder["rank"] == 1
    assert alder["referrals"] == 48 and alder["warm_share"] == 1.0
    assert alder["after_hours_answered_share"] == round(37 / 48, 4)
    assert alder["median_hours_to_service"] is None
    assert alder["flagged"] is True and alder["flag_reason"].startswith("answered 4 of 8")
    assert [m["month"] for m in alder["trend"]] == [f"2026-0{m}" for m in range(1, 7)]
    assert beacon["rank"] is None and beacon["median_hours_to_service"] == 4.0
    assert beacon["after_hours_answered_share"] is None and beacon["flagged"] is False
    network = data["network"]
    assert network["name"] == "Whole network" and network["referrals"] == 49


def test_scorecard_text_marks_the_flag(network_file: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", str(network_file), "providers", "--to", "2026-06-30"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:3] == ["rank", "provider", "referrals"]
    assert "FLAGGED: answered 4 of 8" in out[1] and out[1].lstrip().startswith("1  Alder")
    assert out[-1].split()[:3] == ["Whole", "network", "49"]


def test_list_add_retire(network_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(network_file)]
    assert main([*db, "providers", "add", "Cedar Detox", "--services", "detox",
                 "--after-hours"]) == 0
    assert main([*db, "providers", "retire", "beacon housing"]) == 0
    capsys.readouterr()
    assert main([*db, "providers", "list", "--json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["Cedar Detox"]["services"] == ["detox"] and rows["Cedar Detox"]["after_hours"]
    assert rows["Beacon Housing"]["retired_on"] == dt.date.today().isoformat()
    assert rows["Beacon Housing"]["referrals"] == 1
    assert main([*db, "providers", "add", "cedar detox"]) == 2
    assert "already has a provider called 'cedar detox'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as bad:  # argparse refuses it, with the usage line
        main([*db, "providers", "--from", "2026-13-01"])
    assert bad.value.code == 2
    assert "'2026-13-01' is not a date: write YYYY-MM-DD" in capsys.readouterr().err
