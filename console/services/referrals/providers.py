"""The provider network: the services the unit refers people to, their vetting and
agreements (DESIGN.md, "Referrals & providers").

A provider with referrals is never deleted: it is retired (hidden from new referrals,
kept on the scorecard), so the evidence of every handoff keeps its provider.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.data.models import Provider, Referral
from console.data.referral_enums import ProviderService, VettingStatus
from console.errors import UserError
from console.services.access import Access, Action, EditConflict
from console.services.program_scope import current_program_id, in_this_program

NAME_LIMIT = 200  # Provider.name
VETTED_BY_LIMIT = 80  # Provider.vetted_by
# An MOU whose renewal falls within this many days is shown as due: time to start the
# renewal while the provider still answers.
RENEWAL_WARNING_DAYS = 60


@dataclass(frozen=True)
class ProviderEdit:
    """What the provider form sends: a new provider, or the fields of one being edited."""

    name: str
    services: tuple[ProviderService, ...] = ()
    catchment: str = ""
    contacts: str = ""
    hours: str = ""
    after_hours: bool = False
    vetting: VettingStatus = VettingStatus.NOT_VETTED
    vetted_on: dt.date | None = None
    vetted_by: str = ""
    mou_signed_on: dt.date | None = None
    mou_renewal_due: dt.date | None = None
    notes: str = ""


@dataclass(frozen=True)
class ProviderRow:
    """A provider as the list and the edit form show it, with the version read."""

    id: int
    name: str
    services: tuple[ProviderService, ...]
    catchment: str
    contacts: str
    hours: str
    after_hours: bool
    vetting: VettingStatus
    vetted_on: dt.date | None
    vetted_by: str
    mou_signed_on: dt.date | None
    mou_renewal_due: dt.date | None
    notes: str
    retired_on: dt.date | None
    referrals: int
    version: int
    # Filled by `list_providers` / `provider_detail` against their `today`.
    renewal_due: bool = field(default=False)

    @property
    def active(self) -> bool:
        return self.retired_on is None

    @property
    def services_text(self) -> str:
        return ", ".join(s.label for s in self.services)

    def edit(self) -> ProviderEdit:
        """The row as a form starts from it."""
        return ProviderEdit(self.name, self.services, self.catchment, self.contacts,
                            self.hours, self.after_hours, self.vetting, self.vetted_on,
                            self.vetted_by, self.mou_signed_on, self.mou_renewal_due,
                            self.notes)


def parse_services(text: str) -> tuple[ProviderService, ...]:
    """Services from their values or labels separated by commas; a one-line refusal
    naming the unknown one and the known ones."""
    out: list[ProviderService] = []
    for part in text.split(","):
        word = part.strip().lower().replace("-", " ").replace("_", " ")
        if not word:
            continue
        match = next((s for s in ProviderService
                      if word in (s.value.replace("_", " "), s.label.lower())), None)
        if match is None:
            known = ", ".join(s.value for s in ProviderService)
            raise UserError(f"unknown provider service {part.strip()!r}; known: {known}")
        if match not in out:
            out.append(match)
    return tuple(out)


def list_providers(access: Access, *, include_retired: bool = True,
                   today: dt.date | None = None) -> list[ProviderRow]:
    """The program's providers by name (active first), each with its referral count."""
    day = today or dt.date.today()
    with access.reading(Action.VIEW_PROGRAM) as session:
        program_id = current_program_id(session)
        stmt = select(Provider).where(Provider.program_id == program_id)
        if not include_retired:
            stmt = stmt.where(Provider.retired_on.is_(None))
        providers = session.scalars(stmt).all()
        counts = _referral_counts(session, program_id)
        rows = [_row(p, counts.get(p.id, 0), day) for p in providers]
    return sorted(rows, key=lambda r: (not r.active, r.name.lower()))


def provider_detail(access: Access, provider_id: int,
                    today: dt.date | None = None) -> ProviderRow:
    """One provider as the edit form shows it, with the version it was read at."""
    with access.reading(Action.VIEW_PROGRAM) as session:
        provider = _get(session, provider_id)
        counts = _referral_counts(session, provider.program_id, provider_id)
        return _row(provider, counts.get(provider_id, 0), today or dt.date.today())


