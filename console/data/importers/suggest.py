"""A first mapping of an export, from its header names and the values seen in it.

Column names are compared after normalising case, spacing, punctuation and camelCase
("TimeCreate", "EVENT_DATE", "Original Time Queued") with the names CAD and records
systems print: Seattle, New Orleans, Tyler/New World, Motorola PremierOne and Spillman,
CentralSquare, Hexagon/Intergraph. Sample values then confirm or overrule a name (a
"Call Type" holding 911 and ONVIEW is the call source; a "Priority" of P1, P2 can't feed
a whole number) and find the required columns a name alone missed. Code values get a
suggestion from keywords, for the user to correct: a suggestion, never a decision. A
code value no keyword places gets no suggestion at all (never "other" or "no
disposition" by default): it may be anything, a person's name typed into the wrong
column included, and it must not travel into a saved profile as if it were a code.

In scope (the call types `complete_codes` marks True): types naming a crisis, mental
health, suicide, self-harm, behaviour, an emotionally disturbed person (EDP), a welfare
check, psychiatric calls or CIT. Overdoses are left out of scope: most programs send
them to EMS; a program that takes them flips them in the wizard.
"""

from __future__ import annotations

import dataclasses
import re
from collections import abc
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, TypeVar

from console.data.enums import Activation, CallSource, Disposition
from console.data.importers.fields import (
    CALL_TYPE_FIELDS,
    CALLS,
    DateOrder,
    Field,
    FieldKind,
    ImportKind,
    Mapping,
    code_key,
)
from console.data.importers.values import (
    Cell,
    DateTimeParser,
    as_flag,
    as_int,
    as_text,
    date_order_evidence,
)

T = TypeVar("T")
D = TypeVar("D")

