"""What an import can fill, kind by kind, and a mapping of a file onto it.

An `ImportKind` declares one kind of list the importer reads (calls, program events; the
roster and referrals later): its fields, its code maps, and the fields that key a row
for the idempotent upsert. Reading, survey, date order, suggestion, profiles, rejects,
cancel and all-or-nothing are the importer's and serve every kind; only how a kind's
rows are written is its own (console/services/importing/kinds.py).

A `Mapping` is everything a user decides about one export of one kind: which column
feeds which field, the day/month order of its dates, and how its code values translate
(for calls: call types in or out of scope, clearance codes to dispositions, call
sources, how the unit was activated; for events: event kinds). It is saved as a named
profile and reused for the next export of the same system, so it serialises to JSON.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from console.data.enums import Activation, CallSource, Disposition, EventKind
from console.data.referral_enums import ReferralKind, ReferralResult
from console.data.schedule_enums import RosterAbsence
from console.errors import UserError

MAPPING_FORMAT = 1


class FieldKind(enum.StrEnum):
    TEXT = "text"              # stored as the text the CAD printed (identifiers, codes)
    DATETIME = "datetime"      # local wall-clock time; a date alone means midnight
    DATE = "date"
    INTEGER = "integer"
    FLAG = "flag"              # yes/no, Y/N, true/false, 1/0
    CODE = "code"              # a value translated through one of the mapping's code maps
    TIME = "time"              # a time of day: 08:00, 8:00 PM, 0800


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: FieldKind
    required: bool = False
    help: str = ""
    # Why a row is rejected when a required field is blank (default "no <label>").
    blank: str = ""
    # The longest text stored (None: any length, or not text).
    limit: int | None = None
    # Header names it is printed under, normalised (see suggest.normalise): strong ones,
    # then generic ones other evidence may overrule. The call fields keep theirs in
    # suggest.py, with the CAD systems they come from.
    names: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())

    @property
    def blank_reason(self) -> str:
        return self.blank or f"no {self.label.lower()}"


FIELDS: tuple[Field, ...] = (
    Field("incident_number", "Incident number", FieldKind.TEXT, True,
          "The CAD event or incident number; unique within the agency.",
          blank="no incident number"),
    Field("received_at", "Received", FieldKind.DATETIME, True,
          "When the call was received or queued.", blank="no received time"),
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
    Field("requesting_officer", "Requesting officer", FieldKind.TEXT,
          help="Badge or employee number of the patrol officer who asked for the unit; "
               "matched to staff, an officer not known yet is added to complete.",
          limit=40),
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


@dataclass(frozen=True)
class CodeMap:
    """One code map of a kind: the values of `fields` in a file onto the console's values.

    values: the enum translated into; None for an in-or-out decision (True/False, as the
    call types' scope). nullable: None is a decision of its own ("no disposition").
    rules: (regular expression on the upper-cased value, value) pairs the suggestion
    tries in order; a value no rule places gets no suggestion (never a default).
    keep_rare: a saved profile keeps the values seen only once or twice too (see
    services/importing/codes.py): right where the suggestion places only the words its
    rules name, so no stray value (a name typed in the wrong column) is ever decided
    without a person, and a short list's values are each rare.
    """

    name: str                 # the Mapping's key for it, also in the saved JSON
    fields: tuple[str, ...]
    values: type[enum.Enum] | None
    title: str                # the wizard's tab
    what: str                 # how a message names one value: "unknown <what> code"
    nullable: bool = False
    rules: tuple[tuple[str, Any], ...] = ()
    keep_rare: bool = False

    def load(self, value: Any) -> Any:
        if self.values is None:
            return bool(value)
        return self.values(value) if value or not self.nullable else None

    def dump(self, value: Any) -> Any:
        if self.values is None:
            return bool(value)
        return value.value if value is not None else None


@dataclass(frozen=True)
class ImportKind:
    """One kind of list the importer reads: a declaration, the importer does the rest.

    key: the fields that identify a row within the program (or agency), so that a second
    import of the same file adds nothing; a repeated key within the file is rejected as
    a duplicate. identity_fields: field -> how a report names it; such values are never
    shown in clear in a report of rejects. per_agency: a row belongs to one of the
    program's agencies (a call: its agency's incident number), so an import names one;
    otherwise rows belong to the program.
    """

    name: str                 # "calls": the Mapping's and the saved profile's kind
    noun: str                 # "call"
    plural: str               # "calls"
    fields: tuple[Field, ...]
    code_maps: tuple[CodeMap, ...]
    key: tuple[str, ...]
    identity_fields: dict[str, str] = field(default_factory=dict)
    per_agency: bool = False
    # The order of the stored columns a row converts to (default: the fields' order).
    stored: tuple[str, ...] = ()
    # Dates after today are fine (a roster plans ahead); calls and events cannot be.
    future_dates: bool = False

    @cached_property
    def field_by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    @cached_property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    def code_map_of(self, field_name: str) -> CodeMap | None:
        """The code map that translates this field's values, if any."""
        return next((m for m in self.code_maps if field_name in m.fields), None)


