"""Seals protected text with the database's data key; keyed hashes for matching without decrypting.

Why one data key with HKDF subkeys: each database has exactly one random 32-byte secret. It
is the only thing kept in the OS keyring and the only thing agency IT moves to a second
workstation (see console.data.keystore and docs/encryption-keys.md). Every use gets its own
subkey derived from it with HKDF-SHA256 and a distinct `info` label, so the uses never share
key material: sealing (AES-256-GCM), keyed hashes for matching (one subkey per purpose, so a
name hash cannot be compared with an address hash), the audit-chain MAC, and the key
fingerprint stored in the database. The data key itself is only ever HKDF input, never an
AES or HMAC key.

Sealed text is ``enc1:`` followed by unpadded urlsafe base64 of nonce (12 random bytes) and
ciphertext with its 16-byte tag. The purpose (for example ``person.name``) is the associated
data, so a ciphertext copied into another column does not open. Random 96-bit nonces are
safe for far more seals than a co-responder unit will ever write under one key (the usual
bound is 2**32 messages).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from console.errors import UserError

DATA_KEY_BYTES = 32
SEALED_PREFIX = "enc1:"
_NONCE_BYTES = 12
_TAG_BYTES = 16
_FINGERPRINT_MESSAGE = b"coresponse-console key fingerprint v1"


class SealError(UserError):
    """Protected text that does not open: wrong key, wrong column, damaged, or not sealed."""


def _subkey(data_key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(data_key)


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    return base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True)


def _check_purpose(purpose: str) -> bytes:
    if not purpose:
        raise ValueError("purpose must name the field, e.g. 'person.name'")
    return purpose.encode("utf-8")


class Vault:
    """Everything the console does with one database's data key.

    Safe to share between threads: it holds only derived keys and never changes them, apart
    from adding to the cache of per-purpose matching subkeys.
    """

    def __init__(self, data_key: bytes) -> None:
        if not isinstance(data_key, bytes) or len(data_key) != DATA_KEY_BYTES:
            raise ValueError(f"a data key is {DATA_KEY_BYTES} bytes")
        self._aead = AESGCM(_subkey(data_key, b"seal:aes-256-gcm"))
        self._data_key = data_key  # for export, and the per-purpose match subkeys
        self._match_keys: dict[str, bytes] = {}
        self._audit_key = _subkey(data_key, b"audit-chain")
        check_key = _subkey(data_key, b"key-check")
        self._fingerprint = hmac.new(check_key, _FINGERPRINT_MESSAGE, hashlib.sha256).hexdigest()[
            :32
        ]

    def __repr__(self) -> str:
        return f"Vault(fingerprint={self._fingerprint})"

    @staticmethod
    def new_key() -> bytes:
        """A fresh random data key for a new database."""
        return os.urandom(DATA_KEY_BYTES)

    def seal(self, plaintext: str, *, purpose: str) -> str:
        """Encrypt `plaintext` for the field named by `purpose`; the result is ASCII."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext.encode("utf-8"), _check_purpose(purpose))
        return SEALED_PREFIX + _b64encode(nonce + sealed)

    def open(self, sealed: str, *, purpose: str) -> str:
        """Decrypt text made by `seal` with the same key and purpose, or raise SealError."""
        aad = _check_purpose(purpose)
        where = f"cannot open protected {purpose}"
        if not isinstance(sealed, str) or not sealed.startswith(SEALED_PREFIX):
            raise SealError(f"{where}: it is not sealed text (no '{SEALED_PREFIX}' prefix)")
        try:
            raw = _b64decode(sealed[len(SEALED_PREFIX) :])
        except (binascii.Error, ValueError):
            raise SealError(f"{where}: the sealed text is damaged (not base64)") from None
        if len(raw) < _NONCE_BYTES + _TAG_BYTES:
            raise SealError(f"{where}: the sealed text is damaged (too short)")
        try:
            plain = self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], aad)
        except InvalidTag:
            raise SealError(
                f"{where}: wrong database key, text moved from another field, or damaged data"
            ) from None
        try:
            return plain.decode("utf-8")
        except UnicodeDecodeError:
            raise SealError(f"{where}: the opened text is not UTF-8") from None

    def keyed_hash(self, value: str, *, purpose: str) -> str:
        """HMAC-SHA256 (64 hex) of `value` under a subkey for `purpose`, for matching.

        Deterministic for the same key, purpose and value, and hashes the exact UTF-8 bytes:
        callers normalize (case, spaces, address form) before hashing if near-equal values
        should match.
        """
        key = self._match_keys.get(purpose)
        if key is None:
            key = _subkey(self._data_key, b"match:" + _check_purpose(purpose))
            self._match_keys[purpose] = key
        return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()

    def mac(self, data: bytes) -> str:
        """HMAC-SHA256 (64 hex) of `data` under the audit-chain subkey."""
        return hmac.new(self._audit_key, data, hashlib.sha256).hexdigest()

    @property
    def data_key(self) -> bytes:
        """The data key itself, for exporting it to a key file. Never log or display it."""
        return self._data_key

    @property
    def fingerprint(self) -> str:
        """32 hex characters that identify the key without revealing it."""
        return self._fingerprint
