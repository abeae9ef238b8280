"""What a storage key and a file URL may hold, for every backend: keys that can never leave
the storage root (or a bucket's prefix), media types that are safe in a header, and the
refusal a bad or expired signature gets."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from atelier.kit.errors import BadRequest, Forbidden

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