# Names a field is printed under, normalised (see `normalise`); earlier ones win ties.
# The second tuple holds generic names that other evidence may overrule.
_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "incident_number": ((
        "cad event number", "event number", "event id", "incident number", "incident id",
        "cad incident number", "cad number", "cad event id", "cad id", "call number",
        "call id", "cfs number", "cfs id", "master incident number", "nopd item",
        "item number", "agency event number", "agency incident number", "event",
        "incident", "run number", "call for service number", "calls for service number",
        "event key", "incident key",
    ), ("case number", "report number", "item", "id", "number", "key")),
    "received_at": ((
        "original time queued", "time queued", "queued time", "call received",
        "call received time", "call received date time", "time call received",
        "received date time", "received time", "time received", "date time received",
        "received", "date received", "call date time", "call time", "call created",
        "call create time", "time create", "create time", "create date time",
        "created date time", "created time", "created", "date created", "entered time",
        "time entered", "entered date time", "entry time", "call entered",
        "event date time", "event created", "event start", "event start time",
        "incident date time", "reported date time", "date time reported",
        "phone pickup time", "answer time", "call start time", "first received",
    ), ("event date", "event time", "incident date", "incident time", "call date",
        "date time", "date", "start time", "response date", "report date", "reported")),
    "dispatched_at": ((
        "dispatched time", "time dispatched", "dispatch time", "time dispatch",
        "dispatch date time", "dispatched date time", "first dispatch time",
        "first dispatched", "first unit dispatched", "dispatched", "assigned time",
        "time assigned", "first assigned",
    ), ("dispatch", "assigned")),
    "arrived_at": ((
        "arrived time", "time arrived", "arrival time", "time arrive", "arrive time",
        "arrived date time", "arrival date time", "on scene time", "time on scene",
        "onscene time", "first arrived", "first on scene", "first unit arrived",
        "first arrival", "at scene time", "arrived",
    ), ("on scene", "onscene", "arrival", "arrive")),
    "cleared_at": ((
        "cleared time", "time cleared", "clear time", "time clear", "closed time",
        "time closed", "close time", "time close", "cleared date time",
        "closed date time", "close date time", "event clearance date",
        "clearance date time", "clearance time", "completed time", "time completed",
        "last cleared", "last unit cleared", "cleared", "closed",
    ), ("close date", "closed date", "clear", "close", "completed", "end time")),
    "patrol_cleared_at": ((
        "patrol cleared", "patrol cleared time", "patrol clear time", "time patrol cleared",
        "officer cleared", "officer cleared time", "patrol unit cleared",
    ), ()),
    "initial_call_type": ((
        "initial call type", "initial type text", "initial type description",
        "initial call type description", "initial type", "initial event type",
        "initial incident type", "initial nature", "initial problem",
        "original call type", "original type", "original nature", "original problem",
        "call type initial", "init call type", "initial call type code",
    ), ()),
    "final_call_type": ((
        "final call type", "final type text", "final type description", "final type",
        "final event type", "final incident type", "final nature", "final problem",
        "call type final", "type text", "event type description",
        "incident type description", "call type description", "type description",
        "nature of call", "call nature", "nature", "event type", "incident type",
        "problem", "problem type", "cfs type",
    ), ("call type", "type", "nature code", "type code", "complaint", "complaint type",
        "event desc", "call description", "description")),
    "priority": ((
        "priority", "call priority", "event priority", "incident priority",
        "priority level", "priority code", "final priority", "response priority",
        "dispatch priority", "pri",
    ), ("initial priority", "original priority")),
    "source": ((
        "call source", "source", "source of call", "call source code", "how received",
        "received via", "method received", "received method", "call method",
        "call origin", "origin", "call received method", "receive source",
        "call receipt method", "call received by",
    ), ("received by",)),
    "activation": ((
        "activation", "activation type", "how activated", "unit activation",
        "co responder activation", "crisis activation", "activated by", "request type",
    ), ()),
    "disposition": ((
        "event clearance description", "clearance description", "disposition text",
        "disposition description", "disposition desc", "final disposition",
        "call disposition", "disposition", "dispo", "event clearance", "clearance",
        "clearance code", "disposition code", "dispo code", "close code",
        "closing code", "clear code", "clearance type", "close type", "call outcome",
        "outcome",
    ), ("result", "call result")),
    "arrest_made": ((
        "arrest made", "apprehension made", "arrest", "arrested", "arrest flag",
        "arrest yn", "custodial arrest", "physical arrest", "apprehension",
    ), ()),
    "use_of_force": (("use of force", "force used", "uof", "use of force flag",
                      "force"), ()),
    "subject_injured": (("subject injured", "subject injury", "suspect injured",
                         "person injured", "civilian injured", "subject injuries"), ()),
    "officer_injured": (("officer injured", "officer injury", "officer injuries"), ()),
    "responder_injured": (("responder injured", "responder injury", "clinician injured",
                           "staff injured", "co responder injured"), ()),
    "person_name": ((
        "person name", "subject name", "full name", "client name", "individual name",
        "patient name", "involved person", "subject",
    ), ("name", "person")),
    "person_birth_date": ((
        "birth date", "date of birth", "dob", "birthdate", "subject dob", "person dob",
        "subject birth date", "person birth date",
    ), ()),
    "address": ((
        "block address", "address", "incident address", "event address", "call address",
        "location address", "street address", "full address", "scene address",
        "hundred block", "address block", "block",
    ), ("location", "incident location", "event location")),
    "precinct": ((
        "precinct", "division", "police district", "patrol division", "precinct name",
        "bureau", "command",
    ), ("station", "area")),
    "sector": (("sector", "district", "patrol district", "sector name"), ()),
    "beat": (("beat", "patrol beat", "beat code", "reporting area", "post", "grid",
              "reporting district", "rd"), ("zone", "patrol area")),
    "requesting_officer": ((
        "requesting officer", "requesting officer badge", "requesting officer number",
        "requesting officer id", "requesting officer employee number", "requesting badge",
        "requesting badge number", "requesting employee number", "requesting employee id",
        "requesting unit officer", "officer requesting", "requested by",
        "requested by officer", "request officer", "requestor badge", "requestor",
        "referring officer", "referring officer badge",
    ), ("officer badge", "officer badge number", "officer employee number")),
    "narrative": ((
        "narrative", "call notes", "event remarks", "cad notes", "remarks", "notes",
        "comments", "synopsis", "call comments",
    ), ("summary", "details")),
}

