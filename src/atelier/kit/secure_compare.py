"""Constant-time comparison of secrets that came from the network.

``hmac.compare_digest`` raises ``TypeError`` for a ``str`` holding non-ASCII characters, so a
signature such as ``sig=%C3%A9`` would be an unauthenticated 500. Comparing UTF-8 bytes is
defined for any input and keeps the comparison constant-time."""

from __future__ import annotations

import hmac


def constant_time_equals(a: str | bytes, b: str | bytes) -> bool:
    left = a.encode() if isinstance(a, str) else a
    right = b.encode() if isinstance(b, str) else b
    return hmac.compare_digest(left, right)
