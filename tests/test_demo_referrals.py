"""The demo's provider network and referrals: consistent with the calls they follow, one
provider that stops answering at night in the erosion, people whose calls build up before
the unit meets them and fall after a warm handoff more than after a number handed over,
and sealed names for the people seen again."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from statistics import median

import pytest

from console.data.base import sealed_purpose
from console.data.crypto import SEALED_PREFIX
from console.data.referral_enums import ProviderService, VettingStatus
from console.services.access import Access
from console.services.populations import Period
from console.services.repeat_calls_service import before_after, repeat_people
from tests.conftest import DEMO_END
from tests.test_demo import program_rows, small

# Referred outside weekdays 08:00-17:00 (SQLite: %w is 0 on Sunday, 6 on Saturday).
AFTER_HOURS = ("(strftime('%w', r.referred_at) IN ('0', '6') "
               "OR CAST(strftime('%H', r.referred_at) AS INTEGER) NOT BETWEEN 8 AND 16)")
HALF_YEAR = 182


@pytest.fixture
def raw(demo_db_path: Path) -> Iterator[sqlite3.Connection]:
    """The session's demo (seed 7, ending DEMO_END) as SQLite stores it, read only."""
    con = sqlite3.connect(f"file:{demo_db_path}?mode=ro", uri=True)
    yield con
    con.close()


def one(con: sqlite3.Connection, sql: str, *args: object) -> object:
    return con.execute(sql, args).fetchone()[0]


def test_a_provider_network_with_hours_vetting_and_agreements(raw: sqlite3.Connection) -> None:
    rows = raw.execute("SELECT name, services, catchment, contacts, hours, after_hours, "
                       "vetting, vetted_on, vetted_by, mou_signed_on, mou_renewal_due "
                       "FROM provider").fetchall()
    assert 8 <= len(rows) <= 12 and len({r[0] for r in rows}) == len(rows)
    for _name, services, catchment, contacts, hours, _, vetting, on, by, _, _ in rows:
        assert services and {ProviderService(s) for s in services.split(",")}
        assert catchment and contacts and hours
        assert (on is None) == (by is None) == (vetting == VettingStatus.NOT_VETTED)
    assert 3 <= sum(r[5] for r in rows) < len(rows)  # some answer after hours, not all
    assert {r[6] for r in rows} >= {"vetted", "not_vetted", "lapsed"}
    due = [dt.date.fromisoformat(r[10]) for r in rows if r[10] is not None]
    assert sum(DEMO_END <= d <= DEMO_END + dt.timedelta(days=60) for d in due) == 1
    assert all(dt.date.fromisoformat(r[9]) < DEMO_END for r in rows if r[9] is not None)


def test_referrals_follow_calls_the_unit_attended_with_a_person(raw: sqlite3.Connection) -> None:
    attended = one(raw, "SELECT COUNT(*) FROM call WHERE activation IS NOT NULL "
                        "AND person_id IS NOT NULL")
    referrals = one(raw, "SELECT COUNT(*) FROM referral")
    assert isinstance(attended, int) and isinstance(referrals, int)
    assert 0.25 * attended <= referrals <= 0.6 * attended  # a share, not all
    wrong = one(raw, """
        SELECT COUNT(*) FROM referral r JOIN call c ON c.id = r.call_id
        WHERE c.activation IS NULL OR c.person_id IS NULL OR r.person_id != c.person_id
           OR r.referred_at < c.received_at OR r.referred_at > c.cleared_at
           OR r.first_service_at <= r.referred_at
           OR NOT EXISTS (SELECT 1 FROM call_responder cr
                          WHERE cr.call_id = c.id AND cr.staff_id = r.staff_id)""")
    assert wrong == 0
    # A "referred" disposition on a call the unit attended comes with its referral.
    assert one(raw, """
        SELECT COUNT(*) FROM call c WHERE c.disposition = 'referred'
          AND c.activation IS NOT NULL AND c.person_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM referral r WHERE r.call_id = c.id)""") == 0
    assert one(raw, "SELECT COUNT(*) FROM referral WHERE (first_service_at IS NOT NULL) "
                    "!= (result = 'accepted')") == 0
    assert {r[0] for r in raw.execute("SELECT DISTINCT result FROM referral")} == {
        "accepted", "declined", "no_show", "pending"}
    # Pending only where the answer cannot be known yet: the demo's last weeks.
    assert one(raw, "SELECT MIN(referred_at) FROM referral WHERE result = 'pending'") >= \
        str(DEMO_END - dt.timedelta(days=60))
    # The unit's follow-ups: after the referral, before the demo's end, by a unit member.
    assert one(raw, "SELECT COUNT(*) FROM follow_up_contact") > referrals / 2
    assert one(raw, """
        SELECT COUNT(*) FROM follow_up_contact f JOIN referral r ON r.id = f.referral_id
        WHERE f.contacted_at <= r.referred_at OR f.contacted_at >= ?
           OR f.staff_id NOT IN (SELECT staff_id FROM position_assignment)""",
               str(DEMO_END)) == 0


