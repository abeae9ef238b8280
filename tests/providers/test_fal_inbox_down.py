"""The fal webhook inbox is a shortcut, not a dependency: with its database unreachable, a
fal job is followed by polling fal's status and completes; no request is left running."""

from __future__ import annotations

from pathlib import Path

import httpx

from atelier.compat.dreamy_studio.fal_inbox import JobRowFalInbox
from atelier.engines.base import CancelToken, GenerationRequest
from atelier.engines.providers.fal import FalEngine
from atelier.kit.context import job_id_var
from atelier.kit.runtime import Runtime
from atelier.migrations.runner import upgrade
from atelier.settings import Settings
from tests.helpers.live import free_port
from tests.providers.conftest import Fake, Progress


async def test_an_unreachable_inbox_falls_back_to_polling(fal_api: Fake, progress: Progress, tmp_path: Path) -> None:
    unreachable = Settings(
        environment="test",  # type: ignore[arg-type]
        data_dir=tmp_path,
        database_url=f"postgresql+asyncpg://nobody@127.0.0.1:{free_port()}/gone",
        auth={"secret_key": "x" * 48},  # type: ignore[arg-type]
    )
    runtime = Runtime.build(unreachable)
    engine = FalEngine(fal_api.spec("fal-ai/flux/dev", options={"poll_interval": 0.01}))
    engine.webhooks = JobRowFalInbox(runtime, "http://127.0.0.1:9")
    token = job_id_var.set("job_inbox_down")
    try:
        result = await engine.generate(
            GenerationRequest(prompt="a heron", width=512, height=512), progress, CancelToken()
        )
    finally:
        job_id_var.reset(token)
        await runtime.close()
    assert len(result.images) == 1
    submit = fal_api.state.calls("/fal-ai/flux/dev")[0]
    assert "fal_webhook" not in submit.query  # no webhook asked for that nobody could record
    assert fal_api.state.calls("/status")  # followed by polling instead
    assert not fal_api.state.calls("/cancel")


async def test_a_working_inbox_asks_fal_for_the_webhook(fal_api: Fake, progress: Progress, settings: Settings) -> None:
    runtime = Runtime.build(settings)
    await upgrade(runtime.engine)
    engine = FalEngine(fal_api.spec("fal-ai/flux/dev", options={"poll_interval": 0.01, "webhook_status_interval": 0}))
    engine.webhooks = JobRowFalInbox(runtime, "http://127.0.0.1:9")
    token = job_id_var.set("job_without_a_row")
    try:
        await engine.generate(GenerationRequest(prompt="a heron", width=512, height=512), progress, CancelToken())
    finally:
        job_id_var.reset(token)
        await runtime.close()
    submit = fal_api.state.calls("/fal-ai/flux/dev")[0]
    assert "fal_webhook=" in submit.query and "job_without_a_row" in httpx.URL("?" + submit.query).params["fal_webhook"]
