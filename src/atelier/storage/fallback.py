"""The durable storage fallback: a backend in front of the configured one. When the backend
refuses an upload (``StorageError``, after its own retries) the object is kept in the
database instead, up to ``storage.fallback_max_bytes`` in all, so a storage outage loses no
generated image; the drain (``storage.drain``) moves it back once uploads work again.

Reads look in the database first, then in the backend. A held object's signed URL is one of
Atelier's own ``/files/…`` URLs, which keeps serving it from wherever it is: the table, or
the backend after the drain."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from atelier.kit.errors import StorageError
from atelier.storage.base import Storage, StoredObject
from atelier.storage.files import FilesUrls
from atelier.storage.held import HeldObjects
from atelier.storage.keys import safe_key

log = logging.getLogger("atelier.storage")


class FallbackStorage:
    def __init__(self, primary: Storage, held: HeldObjects, urls: FilesUrls, *, max_bytes: int) -> None:
        self.primary = primary
        self.held = held
        self.urls = urls
        self.max_bytes = max_bytes
        self.name = primary.name

    def __getattr__(self, attribute: str) -> Any:
        # What only one backend has (the local root, the S3 bucket) reads through.
        if attribute == "primary":  # not set yet (copying, unpickling): no recursion
            raise AttributeError(attribute)
        return getattr(self.primary, attribute)

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        try:
            await self.primary.put(key, data, content_type)
            return
        except StorageError as exc:
            if not self.max_bytes:
                raise
            refused = exc
        safe_key(key)
        try:
            kept = await self.held.hold(key, data, content_type, max_bytes=self.max_bytes)
        except Exception as exc:  # the database failing too: the upload fails as it would have
            log.error("storage fallback could not keep %s: %s", key, exc)
            raise refused from exc
        if not kept:
            log.error("storage fallback full (%d bytes): %s not kept", self.max_bytes, key)
            raise refused
        log.warning("object storage refused %s (%s); held in the database", key, refused.message)

    async def get(self, key: str) -> bytes:
        held = await self.held.read(key)
        if held is not None:
            return held[0]
        return await self.primary.get(key)

    async def delete(self, key: str) -> None:
        # Read before deleting: a caller's SQLite session may hold the write lock.
        if await self.held.held_keys([key]):
            await self.held.forget(key)
        await self.primary.delete(key)

    async def exists(self, key: str) -> bool:
        return bool(await self.held.held_keys([key])) or await self.primary.exists(key)

    async def holds(self, key: str) -> bool:
        """Whether the object is held in the database (the backend refused it)."""
        return bool(await self.held.held_keys([key]))

    async def signed_url(self, key: str, *, expires_in: int, content_type: str | None = None) -> str:
        if await self.holds(key):
            return self.urls.url_for(key, expires_in=expires_in, content_type=content_type)
        return await self.primary.signed_url(key, expires_in=expires_in, content_type=content_type)

    async def read_signed_url(self, url: str) -> tuple[bytes, str] | None:
        ours = self.urls.verified_key(url)
        if ours is None:
            return await self.primary.read_signed_url(url)
        key, media_type = ours
        return await self.get(key), media_type

    async def health(self) -> str:
        return await self.primary.health()

    async def list_objects(self) -> AsyncIterator[StoredObject]:
        """The held objects, then the backend's (a key in both, mid-move, once)."""
        held = await self.held.listing()
        for key, created in held:
            yield StoredObject(key, created)
        keys = {key for key, _ in held}
        async for item in self.primary.list_objects():
            if item.key not in keys:
                yield item

    async def report(self) -> dict[str, Any]:
        """The storage health component: the backend's own check, degraded while the
        database holds objects the backend refused."""
        count, size = await self.held.stats()
        try:
            status = await self.primary.health()
        except Exception as exc:  # a failing check is a status to report
            log.warning("storage health check failed: %s", exc)
            status = "unhealthy"
        out: dict[str, Any] = {"status": status, "backend": self.primary.name, "held_objects": count}
        if count:
            out["held_bytes"] = size
            if status == "healthy":
                out["status"] = "degraded"
            out["detail"] = f"{count} object(s) the backend refused are held in the database until it takes them"
        return out


async def held_note(storage: Any, keys: list[str]) -> str | None:
    """A job note when some of its objects are held in the database (None otherwise)."""
    if not isinstance(storage, FallbackStorage) or not keys:
        return None
    held = await storage.held.held_keys(keys)
    if not held:
        return None
    return (
        f"Object storage refused the upload of {len(held)} of {len(keys)} image(s): they are held in "
        "Atelier's database and served from there until the storage recovers, then moved to it."
    )