def test_warm_handoffs_in_office_hours_and_to_providers_open_at_night(
        raw: sqlite3.Connection) -> None:
    def warm_share(where: str) -> float:
        return float(one(raw, "SELECT AVG(r.kind = 'warm_handoff') FROM referral r "  # type: ignore[arg-type]
                              f"WHERE {where}"))

    office, late = warm_share(f"NOT {AFTER_HOURS}"), warm_share(AFTER_HOURS)
    assert late < office and office >= 0.7
    assert one(raw, f"""
        SELECT COUNT(*) FROM referral r JOIN provider p ON p.id = r.provider_id
        WHERE r.kind = 'warm_handoff' AND {AFTER_HOURS} AND NOT p.after_hours""") == 0
    assert one(raw, "SELECT COUNT(*) FROM referral WHERE kind = 'information_only' "
                    "AND (contact_made IS NOT NULL OR contact_attempts != 0)") == 0
    assert one(raw, "SELECT COUNT(*) FROM referral WHERE kind = 'warm_handoff' "
                    "AND (contact_made IS NULL OR contact_attempts < 1)") == 0

    def hours_to_service(kind: str) -> list[float]:
        return [h * 24 for (h,) in raw.execute(
            "SELECT julianday(first_service_at) - julianday(referred_at) FROM referral "
            "WHERE first_service_at IS NOT NULL AND kind = ? AND contact_made IS ?",
            (kind, 1 if kind == "warm_handoff" else None))]

    warm, cold = hours_to_service("warm_handoff"), hours_to_service("information_only")
    assert median(warm) < 36 and max(warm) < 24 * 14  # hours to a few days
    assert median(cold) > 24 * 4  # days to weeks


def test_one_provider_stops_answering_after_hours_at_the_end(raw: sqlite3.Connection) -> None:
    last_months = str(DEMO_END - dt.timedelta(days=91))

    def answered(where: str, provider: str = "= 'Riverbend Recovery Center'",
                 hours: str = AFTER_HOURS) -> tuple[float, int]:
        share, count = raw.execute(f"""
            SELECT AVG(r.contact_made), COUNT(*) FROM referral r
            JOIN provider p ON p.id = r.provider_id
            WHERE p.name {provider} AND r.kind = 'warm_handoff'
              AND {hours} AND {where}""", (last_months,)).fetchone()
        return share, count

    before, n_before = answered("r.referred_at < ?")
    after, n_after = answered("r.referred_at >= ?")
    assert n_before >= 100 and n_after >= 15
    assert before >= 0.75 and after < 0.3
    # Only at night, and only that provider: in office hours it still picks up, and the
    # other providers still answer at night.
    day, n_day = answered("r.referred_at >= ?", hours=f"NOT {AFTER_HOURS}")
    others, n_others = answered("r.referred_at >= ?", provider="!= 'Riverbend Recovery Center'")
    assert n_day >= 10 and day >= 0.7
    assert n_others >= 30 and others >= 0.75

BEFORE_AFTER = f"""
    WITH contact AS (
        SELECT person_id, MIN(received_at) AS at FROM call
        WHERE person_id IS NOT NULL AND activation IS NOT NULL AND activation != 'follow_up'
        GROUP BY person_id),
    counted AS (
        SELECT contact.*, COALESCE((
            SELECT r.kind FROM referral r JOIN call c ON c.id = r.call_id
            WHERE c.person_id = contact.person_id AND c.received_at = contact.at
              AND c.activation != 'follow_up'), 'none') AS kind
        FROM contact
        WHERE at >= datetime((SELECT MIN(received_at) FROM call), '+{HALF_YEAR} days')
          AND at <= datetime((SELECT MAX(received_at) FROM call), '-{HALF_YEAR} days'))
    SELECT k.kind, COUNT(DISTINCT k.person_id),
           COALESCE(SUM(c.received_at < k.at), 0), COALESCE(SUM(c.received_at > k.at), 0)
    FROM counted k LEFT JOIN call c ON c.person_id = k.person_id
        AND (c.activation IS NULL OR c.activation != 'follow_up')
        AND c.received_at >= datetime(k.at, '-{HALF_YEAR} days')
        AND c.received_at <= datetime(k.at, '+{HALF_YEAR} days')
    GROUP BY k.kind"""


