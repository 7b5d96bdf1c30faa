"""Hand-built provider networks for the provider tests: program 1, its agency 1, and
calls, providers and referrals written row by row (Core, unaudited)."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from conftest import program_access_for
from sqlalchemy import insert

from console.data.engine import Database
from console.data.models import Call, Provider, Referral
from console.data.referral_enums import ReferralKind, ReferralResult
from console.services.access import Access

_numbers = itertools.count(1)


def network(db: Database, key_folder: Path) -> Access:
    """Program 1 and its agency; the supervisor's access."""
    return program_access_for(db, key_folder)


def provider(db: Database, name: str, *, after_hours: bool = False,
             retired_on: dt.date | None = None) -> int:
    with db.engine.begin() as conn:
        return int(conn.execute(insert(Provider).values(
            program_id=1, name=name, after_hours=after_hours, retired_on=retired_on)
        ).inserted_primary_key[0])


def referral(db: Database, provider_id: int, referred_at: dt.datetime, *,
             received_at: dt.datetime | None = None, warm: bool = True,
             contact_made: bool | None = True, first_service_at: dt.datetime | None = None,
             result: ReferralResult = ReferralResult.PENDING) -> int:
    """A referral on a new call received at `received_at` (default: when referred)."""
    n = next(_numbers)
    with db.engine.begin() as conn:
        call_id = conn.execute(insert(Call).values(
            program_id=1, agency_id=1, incident_number=f"T-{n:06d}",
            received_at=received_at or referred_at)).inserted_primary_key[0]
        return int(conn.execute(insert(Referral).values(
            program_id=1, call_id=call_id, provider_id=provider_id,
            kind=ReferralKind.WARM_HANDOFF if warm else ReferralKind.INFORMATION_ONLY,
            referred_at=referred_at, contact_made=contact_made,
            first_service_at=first_service_at, result=result)).inserted_primary_key[0])


def after_hours_run(db: Database, provider_id: int, first_night: dt.date, nights: int,
                    answered: int) -> None:
    """`nights` after-hours referrals (22:00 on successive days from `first_night`), the
    first `answered` of them reached."""
    for i in range(nights):
        day = first_night + dt.timedelta(days=i)
        referral(db, provider_id, dt.datetime.combine(day, dt.time(22, 0)),
                 contact_made=i < answered)
