"""All ORM models; importing this package registers every table on Base.metadata."""

from console.data.base import Base
from console.data.models.calls import Call, Person, call_responder
from console.data.models.program import Agency, Program, ProgramEvent
from console.data.models.schedule import Shift, ShiftAssignment
from console.data.models.staff import Position, PositionAssignment, StaffMember

__all__ = [
    "Agency",
    "Base",
    "Call",
    "Person",
    "Position",
    "PositionAssignment",
    "Program",
    "ProgramEvent",
    "Shift",
    "ShiftAssignment",
    "StaffMember",
    "call_responder",
]
