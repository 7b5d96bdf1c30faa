"""Responder-officer pairs: a co-response shift is a mental-health first responder and a
co-responding officer together. A shift with one of the two and not the other is
unpaired: the responder rides without an officer (or the officer without a clinician),
which is the pair the program promises patrol. Shown beside the rules' breaches, not as
one of them: the seven rule ids stay the ones the roster check and publishing use, and a
unit that sends a responder alone on follow-up visits may do so on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.data.enums import StaffRole
from console.services.schedule.rules import Roster, RosterShift, RosterStaff

PAIRED = "paired"
NO_OFFICER = "no officer"
NO_RESPONDER = "no responder"
OPEN = "open"


@dataclass(frozen=True)
class ShiftPair:
    shift_id: int
    shift: str  # the shift as a sentence names it
    responders: tuple[str, ...]
    officers: tuple[str, ...]
    status: str  # PAIRED, NO_OFFICER, NO_RESPONDER or OPEN (no one on it)

    @property
    def unpaired(self) -> bool:
        return self.status in (NO_OFFICER, NO_RESPONDER)

    @property
    def label(self) -> str:
        """'Ana Ortiz + Ben Cole', or who is there and who is missing."""
        r = " & ".join(self.responders) or "no responder"
        o = " & ".join(self.officers) or "no officer"
        return f"{r} + {o}"

    @property
    def explanation(self) -> str:
        if self.status == NO_OFFICER:
            return (f"{_who(self.responders)} on {self.shift} with no co-responding "
                    "officer (pairing).")
        if self.status == NO_RESPONDER:
            return (f"{_who(self.officers)} on {self.shift} with no mental-health first "
                    "responder (pairing).")
        return f"{self.shift}: {self.label}."


def _who(names: tuple[str, ...]) -> str:
    return f"{' and '.join(names)} {'is' if len(names) == 1 else 'are'}"

def shift_pair(shift: RosterShift, people: dict[int, RosterStaff]) -> ShiftPair:
    """The pair on one shift (supervisors and interns neither make nor break a pair)."""
    on = [people[i] for i in shift.staff_ids if i in people]
    responders = tuple(sorted(p.name for p in on if p.role is StaffRole.MH_RESPONDER))
    officers = tuple(sorted(p.name for p in on if p.role is StaffRole.SWORN_OFFICER))
    if responders and officers:
        status = PAIRED
    elif responders:
        status = NO_OFFICER
    elif officers:
        status = NO_RESPONDER
    else:
        status = OPEN
    return ShiftPair(shift.id, shift.name, responders, officers, status)


def pairs(roster: Roster) -> list[ShiftPair]:
    """The pair of every shift starting within the roster's period, in time order."""
    people = {p.id: p for p in roster.staff}
    return [shift_pair(s, people)
            for s in sorted(roster.shifts, key=lambda s: (s.starts_at, s.id))
            if roster.first <= s.starts_at.date() <= roster.last]


def unpaired(roster: Roster) -> list[ShiftPair]:
    return [p for p in pairs(roster) if p.unpaired]
