"""Which addresses a URL may reach: only public unicast ones. Also how a host is spelled:
IPv4 written in decimal, octal, hex or with missing parts (``2130706433``, ``0177.0.0.1``,
``0x7f.1``, ``127.1``) is refused outright, because resolvers and parsers disagree on it."""

from __future__ import annotations

import ipaddress
import re

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]*))*$", re.IGNORECASE)
_CANONICAL_V4 = re.compile(r"^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$")
#: Ranges Python's ``is_global`` lets through but that are not reachable public hosts.
_BLOCKED = [
    ipaddress.ip_network(n)
    for n in (
        "100.64.0.0/10",  # carrier-grade NAT
        "192.0.0.0/24",  # IETF protocol assignments
        "198.18.0.0/15",  # benchmarking
        "::/96",  # IPv4-compatible IPv6 (deprecated), e.g. ::127.0.0.1
        "64:ff9b:1::/48",  # local-use NAT64
    )
]
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class NonCanonicalHost(ValueError):
    pass


def literal_address(host: str) -> Address | None:
    """The IP a host names literally, None for a DNS name; NonCanonicalHost for odd spellings."""
    bare = host.strip("[]").rstrip(".").lower()
    if ":" in bare:
        try:
            return ipaddress.IPv6Address(bare.split("%")[0])
        except ValueError:
            raise NonCanonicalHost(f"'{host}' is not a valid IPv6 address") from None
    if _NUMERIC_HOST.match(bare):
        if not _CANONICAL_V4.match(bare):
            raise NonCanonicalHost(f"Host '{host}' is a non-canonical IP spelling (decimal, octal or hex)")
        return ipaddress.IPv4Address(bare)
    return None


def is_public(address: Address) -> bool:
    """Public unicast only; IPv6 forms that embed an IPv4 address are judged by that address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address.teredo is not None:
            embedded = address.teredo[1]
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public(embedded)
    if any(address in net for net in _BLOCKED if net.version == address.version):
        return False
    return address.is_global and not (address.is_multicast or address.is_reserved or address.is_unspecified)
