"""Chooses and registers the storage backend (``settings.storage.backend``)."""

from __future__ import annotations

from atelier.kit.runtime import Runtime
from atelier.storage.base import Storage
from atelier.storage.local import LocalStorage

#: Addresses a server binds to that no client can use in a URL.
_WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "[::1]", "": "127.0.0.1"}


def fallback_base_url(runtime: Runtime) -> str:
    """``http://{host}:{port}`` of this server, for URLs built outside any request when no
    ``server.public_url`` is configured."""
    server = runtime.settings.server
    host = _WILDCARDS.get(server.host, server.host)
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{server.port}"


def build_storage(runtime: Runtime) -> Storage:
    settings = runtime.settings
    if settings.storage.backend == "s3":
        from atelier.storage.s3 import S3Storage

        return S3Storage(settings.storage)
    return LocalStorage(
        settings.storage.path or settings.data_dir / "storage",
        secret=runtime.secret,
        public_url=settings.server.public_url,
        fallback_url=fallback_base_url(runtime),
    )


async def start_storage(runtime: Runtime) -> None:
    storage = build_storage(runtime)
    start = getattr(storage, "start", None)
    if start is not None:
        await start()
    runtime.services["storage"] = storage
    runtime.health_checks["storage"] = storage.health
