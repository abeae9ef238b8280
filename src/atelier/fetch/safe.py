"""The one way Atelier fetches a URL a client gave it (reference images, downloads) and
delivers webhooks: http(s) only; every resolved address public (checked after DNS and again
on every redirect); the connection goes to the exact address that was checked (the request
URL carries the IP, the ``Host`` header and TLS SNI carry the name, and proxies from the
environment are ignored); bounded size and total time; for images, a full decode within
pixel limits."""

from __future__ import annotations

import asyncio
import base64
import binascii
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from atelier.fetch.addresses import Address, NonCanonicalHost, is_public, literal_address
from atelier.fetch.images import NotAnImage, check_image
from atelier.kit.errors import AtelierError

Resolver = Callable[[str, int], Awaitable[list[str]]]
_KEEP_METHOD = frozenset({307, 308})


class UnsafeUrl(AtelierError):
    status_code = 400
    code = "UNSAFE_URL"


class FetchFailed(AtelierError):
    status_code = 422
    code = "FETCH_FAILED"


class TooLarge(FetchFailed):
    """The body is over the size limit: fetching it again will not make it smaller."""


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


@dataclass(frozen=True)
class Target:
    """A URL that passed the checks, and the address the connection must go to."""

    scheme: str
    host: str
    address: str
    port: int


