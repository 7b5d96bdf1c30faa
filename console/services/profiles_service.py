"""Import profiles: a named Mapping per kind of export, saved in the database or a file.

A profile is everything a user decided about one CAD or records-system export (which
column feeds which field, its date order, its code maps), so the next export of the same
system imports without asking again. Profiles live in the `import_profile` table (saved
through the ORM, so the audit trail records each save and delete) and travel between
workstations as small JSON files: `Mapping.to_json()` plus the profile's name.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.data.importers.fields import Mapping
from console.data.models import ImportProfile
from console.errors import UserError
from console.services.access import Access, Action
from console.services.text_files import replacing

NAME_LENGTH = 80
MAX_FILE_BYTES = 5_000_000  # a mapping is a few kB; anything this big is not one


@dataclass(frozen=True)
class ProfileInfo:
    name: str
    saved_at: dt.datetime
    saved_by: str
    fields: int  # how many fields the mapping fills


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


def list_profiles(access: Access) -> list[ProfileInfo]:
    """Saved profiles by name."""
    with access.reading(Action.VIEW_CALLS) as session:
        rows = session.scalars(select(ImportProfile).order_by(ImportProfile.name)).all()
        return [ProfileInfo(p.name, p.saved_at, p.saved_by, _field_count(p.mapping))
                for p in rows]


def load_profile(access: Access, name: str) -> Mapping:
    """The mapping saved under `name`; UserError naming the saved ones when there is none."""
    return find_profile(access, name).mapping


def find_profile(access: Access, name: str) -> Profile:
    """The profile saved under `name` (case and spacing ignored), with its stored name."""
    with access.reading(Action.VIEW_CALLS) as session:
        profile = _find(session, name)
        if profile is None:
            known = session.scalars(select(ImportProfile.name).order_by(ImportProfile.name))
            names = ", ".join(known) or "none yet"
            raise UserError(f"no import profile named {name!r} (saved profiles: {names})")
        return Profile(profile.name, _parse(profile.mapping, f"profile {profile.name!r}"))


def save_profile(access: Access, name: str, mapping: Mapping) -> ProfileInfo:
    """Save (or replace) the profile `name`; the audit trail records what changed."""
    clean = clean_name(name)
    text = json.dumps(mapping.to_json(), sort_keys=True, ensure_ascii=False)
    now = dt.datetime.now().replace(microsecond=0)
    with access.writing(Action.EDIT_CALLS, f"import profile {clean!r}") as session:
        profile = _find(session, clean)
        if profile is None:
            profile = ImportProfile(name=clean, mapping=text)
            session.add(profile)
        elif profile.mapping == text:
            return ProfileInfo(clean, profile.saved_at, profile.saved_by,
                               len(mapping.columns))
        profile.mapping, profile.saved_at = text, now
        profile.saved_by = access.actor.username
        return ProfileInfo(clean, now, access.actor.username, len(mapping.columns))


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


def _field_count(text: str) -> int:
    try:
        columns = json.loads(text).get("columns", {})
    except (json.JSONDecodeError, AttributeError):
        return 0
    return len(columns) if isinstance(columns, dict) else 0
