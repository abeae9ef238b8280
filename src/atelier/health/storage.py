"""The storage component: the backend's own check, and how many objects the durable
fallback holds in the database for it (degraded while there are any)."""

from __future__ import annotations

from typing import Any

from atelier.kit.runtime import Runtime
from atelier.storage.fallback import FallbackStorage


def register_storage_health(runtime: Runtime, storage: FallbackStorage) -> None:
    async def check() -> dict[str, dict[str, Any]]:
        return {"storage": await storage.report()}

    runtime.health_groups["storage"] = check
