"""Ids that are safe to show: a short type prefix and 128 random bits (e.g. ``usr_5f2k…``)."""

from __future__ import annotations

import secrets

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(value: int, width: int) -> str:
    out = []
    while value:
        value, rem = divmod(value, 36)
        out.append(_ALPHABET[rem])
    return "".join(reversed(out)).rjust(width, "0")


def new_id(prefix: str) -> str:
    return f"{prefix}_{_base36(secrets.randbits(128), 25)}"


def storable(value: str) -> bool:
    """Whether ``value`` can be looked up at all: PostgreSQL's text holds no NUL, so an id
    from a URL with one names nothing (a 404), rather than reaching the database."""
    return "\x00" not in value
