"""Start-up of webhooks: the job hook, and the delivery loop when this process runs one."""

from __future__ import annotations

from atelier.kit.runtime import Runtime
from atelier.webhooks.dispatcher import Dispatcher
from atelier.webhooks.hook import WebhookHook


async def start_webhooks(runtime: Runtime) -> None:
    runtime.services.job_hooks.append(WebhookHook(runtime.settings.webhooks.endpoint_cache_seconds))
    dispatcher = Dispatcher(runtime)
    runtime.services.webhook_dispatcher = dispatcher
    in_process = runtime.settings.webhooks.dispatch_in_process

    async def dispatcher_health() -> str:
        # Not a core component: a stopped loop delays deliveries (they stay queued) but
        # loses none, so it only degrades the service.
        return "healthy" if dispatcher.running or not in_process else "unhealthy"

    runtime.health_checks["webhooks"] = dispatcher_health
    if in_process:
        await dispatcher.start()
        runtime.closers.append(dispatcher.stop)
