"""A referral list through the shared importer (`referrals import`): matched to calls by
incident number, unknown providers added not yet vetted, row rejects with reasons, and a
second import of the same file that changes nothing; as CSV and as XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import insert, select

from console.__main__ import main
from console.data.engine import open_database, sqlite_url
from console.data.enums import Activation, StaffRole
from console.data.models import Call, Provider, Referral, StaffMember, call_responder
from console.data.referral_enums import ReferralKind, ReferralResult, VettingStatus
from tests.conftest import program_database

HEADER = ["CAD Incident #", "Client", "Referred To", "Referral Type", "Date/Time Referred",
          "Contact Made", "Attempts", "First Appt", "Status", "Notes"]
# As a provider-network tracking sheet prints it: US dates, Y/N, its own words.
ROWS = [
    ["26-0001", "M. Brightwater", "Riverbend Crisis Center", "Warm handoff",
     "03/02/2026 10:40", "Y", "1", "03/02/2026 14:00", "Accepted", "Intake done same day"],
    ["26-0002", "T. Lindqvist", "Harbor Housing", "Info only", "03/05/2026 23:50", "N", "2",
     "", "Pending", ""],
    ["26-0003", "O. Featherstone", "riverbend crisis center", "Warm handoff",  # known, case
     "03/09/2026 14:30", "Y", "1", "03/10/2026 09:00", "Accepted", ""],
    ["26-0004", "I. Vantongeren", "Northside Peer Line", "Warm handoff",  # a new provider
     "03/20/2026 03:30", "Y", "3", "", "No show", "Missed the 9am slot"],
    ["26-9999", "Nobody Known", "Harbor Housing", "Info only",  # no such call
     "03/21/2026 10:00", "", "", "", "Pending", ""],
    ["26-0002", "T. Lindqvist", "Northside Peer Line", "Warm handoff",  # served before
     "03/06/2026 10:00", "Y", "1", "03/01/2026 10:00", "Accepted", ""],  # being referred
    ["26-0003", "O. Featherstone", "Harbor Housing", "Sent a letter",  # unknown kind
     "03/09/2026 15:00", "", "", "", "", ""],
]
CALL_TIMES = [dt.datetime(2026, 3, 2, 10), dt.datetime(2026, 3, 5, 22, 10),
              dt.datetime(2026, 3, 9, 14), dt.datetime(2026, 3, 20, 3, 5)]


def _database(tmp_path: Path) -> Path:
    db_path = program_database(tmp_path / "unit.sqlite")
    db = open_database(sqlite_url(db_path), create=False)
    try:
        with db.engine.begin() as conn:
            conn.execute(insert(StaffMember).values(
                id=1, program_id=1, staff_key="R1", display_name="Ana Ruiz",
                role=StaffRole.MH_RESPONDER, hired_on=dt.date(2022, 1, 1)))
            conn.execute(insert(Call), [
                {"id": i + 1, "program_id": 1, "agency_id": 1,
                 "incident_number": f"26-{i + 1:04d}", "received_at": at,
                 "activation": Activation.DISPATCH} for i, at in enumerate(CALL_TIMES)])
            conn.execute(insert(call_responder), [{"call_id": 1, "staff_id": 1}])
            conn.execute(insert(Provider).values(
                program_id=1, name="Riverbend Crisis Center", vetting=VettingStatus.VETTED))
    finally:
        db.dispose()
    return db_path


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "referrals.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([HEADER, *ROWS])
    return path


def _xlsx(tmp_path: Path) -> Path:
    """The same sheet as a workbook: real dates and numbers in the cells."""
    path = tmp_path / "referrals.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Referrals"
    sheet.append(HEADER)
    for row in ROWS:
        cells: list[object] = list(row)
        for i in (4, 7):
            if row[i]:
                cells[i] = dt.datetime.strptime(row[i], "%m/%d/%Y %H:%M")
        if row[6]:
            cells[6] = int(row[6])
        sheet.append(cells)
    book.save(path)
    return path


def _run(db_path: Path, path: Path, capsys: pytest.CaptureFixture[str],
         *extra: str) -> tuple[int, dict[str, object]]:
    capsys.readouterr()
    code = main(["--db", str(db_path), "referrals", "import", str(path), "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def _stored(db_path: Path) -> tuple[list[tuple[object, ...]], list[tuple[str, VettingStatus]]]:
    db = open_database(sqlite_url(db_path), create=False)
    try:
        with db.engine.connect() as conn:
            referrals = conn.execute(
                select(Referral.call_id, Provider.name, Referral.kind, Referral.referred_at,
                       Referral.contact_made, Referral.contact_attempts,
                       Referral.first_service_at, Referral.result, Referral.staff_id,
                       Referral.outcome_notes.is_not(None))
                .join(Provider).order_by(Referral.call_id, Provider.name)).tuples().all()
            providers = conn.execute(select(Provider.name, Provider.vetting)
                                     .order_by(Provider.name)).tuples().all()
    finally:
        db.dispose()
    return list(referrals), list(providers)


@pytest.mark.parametrize("make", [_csv, _xlsx], ids=["csv", "xlsx"])
def test_a_referral_list_imports_once(make: object, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    db_path = _database(tmp_path)
    path = make(tmp_path)  # type: ignore[operator]
    # A dry run writes nothing but counts what it would add.
    code, dry = _run(db_path, path, capsys, "--dry-run")
    assert code == 1 and dry["counts"] == {"inserted": 4, "updated": 0, "unchanged": 0,
                                           "rejected": 3}
    assert dry["providers_added"] == 0 and _stored(db_path)[0] == []
    code, out = _run(db_path, path, capsys)
    assert code == 1 and out["kind"] == "referrals"
    assert out["counts"] == {"inserted": 4, "updated": 0, "unchanged": 0, "rejected": 3}
    assert out["providers_added"] == 2  # Harbor Housing, Northside Peer Line
    assert "Client" in out["unmapped"]  # a name column is never read
    reasons = {(r["row"], r["reason"].split(":")[0]) for r in out["rejects"]}  # type: ignore[union-attr]
    assert reasons == {
        (6, "no call with this incident number in the program"),
        (7, "first service 2026-03-01 10"),
        (8, "unknown referral kind code 'Sent a letter'")}
    referrals, providers = _stored(db_path)
    warm, info = ReferralKind.WARM_HANDOFF, ReferralKind.INFORMATION_ONLY
    assert referrals == [
        (1, "Riverbend Crisis Center", warm, dt.datetime(2026, 3, 2, 10, 40), True, 1,
         dt.datetime(2026, 3, 2, 14), ReferralResult.ACCEPTED, 1, True),
        (2, "Harbor Housing", info, dt.datetime(2026, 3, 5, 23, 50), False, 2, None,
         ReferralResult.PENDING, None, False),
        (3, "Riverbend Crisis Center", warm, dt.datetime(2026, 3, 9, 14, 30), True, 1,
         dt.datetime(2026, 3, 10, 9), ReferralResult.ACCEPTED, None, False),
        (4, "Northside Peer Line", warm, dt.datetime(2026, 3, 20, 3, 30), True, 3, None,
         ReferralResult.NO_SHOW, None, True)]
    assert providers == [("Harbor Housing", VettingStatus.NOT_VETTED),
                         ("Northside Peer Line", VettingStatus.NOT_VETTED),
                         ("Riverbend Crisis Center", VettingStatus.VETTED)]
    # The same file again: everything there, nothing changes, no provider added.
    code, again = _run(db_path, path, capsys)
    assert again["counts"] == {"inserted": 0, "updated": 0, "unchanged": 4, "rejected": 3}
    assert again["providers_added"] == 0
    assert _stored(db_path) == (referrals, providers)


def test_a_changed_row_updates_and_all_or_nothing_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = _database(tmp_path)
    path = _csv(tmp_path)
    code, out = _run(db_path, path, capsys, "--all-or-nothing")
    assert out["committed"] is False and _stored(db_path)[0] == []
    good = tmp_path / "good.csv"
    rows = [HEADER, *ROWS[:4]]
    with good.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    assert _run(db_path, good, capsys)[0] == 0
    rows[2] = [*ROWS[1][:7], "03/07/2026 09:15", "Accepted", "Seen at the shelter desk"]
    with good.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    code, out = _run(db_path, good, capsys)
    assert code == 0 and out["counts"] == {"inserted": 0, "updated": 1, "unchanged": 3,
                                           "rejected": 0}
    harbor = next(r for r in _stored(db_path)[0] if r[1] == "Harbor Housing")
    assert harbor[6] == dt.datetime(2026, 3, 7, 9, 15) and harbor[7] is ReferralResult.ACCEPTED
    assert harbor[9] is True  # the notes, sealed
    # The follow-up queue on the command line: March is past the queue's 30 days, so the
    # one still unconfirmed (the no-show at Northside) is counted, not listed.
    capsys.readouterr()
    assert main(["--db", str(db_path), "referrals", "queue", "--json"]) == 0
    queue = json.loads(capsys.readouterr().out)
    assert queue == {"due_hours": 72, "older_not_listed": 1, "referrals": []}
