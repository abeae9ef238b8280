"""Storage in a local folder: atomic writes (temp file + rename), keys that can never reach
outside the folder, and HMAC-signed expiring URLs served by Atelier itself (``/files/…``)."""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
import time
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from atelier.kit.context import current_base_url
from atelier.kit.errors import BadRequest, Forbidden, NotFound, StorageError
from atelier.storage.signing import media_type_for, sign, verify

_MEDIA_TYPE = re.compile(r"^[A-Za-z0-9!#$&^_.+-]{1,64}/[A-Za-z0-9!#$&^_.+-]{1,64}$")
MAX_KEY_LENGTH = 1024


def safe_key(key: str) -> PurePosixPath:
    """A relative POSIX path with no ``..``, empty or control-character parts: whatever a
    caller passes, the object stays inside the storage root (and the bucket's prefix rules)."""
    path = PurePosixPath(key)
    if (
        not key
        or len(key) > MAX_KEY_LENGTH
        or path.is_absolute()
        or "\\" in key
        or any(ord(ch) < 32 or ord(ch) == 127 for ch in key)
        or any(part in {"..", ".", ""} for part in key.split("/"))
    ):
        raise BadRequest(f"Invalid storage key {key[:200]!r}", code="INVALID_STORAGE_KEY")
    return path


def check_media_type(content_type: str) -> str:
    if not _MEDIA_TYPE.match(content_type):
        raise BadRequest(f"Invalid content type {content_type[:80]!r}", code="INVALID_CONTENT_TYPE")
    return content_type


def refusal(problem: str) -> Forbidden:
    code = "URL_EXPIRED" if "expired" in problem else "INVALID_SIGNATURE"
    return Forbidden(f"File URL refused: {problem}", code=code)


class LocalStorage:
    name = "local"

    def __init__(self, root: Path, *, secret: str, public_url: str | None, fallback_url: str) -> None:
        self.root = root.resolve()
        self.secret = secret
        self.public_url = public_url.rstrip("/") if public_url else None
        self.fallback_url = fallback_url.rstrip("/")
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

    def base_url(self) -> str:
        """Where clients reach us: the configured public URL, else the current request's
        base URL, else ``http://{host}:{port}`` from the server settings."""
        return self.public_url or current_base_url() or self.fallback_url

    def url_for(self, key: str, *, expires_in: int, content_type: str | None = None, now: float | None = None) -> str:
        """The signed URL, synchronously (for callers outside the event loop)."""
        safe_key(key)
        expires = int(now if now is not None else time.time()) + expires_in
        query = {"exp": str(expires)}
        if content_type and content_type != media_type_for(key):
            query["ct"] = check_media_type(content_type)
        query["sig"] = sign(self.secret, key, expires, content_type)
        return f"{self.base_url()}/files/{quote(key, safe='/')}?{urlencode(query)}"

    async def signed_url(self, key: str, *, expires_in: int, content_type: str | None = None) -> str:
        return self.url_for(key, expires_in=expires_in, content_type=content_type)

    async def read_signed_url(self, url: str) -> tuple[bytes, str] | None:
        prefix = f"{self.base_url()}/files/"
        if not url.startswith(prefix):
            return None
        parts = urlsplit(url)
        key = unquote(url[len(prefix) :].split("?", 1)[0].split("#", 1)[0])
        query = dict(parse_qsl(parts.query))
        media_type = check_media_type(query["ct"]) if "ct" in query else media_type_for(key)
        try:
            problem = verify(self.secret, key, int(query["exp"]), query["sig"], content_type=media_type)
        except (KeyError, ValueError):
            problem = "signature missing"
        if problem:
            raise refusal(problem)
        return await self.get(key), media_type

    async def health(self) -> str:
        probe = ".health/probe"
        payload = os.urandom(16)
        await self.put(probe, payload, "application/octet-stream")
        return "healthy" if await self.get(probe) == payload else "unhealthy"