# Words that, all present in a name, point to a field (weaker than a listed name).
_WORDS: dict[str, tuple[frozenset[str], ...]] = {
    name: tuple(frozenset(words.split()) for words in groups)
    for name, groups in {
        "incident_number": ("event number", "incident number", "cad number", "event id",
                            "incident id"),
        "received_at": ("queued", "received", "create", "created", "entered"),
        "dispatched_at": ("dispatched", "dispatch time", "dispatch date", "assigned"),
        "arrived_at": ("arrived", "arrival", "arrive", "on scene", "onscene"),
        "cleared_at": ("cleared", "closed", "clear time", "close time", "completed"),
        "patrol_cleared_at": ("patrol cleared", "patrol clear", "officer cleared"),
        "initial_call_type": ("initial type", "original type", "initial nature",
                              "original nature"),
        "final_call_type": ("final type", "final nature", "type", "nature"),
        "priority": ("priority",),
        "source": ("source", "origin", "how received"),
        "activation": ("activation", "activated"),
        "disposition": ("disposition", "clearance", "dispo"),
        "arrest_made": ("arrest", "apprehension"),
        "use_of_force": ("force",),
        "subject_injured": ("subject injured", "subject injury", "person injured"),
        "officer_injured": ("officer injured", "officer injury"),
        "responder_injured": ("responder injured", "responder injury"),
        "person_birth_date": ("birth", "dob"),
        "address": ("address",),
        "precinct": ("precinct", "division"),
        "sector": ("sector", "district"),
        "beat": ("beat",),
        "requesting_officer": ("requesting officer", "requesting badge", "officer requesting",
                               "requesting employee", "requested by", "referring officer"),
        "narrative": ("narrative", "remarks", "notes", "comments"),
    }.items()
}

_TOKEN_ALIASES = {
    "num": "number", "no": "number", "nbr": "number", "nmbr": "number", "#": "number",
    "dt": "date", "dte": "date", "tm": "time", "tme": "time", "dttm": "date time",
    "datetime": "date time", "timestamp": "date time", "desc": "description",
    "descr": "description", "rcvd": "received", "recvd": "received", "recd": "received",
    "disp": "dispatch", "inc": "incident", "evt": "event", "prio": "priority",
    "onscene": "on scene", "emp": "employee", "req": "requesting",
}

_FLAG_SUFFIX = re.compile(r"( (yn|y n|flag|ind|indicator))+$")
_MIN_SCORE = 40
_SAMPLE_LIMIT = 200

_DATETIME_KINDS = (FieldKind.DATETIME, FieldKind.DATE)


