"""Chooses and registers the storage backend (``settings.storage.backend``)."""

from __future__ import annotations

from atelier.health.storage import register_storage_health
from atelier.kit.runtime import Runtime
from atelier.storage.base import Storage
from atelier.storage.drain import Drain
from atelier.storage.fallback import FallbackStorage
from atelier.storage.files import FilesUrls
from atelier.storage.held import HeldObjects
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
    """Registers ``storage``. Object storage (S3), which can be down while the database is
    up, goes behind the durable fallback (see ``storage.fallback``) with the drain that
    empties it; the local folder shares the database's machine and disk, so a fallback to the
    database would fail with it, and it is registered as it is."""
    primary = build_storage(runtime)
    start = getattr(primary, "start", None)
    if start is not None:
        await start()
    settings = runtime.settings
    if isinstance(primary, LocalStorage) or not settings.storage.fallback_max_bytes:
        runtime.services.storage = primary
        runtime.health_checks["storage"] = primary.health
        return
    held = HeldObjects.for_database(settings.resolved_database_url, runtime.engine)
    runtime.closers.append(held.close)
    urls = FilesUrls(
        secret=runtime.secret, public_url=settings.server.public_url, fallback_url=fallback_base_url(runtime)
    )
    storage = FallbackStorage(primary, held, urls, max_bytes=settings.storage.fallback_max_bytes)
    runtime.services.storage = storage
    register_storage_health(runtime, storage)
    drain = Drain(storage, interval=settings.storage.fallback_drain_seconds)
    runtime.services.storage_drain = drain
    await drain.start()
    runtime.closers.append(drain.stop)
