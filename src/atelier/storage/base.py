"""The storage protocol: a local folder by default, S3-compatible object storage by setting.
Keys look like ``{project}/renders/{id}.{ext}``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class StoredObject:
    """One object as a listing sees it: its key and when it was last written (UTC)."""

    key: str
    modified: datetime


class Storage(Protocol):
    name: str

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """Write atomically: a reader never sees a half-written object."""
        ...

    async def get(self, key: str) -> bytes:
        """Raises ``atelier.kit.errors.NotFound`` when absent, ``StorageError`` when unreachable."""
        ...

    async def delete(self, key: str) -> None: ...

    async def exists(self, key: str) -> bool: ...

    async def signed_url(self, key: str, *, expires_in: int, content_type: str | None = None) -> str:
        """An expiring URL a client can fetch without credentials."""
        ...

    async def read_signed_url(self, url: str) -> tuple[bytes, str] | None:
        """The object and its content type if ``url`` is one of this storage's signed URLs
        (None when it is not ours); ``Forbidden`` when ours but tampered with or expired."""
        ...

    async def health(self) -> str: ...

    def list_objects(self) -> AsyncIterator[StoredObject]:
        """Every stored object with its age, a page at a time (the orphan reconciler's
        view); Atelier's own bookkeeping (the health probe, half-written temp files) is left
        out."""
        ...