def test_calls_build_up_before_the_unit_meets_someone_and_fall_after_care(
        raw: sqlite3.Connection, demo_access: Access) -> None:
    """Crisis calls per person in the half year before and after the first co-response,
    by what that first co-response led to: a warm handoff, a number handed over, nothing."""
    groups = {kind: (people, before, after)
              for kind, people, before, after in raw.execute(BEFORE_AFTER)}
    assert set(groups) == {"warm_handoff", "information_only", "none"}
    people = sum(g[0] for g in groups.values())
    before = sum(g[1] for g in groups.values())
    after = sum(g[2] for g in groups.values())
    assert before > 1.2 * after

    def ratio(kind: str) -> float:
        _, b, a = groups[kind]
        return a / b

    assert all(groups[k][1] >= 80 for k in groups)  # enough calls to compare
    assert ratio("warm_handoff") < 0.65 and ratio("warm_handoff") < ratio("information_only")
    # The Outcomes page's before/after counts the same people and calls.
    service = before_after(demo_access, Period())
    assert (service.people, service.calls_before, service.calls_after) == (
        people, before, after)
    assert service.per_person_before is not None and service.per_person_after is not None
    assert service.per_person_before > service.per_person_after


def test_fewer_come_back_within_90_days_after_a_warm_handoff(raw: sqlite3.Connection) -> None:
    rows = raw.execute("""
        WITH contact AS (
            SELECT person_id, MIN(received_at) AS at FROM call
            WHERE person_id IS NOT NULL AND activation IS NOT NULL
              AND activation != 'follow_up' GROUP BY person_id)
        SELECT r.kind, AVG(EXISTS (
            SELECT 1 FROM call c WHERE c.person_id = k.person_id AND c.received_at > k.at
              AND c.received_at <= datetime(k.at, '+90 days')
              AND (c.activation IS NULL OR c.activation != 'follow_up')))
        FROM contact k JOIN call f ON f.person_id = k.person_id AND f.received_at = k.at
        JOIN referral r ON r.call_id = f.id
        WHERE k.at <= datetime((SELECT MAX(received_at) FROM call), '-90 days')
        GROUP BY r.kind""").fetchall()
    repeat = dict(rows)
    assert repeat["warm_handoff"] < repeat["information_only"]


def test_recurring_people_have_sealed_names(raw: sqlite3.Connection,
                                            demo_access: Access) -> None:
    again = "SELECT person_id FROM call WHERE person_id IS NOT NULL GROUP BY person_id " \
            "HAVING COUNT(*) > 1"
    names = [n for (n,) in raw.execute(f"SELECT name FROM person WHERE id IN ({again})")]
    assert len(names) > 1000 and all(n and n.startswith(SEALED_PREFIX) for n in names)
    assert one(raw, "SELECT COUNT(*) FROM referral r JOIN person p ON p.id = r.person_id "
                    "WHERE p.name IS NULL") == 0
    for column, table in (("outcome_notes", "referral"), ("note", "follow_up_contact")):
        assert one(raw, f"SELECT COUNT(*) FROM {table} WHERE {column} IS NULL "
                        f"OR {column} NOT LIKE '{SEALED_PREFIX}%'") == 0
    opened = [demo_access.vault.open(n, purpose=sealed_purpose("person", "name"))
              for n in names[:200]]
    assert all(len(n.split()) == 3 and n.split()[1].endswith(".") for n in opened)
    assert len(set(opened)) == len(opened)
    shown = repeat_people(demo_access, Period(), limit=10)
    assert shown and all(p.name for p in shown)


def test_same_seed_same_referrals(tmp_path: Path) -> None:
    small(tmp_path / "a.sqlite")
    small(tmp_path / "b.sqlite")
    a, b = program_rows(tmp_path / "a.sqlite"), program_rows(tmp_path / "b.sqlite")
    for table in ("provider", "referral", "follow_up_contact"):
        assert a[table] and a[table] == b[table]