CALL_CODE_MAPS = (
    CodeMap("scope", CALL_TYPE_FIELDS, None, "Call types → scope", "call type"),
    CodeMap("dispositions", ("disposition",), Disposition, "Clearance → disposition",
            "disposition", nullable=True),
    CodeMap("sources", ("source",), CallSource, "Sources", "call source"),
    CodeMap("activations", ("activation",), Activation, "Activation", "activation"),
)
CALLS = ImportKind("calls", "call", "calls", FIELDS, CALL_CODE_MAPS, ("incident_number",),
                   IDENTITY_FIELDS, per_agency=True)

EVENT_FIELDS: tuple[Field, ...] = (
    Field("occurred_on", "Date", FieldKind.DATE, True, "The day the event took place.",
          blank="no date",
          names=(("date", "event date", "occurred on", "date of event", "activity date",
                  "day", "held on", "when"), ("date time", "start date", "start"))),
    Field("kind", "Event kind", FieldKind.CODE, True,
          "Briefing, ride-along, training for patrol, office move, schedule change, "
          "leadership change, other.", blank="no event kind",
          names=(("kind", "event kind", "event type", "type", "activity type", "category",
                  "activity", "event category"), ("what", "class"))),
    Field("title", "Title", FieldKind.TEXT, True, "What took place, in a few words.",
          blank="no title", limit=200,
          names=(("title", "event", "event title", "name", "event name", "subject",
                  "summary", "description", "topic"), ("what", "details"))),
    Field("notes", "Notes", FieldKind.TEXT, help="Anything else worth keeping.",
          names=(("notes", "note", "comments", "remarks", "details", "audience",
                  "attendees"), ("comment", "other"))),
)
# Words that place an event kind, tried in order (a ride-along training is a ride-along).
EVENT_KIND_RULES: tuple[tuple[str, EventKind], ...] = (
    (r"RIDE[- ]?ALONG|RIDE[- ]?OUT|\bSHADOW", EventKind.RIDE_ALONG),
    (r"BRIEF|ROLL[- ]?CALL|LINE[- ]?UP|MUSTER", EventKind.BRIEFING),
    (r"TRAINING|IN[- ]?SERVICE|\bCIT\b|\bCLASS\b|ACADEMY|WORKSHOP|COURSE",
     EventKind.PATROL_TRAINING),
    (r"OFFICE|RELOCAT|\bMOVED?\b", EventKind.OFFICE_MOVE),
    (r"SCHEDULE|SHIFT|HOURS (CUT|REDUCED)", EventKind.SCHEDULE_CHANGE),
    (r"LEADERSHIP|\bCHIEF\b|COMMANDER|CHANGE OF COMMAND|NEW (SUPERVISOR|DIRECTOR|"
     r"CAPTAIN|LIEUTENANT|SERGEANT)", EventKind.LEADERSHIP_CHANGE),
    (r"^OTHER$", EventKind.OTHER),
)
EVENT_CODE_MAPS = (
    CodeMap("event_kinds", ("kind",), EventKind, "Event kinds", "event kind",
            rules=EVENT_KIND_RULES, keep_rare=True),
)
PROGRAM_EVENTS = ImportKind("program_events", "event", "events", EVENT_FIELDS,
                            EVENT_CODE_MAPS, ("occurred_on", "kind", "title"))

# --- the roster: a scheduling system's export, one row per person per shift or day off
ROSTER_FIELDS: tuple[Field, ...] = (
    Field("day", "Date", FieldKind.DATE, True, "The day the shift starts (or the day off).",
          blank="no date", names=(("date", "shift date", "work date", "day"), ())),
    Field("start", "Start", FieldKind.TIME, help="When the shift starts; blank for a day off.",
          names=(("start", "start time", "begin", "from", "time in"), ())),
    Field("end", "End", FieldKind.TIME,
          help="When the shift ends; earlier than the start: the next day.",
          names=(("end", "end time", "finish", "to", "time out"), ())),
    Field("staff_key", "Badge / employee number", FieldKind.TEXT, True,
          "Matched to staff; someone not known yet is added as a record to complete.",
          blank="no badge or employee number", limit=40,
          names=(("badge", "employee number", "employee id", "emp no", "badge number",
                  "employee"), ("id", "number"))),
    Field("display_name", "Name", FieldKind.TEXT, help="Names a staff member added.",
          limit=200, names=(("name", "employee name", "full name", "staff name"), ())),
    Field("shift_name", "Shift name", FieldKind.TEXT, limit=40,
          names=(("shift", "shift name", "shift code", "assignment"), ())),
    Field("leave_type", "Leave type", FieldKind.CODE,
          help="A day off instead of a shift: annual, sick, training, court...",
          names=(("leave", "leave type", "absence", "absence type", "leave code"), ())),
)
ROSTER = ImportKind(
    "roster", "roster row", "roster rows", ROSTER_FIELDS,
    (CodeMap("leave_types", ("leave_type",), RosterAbsence, "Leave types", "leave type",
             rules=((r"ANNUAL|VACATION|\bPTO\b|HOLIDAY", RosterAbsence.ANNUAL),
                    (r"SICK|ILL", RosterAbsence.SICK),
                    (r"FAMILY|FMLA|PARENT", RosterAbsence.FAMILY),
                    (r"MILITARY", RosterAbsence.MILITARY),
                    (r"INJUR|WORKERS", RosterAbsence.INJURY),
                    (r"TRAIN|CLASS|COURSE", RosterAbsence.TRAINING),
                    (r"COURT|SUBPOENA", RosterAbsence.COURT))),),
    ("day", "staff_key", "start"), future_dates=True)

