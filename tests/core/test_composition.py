"""The runtime is built in dependency order into typed services, and the job queue starts
consuming only once every domain has registered its job hooks: the content policy's prompt
check first (before any credit is reserved), then the economy, then webhooks."""

from __future__ import annotations

import pytest

from atelier.app import start_runtime
from atelier.billing.hook import EconomyHook
from atelier.jobs.dispatch import JobQueue
from atelier.kit.runtime import Runtime
from atelier.safety.hook import PromptCheckHook
from atelier.settings import Settings
from atelier.webhooks.hook import WebhookHook


async def test_the_queue_consumes_only_once_every_hook_is_registered(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooks_when_started: list[list[str]] = []
    start = JobQueue.start

    async def recording(self: JobQueue) -> None:
        hooks_when_started.append([type(h).__name__ for h in self.runtime.services.job_hooks])
        await start(self)

    monkeypatch.setattr(JobQueue, "start", recording)
    runtime = await start_runtime(settings)
    try:
        assert hooks_when_started == [["PromptCheckHook", "EconomyHook", "WebhookHook"]]
        assert runtime.job_queue.consuming
        assert [type(h) for h in runtime.services.job_hooks] == [PromptCheckHook, EconomyHook, WebhookHook]
    finally:
        await runtime.close()


def test_a_service_read_before_start_up_names_itself(settings: Settings) -> None:
    runtime = Runtime.build(settings)
    with pytest.raises(RuntimeError, match="router is not started"):
        _ = runtime.router
