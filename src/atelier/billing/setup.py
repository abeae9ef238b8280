from __future__ import annotations

from atelier.billing.hook import EconomyHook
from atelier.kit.runtime import Runtime


async def start_billing(runtime: Runtime) -> None:
    runtime.services.setdefault("job_hooks", []).append(EconomyHook())
