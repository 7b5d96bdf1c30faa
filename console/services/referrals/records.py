"""Referral records: what a responder records after a call, and edits as news arrives.

A referral belongs to a call; the person is the call's (never typed again). Outcome
notes and follow-up notes are sealed with the session's data key before they reach the
session, as names and narratives are (people_service). Who sees what:

- supervisors and directors see and edit every referral of the program;
- a responder sees and edits the referrals they made (the staff member their account
  is linked to, UserStaffLink), and records new ones as themselves;
- everyone else (analyst, reviewer) sees counts only (referrals/measures.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from console.data.base import sealed_purpose
from console.data.enums import UserRole
from console.data.models import Call, FollowUpContact, Provider, Referral, StaffMember
from console.data.referral_enums import ReferralKind, ReferralResult, VettingStatus
from console.errors import UserError
from console.services.access import Access, Action, Actor, EditConflict
from console.services.complaints.standing import linked_staff_id
from console.services.program_scope import current_program_id

NOTES = sealed_purpose("referral", "outcome_notes")
FOLLOW_UP_NOTE = sealed_purpose("follow_up_contact", "note")
NAME_LIMIT = 200
MAX_ATTEMPTS = 99
SEES_ALL = frozenset({UserRole.SUPERVISOR, UserRole.DIRECTOR})


@dataclass(frozen=True)
class ProviderChoice:
    id: int
    name: str
    vetting: VettingStatus
    after_hours: bool


@dataclass(frozen=True)
class ReferralEdit:
    """What a form (or an import row) says about one referral.

    `provider` is a provider's id, or a name: a name the program does not know yet adds
    a provider "not yet vetted". `contact_made` None: not recorded.
    """

    provider: int | str
    kind: ReferralKind
    referred_at: dt.datetime
    contact_made: bool | None = None
    contact_attempts: int = 0
    first_service_at: dt.datetime | None = None
    result: ReferralResult = ReferralResult.PENDING
    outcome_notes: str = ""


@dataclass(frozen=True)
class FollowUp:
    contacted_at: dt.datetime
    reached: bool
    staff: str
    note: str


@dataclass(frozen=True)
class ReferralRecord:
    """One referral as its form shows it, with the version it was read at."""

    id: int
    version: int
    call_id: int
    incident_number: str
    call_received_at: dt.datetime
    provider_id: int
    provider: str
    staff: str
    kind: ReferralKind
    referred_at: dt.datetime
    contact_made: bool | None
    contact_attempts: int
    first_service_at: dt.datetime | None
    result: ReferralResult
    outcome_notes: str
    follow_ups: tuple[FollowUp, ...]


# --- who may see which referrals ------------------------------------------------------------
def own_staff(session: Session, actor: Actor) -> int | None:
    """The staff member a responder acts as; None for the roles that see every referral."""
    if actor.role in SEES_ALL:
        return None
    me = linked_staff_id(session, actor)
    if me is None:
        raise UserError(f"{actor.display_name or actor.username}: this account is not linked "
                        "to a staff member, so it has no referrals of its own; ask a "
                        "supervisor to link it (Users)")
    return me


def visible(stmt: Select[Any], session: Session, actor: Actor) -> Select[Any]:
    """The statement narrowed to the program's referrals the actor may see."""
    stmt = stmt.where(Referral.program_id == current_program_id(session))
    me = own_staff(session, actor)
    return stmt if me is None else stmt.where(Referral.staff_id == me)


def _referral(session: Session, actor: Actor, referral_id: int) -> Referral:
    found = session.scalar(visible(select(Referral).where(Referral.id == referral_id),
                                   session, actor))
    if not isinstance(found, Referral):
        raise UserError(f"referral {referral_id} does not exist or is not one of yours; "
                        "nothing was changed")
    return found


# --- choices ----------------------------------------------------------------------------------
def active_providers(access: Access) -> list[ProviderChoice]:
    """The program's providers not retired, by name: the entry form's choices."""
    with access.reading(Action.VIEW_CALLS) as session:
        rows = session.execute(
            select(Provider.id, Provider.name, Provider.vetting, Provider.after_hours)
            .where(Provider.program_id == current_program_id(session),
                   Provider.retired_on.is_(None))
            .order_by(Provider.name)).tuples().all()
    return [ProviderChoice(*row) for row in rows]


