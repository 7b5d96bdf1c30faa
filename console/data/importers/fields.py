"""The call fields an export can fill, and a mapping of a file onto them.

A `Mapping` is everything a user decides about one kind of export: which column feeds
which field, the day/month order of its dates, and how its code values translate
(call types in or out of scope, clearance codes to dispositions, call sources, how the
unit was activated). It is saved as a named profile and reused for the next export of
the same system, so it serialises to plain JSON.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from console.data.enums import Activation, CallSource, Disposition
from console.errors import UserError

MAPPING_FORMAT = 1


class FieldKind(enum.StrEnum):
    TEXT = "text"              # stored as the text the CAD printed (identifiers, codes)
    DATETIME = "datetime"      # local wall-clock time; a date alone means midnight
    DATE = "date"
    INTEGER = "integer"
    FLAG = "flag"              # yes/no, Y/N, true/false, 1/0
    CODE = "code"              # a value translated through one of the mapping's code maps


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: FieldKind
    required: bool = False
    help: str = ""


FIELDS: tuple[Field, ...] = (
    Field("incident_number", "Incident number", FieldKind.TEXT, True,
          "The CAD event or incident number; unique within the agency."),
    Field("received_at", "Received", FieldKind.DATETIME, True,
          "When the call was received or queued."),
    Field("dispatched_at", "Dispatched", FieldKind.DATETIME),
    Field("arrived_at", "Arrived", FieldKind.DATETIME),
    Field("cleared_at", "Cleared", FieldKind.DATETIME,
          help="When the call (or the co-responder) cleared."),
    Field("patrol_cleared_at", "Patrol cleared", FieldKind.DATETIME,
          help="When patrol cleared while the co-responder stayed."),
    Field("initial_call_type", "Initial call type", FieldKind.TEXT),
    Field("final_call_type", "Final call type", FieldKind.TEXT,
          help="Decides in or out of scope (the initial type where no final one)."),
    Field("priority", "Priority", FieldKind.INTEGER),
    Field("source", "Call source", FieldKind.CODE,
          help="911, non-emergency line, on-view (officer initiated)."),
    Field("activation", "Activation", FieldKind.CODE,
          help="How the unit came to the call: dispatch, patrol request, self-initiated, "
               "follow-up."),
    Field("disposition", "Disposition / clearance", FieldKind.CODE,
          help="The clearance or disposition code, translated to the console's dispositions."),
    Field("arrest_made", "Arrest made (yes/no)", FieldKind.FLAG,
          help="Where an export flags arrests separately: yes means disposition Arrest."),
    Field("use_of_force", "Use of force (yes/no)", FieldKind.FLAG),
    Field("subject_injured", "Subject injured (yes/no)", FieldKind.FLAG),
    Field("officer_injured", "Officer injured (yes/no)", FieldKind.FLAG),
    Field("responder_injured", "Responder injured (yes/no)", FieldKind.FLAG),
    Field("person_name", "Person's name", FieldKind.TEXT,
          help="Encrypted; matched across calls by a keyed hash, never stored in clear."),
    Field("person_birth_date", "Person's birth date", FieldKind.DATE,
          help="Tells apart two people of the same name."),
    Field("address", "Address", FieldKind.TEXT,
          help="Reduced to its block and kept as a keyed hash for repeat locations."),
    Field("precinct", "Precinct / division", FieldKind.TEXT),
    Field("sector", "Sector / district", FieldKind.TEXT),
    Field("beat", "Beat / zone", FieldKind.TEXT),
    Field("narrative", "Narrative", FieldKind.TEXT, help="Encrypted at rest."),
)
FIELD_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
REQUIRED_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.required)
# Fields that identify a person: sealed or keyed in the database, never shown in clear in a
# report of rejected rows, refused by a demo database. Field name -> how a report names it.
IDENTITY_FIELDS: dict[str, str] = {"person_name": "name", "person_birth_date": "birth date",
                                   "address": "address", "narrative": "narrative"}
# The fields whose call types a Mapping's scope decides.
CALL_TYPE_FIELDS: tuple[str, ...] = ("initial_call_type", "final_call_type")


class DateOrder(enum.StrEnum):
    """How a text date orders its parts; ISO dates (year first) need no choice."""

    MONTH_FIRST = "month_first"   # 11/04/2023 is 4 November
    DAY_FIRST = "day_first"       # 11/04/2023 is 11 April


@dataclass
class Mapping:
    """A file's columns onto call fields, and its code values onto the console's codes.

    columns: field name -> the column header feeding it (unmapped fields are absent).
    date_order: None while the file's text dates do not decide it and nobody chose.
    scope: call type (as printed) -> in scope of the unit's activation criteria.
    dispositions: clearance code -> disposition; None means "no disposition" (blank).
    sources / activations: code -> the console's value.
    Code values are matched after `code_key` (case and spacing ignored).
    """

    columns: dict[str, str] = field(default_factory=dict)
    date_order: DateOrder | None = None
    scope: dict[str, bool] = field(default_factory=dict)
    dispositions: dict[str, Disposition | None] = field(default_factory=dict)
    sources: dict[str, CallSource] = field(default_factory=dict)
    activations: dict[str, Activation] = field(default_factory=dict)

    def missing_required(self) -> list[str]:
        return [name for name in REQUIRED_FIELDS if name not in self.columns]

    def decides_scope(self) -> bool:
        """Whether calls are marked in or out of scope: a call-type column is mapped and
        some call types are decided (else every call's scope is unknown)."""
        return bool(self.scope) and any(name in self.columns for name in CALL_TYPE_FIELDS)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": MAPPING_FORMAT,
            "columns": dict(self.columns),
            "date_order": self.date_order.value if self.date_order else None,
            "scope": dict(self.scope),
            "dispositions": {k: v.value if v else None for k, v in self.dispositions.items()},
            "sources": {k: v.value for k, v in self.sources.items()},
            "activations": {k: v.value for k, v in self.activations.items()},
        }

    @classmethod
    def from_json(cls, data: Any, *, where: str = "the mapping") -> Mapping:
        """Read a saved mapping; anything wrong is a one-line UserError naming `where`."""
        if not isinstance(data, dict):
            raise UserError(f"{where}: not a mapping (expected a JSON object)")
        if data.get("format", MAPPING_FORMAT) != MAPPING_FORMAT:
            raise UserError(f"{where}: mapping format {data.get('format')!r} is not "
                            f"supported (this console reads format {MAPPING_FORMAT})")
        try:
            columns = _str_dict(data.get("columns", {}), "columns")
            unknown = sorted(set(columns) - set(FIELD_BY_NAME))
            if unknown:
                raise ValueError(f"unknown field {unknown[0]!r} in columns")
            order = data.get("date_order")
            return cls(
                columns=columns,
                date_order=DateOrder(order) if order else None,
                scope={str(k): bool(v) for k, v in _dict(data.get("scope", {}), "scope").items()},
                dispositions={str(k): Disposition(v) if v else None
                              for k, v in _dict(data.get("dispositions", {}),
                                                "dispositions").items()},
                sources={str(k): CallSource(v)
                         for k, v in _dict(data.get("sources", {}), "sources").items()},
                activations={str(k): Activation(v)
                             for k, v in _dict(data.get("activations", {}),
                                               "activations").items()},
            )
        except ValueError as exc:
            raise UserError(f"{where}: {exc}") from None


def code_key(value: str) -> str:
    """How names and code values typed by people are compared, case and spacing aside:
    "Unable to  locate " ~ "UNABLE TO LOCATE" (code values, column and agency names)."""
    return " ".join(value.split()).casefold()


def _dict(value: Any, name: str) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{name} must be a JSON object")
    return value


def _str_dict(value: Any, name: str) -> dict[str, str]:
    return {str(k): str(v) for k, v in _dict(value, name).items()}
