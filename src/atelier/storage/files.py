"""Atelier's own signed file URLs (``{base}/files/{key}?exp=…&sig=…``), for the objects the
app serves itself: the local folder's, and those the storage fallback holds."""

from __future__ import annotations

import time
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from atelier.kit.context import current_base_url
from atelier.storage.keys import check_media_type, refusal, safe_key
from atelier.storage.signing import media_type_for, sign, verify


class FilesUrls:
    def __init__(self, *, secret: str, public_url: str | None, fallback_url: str) -> None:
        self.secret = secret
        self.public_url = public_url.rstrip("/") if public_url else None
        self.fallback_url = fallback_url.rstrip("/")

    def base_url(self) -> str:
        """The configured public URL, else the current request's, else the server's own."""
        return self.public_url or current_base_url() or self.fallback_url

    def url_for(self, key: str, *, expires_in: int, content_type: str | None = None, now: float | None = None) -> str:
        safe_key(key)
        expires = int(now if now is not None else time.time()) + expires_in
        query = {"exp": str(expires)}
        if content_type and content_type != media_type_for(key):
            query["ct"] = check_media_type(content_type)
        query["sig"] = sign(self.secret, key, expires, content_type)
        return f"{self.base_url()}/files/{quote(key, safe='/')}?{urlencode(query)}"

    def verified_key(self, url: str) -> tuple[str, str] | None:
        """The key and content type ``url`` names if it is one of these URLs (None when
        not); ``Forbidden`` when it is but its signature is wrong or it has expired."""
        prefix = f"{self.base_url()}/files/"
        if not url.startswith(prefix):
            return None
        key = unquote(url[len(prefix) :].split("?", 1)[0].split("#", 1)[0])
        query = dict(parse_qsl(urlsplit(url).query))
        media_type = check_media_type(query["ct"]) if "ct" in query else media_type_for(key)
        try:
            problem = verify(self.secret, key, int(query["exp"]), query["sig"], content_type=media_type)
        except (KeyError, ValueError):
            problem = "signature missing"
        if problem:
            raise refusal(problem)
        return key, media_type