# --- referrals: a provider's or a records system's list, one row per referral ----------
REFERRAL_FIELDS: tuple[Field, ...] = (
    Field("incident_number", "Incident number", FieldKind.TEXT, True,
          "The call the referral was made on; matched to the program's calls.",
          blank="no incident number", limit=40,
          names=(("incident number", "incident", "incident no", "cad number", "event number",
                  "call number", "cad incident", "cad incident number", "cad event number",
                  "case number"), ("number", "call"))),
    Field("provider", "Provider", FieldKind.TEXT, True,
          "Matched by name; a provider not known yet is added, not yet vetted.",
          blank="no provider", limit=200,
          names=(("provider", "provider name", "agency referred to", "referred to",
                  "service provider", "organization"), ("agency", "service"))),
    Field("kind", "Referral kind", FieldKind.CODE, True,
          "Warm handoff (connected in real time) or information only.",
          blank="no referral kind",
          names=(("kind", "referral kind", "referral type", "handoff type", "type"),
                 ("warm", "handoff"))),
    Field("referred_at", "Referred at", FieldKind.DATETIME, True,
          "When the handoff was made or the information given.", blank="no referral time",
          names=(("referred at", "referral date", "referral time", "date referred",
                  "handoff time", "referred"), ("date", "time"))),
    Field("contact_made", "Contact made", FieldKind.FLAG,
          help="Whether the provider was reached at the handoff (blank: not recorded).",
          names=(("contact made", "reached", "connected", "contact"), ())),
    Field("contact_attempts", "Attempts", FieldKind.INTEGER,
          help="How many tries the contact took.",
          names=(("attempts", "contact attempts", "tries", "number of attempts"), ())),
    Field("first_service_at", "First service", FieldKind.DATETIME,
          help="When the person first received the provider's service.",
          names=(("first service", "first service date", "service date", "seen on",
                  "intake date", "first appointment", "first appt", "first appt date",
                  "first seen"), ("appointment", "appt"))),
    Field("result", "Result", FieldKind.CODE,
          help="Accepted, declined, no-show or pending.",
          names=(("result", "outcome", "status", "referral status", "disposition"), ())),
    Field("outcome_notes", "Notes", FieldKind.TEXT, help="Encrypted at rest.",
          names=(("notes", "outcome notes", "comments", "remarks"), ("note", "comment"))),
)
REFERRALS = ImportKind(
    "referrals", "referral", "referrals", REFERRAL_FIELDS,
    (CodeMap("referral_kinds", ("kind",), ReferralKind, "Referral kinds", "referral kind",
             rules=((r"WARM|HAND ?OFF|LIVE|REAL[- ]?TIME|CONFERENCE|TRANSFER",
                     ReferralKind.WARM_HANDOFF),
                    (r"INFO|COLD|RESOURCE|NUMBER|PHONE|BROCHURE|CARD|PASSIVE",
                     ReferralKind.INFORMATION_ONLY))),
     CodeMap("referral_results", ("result",), ReferralResult, "Results", "result",
             rules=((r"ACCEPT|ENROLL|ADMIT|ATTENDED|ENGAGED|SEEN", ReferralResult.ACCEPTED),
                    (r"DECLIN|REFUS|REJECT", ReferralResult.DECLINED),
                    (r"NO[- ]?SHOW|DID NOT (SHOW|ATTEND)|\bDNA\b|MISSED",
                     ReferralResult.NO_SHOW),
                    (r"PEND|OPEN|WAIT|IN PROGRESS", ReferralResult.PENDING)))),
    ("incident_number", "provider"), identity_fields={"outcome_notes": "notes"})

KINDS: dict[str, ImportKind] = {k.name: k for k in (CALLS, PROGRAM_EVENTS, ROSTER, REFERRALS)}


