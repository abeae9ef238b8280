from __future__ import annotations

from atelier.billing.hook import EconomyHook
from atelier.billing.plans import plans_from
from atelier.kit.runtime import Runtime


async def start_billing(runtime: Runtime) -> None:
    plans = plans_from(runtime.settings)
    runtime.services.plans = plans
    runtime.services.job_hooks.append(EconomyHook(plans))
