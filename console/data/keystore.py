"""Where a database's data key is kept: the OS keyring, or for demo databases a file beside it.

A real database's key lives only in the OS keyring of each workstation that opens it (Secret
Service on Linux, Keychain on macOS, Credential Manager on Windows). When no keyring is
usable the console refuses with one line of guidance instead of falling back to a file: a
key kept beside the data protects nothing. To use a database on a second workstation, agency
IT moves the key in a passphrase-protected key file (`export_key` / `import_key`). See
docs/encryption-keys.md. Both stores also keep the audit trail's anchor beside the key
(console/data/audit_anchor.py).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import unicodedata
from pathlib import Path
from typing import Any, Protocol

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from console import APP_ID
from console.errors import UserError
from console.private_files import replace_private_bytes

log = logging.getLogger(__name__)

KEYRING_SERVICE = APP_ID
GUIDE = "docs/encryption-keys.md"
DEMO_KEY_SUFFIX = ".demo-key"
ANCHOR_SUFFIX = ".audit-anchor"
DEMO_KEY_HEADER = "# DEMO ONLY - fictional data; a real database never keeps its key beside it"

KEY_FILE_FORMAT = "coresponse-console-key"
KEY_FILE_VERSION = 1
SCRYPT_N = 2**17  # about 0.3-0.6 s and 128 MiB: cheap once per move, costly per guess
SCRYPT_R = 8
SCRYPT_P = 1
MIN_PASSPHRASE_CHARS = 12
# A key file from elsewhere must not make us allocate what it asks (128 * n * r * p bytes):
# only the costs this console writes are read, at most 128 MiB.
_SCRYPT_N_RANGE = (2**10, SCRYPT_N)

try:  # the Secret Service backend's own errors escape keyring's wrapping in places
    from secretstorage.exceptions import LockedException, PromptDismissedException
    from secretstorage.exceptions import SecretStorageException as _SecretStorageError

    _BACKEND_ERRORS: tuple[type[Exception], ...] = (
        keyring.errors.KeyringError,
        _SecretStorageError,
    )
    _LOCKED_ERRORS: tuple[type[Exception], ...] = (
        keyring.errors.KeyringLocked,
        LockedException,
        PromptDismissedException,
    )
except ImportError:  # pragma: no cover - not on Linux
    _BACKEND_ERRORS = (keyring.errors.KeyringError,)
    _LOCKED_ERRORS = (keyring.errors.KeyringLocked,)

try:
    from jeepney.wrappers import DBusErrorResponse

    _BACKEND_ERRORS += (DBusErrorResponse,)
except ImportError:  # pragma: no cover - not on Linux
    pass
# SecretStorage lets FileNotFoundError escape when the session bus socket is gone.
_BACKEND_ERRORS += (OSError,)


class KeyUnavailable(UserError):
    """The place that holds the data key cannot be used; the message says what to do."""


class KeyStore(Protocol):
    """Somewhere a database's data key is kept, by the database's UUID."""

    @property
    def label(self) -> str:
        """Where the key lives, for people."""
        ...

    def load(self, database_uuid: str) -> bytes | None:
        """The key, or None if this store has none for the database."""
        ...

    def save(self, database_uuid: str, key: bytes) -> None:
        """Keep the key, replacing any key kept for the same database."""
        ...

    def forget(self, database_uuid: str) -> None:
        """Remove the key of a database that was never created (its first commit failed)."""
        ...


_BACKEND_NAMES = {
    "SecretService": "SecretService",
    "kwallet": "KWallet",
    "macOS": "macOS Keychain",
    "Windows": "Windows Credential Manager",
}


def _backend_name(backend: keyring.backend.KeyringBackend) -> str:
    module = type(backend).__module__.rsplit(".", 1)[-1]
    return _BACKEND_NAMES.get(module) or type(backend).__name__


def _entry_name(database_uuid: str, kind: str = "data-key") -> str:
    """The keyring entry of one database's data key (or, kind "audit-anchor", its anchor)."""
    if not database_uuid:
        raise ValueError("a database UUID is required")
    return f"{kind}:{database_uuid}"


# The audit trail's newest entry as this workstation last saw it committed (seq, hash),
# kept beside the data key: the database alone cannot prove its newest entries were not
# removed (console/data/audit_anchor.py).
Anchor = tuple[int, str]
_ANCHOR_KIND = "audit-anchor"


