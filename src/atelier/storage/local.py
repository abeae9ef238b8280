"""Storage in a local folder: atomic writes (temp file + rename), keys that can never reach
outside the folder, and HMAC-signed expiring URLs served by Atelier itself (``/files/…``)."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

from atelier.kit.errors import BadRequest, NotFound, StorageError
from atelier.storage.base import StoredObject
from atelier.storage.files import FilesUrls
from atelier.storage.keys import safe_key


class LocalStorage:
    name = "local"

    def __init__(self, root: Path, *, secret: str, public_url: str | None, fallback_url: str) -> None:
        self.root = root.resolve()
        self.urls = FilesUrls(secret=secret, public_url=public_url, fallback_url=fallback_url)
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        path = self.root.joinpath(*safe_key(key).parts)
        # A symlink planted inside the folder must not lead outside it either.
        if not path.resolve().is_relative_to(self.root):
            raise BadRequest(f"Invalid storage key {key[:200]!r}", code="INVALID_STORAGE_KEY")
        return path

    def _write(self, key: str, data: bytes) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _read(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise NotFound(f"No stored object {key}") from exc

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        try:
            await asyncio.to_thread(self._write, key, data)
        except OSError as exc:  # disk full, permissions: a storage failure, not a crash
            raise StorageError(f"Local storage could not write {key}: {exc.strerror or exc}") from exc

    async def get(self, key: str) -> bytes:
        return await asyncio.to_thread(self._read, key)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, True)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._path(key).is_file)

    def _walk(self) -> list[StoredObject]:
        found = []
        for folder, dirs, files in os.walk(self.root):
            dirs[:] = [d for d in dirs if not d.startswith(".")]  # .health
            for name in files:
                if name.startswith("."):  # .tmp-… files being written
                    continue
                path = Path(folder, name)
                try:
                    modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                except FileNotFoundError:  # deleted while listed
                    continue
                found.append(StoredObject(path.relative_to(self.root).as_posix(), modified))
        return found

    async def list_objects(self) -> AsyncIterator[StoredObject]:
        for item in await asyncio.to_thread(self._walk):
            yield item

    def base_url(self) -> str:
        return self.urls.base_url()

    def url_for(self, key: str, *, expires_in: int, content_type: str | None = None, now: float | None = None) -> str:
        """The signed URL, synchronously (for callers outside the event loop)."""
        return self.urls.url_for(key, expires_in=expires_in, content_type=content_type, now=now)

    async def signed_url(self, key: str, *, expires_in: int, content_type: str | None = None) -> str:
        return self.url_for(key, expires_in=expires_in, content_type=content_type)

    async def read_signed_url(self, url: str) -> tuple[bytes, str] | None:
        found = self.urls.verified_key(url)
        if found is None:
            return None
        key, media_type = found
        return await self.get(key), media_type

    def _usable(self) -> bool:
        # Read-only metadata, no file written: health is asked by anyone, often.
        if not self.root.is_dir() or not os.access(self.root, os.W_OK | os.X_OK):
            return False
        stats = os.statvfs(self.root)
        return not stats.f_flag & os.ST_RDONLY and stats.f_bavail > 0

    async def health(self) -> str:
        """The folder exists, may be written to, is not on a read-only or full file system."""
        return "healthy" if await asyncio.to_thread(self._usable) else "unhealthy"
