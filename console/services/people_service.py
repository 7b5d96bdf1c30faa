"""People seen on calls and the protected text about them.

Names, contact details and narratives are sealed with the data key before they reach a
session, so the database (and its backups, dumps and audit trail) holds only ciphertext.
A person is found again by a keyed hash of their normalised name and birth date, which
matches repeat calls without decrypting anything.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select

from console.data.base import sealed_purpose
from console.data.crypto import Vault
from console.data.enums import Disposition
from console.data.models import Call, Person
from console.errors import UserError
from console.services.access import Access, Action, EditConflict

NAME = sealed_purpose("person", "name")
CONTACT = sealed_purpose("person", "contact")
NARRATIVE = sealed_purpose("call", "narrative")
MATCH = "person"


@dataclass(frozen=True)
class PersonIdentity:
    id: int
    name: str | None
    contact: str | None


def normalise_name(name: str) -> str:
    """Case, accents, punctuation and spacing removed: "José  O'Neil" ~ "jose oneil"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[^\w\s]", "", text)
    return " ".join(text.split())


def person_key(vault: Vault, name: str, born: dt.date | None = None) -> str:
    """The keyed pseudonym that matches a person across calls without their name."""
    normal = normalise_name(name)
    if not normal:
        raise UserError("a person needs a name to be matched across calls")
    return vault.keyed_hash(f"{normal}|{born.isoformat() if born else ''}", purpose=MATCH)


def record_person(access: Access, name: str, *, born: dt.date | None = None,
                  contact: str | None = None) -> int:
    """The person's id, adding them the first time; contact details are updated if given."""
    key = person_key(access.vault, name, born)
    with access.writing(Action.EDIT_IDENTITIES, "a person") as session:
        person = session.scalar(select(Person).where(Person.person_key == key))
        if person is None:
            person = Person(person_key=key, name=access.vault.seal(name.strip(), purpose=NAME))
            session.add(person)
        if contact:
            person.contact = access.vault.seal(contact.strip(), purpose=CONTACT)
        session.flush()
        return person.id


def person_identity(access: Access, person_id: int) -> PersonIdentity:
    """Name and contact in clear, for the roles allowed to see them."""
    with access.reading(Action.VIEW_IDENTITIES) as session:
        person = session.get(Person, person_id)
        if person is None:
            raise UserError(f"no person {person_id}")
        vault = access.vault
        return PersonIdentity(
            person.id,
            vault.open(person.name, purpose=NAME) if person.name else None,
            vault.open(person.contact, purpose=CONTACT) if person.contact else None,
        )


def set_call_narrative(access: Access, call_id: int, text: str) -> None:
    with access.writing(Action.EDIT_IDENTITIES, f"call {call_id}") as session:
        call = _call(session.get(Call, call_id), call_id)
        call.narrative = access.vault.seal(text, purpose=NARRATIVE) if text.strip() else None


def call_narrative(access: Access, call_id: int) -> str | None:
    with access.reading(Action.VIEW_IDENTITIES) as session:
        call = _call(session.get(Call, call_id), call_id)
        return access.vault.open(call.narrative, purpose=NARRATIVE) if call.narrative else None


def link_person(access: Access, call_id: int, person_id: int | None) -> None:
    """Say who the call was about (None: nobody known)."""
    with access.writing(Action.EDIT_IDENTITIES, f"call {call_id}") as session:
        _call(session.get(Call, call_id), call_id).person_id = person_id


def set_disposition(access: Access, call_id: int, read_version: int,
                    disposition: Disposition | None) -> int:
    """Correct a call's disposition; returns the new version (EditConflict if it moved on)."""
    with access.writing(Action.EDIT_CALLS, f"call {call_id}") as session:
        call = _call(session.get(Call, call_id), call_id)
        if call.version != read_version:
            raise EditConflict(f"call {call.incident_number}")
        call.disposition = disposition
        session.flush()
        return call.version


def _call(call: Call | None, call_id: int) -> Call:
    if call is None:
        raise UserError(f"no call {call_id}")
    return call