def add_provider(access: Access, edit: ProviderEdit) -> int:
    """Add a provider to the program's network; its id."""
    _check(edit)
    label = f"Provider {edit.name.strip()!r}"
    with access.writing(Action.EDIT_PROVIDERS, label) as session:
        program_id = current_program_id(session)
        _check_unique(session, program_id, edit.name)
        provider = Provider(program_id=program_id)
        _apply(provider, edit)
        session.add(provider)
        session.flush()
        return provider.id


def update_provider(access: Access, provider_id: int, read_version: int,
                    edit: ProviderEdit) -> ProviderRow:
    """Save an edit made to the version read; EditConflict if someone saved in between.

    The conflict carries both versions field by field and who saved theirs, so the user
    chooses (views/dialogs/conflict.py); to save over theirs, call again with the version
    the conflict reports.
    """
    _check(edit)
    label = f"Provider {edit.name.strip()!r}"
    try:
        with access.writing(Action.EDIT_PROVIDERS, label) as session:
            provider = in_this_program(session, Provider, provider_id)
            if provider is None:
                raise UserError(f"provider {edit.name.strip()!r} was deleted by someone else")
            if provider.version != read_version:
                raise EditConflict(label)
            _check_unique(session, provider.program_id, edit.name, provider_id)
            _apply(provider, edit)
            session.flush()  # the UPDATE checks the version in the database too
            counts = _referral_counts(session, provider.program_id, provider_id)
            return _row(provider, counts.get(provider_id, 0), dt.date.today())
    except EditConflict:
        raise _conflict(access, label, provider_id, edit) from None


def retire_provider(access: Access, provider_id: int, on: dt.date | None = None) -> None:
    """Retire a provider from `on` (default today): no new referrals, its history kept."""
    day = on or dt.date.today()
    with access.writing(Action.EDIT_PROVIDERS, "a provider") as session:
        provider = _get(session, provider_id)
        if provider.retired_on is not None:
            raise UserError(f"provider {provider.name!r} was already retired on "
                            f"{provider.retired_on:%Y-%m-%d}")
        provider.retired_on = day


def unretire_provider(access: Access, provider_id: int) -> None:
    """Bring a retired provider back into the network."""
    with access.writing(Action.EDIT_PROVIDERS, "a provider") as session:
        provider = _get(session, provider_id)
        if provider.retired_on is None:
            raise UserError(f"provider {provider.name!r} is not retired")
        provider.retired_on = None


def delete_provider(access: Access, provider_id: int) -> None:
    """Delete a provider entered by mistake; refused once it has referrals (retire it)."""
    with access.writing(Action.EDIT_PROVIDERS, "a provider") as session:
        provider = _get(session, provider_id)
        used = _referral_counts(session, provider.program_id, provider_id).get(provider_id, 0)
        if used:
            raise UserError(f"provider {provider.name!r} has {used} referral"
                            f"{'s' if used != 1 else ''} and cannot be deleted; retire it "
                            "instead (its history stays on the scorecard)")
        session.delete(provider)


def find_provider(access: Access, name: str) -> ProviderRow:
    """The provider of that name (case aside), for the command line."""
    wanted = name.strip().lower()
    for row in list_providers(access):
        if row.name.lower() == wanted:
            return row
    raise UserError(f"no provider called {name.strip()!r}; `providers list` shows them")


def _get(session: Session, provider_id: int) -> Provider:
    provider = in_this_program(session, Provider, provider_id)
    if provider is None:
        raise UserError(f"provider {provider_id} no longer exists (deleted?)")
    return provider


def _referral_counts(session: Session, program_id: int,
                     provider_id: int | None = None) -> dict[int, int]:
    stmt = (select(Referral.provider_id, func.count())
            .where(Referral.program_id == program_id)
            .group_by(Referral.provider_id))
    if provider_id is not None:
        stmt = stmt.where(Referral.provider_id == provider_id)
    return {pid: int(n) for pid, n in session.execute(stmt)}