@dataclass
class SafeFetcher:
    max_bytes: int = 20 * 1024 * 1024
    #: Total time for one fetch, redirects and body included.
    timeout: float = 15.0
    max_redirects: int = 5
    max_pixels: int = 40_000_000
    #: Hosts or networks (CIDR) explicitly allowed although private (tests, private deployments).
    allow: list[str] = field(default_factory=list)
    resolver: Resolver = system_resolver
    transport: httpx.AsyncBaseTransport | None = None

    def _allowed(self, host: str, address: Address | None) -> bool:
        for entry in self.allow:
            if entry.lower() == host:
                return True
            if address is not None:
                try:
                    if address in ipaddress.ip_network(entry, strict=False):
                        return True
                except ValueError:
                    continue
        return False

    async def target(self, url: str) -> Target:
        """Where ``url`` may be fetched from, or UnsafeUrl naming the problem."""
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"}:
            raise UnsafeUrl(f"Only http and https URLs can be fetched (got '{parts.scheme or url[:20]}')")
        if parts.username or parts.password:
            raise UnsafeUrl("URLs with credentials are not fetched")
        host = (parts.hostname or "").rstrip(".").lower()
        if not host:
            raise UnsafeUrl("URL has no host")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise UnsafeUrl("URL has an invalid port") from None
        try:
            literal = literal_address(host)
        except NonCanonicalHost as exc:
            raise UnsafeUrl(str(exc)) from None
        addresses = [str(literal)] if literal is not None else await self._resolve(host, port)
        for raw in addresses:
            address = ipaddress.ip_address(raw.split("%")[0])
            if not is_public(address) and not self._allowed(host, address):
                # a name's addresses are not repeated: refusals must not map internal names
                shown = f" ({address})" if literal is not None else ""
                raise UnsafeUrl(f"'{host}' resolves to a non-public address{shown}; it is not fetched")
        return Target(parts.scheme, host, str(ipaddress.ip_address(addresses[0].split("%")[0])), port)

    async def check(self, url: str) -> tuple[str, str, int]:
        """(scheme, pinned address, port) for a URL that may be fetched, or UnsafeUrl."""
        target = await self.target(url)
        return target.scheme, target.address, target.port

    async def _resolve(self, host: str, port: int) -> list[str]:
        try:
            addresses = await self.resolver(host, port)
        except OSError as exc:
            raise FetchFailed(f"Cannot resolve '{host}'") from exc
        if not addresses:
            raise FetchFailed(f"Cannot resolve '{host}'")
        return addresses

    async def fetch(
        self, url: str, *, method: str = "GET", content: bytes | None = None, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        """One request (redirects followed and each re-checked), body read within limits."""
        try:
            async with asyncio.timeout(self.timeout):
                return await self._fetch(url, method, content, headers or {})
        except TimeoutError:
            raise FetchFailed(f"Fetching {urlsplit(url).hostname} took longer than {self.timeout:g}s") from None

    async def _fetch(self, url: str, method: str, content: bytes | None, headers: dict[str, str]) -> httpx.Response:
        current = url
        async with httpx.AsyncClient(
            transport=self.transport, timeout=self.timeout, follow_redirects=False, trust_env=False
        ) as client:
            for _ in range(self.max_redirects + 1):
                target = await self.target(current)
                response = await self._send(client, current, target, method, content, headers)
                if response.is_redirect and "location" in response.headers:
                    await response.aclose()
                    current = urljoin(current, response.headers["location"])
                    if response.status_code not in _KEEP_METHOD:
                        method, content = "GET", None
                    continue
                body = await self._read(response, target.host)
                return httpx.Response(
                    response.status_code, headers=response.headers, content=body, request=response.request
                )
        raise FetchFailed(f"Too many redirects fetching {url}")

    async def _send(
        self,
        client: httpx.AsyncClient,
        url: str,
        target: Target,
        method: str,
        content: bytes | None,
        headers: dict[str, str],
    ) -> httpx.Response:
        parts = urlsplit(url)
        ip_host = f"[{target.address}]" if ":" in target.address else target.address
        pinned = parts._replace(netloc=f"{ip_host}:{target.port}").geturl()
        name = f"[{target.host}]" if ":" in target.host else target.host
        host_header = name if parts.port is None else f"{name}:{parts.port}"
        request = client.build_request(
            method,
            pinned,
            content=content,
            headers={**headers, "Host": host_header},
            extensions={"sni_hostname": target.host} if target.scheme == "https" else {},
        )
        if request.url.host != target.address:  # the URL parser must agree on where we connect
            raise UnsafeUrl(f"URL for '{target.host}' does not parse consistently; it is not fetched")
        try:
            return await client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            raise FetchFailed(f"Timed out fetching {target.host}") from exc
        except httpx.HTTPError as exc:
            raise FetchFailed(f"Could not connect to {target.host}: {type(exc).__name__}") from exc

    async def _read(self, response: httpx.Response, host: str) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await response.aclose()
            raise TooLarge(f"Response from {host} is {declared} bytes, more than {self.max_bytes}")
        body = bytearray()
        try:
            async for chunk in response.aiter_bytes():
                body.extend(chunk)
                if len(body) > self.max_bytes:
                    raise TooLarge(f"Response from {host} exceeds {self.max_bytes} bytes")
        except httpx.HTTPError as exc:
            raise FetchFailed(f"Connection to {host} failed while reading: {type(exc).__name__}") from exc
        finally:
            await response.aclose()
        return bytes(body)

    def decode_image(self, data: bytes, source: str) -> bytes:
        """``data`` if it fully decodes as an image within the pixel limit, else NotAnImage."""
        check_image(data, source, max_pixels=self.max_pixels)
        return data

    async def fetch_image(self, url: str) -> bytes:
        """A reference image by URL (http, https or a base64 ``data:`` URL), checked."""
        if url.startswith("data:"):
            header, _, payload = url.partition(",")
            try:
                data = base64.b64decode(payload, validate=True) if ";base64" in header else payload.encode()
            except (binascii.Error, ValueError) as exc:
                raise NotAnImage("data: URL is not valid base64") from exc
            if len(data) > self.max_bytes:
                raise FetchFailed(f"data: URL exceeds {self.max_bytes} bytes")
            await asyncio.to_thread(self.decode_image, data, "data: URL")
            return data
        response = await self.fetch(url)
        if response.status_code >= 400:
            raise FetchFailed(f"Fetching {urlsplit(url).hostname} returned HTTP {response.status_code}")
        await asyncio.to_thread(self.decode_image, response.content, url)
        return response.content


__all__ = [
    "FetchFailed",
    "NotAnImage",
    "Resolver",
    "SafeFetcher",
    "Target",
    "UnsafeUrl",
    "is_public",
    "system_resolver",
]
