"""Addresses reduced to their block, and the keyed hash that matches repeat locations.

A call's address is never stored: only a keyed hash of its block ("1234 Main Street,
Apt 5" and "1250 MAIN ST" are both "1200 BLOCK MAIN ST"), so repeat locations can be
counted without keeping where anyone lives.
"""

from __future__ import annotations

import re

from console.data.crypto import Vault

LOCATION = "location"

_SUFFIXES = {
    "STREET": "ST", "STR": "ST", "AVENUE": "AVE", "AV": "AVE", "AVN": "AVE",
    "BOULEVARD": "BLVD", "BOUL": "BLVD", "ROAD": "RD", "DRIVE": "DR", "DRV": "DR",
    "LANE": "LN", "COURT": "CT", "PLACE": "PL", "PARKWAY": "PKWY", "PKY": "PKWY",
    "HIGHWAY": "HWY", "TERRACE": "TER", "CIRCLE": "CIR", "SQUARE": "SQ", "TRAIL": "TRL",
    "NORTH": "N", "SOUTH": "S", "EAST": "E", "WEST": "W",
    "NORTHEAST": "NE", "NORTHWEST": "NW", "SOUTHEAST": "SE", "SOUTHWEST": "SW",
}
# A unit within the building: dropped, the block is what matters.
_UNIT = re.compile(r"\s(?:APT|APARTMENT|UNIT|STE|SUITE|RM|ROOM|FL|FLOOR|BLDG|SPC|LOT)\b.*$"
                   r"|\s#.*$")
# 1234, 1234A, 1234-1240, 1234 1/2, or an already blurred 12XX.
_NUMBER = re.compile(r"^(\d+)(XX)?(?:[A-Z]|-\d+[A-Z]?|\s1/2)?\s+(.+)$")
_BLOCK = re.compile(r"^(\d+)(XX)?\s+BLOCK\s+(?:OF\s+)?(.+)$")
_CROSS = re.compile(r"\s*(?:/|&|\bAND\b|\bAT\b|\b@\b)\s*")


def block_address(address: str) -> str | None:
    """The block an address lies on, in one normal form; None when there is no street.

    "1234 Main Street Apt 5" -> "1200 BLOCK MAIN ST"; "12XX BLOCK OF MAIN ST" -> the
    same; an intersection keeps both streets in a fixed order ("3RD AVE / MAIN ST").
    """
    text = re.sub(r"[^\w\s/&#@-]", " ", address.upper())
    text = " ".join(text.split())
    text = _UNIT.sub("", text).strip()
    if not text:
        return None
    if "/" in text or "&" in text or " AND " in text or " AT " in text or "@" in text:
        streets = sorted({_street(part) for part in _CROSS.split(text) if part.strip()})
        return " / ".join(streets) or None
    found = _BLOCK.match(text) or _NUMBER.match(text)
    if found:
        number = int(found[1]) * (100 if found[2] else 1)
        return f"{number // 100 * 100} BLOCK {_street(found[3])}"
    return _street(text)


def _street(text: str) -> str:
    words = text.replace("-", " ").split()
    return " ".join(_SUFFIXES.get(w, w) for w in words)


def location_key(vault: Vault, address: str) -> str | None:
    """The keyed hash of the address's block (None when it names no street)."""
    block = block_address(address)
    return vault.keyed_hash(block, purpose=LOCATION) if block else None