def provider_named(session: Session, program_id: int, name: str) -> tuple[Provider, bool]:
    """The program's provider of this name (case and spacing ignored), or a new one "not
    yet vetted"; the flag says it was added."""
    clean = " ".join(name.split())
    if not clean:
        raise UserError("a referral needs a provider; nothing was changed")
    if len(clean) > NAME_LIMIT:
        raise UserError(f"the provider's name is {len(clean)} characters long; keep it "
                        f"under {NAME_LIMIT}; nothing was changed")
    for provider in session.scalars(select(Provider).where(Provider.program_id == program_id)):
        if provider.name.casefold() == clean.casefold():
            return provider, False
    provider = Provider(program_id=program_id, name=clean, vetting=VettingStatus.NOT_VETTED)
    session.add(provider)
    session.flush()
    return provider, True


# --- checks ------------------------------------------------------------------------------------
def check_edit(edit: ReferralEdit, call_received: dt.datetime, incident: str) -> None:
    """The one-line reason an edit cannot be saved (UserError), in the order a form reads."""
    where = f"referral on call {incident}"
    if not 0 <= edit.contact_attempts <= MAX_ATTEMPTS:
        raise UserError(f"{where}: {edit.contact_attempts} contact attempts; give a number "
                        f"from 0 to {MAX_ATTEMPTS}")
    if edit.contact_made and edit.contact_attempts == 0:
        raise UserError(f"{where}: contact made after 0 attempts; give the number of "
                        "attempts (at least 1)")
    if edit.referred_at < call_received - dt.timedelta(minutes=15):
        raise UserError(f"{where}: referred {edit.referred_at:%Y-%m-%d %H:%M}, before the "
                        f"call was received ({call_received:%Y-%m-%d %H:%M}); check the date")
    if edit.first_service_at is not None and edit.first_service_at < edit.referred_at:
        raise UserError(f"{where}: first service {edit.first_service_at:%Y-%m-%d %H:%M} is "
                        f"before the referral ({edit.referred_at:%Y-%m-%d %H:%M}); check "
                        "the date")
    if edit.first_service_at is not None and edit.result in (ReferralResult.DECLINED,
                                                             ReferralResult.NO_SHOW):
        raise UserError(f"{where}: a first service is recorded but the result is "
                        f"{edit.result.label.lower()}; clear one of them")


def _apply(referral: Referral, edit: ReferralEdit, provider_id: int,
           sealed_notes: str | None) -> None:
    referral.provider_id = provider_id
    referral.kind, referral.referred_at = edit.kind, edit.referred_at
    referral.contact_made, referral.contact_attempts = edit.contact_made, edit.contact_attempts
    referral.first_service_at, referral.result = edit.first_service_at, edit.result
    referral.outcome_notes = sealed_notes


def _provider_id(session: Session, program_id: int, provider: int | str) -> int:
    if isinstance(provider, int):
        found = session.get(Provider, provider)
        if found is None or found.program_id != program_id:
            raise UserError(f"provider {provider} does not exist in this program; nothing "
                            "was changed")
        return found.id
    return provider_named(session, program_id, provider)[0].id


# --- use cases ---------------------------------------------------------------------------------
def record_referral(access: Access, call_id: int, edit: ReferralEdit,
                    staff_id: int | None = None) -> int:
    """Record a referral of the call's person; returns its id.

    The responder who made it is the acting responder (a supervisor or director may name
    another staff member, else their own linked record, else the call's first
    co-responder). One referral per call and provider: a second one is refused.
    """
    with access.writing(Action.EDIT_IDENTITIES, "a referral") as session:
        program_id = current_program_id(session)
        call = session.get(Call, call_id)
        if call is None or call.program_id != program_id:
            raise UserError(f"call {call_id} does not exist in this program; nothing was "
                            "changed")
        check_edit(edit, call.received_at, call.incident_number)
        provider_id = _provider_id(session, program_id, edit.provider)
        taken = session.scalar(select(Referral.id).where(Referral.call_id == call.id,
                                                         Referral.provider_id == provider_id))
        if taken is not None:
            raise UserError(f"call {call.incident_number} already has a referral to this "
                            "provider; edit that one instead; nothing was changed")
        mine = own_staff(session, access.actor)
        if mine is not None:
            staff_id = mine
        elif staff_id is None:
            staff_id = linked_staff_id(session, access.actor) or next(
                (s.id for s in call.responders), None)
        referral = Referral(program_id=program_id, call_id=call.id, person_id=call.person_id,
                            staff_id=staff_id, kind=edit.kind, referred_at=edit.referred_at)
        _apply(referral, edit, provider_id, _seal(access, edit.outcome_notes, NOTES))
        session.add(referral)
        session.flush()
        return referral.id