def normalise(name: str) -> str:
    """A column name as compared: "EVENT_DATE", "Event Date", "eventDate" -> "event date"."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name)
    spaced = spaced.replace("#", " # ")
    words = re.sub(r"[^0-9a-z#]+", " ", spaced.casefold()).split()
    return " ".join(_TOKEN_ALIASES.get(word, word) for word in words)


def suggest_columns(header: Sequence[str],
                    sample_rows: Iterable[Sequence[Cell]] = (),
                    kind: ImportKind = CALLS) -> dict[str, str]:
    """Field name -> the column that most likely feeds it; each column feeds one field.

    Names decide first; sample values confirm or overrule them (a column must hold the
    field's kind of value to feed it), and find the required fields (a call's incident
    number and received time) where no name does.
    """
    columns = _columns(header, sample_rows)
    fields = kind.field_by_name
    candidates: list[tuple[float, int, str]] = []
    for field_name, spec in fields.items():
        for index, column in enumerate(columns):
            score = _name_score(spec, column.name) + column.fit(spec)
            if score >= _MIN_SCORE:
                candidates.append((score, -index, field_name))
    candidates.sort(reverse=True)
    chosen: dict[str, str] = {}
    used: set[int] = set()
    for _, negative_index, field_name in candidates:
        index = -negative_index
        if field_name in chosen or index in used:
            continue
        chosen[field_name] = columns[index].header
        used.add(index)
    for field_name in kind.required:
        if field_name not in chosen:
            for index, column in enumerate(columns):
                if index not in used and column.fit(fields[field_name]) >= 20:
                    chosen[field_name] = column.header
                    used.add(index)
                    break
    order = list(fields)
    return dict(sorted(chosen.items(), key=lambda item: order.index(item[0])))


def suggest_mapping(header: Sequence[str], sample_rows: Iterable[Sequence[Cell]] = (),
                    distinct: abc.Mapping[str, Iterable[str]] | None = None,
                    kind: ImportKind = CALLS) -> Mapping:
    """A whole first mapping: columns, the day/month order where the values decide it,
    and code suggestions for the code and call-type columns.

    distinct: column name -> its distinct values in the whole file (the sample's values
    where absent). The order stays None when nothing decides it, or the dates contradict.
    """
    rows = [list(row) for row in sample_rows]
    columns = suggest_columns(header, rows, kind)
    position = {name: index for index, name in enumerate(header)}
    values: dict[str, list[Cell]] = {
        column: [row[position[column]] for row in rows if position[column] < len(row)]
        for column in columns.values()
    }
    day_first = month_first = 0
    for field_name, column in columns.items():
        if kind.field_by_name[field_name].kind in _DATETIME_KINDS:
            seen: list[Cell] = list(values[column])
            if distinct and column in distinct:
                seen.extend(distinct[column])
            days, months = date_order_evidence(seen)
            day_first, month_first = day_first + days, month_first + months
    order = None
    if day_first and not month_first:
        order = DateOrder.DAY_FIRST
    elif month_first and not day_first:
        order = DateOrder.MONTH_FIRST
    mapping = Mapping(columns=columns, date_order=order, kind=kind.name)
    known: dict[str, Iterable[str]] = {
        column: [text for cell in cells if (text := as_text(cell))]
        for column, cells in values.items()
    }
    if distinct:
        known.update({column: distinct[column] for column in columns.values()
                      if column in distinct})
    return complete_codes(mapping, known)


def complete_codes(mapping: Mapping, distinct: abc.Mapping[str, Iterable[str]]) -> Mapping:
    """The mapping with a suggestion for every value of its code and call-type columns
    that it has no decision for yet (decisions made stay). Keys are the values as
    printed; a value already decided under another spelling (`code_key`) is skipped.
    """
    result = dataclasses.replace(
        mapping, columns=dict(mapping.columns), scope=dict(mapping.scope),
        dispositions=dict(mapping.dispositions), sources=dict(mapping.sources),
        activations=dict(mapping.activations),
        codes={name: dict(values) for name, values in mapping.codes.items()})

    def fill(field_names: Iterable[str], decided: dict[str, Any],
             guess: Callable[[str], object]) -> None:
        keys = {code_key(key) for key in decided}
        for field_name in field_names:
            column = mapping.columns.get(field_name)
            if column is None or column not in distinct:
                continue
            for value in distinct[column]:
                text = as_text(value)
                if text is None or code_key(text) in keys:
                    continue
                suggestion = guess(text)
                if suggestion is not _NO_SUGGESTION:
                    decided[text] = suggestion
                    keys.add(code_key(text))

    if result.import_kind is not CALLS:  # a kind's own code maps, by its declared rules
        for code_map in result.import_kind.code_maps:
            rules = tuple((re.compile(pattern), value) for pattern, value in code_map.rules)
            fill(code_map.fields, result.code_map(code_map.name),
                 lambda text, r=rules: _first_match(r, text, _NO_SUGGESTION))  # type: ignore[misc]
        return result
    fill(CALL_TYPE_FIELDS, result.scope, in_scope)
    fill(("disposition",), result.dispositions,
         lambda text: _first_match(_DISPOSITIONS, text, _NO_SUGGESTION))
    fill(("source",), result.sources, lambda text: _first_match(_SOURCES, text, _NO_SUGGESTION))
    fill(("activation",), result.activations,
         lambda text: _first_match(_ACTIVATIONS, text, _NO_SUGGESTION))
    return result


_NO_SUGGESTION = object()


def _rule(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(rf"(?:{pattern})" for pattern in patterns))


_IN_SCOPE = _rule(r"CRISIS", r"MENTAL", r"SUICID", r"SELF[- ]?HARM", r"BEHAVIOU?R",
                  r"\bEDP\b", r"EMOTIONALLY DISTURBED", r"WELFARE", r"PSYCH", r"\bCIT\b",
                  r"\bMH\b", r"\b5150\b")

_DISPOSITIONS: tuple[tuple[re.Pattern[str], Disposition | None], ...] = (
    (_rule(r"INVOLUNTARY", r"EMERGENCY (DETENTION|CUSTODY|PETITION|HOLD)", r"\b5150\b",
           r"\bECO\b", r"\bTDO\b", r"\b1013\b", r"BAKER ACT", r"MENTAL HEALTH HOLD",
           r"PINK SLIP"), Disposition.INVOLUNTARY_HOLD),
    (_rule(r"(?<!NO )(?<!NON-)(?<!NON )(?<!WITHOUT )(?<!NOT )\bARREST", r"\bBOOKED\b"),
     Disposition.ARREST),
    (_rule(r"REFUSED", r"DECLINED"), Disposition.REFUSED_SERVICES),
    (_rule(r"TRANSPORT.*\b(HOSPITAL|ED|ER|EMERGENCY (DEPARTMENT|ROOM)|MEDICAL)\b",
           r"\b(HOSPITAL|ED|ER)\b.*TRANSPORT"), Disposition.ED_TRANSPORT),
    (_rule(r"TRANSPORT.*\b(VOLUNTARY|SHELTER|CRISIS (CENTER|CENTRE)|DETOX|SOBERING|"
           r"TREATMENT|STABILI[SZ]ATION)\b", r"VOLUNTARY TRANSPORT"),
     Disposition.VOLUNTARY_TRANSPORT),
    (_rule(r"UNABLE TO LOCATE", r"GONE ON ARRIVAL", r"\bGOA\b", r"\bUTL\b",
           r"(COULD )?NOT LOCATED?\b"), Disposition.UNABLE_TO_LOCATE),
    (_rule(r"\bREFER"), Disposition.REFERRED),
    (_rule(r"RESOLVED", r"ASSISTANCE RENDERED", r"SERVICE RENDERED", r"\bADVISED\b",
           r"NO FURTHER ACTION", r"ORDER RESTORED", r"MEDIATED"),
     Disposition.RESOLVED_ON_SCENE),
    # Clearances that name none of the outcomes above: "no disposition", by name.
    (_rule(r"\bREPORT", r"CITATION", r"\bCITED\b", r"TICKET", r"SUMMONS", r"WARNING",
           r"\bWARNED\b", r"CANCEL", r"DUPLICATE", r"UNFOUNDED", r"\bFALSE\b",
           r"\bNO (POLICE )?ACTION", r"\bNO ARREST", r"\bNON[- ]?ARREST", r"CIVIL",
           r"INFORMATION", r"(OTHER|ANOTHER) AGENCY"), None),
)

_SOURCES: tuple[tuple[re.Pattern[str], CallSource], ...] = (
    (_rule(r"NOT 911", r"NON[- ]?EMERG"), CallSource.NON_EMERGENCY),
    (_rule(r"\bE?911\b", r"9-1-1", r"EMERGENCY LINE"), CallSource.E911),
    (_rule(r"ON[- ]?VIEW", r"OFFICER[- ]INITIATED", r"SELF[- ]?INITIATED",
           r"FIELD[- ]INITIATED", r"^SELF$", r"^OV$"), CallSource.ON_VIEW),
    (_rule(r"TELEPHONE", r"PHONE", r"10[- ]DIGIT", r"ADMIN"), CallSource.NON_EMERGENCY),
    (_rule(r"ALARM", r"WALK[- ]?IN", r"IN PERSON", r"FRONT (DESK|COUNTER)", r"\bTEXT",
           r"\bSMS\b", r"E-?MAIL", r"ONLINE", r"INTERNET", r"\bWEB", r"RADIO", r"\bMAIL\b",
           r"\bFAX\b", r"TELETYPE", r"^OTHER$"), CallSource.OTHER),
)

_ACTIVATIONS: tuple[tuple[re.Pattern[str], Activation], ...] = (
    (_rule(r"FOLLOW[- ]?UP", r"^FU$"), Activation.FOLLOW_UP),
    (_rule(r"SELF", r"ON[- ]?VIEW"), Activation.SELF_INITIATED),
    (_rule(r"PATROL", r"REQUEST", r"OFFICER", r"BACK[- ]?UP"), Activation.PATROL_REQUEST),
    (_rule(r"DISPATCH", r"CAD", r"CRITERIA"), Activation.DISPATCH),
)


def in_scope(call_type: str) -> bool:
    """Whether a call type names a crisis call (the module's docstring lists the words)."""
    return bool(_IN_SCOPE.search(_upper(call_type)))


def disposition_of(code: str) -> Disposition | None:
    """The disposition a clearance code suggests; None means "no disposition" (also for
    a code no keyword places: `complete_codes` suggests nothing for those)."""
    return _first_match(_DISPOSITIONS, code, None)


def source_of(code: str) -> CallSource:
    """911, non-emergency, on-view, else other (`complete_codes` suggests "other" only
    for the ways it names: alarm, walk-in, text, e-mail, radio...)."""
    return _first_match(_SOURCES, code, CallSource.OTHER)


def activation_of(code: str) -> Activation | None:
    """How the unit was activated, where the code says it; None when it doesn't."""
    return _first_match(_ACTIVATIONS, code, None)


def _first_match(rules: Iterable[tuple[re.Pattern[str], T]], code: str, default: D) -> T | D:
    """The value of the first rule whose pattern the code matches (case and spacing aside)."""
    text = _upper(code)
    return next((value for pattern, value in rules if pattern.search(text)), default)


def _upper(text: str) -> str:
    return " ".join(text.split()).upper()


# --- scoring -----------------------------------------------------------------------


def _name_score(spec: Field, name: str) -> float:
    field_name = spec.name
    strong, weak = spec.names if spec.names != ((), ()) else _NAMES.get(field_name, ((), ()))
    if spec.kind is FieldKind.FLAG:
        name = _FLAG_SUFFIX.sub("", name) or name
    compact = name.replace(" ", "")
    for base, names in ((100.0, strong), (60.0, weak)):
        for rank, known in enumerate(names):
            if name == known or compact == known.replace(" ", ""):
                return base - rank * 0.1
    words = set(name.split())
    best = 0.0
    for group in _WORDS.get(field_name, ()) if spec.names == ((), ()) else ():
        if group <= words:
            best = max(best, 40.0 + 5 * len(group))
    return best


@dataclasses.dataclass
class _Column:
    """A column's name and what its sample values look like."""

    header: str
    name: str
    values: list[Cell]

    def __post_init__(self) -> None:
        values = self.values
        texts = [text for cell in values if (text := as_text(cell)) is not None]
        self.count = len(texts)
        self.dates = _share(values, _looks_like_datetime)
        self.ints = _share(values, _parses(as_int)) or 0.0
        self.flags = _share(values, _parses(as_flag)) or 0.0
        self.unique = len(set(texts)) / len(texts) if texts else 0.0
        self.digits = _share(texts, lambda text: any(c.isdigit() for c in str(text))) or 0.0
        distinct = {code_key(text) for text in texts}
        self.sources = (sum(source_of(text) is not CallSource.OTHER for text in distinct)
                        / len(distinct) if distinct else 0.0)

    def fit(self, spec: Field) -> float:
        """How the sample values support feeding the field (0 with no sample)."""
        if not self.count:
            return 0.0
        field_name, kind = spec.name, spec.kind
        dates = self.dates
        if kind in _DATETIME_KINDS:
            if dates is None or 0.5 <= dates < 0.8:
                return 0.0  # messy dates still make a time column
            return 20.0 if dates >= 0.8 else -100.0
        if dates is not None and dates >= 0.8:
            return -100.0
        if field_name == "incident_number":
            if self.unique >= 0.95 and self.digits >= 0.8:
                return 30.0 if self.ints < 1.0 or self.unique == 1.0 else 10.0
            return 0.0 if self.unique >= 0.5 else -100.0  # duplicates are the rows' problem
        if kind is FieldKind.INTEGER:
            return 5.0 if self.ints >= 0.95 else -100.0
        if kind is FieldKind.FLAG:
            return 5.0 if self.flags >= 0.95 else -100.0
        if field_name == "source":
            return 50.0 if self.sources >= 0.5 else 0.0
        if field_name in CALL_TYPE_FIELDS and self.sources >= 0.5:
            return -50.0
        return 0.0


def _columns(header: Sequence[str], sample_rows: Iterable[Sequence[Cell]]) -> list[_Column]:
    rows = [row for row, _ in zip(sample_rows, range(_SAMPLE_LIMIT), strict=False)]
    return [_Column(name, normalise(name),
                    [row[index] for row in rows if index < len(row)])
            for index, name in enumerate(header)]


def _share(values: Sequence[object], test: Callable[[object], bool | None]) -> float | None:
    """The share of filled values that pass; values the test can't tell are left out,
    and None when nothing could be told."""
    told = [result for value in values if value is not None and value != ""
            if (result := test(value)) is not None]
    return sum(told) / len(told) if told else None


def _parses(convert: Callable[[Cell], object]) -> Callable[[object], bool]:
    def test(cell: object) -> bool:
        try:
            convert(cell)  # type: ignore[arg-type]
        except ValueError:
            return False
        return True
    return test


_LENIENT = (DateTimeParser(DateOrder.MONTH_FIRST), DateTimeParser(DateOrder.DAY_FIRST))


def _looks_like_datetime(cell: object) -> bool | None:
    """A datetime cell, an Excel serial with a time of day (1955-2119) or text that reads
    as a date in either day/month order. A whole number in that range can't tell (a date
    alone, or an identifier); bare digits in text are not dates."""
    if isinstance(cell, bool):
        return False
    if isinstance(cell, int | float):
        if 20_000 <= cell <= 80_000:
            return None if float(cell).is_integer() else True
        return False
    if not isinstance(cell, str):
        return isinstance(cell, date)
    text = cell.strip()
    if text.isdigit() and len(text) != 14:
        return False
    for parse in _LENIENT:
        try:
            parse(text)
        except ValueError:
            continue
        return True
    return False
