"""HTTP plumbing shared by the hosted adapters: one httpx client per deployment (no retries of
its own: the router owns the one retry loop), and the mapping of transport failures and HTTP
statuses onto Atelier's error tree.

Secrets never leave this module in a message: auth failures name the provider only, and any
provider text that echoes the key is scrubbed."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from atelier.fetch.safe import FetchFailed, SafeFetcher, TooLarge, UnsafeUrl
from atelier.kit.errors import (
    EngineContentPolicyError,
    EngineError,
    PermanentEngineError,
    ProviderAuthError,
    RetriableEngineError,
)

PolicyCheck = Callable[[int, Any], bool]
RETRIABLE_STATUSES = frozenset({408, 409, 425, 429, 500, 502, 503, 504, 520, 522, 524, 529})
MAX_MESSAGE = 300


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait from ``Retry-After`` (seconds or an HTTP date) or ``retry-after-ms``."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def provider_message(body: Any) -> str:
    """The human part of a provider's error body, whatever its shape."""
    if isinstance(body, dict):
        error = body.get("error", body.get("detail", body.get("message")))
        if isinstance(error, dict):
            return str(error.get("message") or error.get("msg") or error.get("status") or "")
        if isinstance(error, list) and error:
            return "; ".join(provider_message({"error": item}) for item in error[:3])
        if error is not None:
            return str(error)
    if isinstance(body, str):
        return body
    return ""


@dataclass
class ProviderClient:
    """An httpx client for one provider deployment, with error mapping."""

    provider: str
    base_url: str
    headers: Mapping[str, str]
    timeout: float = 60.0
    secret: str | None = None
    transport: httpx.AsyncBaseTransport | None = None
    policy: PolicyCheck | None = None
    #: Providers that answer bad keys with something other than 401/403 (Gemini: 400).
    auth_failure: PolicyCheck | None = None
    max_download_bytes: int = 50 * 1024 * 1024
    #: Private hosts/networks output files may come from when they are not on the API's host
    #: (``fetch.allow_private``); elsewhere only public addresses are fetched.
    output_allow: Sequence[str] = ()

    def __post_init__(self) -> None:
        self._client: httpx.AsyncClient | None = None
        self._plain: httpx.AsyncClient | None = None

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                base_url=self.base_url.rstrip("/"),
                headers=dict(self.headers),
                timeout=httpx.Timeout(self.timeout, connect=min(10.0, self.timeout)),
                transport=self.transport,
                trust_env=False,
            )
        return self._client

    async def aclose(self) -> None:
        for client in (self._client, self._plain):
            if client is not None:
                await client.aclose()
        self._client = self._plain = None

    def scrub(self, text: str) -> str:
        if self.secret and len(self.secret) >= 4:
            text = text.replace(self.secret, "***")
        return text[:MAX_MESSAGE]

    async def send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request; transport failures become retriable errors, HTTP errors are mapped."""
        try:
            response = await self.client.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            raise RetriableEngineError(f"{self.provider}: request timed out after {self.timeout:g}s") from exc
        except httpx.TransportError as exc:
            raise RetriableEngineError(f"{self.provider}: connection failed ({type(exc).__name__})") from exc
        if response.status_code >= 400:
            raise self.error_for(response)
        return response

    async def json(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        response = await self.send(method, url, **kwargs)
        return self.parse(response)

    def parse(self, response: httpx.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            # A body cut off or replaced by a proxy is a transient fault more often than not.
            raise RetriableEngineError(f"{self.provider}: malformed response body (not JSON)") from exc
        if not isinstance(body, dict):
            raise RetriableEngineError(f"{self.provider}: malformed response body (not a JSON object)")
        return body

    def error_for(self, response: httpx.Response) -> EngineError:
        status = response.status_code
        try:
            body: Any = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = response.text
        message = self.scrub(provider_message(body) or response.reason_phrase)
        if self.policy is not None and self.policy(status, body):
            return EngineContentPolicyError(
                f"{self.provider} refused the request under its content policy: {message}",
                details={"provider": self.provider},
            )
        if status in (401, 403) or (self.auth_failure is not None and self.auth_failure(status, body)):
            return ProviderAuthError(
                f"{self.provider} rejected the configured credentials (HTTP {status}); check its API key",
                details={"provider": self.provider},
            )
        if status in RETRIABLE_STATUSES and not _quota_exhausted(body):
            return RetriableEngineError(
                f"{self.provider}: HTTP {status}: {message}",
                retry_after=parse_retry_after(response.headers),
                details={"provider": self.provider, "status": status},
            )
        return PermanentEngineError(
            f"{self.provider}: HTTP {status}: {message}", details={"provider": self.provider, "status": status}
        )

    async def download(self, url: str) -> bytes:
        """An output file the provider returned by URL, within a size limit, sent without our
        credentials. On the API's own host (the operator configured it) it is fetched
        directly; anywhere else (its CDN) through the safe fetcher, so an answer can never
        point Atelier at an internal address."""
        if not self._on_api_host(url):
            return await self._download_elsewhere(url)
        if self._plain is None:
            self._plain = httpx.AsyncClient(timeout=self.timeout, transport=self.transport, trust_env=False)
        try:
            async with self._plain.stream("GET", url) as response:
                if response.status_code >= 400:
                    await response.aread()
                    raise self.error_for(response)
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body.extend(chunk)
                    if len(body) > self.max_download_bytes:
                        raise PermanentEngineError(
                            f"{self.provider}: output file exceeds {self.max_download_bytes} bytes"
                        )
                return bytes(body)
        except httpx.TimeoutException as exc:
            raise RetriableEngineError(f"{self.provider}: timed out downloading an output image") from exc
        except httpx.TransportError as exc:
            raise RetriableEngineError(f"{self.provider}: could not download an output image") from exc

    def _on_api_host(self, url: str) -> bool:
        api, out = httpx.URL(self.base_url), httpx.URL(url)
        return (api.scheme, api.host, api.port) == (out.scheme, out.host, out.port)

    async def _download_elsewhere(self, url: str) -> bytes:
        fetcher = SafeFetcher(
            max_bytes=self.max_download_bytes,
            timeout=self.timeout,
            allow=list(self.output_allow),
            transport=self.transport,
        )
        try:
            response = await fetcher.fetch(url)
        except UnsafeUrl as exc:
            raise PermanentEngineError(f"{self.provider}: output file URL refused: {exc.message}") from exc
        except TooLarge as exc:  # permanent, as on the API host: a retry would pay for the same file
            raise PermanentEngineError(f"{self.provider}: output file too large: {exc.message}") from exc
        except FetchFailed as exc:
            raise RetriableEngineError(f"{self.provider}: could not download an output image: {exc.message}") from exc
        if response.status_code >= 400:
            raise self.error_for(response)
        return response.content


_QUOTA_CODES = frozenset({"insufficient_quota", "credit_balance_exhausted"})


def _quota_exhausted(body: Any) -> bool:
    """OpenAI answers 429 ``insufficient_quota`` or ``credit_balance_exhausted`` when billing is
    exhausted: waiting won't help, so it is not retried."""
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return bool(_QUOTA_CODES & {body["error"].get("code"), body["error"].get("type")})
    return False
