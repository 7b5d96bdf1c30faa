"""Import profiles: a named Mapping per kind of export, saved in the database or a file.

A profile is everything a user decided about one CAD or records-system export (which
column feeds which field, its date order, its code maps), so the next export of the same
system imports without asking again. Profiles live in the `import_profile` table (saved
through the ORM, so the audit trail records each save and delete) and travel between
workstations as small JSON files: `Mapping.to_json()` plus the profile's name.

A profile belongs to one import kind (calls, program events: the mapping's kind, kept
in its JSON), and is offered and used for that kind only.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.data.importers.fields import KINDS, ImportKind, Mapping
from console.data.models import ImportProfile
from console.errors import UserError
from console.services.access import Access, Action
from console.services.importing.kinds import WRITINGS
from console.services.text_files import replacing

NAME_LENGTH = 80
MAX_FILE_BYTES = 5_000_000  # a mapping is a few kB; anything this big is not one


@dataclass(frozen=True)
class ProfileInfo:
    name: str
    saved_at: dt.datetime
    saved_by: str
    fields: int  # how many fields the mapping fills
    kind: str = "calls"  # the import kind it maps (ImportKind.name)


@dataclass(frozen=True)
class Profile:
    name: str
    mapping: Mapping


def clean_name(name: str) -> str:
    """A profile name as stored: spacing collapsed; one-line UserError when unusable."""
    text = " ".join(name.split())
    if not text:
        raise UserError("a profile needs a name (e.g. the CAD system and agency)")
    if len(text) > NAME_LENGTH:
        raise UserError(f"profile name {text[:30]!r}…: keep it under {NAME_LENGTH} characters")
    return text


def list_profiles(access: Access, kind: ImportKind | None = None) -> list[ProfileInfo]:
    """Saved profiles by name: every kind's, or those of `kind` only."""
    with access.reading(Action.VIEW_CALLS) as session:
        rows = session.scalars(select(ImportProfile).order_by(ImportProfile.name)).all()
        found = [ProfileInfo(p.name, p.saved_at, p.saved_by, _field_count(p.mapping),
                             _kind_of(p.mapping)) for p in rows]
    return [p for p in found if kind is None or p.kind == kind.name]


def load_profile(access: Access, name: str, kind: ImportKind | None = None) -> Mapping:
    """The mapping saved under `name`; UserError naming the saved ones when there is none
    (or, given a kind, when the profile maps another kind)."""
    return find_profile(access, name, kind).mapping


def find_profile(access: Access, name: str, kind: ImportKind | None = None) -> Profile:
    """The profile saved under `name` (case and spacing ignored), with its stored name.

    Given `kind`, a profile of another kind is refused: a calls profile maps no events.
    """
    with access.reading(Action.VIEW_CALLS) as session:
        profile = _find(session, name)
        if profile is None:
            known = [p.name for p in session.scalars(
                select(ImportProfile).order_by(ImportProfile.name))
                if kind is None or _kind_of(p.mapping) == kind.name]
            names = ", ".join(known) or "none yet"
            what = f"{kind.plural} " if kind is not None else ""
            raise UserError(f"no import profile named {name!r} (saved {what}profiles: "
                            f"{names})")
        mapping = _parse(profile.mapping, f"profile {profile.name!r}")
    if kind is not None and mapping.kind != kind.name:
        raise UserError(f"the import profile {profile.name!r} maps "
                        f"{mapping.import_kind.plural}, not {kind.plural}; choose a "
                        f"{kind.plural} profile")
    return Profile(profile.name, mapping)


def save_profile(access: Access, name: str, mapping: Mapping) -> ProfileInfo:
    """Save (or replace) the profile `name`; the audit trail records what changed.

    A profile of another kind is never replaced: its name is taken.
    """
    clean = clean_name(name)
    text = json.dumps(mapping.to_json(), sort_keys=True, ensure_ascii=False)
    now = dt.datetime.now().replace(microsecond=0)
    with access.writing(_action(mapping.kind), f"import profile {clean!r}") as session:
        profile = _find(session, clean)
        if profile is None:
            profile = ImportProfile(name=clean, mapping=text)
            session.add(profile)
        elif _kind_of(profile.mapping) != mapping.kind:
            other = KINDS[_kind_of(profile.mapping)].plural
            raise UserError(f"the import profile {profile.name!r} maps {other}; name the "
                            f"{mapping.import_kind.plural} profile otherwise")
        elif profile.mapping == text:
            return ProfileInfo(clean, profile.saved_at, profile.saved_by,
                               len(mapping.columns), mapping.kind)
        profile.mapping, profile.saved_at = text, now
        profile.saved_by = access.actor.username
        return ProfileInfo(clean, now, access.actor.username, len(mapping.columns),
                           mapping.kind)


def delete_profile(access: Access, name: str) -> bool:
    """Delete the profile `name`; False when there was none."""
    with access.writing(Action.EDIT_CALLS, f"import profile {name!r}") as session:
        profile = _find(session, name)
        if profile is None:
            return False
        session.delete(profile)
        return True


def export_profile(access: Access, name: str, path: Path) -> Path:
    """Write the profile `name` to a JSON file another workstation can read."""
    profile = find_profile(access, name)
    data = {"name": profile.name, **profile.mapping.to_json()}
    write_mapping_file(path, data)
    return path


def write_mapping_file(path: Path, data: dict[str, object]) -> None:
    """Write the mapping as JSON (no half-written file: see text_files.replacing)."""
    with replacing(path) as stream:
        stream.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def read_mapping_file(path: Path) -> Profile:
    """A mapping from a JSON file (an exported profile, or one written by hand).

    The name is the file's "name" if it has one, else the file name without .json.
    Every problem is a one-line UserError naming the file.
    """
    where = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise UserError(f"{where}: too big to be a mapping file")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{where}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{where}: is a folder, not a mapping file") from None
    except OSError as exc:
        raise UserError(f"{where}: cannot read it ({exc.strerror or exc})") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UserError(f"{where}: not a mapping file (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{where}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    mapping = Mapping.from_json(data, where=where)
    name = data.get("name") if isinstance(data, dict) else None
    return Profile(clean_name(str(name)) if isinstance(name, str) and name.strip()
                   else clean_name(path.stem), mapping)


def _find(session: Session, name: str) -> ImportProfile | None:
    """The profile of this name, case and spacing ignored (there are only a few)."""
    wanted = clean_name(name).casefold()
    for profile in session.scalars(select(ImportProfile)):
        if profile.name.casefold() == wanted:
            return profile
    return None


def _parse(text: str, where: str) -> Mapping:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise UserError(f"{where} is damaged (its mapping is not JSON): save it again") from None
    return Mapping.from_json(data, where=where)


def _action(kind: str) -> Action:
    """Who may save a profile of this kind: whoever may import it."""
    return WRITINGS[kind].action


def _kind_of(text: str) -> str:
    """The kind a stored mapping maps (calls for profiles saved before kinds)."""
    try:
        kind = json.loads(text).get("kind", "calls")
    except (json.JSONDecodeError, AttributeError):
        return "calls"
    return kind if isinstance(kind, str) and kind in KINDS else "calls"


def _field_count(text: str) -> int:
    try:
        columns = json.loads(text).get("columns", {})
    except (json.JSONDecodeError, AttributeError):
        return 0
    return len(columns) if isinstance(columns, dict) else 0