def _row(p: Provider, referrals: int, today: dt.date) -> ProviderRow:
    services = tuple(ProviderService(s) for s in p.services.split(",") if s)
    due = (p.retired_on is None and p.mou_renewal_due is not None
           and p.mou_renewal_due <= today + dt.timedelta(days=RENEWAL_WARNING_DAYS))
    return ProviderRow(
        id=p.id, name=p.name, services=services, catchment=p.catchment, contacts=p.contacts,
        hours=p.hours, after_hours=p.after_hours, vetting=p.vetting, vetted_on=p.vetted_on,
        vetted_by=p.vetted_by or "", mou_signed_on=p.mou_signed_on,
        mou_renewal_due=p.mou_renewal_due, notes=p.notes, retired_on=p.retired_on,
        referrals=referrals, version=p.version, renewal_due=due)


def _apply(p: Provider, edit: ProviderEdit) -> None:
    p.name = edit.name.strip()
    p.services = ",".join(s.value for s in edit.services)
    p.catchment, p.contacts = edit.catchment.strip(), edit.contacts.strip()
    p.hours, p.after_hours = edit.hours.strip(), edit.after_hours
    p.vetting = edit.vetting
    vetted = edit.vetting is not VettingStatus.NOT_VETTED
    p.vetted_on = edit.vetted_on if vetted else None
    p.vetted_by = edit.vetted_by.strip() or None if vetted else None
    p.mou_signed_on, p.mou_renewal_due = edit.mou_signed_on, edit.mou_renewal_due
    p.notes = edit.notes.strip()


def _check(edit: ProviderEdit) -> None:
    """The one-line refusals of a provider form; nothing is saved when one applies."""
    name = edit.name.strip()
    if not name:
        raise UserError("a provider needs a name (the organization or service, as the unit "
                        "calls it)")
    if len(name) > NAME_LIMIT:
        raise UserError(f"the provider's name is {len(name)} characters long; keep it under "
                        f"{NAME_LIMIT} (put the rest in the notes)")
    if edit.vetting is not VettingStatus.NOT_VETTED:
        if edit.vetted_on is None or not edit.vetted_by.strip():
            raise UserError(f"provider {name!r} is marked {edit.vetting.label.lower()}: say "
                            "when it was vetted and who vetted it")
        if edit.vetted_on > dt.date.today():
            raise UserError(f"provider {name!r}: the vetting date {edit.vetted_on:%Y-%m-%d} "
                            "is in the future")
        if len(edit.vetted_by.strip()) > VETTED_BY_LIMIT:
            raise UserError(f"provider {name!r}: who vetted it is {len(edit.vetted_by.strip())}"
                            f" characters long; keep it under {VETTED_BY_LIMIT}")
    if edit.mou_renewal_due is not None and edit.mou_signed_on is not None \
            and edit.mou_renewal_due <= edit.mou_signed_on:
        raise UserError(f"provider {name!r}: the MOU renewal ({edit.mou_renewal_due:%Y-%m-%d})"
                        f" must fall after its signing ({edit.mou_signed_on:%Y-%m-%d})")


def _check_unique(session: Session, program_id: int, name: str,
                  provider_id: int | None = None) -> None:
    stmt = select(Provider.id).where(Provider.program_id == program_id,
                                     func.lower(Provider.name) == name.strip().lower())
    if provider_id is not None:
        stmt = stmt.where(Provider.id != provider_id)
    if session.scalar(stmt) is not None:
        raise UserError(f"the network already has a provider called {name.strip()!r}; "
                        "edit that one, or give this one a distinct name")


_EDIT_LABELS = {
    "name": "Name", "services": "Services", "catchment": "Catchment", "contacts": "Contacts",
    "hours": "Hours", "after_hours": "Offers after hours", "vetting": "Vetting",
    "vetted_on": "Vetted on", "vetted_by": "Vetted by", "mou_signed_on": "MOU signed",
    "mou_renewal_due": "MOU renewal due", "notes": "Notes",
}


def _conflict(access: Access, label: str, provider_id: int, mine: ProviderEdit) -> EditConflict:
    from console.services.audit_service import last_change

    row = provider_detail(access, provider_id)
    theirs = row.edit()
    fields = [(title, _text(getattr(mine, key)), _text(getattr(theirs, key)))
              for key, title in _EDIT_LABELS.items()]
    saved = last_change(access, "provider", str(provider_id))
    return EditConflict(label, fields, row.version,
                        saved_by=saved.actor if saved else "",
                        saved_at=saved.at[:16].replace("T", " ") + " UTC" if saved else "")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, tuple):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, enum.Enum):
        return str(getattr(value, "label", value.value))
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    return str(value).strip()
