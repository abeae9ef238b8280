"""Signed file URLs as either storage backend makes them: Atelier's own HMAC-signed
``/files/…?exp=…&sig=…`` (local storage) or an S3 SigV4 presigned URL."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import httpx
import pytest

from atelier.kit.context import base_url_var
from atelier.kit.errors import NotFound
from atelier.storage.base import Storage

#: The query parameter that carries the signature, per backend.
SIGNATURE_PARAMS = ("sig", "X-Amz-Signature")


def tamper(url: str) -> str:
    """``url`` with one character of its signature changed (same length, still hex), so only
    the signature check can refuse it."""
    base, _, query = url.partition("?")
    pairs = [pair.partition("=") for pair in query.split("&")]
    names = [name for name, _, _ in pairs]
    found = [name for name in SIGNATURE_PARAMS if name in names]
    assert found, f"no signature parameter in {url}"
    out = []
    for name, eq, value in pairs:
        if name == found[0]:
            value = ("1" if value[0] == "0" else "0") + value[1:]
        out.append(f"{name}{eq}{value}")
    return f"{base}?{'&'.join(out)}"


def key_of(url: str, storage: Storage) -> str:
    """The storage key a signed URL names: after ``/files/`` locally, after the bucket on S3
    (path-style, as the test S3 server is addressed)."""
    path = unquote(urlsplit(url).path)
    if storage.name == "local":
        return path.split("/files/", 1)[1]
    bucket: str = getattr(storage, "bucket")  # noqa: B009 - not on the Protocol
    return path.split(f"/{bucket}/", 1)[1]


async def assert_no_longer_served(client: httpx.AsyncClient, storage: Storage, url: str) -> None:
    """A deleted object's signed URL serves nothing. Atelier's ``/files/`` answers 404; an S3
    store answers for itself: 404, or 403 AccessDenied when the signer may not list the bucket.
    Through the storage layer (as ``/compat/pixova/api/download`` reads) both say ``NotFound``."""
    response = await client.get(url)
    if storage.name == "local":
        assert response.status_code == 404, response.text
    else:
        assert response.status_code == 404 or (response.status_code == 403 and b"AccessDenied" in response.content), (
            response.text
        )
    parts = urlsplit(url)
    token = base_url_var.set(f"{parts.scheme}://{parts.netloc}")  # as during the request that made it
    try:
        with pytest.raises(NotFound):
            await storage.read_signed_url(url)
    finally:
        base_url_var.reset(token)