def update_referral(access: Access, referral_id: int, read_version: int,
                    edit: ReferralEdit) -> ReferralRecord:
    """Save an edit made to the version read; EditConflict (with both versions) when
    someone saved in between. To save over theirs, call again with their version."""
    label = f"Referral {referral_id}"
    try:
        with access.writing(Action.EDIT_IDENTITIES, label) as session:
            referral = _referral(session, access.actor, referral_id)
            if referral.version != read_version:
                raise EditConflict(label)
            call = session.get(Call, referral.call_id)
            assert call is not None
            check_edit(edit, call.received_at, call.incident_number)
            provider_id = _provider_id(session, referral.program_id, edit.provider)
            clash = session.scalar(select(Referral.id).where(
                Referral.call_id == referral.call_id, Referral.provider_id == provider_id,
                Referral.id != referral.id))
            if clash is not None:
                raise UserError(f"call {call.incident_number} already has a referral to "
                                "this provider; nothing was changed")
            _apply(referral, edit, provider_id, _seal(access, edit.outcome_notes, NOTES))
            session.flush()
    except EditConflict:
        raise _conflict(access, label, referral_id, edit) from None
    return referral_record(access, referral_id)


def add_follow_up(access: Access, referral_id: int, contacted_at: dt.datetime, reached: bool,
                  note: str = "") -> None:
    """Record the unit's follow-up contact (or attempt) with the person referred."""
    with access.writing(Action.EDIT_IDENTITIES, f"referral {referral_id}") as session:
        referral = _referral(session, access.actor, referral_id)
        if contacted_at < referral.referred_at:
            raise UserError(f"a follow-up at {contacted_at:%Y-%m-%d %H:%M} is before the "
                            f"referral ({referral.referred_at:%Y-%m-%d %H:%M}); check the "
                            "date; nothing was changed")
        session.add(FollowUpContact(
            referral_id=referral.id, contacted_at=contacted_at, reached=reached,
            staff_id=linked_staff_id(session, access.actor) or referral.staff_id,
            note=_seal(access, note, FOLLOW_UP_NOTE)))


def referral_record(access: Access, referral_id: int) -> ReferralRecord:
    """One referral with its notes in clear and its follow-ups, for its form."""
    with access.reading(Action.VIEW_IDENTITIES) as session:
        referral = _referral(session, access.actor, referral_id)
        call = session.get(Call, referral.call_id)
        provider = session.get(Provider, referral.provider_id)
        assert call is not None and provider is not None
        names = dict(session.execute(select(StaffMember.id, StaffMember.display_name))
                     .tuples().all())
        contacts = session.scalars(select(FollowUpContact)
                                   .where(FollowUpContact.referral_id == referral.id)
                                   .order_by(FollowUpContact.contacted_at)).all()
        vault = access.vault
        return ReferralRecord(
            referral.id, referral.version, call.id, call.incident_number, call.received_at,
            provider.id, provider.name, names.get(referral.staff_id or 0, ""), referral.kind,
            referral.referred_at, referral.contact_made, referral.contact_attempts,
            referral.first_service_at, referral.result,
            vault.open(referral.outcome_notes, purpose=NOTES) if referral.outcome_notes else "",
            tuple(FollowUp(c.contacted_at, c.reached, names.get(c.staff_id or 0, ""),
                           vault.open(c.note, purpose=FOLLOW_UP_NOTE) if c.note else "")
                  for c in contacts))


def _seal(access: Access, text: str, purpose: str) -> str | None:
    text = text.strip()
    return access.vault.seal(text, purpose=purpose) if text else None


def _conflict(access: Access, label: str, referral_id: int, mine: ReferralEdit) -> EditConflict:
    from console.services.audit_service import last_change

    theirs = referral_record(access, referral_id)

    def when(value: dt.datetime | None) -> str:
        return f"{value:%Y-%m-%d %H:%M}" if value else ""

    def contact(value: bool | None) -> str:
        return "" if value is None else "Yes" if value else "No"

    fields = [("Kind", mine.kind.label, theirs.kind.label),
              ("Referred at", when(mine.referred_at), when(theirs.referred_at)),
              ("Contact made", contact(mine.contact_made), contact(theirs.contact_made)),
              ("Attempts", str(mine.contact_attempts), str(theirs.contact_attempts)),
              ("First service", when(mine.first_service_at), when(theirs.first_service_at)),
              ("Result", mine.result.label, theirs.result.label),
              ("Outcome notes", mine.outcome_notes.strip(), theirs.outcome_notes)]
    saved = last_change(access, "referral", str(referral_id))
    return EditConflict(label, fields, theirs.version,
                        saved_by=saved.actor if saved else "",
                        saved_at=saved.at[:16].replace("T", " ") + " UTC" if saved else "")