def kind_named(name: str) -> ImportKind:
    """The import kind of this name; a one-line UserError naming the known ones."""
    found = KINDS.get(name)
    if found is None:
        raise UserError(f"no import kind {name!r} (known: {', '.join(KINDS)})")
    return found


class DateOrder(enum.StrEnum):
    """How a text date orders its parts; ISO dates (year first) need no choice."""

    MONTH_FIRST = "month_first"   # 11/04/2023 is 4 November
    DAY_FIRST = "day_first"       # 11/04/2023 is 11 April


@dataclass
class Mapping:
    """A file's columns onto one kind's fields, and its code values onto the console's.

    columns: field name -> the column header feeding it (unmapped fields are absent).
    date_order: None while the file's text dates do not decide it and nobody chose.
    scope: call type (as printed) -> in scope of the unit's activation criteria.
    dispositions: clearance code -> disposition; None means "no disposition" (blank).
    sources / activations: code -> the console's value.
    kind: the ImportKind's name; codes: the code maps of kinds other than calls, by the
    code map's name (the calls' four are the attributes above, as profiles saved them).
    Code values are matched after `code_key` (case and spacing ignored).
    """

    columns: dict[str, str] = field(default_factory=dict)
    date_order: DateOrder | None = None
    scope: dict[str, bool] = field(default_factory=dict)
    dispositions: dict[str, Disposition | None] = field(default_factory=dict)
    sources: dict[str, CallSource] = field(default_factory=dict)
    activations: dict[str, Activation] = field(default_factory=dict)
    kind: str = CALLS.name
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def import_kind(self) -> ImportKind:
        return KINDS[self.kind]

    def code_map(self, name: str) -> dict[str, Any]:
        """The decisions of one code map (the dict itself: changing it changes the mapping)."""
        if name in _CALL_MAP_NAMES:
            return getattr(self, name)  # type: ignore[no-any-return]
        return self.codes.setdefault(name, {})

    def with_code_map(self, name: str, decisions: dict[str, Any]) -> Mapping:
        """A copy whose code map `name` is `decisions` (the other maps copied as they are)."""
        if name in _CALL_MAP_NAMES:
            changed = {name: dict(decisions)}
            return replace(self, **changed)  # type: ignore[arg-type]
        codes = {key: dict(values) for key, values in self.codes.items()}
        codes[name] = dict(decisions)
        return replace(self, codes=codes)

    def missing_required(self) -> list[str]:
        return [name for name in self.import_kind.required if name not in self.columns]

    def decides_scope(self) -> bool:
        """Whether calls are marked in or out of scope: a call-type column is mapped and
        some call types are decided (else every call's scope is unknown)."""
        return bool(self.scope) and any(name in self.columns for name in CALL_TYPE_FIELDS)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON: the kind (left out for calls, as profiles saved before kinds), the
        columns, the date order, and each of the kind's code maps under its name."""
        kind = self.import_kind
        out: dict[str, Any] = {"format": MAPPING_FORMAT}
        if kind is not CALLS:
            out["kind"] = kind.name
        out["columns"] = dict(self.columns)
        out["date_order"] = self.date_order.value if self.date_order else None
        for code_map in kind.code_maps:
            out[code_map.name] = {k: code_map.dump(v)
                                  for k, v in self.code_map(code_map.name).items()}
        return out

    @classmethod
    def from_json(cls, data: Any, *, where: str = "the mapping") -> Mapping:
        """Read a saved mapping; anything wrong is a one-line UserError naming `where`."""
        if not isinstance(data, dict):
            raise UserError(f"{where}: not a mapping (expected a JSON object)")
        if data.get("format", MAPPING_FORMAT) != MAPPING_FORMAT:
            raise UserError(f"{where}: mapping format {data.get('format')!r} is not "
                            f"supported (this console reads format {MAPPING_FORMAT})")
        try:
            kind = KINDS.get(str(data.get("kind", CALLS.name)))
            if kind is None:
                raise ValueError(f"unknown kind {data.get('kind')!r} (known: "
                                 f"{', '.join(KINDS)})")
            columns = _str_dict(data.get("columns", {}), "columns")
            unknown = sorted(set(columns) - set(kind.field_by_name))
            if unknown:
                raise ValueError(f"unknown field {unknown[0]!r} in columns")
            order = data.get("date_order")
            mapping = cls(columns=columns, date_order=DateOrder(order) if order else None,
                          kind=kind.name)
            for code_map in kind.code_maps:
                mapping.code_map(code_map.name).update(
                    {str(k): code_map.load(v)
                     for k, v in _dict(data.get(code_map.name, {}), code_map.name).items()})
            return mapping
        except ValueError as exc:
            raise UserError(f"{where}: {exc}") from None


_CALL_MAP_NAMES = frozenset(m.name for m in CALL_CODE_MAPS)


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