def _anchor_text(database_uuid: str, anchor: Anchor) -> str:
    seq, digest = anchor
    return json.dumps({"database_uuid": database_uuid, "seq": seq, "hash": digest})


def _anchor_from(text: str | None, database_uuid: str, where: str) -> Anchor | None:
    """The anchor kept for this database, or None (none yet, or kept for another one)."""
    if text is None:
        return None
    try:
        value = json.loads(text)
        seq, digest = value["seq"], value["hash"]
        if type(seq) is not int or not isinstance(digest, str):
            raise ValueError
    except (ValueError, TypeError, KeyError):
        log.warning("the audit anchor kept in %s is damaged; it is written again at the "
                    "next change", where)
        return None
    return (seq, digest) if value.get("database_uuid") == database_uuid else None


class OsKeyring:
    """The data key in the OS keyring, through the `keyring` package.

    With no backend given, uses whatever keyring.get_keyring() returns at each call.
    """

    def __init__(self, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self._backend = backend

    def _current(self) -> keyring.backend.KeyringBackend:
        return self._backend if self._backend is not None else keyring.get_keyring()

    @property
    def label(self) -> str:
        return f"OS keyring ({_backend_name(self._current())})"

    def _usable(self, action: str) -> keyring.backend.KeyringBackend:
        backend = self._current()
        # The fail backend raises on every call; the null backend silently forgets what it is
        # given, which would lose the key. Neither can hold it.
        if isinstance(backend, keyring.backends.fail.Keyring | keyring.backends.null.Keyring):
            log.info("cannot %s the data key: keyring backend is %s", action,
                     _backend_name(backend))
            raise KeyUnavailable(_no_keyring_message())
        return backend

    def load(self, database_uuid: str) -> bytes | None:
        backend = self._usable("read")
        try:
            value = backend.get_password(KEYRING_SERVICE, _entry_name(database_uuid))
        except _BACKEND_ERRORS as exc:
            raise _unavailable("read", database_uuid, exc) from None
        if value is None:
            return None
        try:
            return base64.b64decode(value.encode("ascii"), validate=True)
        except (binascii.Error, ValueError, UnicodeEncodeError):
            raise KeyUnavailable(
                f"the encryption key kept in the {self.label} for database {database_uuid} is "
                f"damaged: import it again from its key file, see {GUIDE}"
            ) from None

    def save(self, database_uuid: str, key: bytes) -> None:
        backend = self._usable("store")
        entry = _entry_name(database_uuid)
        value = base64.b64encode(key).decode("ascii")
        try:
            backend.set_password(KEYRING_SERVICE, entry, value)
            kept = backend.get_password(KEYRING_SERVICE, entry)
        except _BACKEND_ERRORS as exc:
            raise _unavailable("store", database_uuid, exc) from None
        if kept != value:
            log.info("keyring %r did not keep the data key for %s", backend, database_uuid)
            raise KeyUnavailable(
                f"the {self.label} did not keep the encryption key: use a keyring that stores "
                f"secrets (GNOME Keyring, KWallet, Keychain, Credential Manager), see {GUIDE}"
            )

    def forget(self, database_uuid: str) -> None:
        backend = self._usable("store")
        try:
            backend.delete_password(KEYRING_SERVICE, _entry_name(database_uuid))
        except keyring.errors.PasswordDeleteError:
            pass  # nothing kept: nothing to forget
        except _BACKEND_ERRORS as exc:
            raise _unavailable("store", database_uuid, exc) from None

    def load_anchor(self, database_uuid: str) -> Anchor | None:
        backend = self._usable("read")
        try:
            text = backend.get_password(KEYRING_SERVICE, _entry_name(database_uuid, _ANCHOR_KIND))
        except _BACKEND_ERRORS as exc:
            raise _unavailable("read", database_uuid, exc) from None
        return _anchor_from(text, database_uuid, self.label)

    def save_anchor(self, database_uuid: str, anchor: Anchor) -> None:
        backend = self._usable("store")
        try:
            backend.set_password(KEYRING_SERVICE, _entry_name(database_uuid, _ANCHOR_KIND),
                                 _anchor_text(database_uuid, anchor))
        except _BACKEND_ERRORS as exc:
            raise _unavailable("store", database_uuid, exc) from None


def _no_keyring_message() -> str:
    return (
        "no OS keyring is available to hold the encryption key: on Linux install and unlock "
        f"GNOME Keyring or KWallet (Secret Service), see {GUIDE}"
    )


_DONE = {"read": "read", "store": "stored"}


def _unavailable(action: str, database_uuid: str, exc: Exception) -> KeyUnavailable:
    """One line for the user; the underlying error goes to the log, without a traceback."""
    log.info(
        "keyring failed to %s the data key for database %s: %s: %s",
        action, database_uuid, type(exc).__name__, exc,
    )
    text = f"{type(exc).__name__} {exc}".lower()
    if isinstance(exc, keyring.errors.NoKeyringError):
        return KeyUnavailable(_no_keyring_message())
    if isinstance(exc, _LOCKED_ERRORS) or "locked" in text:
        return KeyUnavailable(
            f"the OS keyring is locked, so the encryption key cannot be {_DONE[action]}: unlock it "
            f"(log in again, or open Passwords and Keys / KWallet Manager) and retry, see {GUIDE}"
        )
    if "denied" in text or "not allowed" in text or "not authorized" in text:
        return KeyUnavailable(
            f"the OS keyring refused access to the encryption key: allow {APP_ID} when the "
            f"keyring asks, or ask IT to grant it, then retry, see {GUIDE}"
        )
    return KeyUnavailable(
        f"the OS keyring failed to {action} the encryption key ({type(exc).__name__}): check "
        f"that the keyring service is running and unlocked, details in the log, see {GUIDE}"
    )


def demo_key_path(db_path: Path) -> Path:
    """The demo key file beside a demo database: the database path plus '.demo-key'."""
    return Path(str(db_path) + DEMO_KEY_SUFFIX)


def _read_ascii(path: Path, what: str) -> str | None:
    """A small ASCII file of the demo's, or None when there is none yet."""
    try:
        return path.read_text(encoding="ascii")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyUnavailable(f"cannot read {what} {path}: {exc}") from None


class DemoKeyFile:
    """For demo databases only: the key in a file beside the database.

    A demo database holds fictional people, so anyone may open it; the key file only keeps
    the demo working like a real database. The file holds one key, whatever the UUID.
    """

    def __init__(self, db_path: Path) -> None:
        self.path = demo_key_path(db_path)

    @property
    def label(self) -> str:
        return f"demo key file {self.path} (demo only)"

    def load(self, database_uuid: str) -> bytes | None:
        text = _read_ascii(self.path, "the demo key file")
        if text is None:
            return None
        lines = [line.strip() for line in text.splitlines()]
        body = [line for line in lines if line and not line.startswith("#")]
        try:
            if len(body) != 1:
                raise ValueError
            return base64.b64decode(body[0], validate=True)
        except (binascii.Error, ValueError):
            raise KeyUnavailable(
                f"the demo key file {self.path} is damaged: delete the demo database and its "
                "key file and create the demo again"
            ) from None

    def save(self, database_uuid: str, key: bytes) -> None:
        content = f"{DEMO_KEY_HEADER}\n{base64.b64encode(key).decode('ascii')}\n"
        try:
            replace_private_bytes(self.path, content.encode("ascii"))
        except OSError as exc:
            raise KeyUnavailable(f"cannot write the demo key file {self.path}: {exc}") from None

    def forget(self, database_uuid: str) -> None:
        try:
            self.path.unlink(missing_ok=True)
        except OSError as exc:
            raise KeyUnavailable(f"cannot remove the demo key file {self.path}: {exc}") from None

    @property
    def anchor_path(self) -> Path:
        return Path(str(self.path) + ANCHOR_SUFFIX)

    def load_anchor(self, database_uuid: str) -> Anchor | None:
        text = _read_ascii(self.anchor_path, "the demo audit anchor")
        return _anchor_from(text, database_uuid, str(self.anchor_path))

    def save_anchor(self, database_uuid: str, anchor: Anchor) -> None:
        target = self.anchor_path
        try:
            replace_private_bytes(target, (_anchor_text(database_uuid, anchor) + "\n")
                                  .encode("ascii"))
        except OSError as exc:
            raise KeyUnavailable(f"cannot write the demo audit anchor {target}: {exc}") from None


def _passphrase_bytes(passphrase: str) -> bytes:
    # The same passphrase typed on another system may arrive in another Unicode form.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def _scrypt(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(_passphrase_bytes(passphrase))


def export_key(database_uuid: str, key: bytes, passphrase: str, *, n: int = SCRYPT_N) -> bytes:
    """A passphrase-protected key file (UTF-8 JSON) for moving the key to another workstation.

    The key is sealed with AES-256-GCM under a key derived from the passphrase with scrypt;
    the database UUID is the associated data, so the file cannot be relabelled.
    """
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise UserError(
            f"passphrase too short: use at least {MIN_PASSPHRASE_CHARS} characters"
        )
    if not _SCRYPT_N_RANGE[0] <= n <= _SCRYPT_N_RANGE[1] or n & (n - 1):
        raise ValueError(f"scrypt n must be a power of two in {_SCRYPT_N_RANGE}")
    _entry_name(database_uuid)
    salt, nonce = os.urandom(16), os.urandom(12)
    wrapping_key = _scrypt(passphrase, salt, n, SCRYPT_R, SCRYPT_P)
    ciphertext = AESGCM(wrapping_key).encrypt(nonce, key, database_uuid.encode("utf-8"))
    document = {
        "format": KEY_FILE_FORMAT,
        "version": KEY_FILE_VERSION,
        "database_uuid": database_uuid,
        "kdf": "scrypt",
        "n": n,
        "r": SCRYPT_R,
        "p": SCRYPT_P,
        "salt": base64.b64encode(salt).decode("ascii"),
        "nonce": base64.b64encode(nonce).decode("ascii"),
        "ciphertext": base64.b64encode(ciphertext).decode("ascii"),
    }
    return (json.dumps(document, indent=2) + "\n").encode("utf-8")


def import_key(blob: bytes, passphrase: str) -> tuple[str, bytes]:
    """The (database UUID, key) in a key file made by `export_key`, or a one-line UserError."""
    not_key_file = UserError(
        f"this is not a Co-Response Console key file: choose the file made when the key was "
        f"exported, see {GUIDE}"
    )
    try:
        document = json.loads(blob.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise not_key_file from None
    if not isinstance(document, dict) or document.get("format") != KEY_FILE_FORMAT:
        raise not_key_file
    version = document.get("version")
    if version != KEY_FILE_VERSION or type(version) is not int:
        raise UserError(
            f"unsupported key file version {version!r}: update Co-Response Console on this "
            "workstation to one that reads it"
        )
    try:
        database_uuid, n, r, p, salt, nonce, ciphertext = _key_file_fields(document)
    except (KeyError, TypeError, ValueError) as exc:
        reason = f"no {exc} field" if isinstance(exc, KeyError) else str(exc)
        raise UserError(f"the key file is damaged ({reason}): export the key again") from None
    _check_scrypt_cost(n, r, p)
    try:
        wrapping_key = _scrypt(passphrase, salt, n, r, p)
        key = AESGCM(wrapping_key).decrypt(nonce, ciphertext, database_uuid.encode("utf-8"))
    except InvalidTag:
        raise UserError(
            "wrong passphrase, or the key file is damaged: check the passphrase and retry"
        ) from None
    return database_uuid, key


def _key_file_fields(document: dict[str, Any]) -> tuple[str, int, int, int, bytes, bytes, bytes]:
    database_uuid = document["database_uuid"]
    if not isinstance(database_uuid, str) or not database_uuid:
        raise ValueError("no database UUID")
    if document["kdf"] != "scrypt":
        raise ValueError(f"unknown kdf {document['kdf']!r}")
    n, r, p = document["n"], document["r"], document["p"]
    if not all(type(v) is int for v in (n, r, p)):
        raise ValueError("scrypt parameters are not whole numbers")
    if n < 2 or n & (n - 1) or r < 1 or p < 1:
        raise ValueError("scrypt parameters out of range")
    fields = []
    for name in ("salt", "nonce", "ciphertext"):
        value = document[name]
        if not isinstance(value, str):
            raise ValueError(f"{name} is not text")
        fields.append(base64.b64decode(value.encode("ascii"), validate=True))
    salt, nonce, ciphertext = fields
    if len(nonce) != 12:
        raise ValueError("bad nonce length")
    return database_uuid, n, r, p, salt, nonce, ciphertext


def _check_scrypt_cost(n: int, r: int, p: int) -> None:
    """Refuse, before deriving anything, a cost this console never writes."""
    low, high = _SCRYPT_N_RANGE
    if low <= n <= high and r == SCRYPT_R and p == SCRYPT_P:
        return
    mib = 128 * n * r * p // 2**20
    raise UserError(
        f"the key file asks for scrypt n={n}, r={r}, p={p} (about {mib:,} MiB of memory), "
        f"not what this console writes (n {low}-{high}, r={SCRYPT_R}, p={SCRYPT_P}): "
        "nothing was derived; export the key again with Co-Response Console"
    )
