"""Moving a database's data key to a second workstation, protected by a passphrase."""

from __future__ import annotations

from console.data import audit, keystore
from console.data.identity import Identity
from console.errors import UserError
from console.services.access import Access, Action


def export_key_file(access: Access, identity: Identity, passphrase: str) -> bytes:
    """The key of this database as a passphrase-protected file's bytes (recorded in the trail)."""
    with access.writing(Action.MANAGE_KEYS) as session:
        blob = keystore.export_key(identity.database_uuid, access.vault.data_key, passphrase)
        audit.record_event(session.connection(), access.vault, access.actor.username,
                           "key export", identity.database_uuid)
    return blob


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
