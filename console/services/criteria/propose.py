"""The call types the activation criteria do not decide yet, with a suggestion each.

Until a version lists a call type, its calls keep the scope their import's call-type map
gave them. That map is a proposal for the criteria, not a second source of truth: this
lists each such call type with how its calls were classified, so a supervisor can put
it in the next version (and the Program page's new-version dialog can offer it).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from console.data.importers.suggest import in_scope as named_like_crisis
from console.data.models import Call
from console.services.access import Access, Action
from console.services.criteria.timeline import type_key
from console.services.criteria.versions import latest_applied, versions_in
from console.services.program_scope import current_program_id_or_none


@dataclass(frozen=True)
class Proposal:
    """A call type seen on calls that the newest applied version does not list."""

    call_type: str
    calls: int
    in_scope_calls: int      # as the import's map decided them
    out_of_scope_calls: int
    suggested: bool          # in scope?
    source: str              # "import map" or "call type name"

    def as_dict(self) -> dict[str, object]:
        return {"call_type": self.call_type, "calls": self.calls,
                "in_scope_calls": self.in_scope_calls,
                "out_of_scope_calls": self.out_of_scope_calls,
                "suggested": "in" if self.suggested else "out", "source": self.source}


@dataclass
class _Tally:
    name: str
    calls: int = 0
    ins: int = 0
    outs: int = 0

    def add(self, scope: bool | None, n: int) -> None:
        self.calls += n
        if scope is True:
            self.ins += n
        elif scope is False:
            self.outs += n


def propose(access: Access) -> list[Proposal]:
    """Call types on the program's calls that the criteria do not list, most calls first;
    the suggestion is what the import's map decided for most of them (else what the
    call type's name suggests)."""
    with access.reading(Action.VIEW_PROGRAM) as session:
        program = current_program_id_or_none(session)
        if program is None:
            return []
        last = latest_applied(versions_in(session))
        listed = {type_key(e.call_type) for e in last.entries} if last else set()
        kind = func.coalesce(Call.final_call_type, Call.initial_call_type)
        merged: dict[str, _Tally] = {}
        for call_type, scope, n in session.execute(
            select(kind, Call.in_scope, func.count())
            .where(Call.program_id == program, kind.is_not(None))
            .group_by(kind, Call.in_scope)
        ):
            key = type_key(call_type)
            if key not in listed:
                merged.setdefault(key, _Tally(call_type)).add(scope, n)
    out: list[Proposal] = []
    for t in merged.values():
        name, calls, ins, outs = t.name, t.calls, t.ins, t.outs
        if ins or outs:
            out.append(Proposal(name, calls, ins, outs, ins >= outs, "import map"))
        else:
            out.append(Proposal(name, calls, 0, 0, named_like_crisis(name), "call type name"))
    out.sort(key=lambda p: (-p.calls, p.call_type.casefold()))
    return out
