"""Sealing protected text and keyed hashes with one database's data key."""

from __future__ import annotations

import base64
import re

import pytest

from console.data.crypto import DATA_KEY_BYTES, SealError, Vault
from console.errors import UserError

HEX64 = re.compile(r"[0-9a-f]{64}")


@pytest.fixture
def vault() -> Vault:
    return Vault(Vault.new_key())


@pytest.mark.parametrize("text", ["Dana Whitfield", "", "Zoë Ångström – 東京 🚓", "x" * 5000])
def test_seal_opens_to_the_same_text(vault: Vault, text: str) -> None:
    sealed = vault.seal(text, purpose="person.name")
    assert sealed.startswith("enc1:") and sealed.isascii()
    assert vault.open(sealed, purpose="person.name") == text


def test_a_second_vault_with_the_same_key_opens_it() -> None:
    key = Vault.new_key()
    sealed = Vault(key).seal("12 Harbour Road", purpose="call.address")
    assert Vault(key).open(sealed, purpose="call.address") == "12 Harbour Road"


def test_the_vault_gives_its_key_for_export_but_not_in_its_repr() -> None:
    key = Vault.new_key()
    vault = Vault(key)
    assert vault.data_key == key
    assert key.hex() not in repr(vault) and repr(key) not in repr(vault)


def test_new_keys_are_random_and_the_right_length() -> None:
    keys = {Vault.new_key() for _ in range(10)}
    assert len(keys) == 10 and all(len(k) == DATA_KEY_BYTES for k in keys)


@pytest.mark.parametrize("bad", [b"", b"\x00" * 16, b"\x00" * 33, "k" * 32])
def test_a_key_of_the_wrong_size_or_type_is_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        Vault(bad)  # type: ignore[arg-type]


def test_two_seals_of_the_same_text_differ(vault: Vault) -> None:
    first = vault.seal("Dana Whitfield", purpose="person.name")
    second = vault.seal("Dana Whitfield", purpose="person.name")
    assert first != second


def test_the_sealed_text_does_not_contain_the_plaintext(vault: Vault) -> None:
    plaintext = "Dana Whitfield, 12 Harbour Road"
    sealed = vault.seal(plaintext, purpose="person.name")
    body = sealed.removeprefix("enc1:")
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    assert plaintext.encode() not in raw
    assert "Whitfield" not in sealed and b"Whitfield" not in raw
    assert len(raw) == 12 + len(plaintext.encode()) + 16  # nonce, ciphertext, tag


def test_wrong_purpose_does_not_open(vault: Vault) -> None:
    sealed = vault.seal("Dana Whitfield", purpose="person.name")
    with pytest.raises(SealError, match="call.address"):
        vault.open(sealed, purpose="call.address")


def test_wrong_key_does_not_open(vault: Vault) -> None:
    sealed = vault.seal("Dana Whitfield", purpose="person.name")
    with pytest.raises(SealError, match="wrong database key"):
        Vault(Vault.new_key()).open(sealed, purpose="person.name")


def _flip_byte(sealed: str, index: int) -> str:
    body = sealed.removeprefix("enc1:")
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw[index] ^= 0x01
    return "enc1:" + base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()


@pytest.mark.parametrize("index", [0, 12, -1], ids=["nonce", "ciphertext", "tag"])
def test_a_flipped_byte_does_not_open(vault: Vault, index: int) -> None:
    sealed = vault.seal("Dana Whitfield", purpose="person.name")
    tampered = _flip_byte(sealed, index)
    assert tampered != sealed
    with pytest.raises(SealError):
        vault.open(tampered, purpose="person.name")


@pytest.mark.parametrize("cut", [1, 20, 40])
def test_truncated_text_does_not_open(vault: Vault, cut: int) -> None:
    sealed = vault.seal("Dana Whitfield", purpose="person.name")
    with pytest.raises(SealError):
        vault.open(sealed[:-cut], purpose="person.name")


def test_the_prefix_alone_is_too_short(vault: Vault) -> None:
    with pytest.raises(SealError, match="too short"):
        vault.open("enc1:", purpose="person.name")


@pytest.mark.parametrize(
    "not_sealed", ["Dana Whitfield", "", "enc2:AAAA", "ENC1:AAAA", " enc1:AAAA"]
)
def test_text_that_was_never_sealed_is_refused(vault: Vault, not_sealed: str) -> None:
    with pytest.raises(SealError, match="not sealed text"):
        vault.open(not_sealed, purpose="person.name")


@pytest.mark.parametrize("garbage", ["enc1:!!!!", "enc1:Zoë", "enc1:A"])
def test_sealed_text_that_is_not_base64_is_refused(vault: Vault, garbage: str) -> None:
    with pytest.raises(SealError, match="damaged"):
        vault.open(garbage, purpose="person.name")


def test_seal_errors_are_one_line_user_errors(vault: Vault) -> None:
    with pytest.raises(UserError) as caught:
        Vault(Vault.new_key()).open(vault.seal("x", purpose="person.name"), purpose="person.name")
    assert isinstance(caught.value, SealError)
    assert "\n" not in str(caught.value) and str(caught.value).startswith("cannot open")


def test_an_empty_purpose_is_a_bug(vault: Vault) -> None:
    with pytest.raises(ValueError):
        vault.seal("x", purpose="")
    with pytest.raises(ValueError):
        vault.keyed_hash("x", purpose="")


def test_keyed_hash_is_deterministic_hex(vault: Vault) -> None:
    first = vault.keyed_hash("Dana Whitfield", purpose="person.name")
    assert HEX64.fullmatch(first)
    assert vault.keyed_hash("Dana Whitfield", purpose="person.name") == first
    assert vault.keyed_hash("Dana Whitfield ", purpose="person.name") != first


def test_keyed_hash_is_the_same_for_another_vault_with_the_same_key() -> None:
    key = Vault.new_key()
    assert Vault(key).keyed_hash("12 Harbour Road", purpose="call.address") == Vault(
        key
    ).keyed_hash("12 Harbour Road", purpose="call.address")


def test_keyed_hash_differs_by_purpose_and_by_key(vault: Vault) -> None:
    by_name = vault.keyed_hash("Dana Whitfield", purpose="person.name")
    by_address = vault.keyed_hash("Dana Whitfield", purpose="call.address")
    other_key = Vault(Vault.new_key()).keyed_hash("Dana Whitfield", purpose="person.name")
    assert len({by_name, by_address, other_key}) == 3


def test_fingerprint_is_stable_per_key_and_differs_across_keys() -> None:
    key = Vault.new_key()
    fingerprint = Vault(key).fingerprint
    assert re.fullmatch(r"[0-9a-f]{32}", fingerprint)
    assert Vault(key).fingerprint == fingerprint
    assert Vault(Vault.new_key()).fingerprint != fingerprint
    assert fingerprint not in key.hex()
    assert fingerprint in repr(Vault(key)) and key.hex() not in repr(Vault(key))


def test_mac_is_deterministic_and_differs_from_keyed_hash(vault: Vault) -> None:
    data = b"Dana Whitfield"
    mac = vault.mac(data)
    assert HEX64.fullmatch(mac)
    assert vault.mac(data) == mac
    assert vault.mac(data + b"!") != mac
    assert mac != vault.keyed_hash(data.decode(), purpose="person.name")
    assert Vault(Vault.new_key()).mac(data) != mac
