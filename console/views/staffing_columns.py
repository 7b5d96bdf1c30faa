"""The columns of the Staffing page's tables."""

from __future__ import annotations

from console.services.people.bench import Successor
from console.services.people.history import Vacancy
from console.services.people.staffing import (
    CredentialRow,
    CrossTrainingRow,
    LeaveRow,
    SeparationRow,
)
from console.services.staffing_service import PositionRow, StaffRow
from console.views.record_table_model import Column

POSITION_COLUMNS: list[Column[PositionRow]] = [
    Column("Position", lambda r: r.title),
    Column("Role", lambda r: r.role),
    Column("Held by", lambda r: r.holder or "VACANT", alert=lambda r: r.holder is None),
    Column("Vacant since", lambda r: r.vacant_since),
    Column("Days vacant", lambda r: r.vacancy_days, alert=lambda r: r.holder is None),
    Column("Funding", lambda r: r.funding, "The funding sources paying the position "
           "today (Program › Funding); where none is linked, the note typed on the position"),
]
STAFF_COLUMNS: list[Column[StaffRow]] = [
    Column("Name", lambda r: r.name),
    Column("Role", lambda r: r.role),
    Column("Rank", lambda r: r.rank),
    Column("Degree", lambda r: r.degree_level.value.capitalize()),
    Column("Discipline", lambda r: r.discipline),
    Column("Hired", lambda r: r.hired_on),
    Column("Separated", lambda r: r.separated_on),
]


def _history(v: Vacancy) -> str:
    if len(v.segments) == 1:
        return v.segments[0].funding or ""
    return " → ".join(f"{s.funding or 'unfunded'} from {s.start:%Y-%m-%d}" for s in v.segments)


# A vacancy with its age on the page's day.
Aged = tuple[Vacancy, int]
VACANCY_COLUMNS: list[Column[Aged]] = [
    Column("Position", lambda r: r[0].title),
    Column("Role", lambda r: r[0].role),
    Column("Vacant since", lambda r: r[0].since),
    Column("Until", lambda r: r[0].until or "still open", alert=lambda r: r[0].until is None),
    Column("Days", lambda r: r[1], alert=lambda r: r[0].until is None),
    Column("Ended by", lambda r: r[0].ended_by.capitalize() if r[0].ended_by else "—"),
    Column("Funding history", lambda r: _history(r[0]),
           tooltip="A vacancy carried across a re-authorization lists each position"),
]


LEAVE_COLUMNS: list[Column[LeaveRow]] = [
    Column("Name", lambda r: r.name),
    Column("Leave", lambda r: r.kind),
    Column("From", lambda r: r.starts_on),
    Column("Back on", lambda r: r.ends_on or "not known"),
    Column("Days", lambda r: r.days),
]
SEPARATION_COLUMNS: list[Column[SeparationRow]] = [
    Column("Name", lambda r: r.name),
    Column("Role", lambda r: r.role),
    Column("Hired", lambda r: r.hired_on),
    Column("Left", lambda r: r.separated_on),
    Column("Reason", lambda r: r.reason or "not recorded", alert=lambda r: r.reason is None),
]
CREDENTIAL_COLUMNS: list[Column[CredentialRow]] = [
    Column("Name", lambda r: r.name),
    Column("Credential", lambda r: r.credential),
    Column("Kind", lambda r: r.kind),
    Column("Issued", lambda r: r.issued_on),
    Column("Expires", lambda r: r.expires_on),
    Column("Days left", lambda r: r.days_left, alert=lambda r: r.warn),
    Column("State", lambda r: r.state.capitalize(), alert=lambda r: r.warn,
           tooltip="Lapsing: expires within 60 days; a renewed credential is not warned about"),
]
CROSS_TRAINING_COLUMNS: list[Column[CrossTrainingRow]] = [
    Column("Name", lambda r: r.name),
    Column("Subject", lambda r: r.subject),
    Column("Completed", lambda r: r.completed_on),
    Column("Hours", lambda r: r.hours),
]
SUCCESSOR_COLUMNS: list[Column[Successor]] = [
    Column("Successor", lambda s: s.name),
    Column("Readiness", lambda s: s.readiness),
    Column("Assessed", lambda s: s.assessed_on),
    Column("Acting assignments", lambda s: s.acting),
    Column("Training", lambda s: s.training),
    Column("Latest", lambda s: (f"{s.activities[-1].title} ({s.activities[-1].starts_on:%b %Y})"
                                if s.activities else "—")),
]
