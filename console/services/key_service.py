"""Moving a database's data key to a second workstation, protected by a passphrase."""

from __future__ import annotations

from pathlib import Path

from console.data import audit, keystore
from console.data.identity import Identity
from console.errors import UserError
from console.private_files import write_private_bytes
from console.services.access import Access, Action


def check_new_file(target: Path) -> None:
    """A key file is never written over another file (callers may ask before a passphrase)."""
    if target.exists():
        raise UserError(f"{target} already exists: choose a new file name")


def export_key_file(access: Access, identity: Identity, passphrase: str,
                    target: Path) -> None:
    """Write this database's key to a new passphrase-protected file, its owner's alone (0600).

    The export is recorded in the trail in the same transaction, so it is recorded only
    if the file was written.
    """
    with access.writing(Action.MANAGE_KEYS) as session:
        check_new_file(target)
        blob = keystore.export_key(identity.database_uuid, access.vault.data_key, passphrase)
        try:
            write_private_bytes(target, blob, exclusive=True)
        except FileExistsError:
            raise UserError(f"{target} already exists: choose a new file name") from None
        except OSError as exc:
            raise UserError(f"cannot write {target}: {exc.strerror}") from None
        audit.record_event(session.connection(), access.vault, access.actor.username,
                           "key export", identity.database_uuid)


def import_key_file(blob: bytes, passphrase: str) -> str:
    """Store an exported key in this workstation's OS keyring; returns its database's UUID.

    No database is needed: the key is what opens it. A key already kept for that database
    must be the same key (a different one would lock its data away).
    """
    database_uuid, key = keystore.import_key(blob, passphrase)
    store = keystore.OsKeyring()
    existing = store.load(database_uuid)
    if existing is not None and existing != key:
        raise UserError(f"this workstation already keeps a different key for database "
                        f"{database_uuid}; nothing was changed")
    store.save(database_uuid, key)
    return database_uuid
