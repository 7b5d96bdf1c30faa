"""Which program a unit of work is about: the one place every service asks.

A database or shared server may hold several programs; the console works in one at a
time. Access carries the chosen program into each session (``session.info``), and a
session listener adds "of this program" to every ORM query of a table that has a
``program_id`` (and to the program table itself), so no page, measure, indicator or
command can read another program's rows, including queries written after this one.

With no program chosen (a database holding one program) nothing is added: the oldest
program is the current one, which is all a single-program database needs, and its
queries keep their plans.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Select, event, select
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker, with_loader_criteria

from console.data.engine import READ_ONLY
from console.data.models import Base, Program
from console.errors import UserError

SESSION_KEY = "program_id"


@dataclass(frozen=True)
class ProgramChoice:
    id: int
    name: str
    jurisdiction: str


def current_program_id_or_none(session: Session) -> int | None:
    """The current program's id, or None when the database holds no program yet."""
    chosen = session.info.get(SESSION_KEY)
    if chosen is not None:
        return int(chosen)
    found: int | None = session.scalar(select(Program.id).order_by(Program.id).limit(1))
    return found


def current_program_id(session: Session) -> int:
    """The current program's id; a clear refusal when the database holds none yet."""
    found = current_program_id_or_none(session)
    if found is None:
        raise UserError("this database holds no program yet; open the demo program or "
                        "import calls first")
    return found


T = TypeVar("T")


def in_this_program(session: Session, cls: type[T], row_id: int) -> T | None:
    """The row of `cls` with this id if it belongs to the current program, else None (gone,
    or another program's: an id typed or kept from elsewhere must not reach across)."""
    row = session.get(cls, row_id)
    if row is None or getattr(row, "program_id", None) != current_program_id(session):
        return None
    return row


def current_program(session: Session) -> Program | None:
    """The current program's row, or None when the database holds no program yet."""
    found = current_program_id_or_none(session)
    return None if found is None else session.get(Program, found)


def programs(factory: sessionmaker[Session]) -> list[ProgramChoice]:
    """Every program in the database, oldest first: what sign-in and --program choose from."""
    with factory() as session:
        # Only reads: on SQLite it never waits for a writer such as a long import.
        session.connection(execution_options={READ_ONLY: True})
        rows = session.execute(
            select(Program.id, Program.name, Program.jurisdiction).order_by(Program.id)).all()
    return [ProgramChoice(*row) for row in rows]


def program_named(factory: sessionmaker[Session], name: str) -> ProgramChoice:
    """The program called `name` (case and surrounding spaces ignored), or a refusal
    listing the names there are."""
    choices = programs(factory)
    wanted = name.strip().casefold()
    for choice in choices:
        if choice.name.casefold() == wanted:
            return choice
    known = ", ".join(repr(c.name) for c in choices) or "none yet"
    raise UserError(f"--program {name!r}: no such program in this database (programs: {known})")


@cache
def _scoped_classes() -> tuple[type[Any], ...]:
    """Every mapped class with a program_id column, found once from the registry."""
    return tuple(sorted((m.class_ for m in Base.registry.mappers
                         if "program_id" in m.columns), key=lambda c: c.__name__))


@cache
def _child_classes() -> tuple[tuple[type[Any], Any, type[Any]], ...]:
    """(class, foreign-key column, scoped parent class) for every mapped class without a
    program_id whose rows belong to one that has one (a person's leave, a shift's
    assignments): scoped through their parent, so a query that skips the join is scoped too."""
    scoped = {cls.__table__: cls for cls in _scoped_classes()}
    found = []
    for mapper in Base.registry.mappers:
        if "program_id" in mapper.columns or mapper.class_ is Program:
            continue
        for column in mapper.columns:
            parents = [scoped[fk.column.table] for fk in column.foreign_keys
                       if fk.column.table in scoped]
            if parents:
                found.append((mapper.class_, getattr(mapper.class_, column.key), parents[0]))
                break
    return tuple(sorted(found, key=lambda t: t[0].__name__))


def _criteria(program_id: int) -> list[Any]:
    # A lambda is applied to each alias of the class (a self-join of calls); its closure's
    # program_id becomes a bound parameter, so one cached statement serves every program.
    options = [with_loader_criteria(cls, lambda c: c.program_id == program_id,
                                    include_aliases=True)
               for cls in _scoped_classes()]
    options += [with_loader_criteria(
        cls, column.in_(select(parent.id).where(parent.program_id == program_id)))
        for cls, column, parent in _child_classes()]
    options.append(with_loader_criteria(Program, lambda c: c.id == program_id,
                                        include_aliases=True))
    return options


@cache
def _scoped_tables() -> dict[Any, Any]:
    """The table of each scoped class (and the program's) with the column naming its
    program, for statements whose FROM the ORM does not see as an entity."""
    tables: dict[Any, Any] = {cls.__table__: cls.__table__.c.program_id
                                for cls in _scoped_classes()}
    tables[Program.__table__] = Program.__table__.c.id
    return tables


def _plain_froms(statement: Select[Any], program_id: int) -> Select[Any]:
    """Scope the scoped tables a statement reads only through plain columns, e.g.
    ``select(func.count()).where(Call.x == 1)`` or ``extract(...)`` of a call's time:
    the ORM sees no entity there, so loader criteria alone would miss them."""
    tables = _scoped_tables()
    for source in statement.get_final_froms():
        if source in tables:
            statement = statement.where(tables[source] == program_id)
    return statement


@event.listens_for(Session, "do_orm_execute")
def _only_the_current_program(state: ORMExecuteState) -> None:
    program_id = state.session.info.get(SESSION_KEY)
    if program_id is None or state.is_column_load or state.is_relationship_load:
        return
    if state.is_select or state.is_update or state.is_delete:
        statement = state.statement.options(*_criteria(int(program_id)))
        if isinstance(statement, Select):
            statement = _plain_froms(statement, int(program_id))
        state.statement = statement
