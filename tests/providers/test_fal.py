"""The fal queue adapter against a fake queue.fal.run."""

from __future__ import annotations

import pytest

from atelier.engines.base import CancelToken, GenerationRequest, Task
from atelier.engines.providers.fal import FalEngine
from atelier.kit.errors import EngineContentPolicyError, JobCanceled, ProviderAuthError, RetriableEngineError
from tests.providers.conftest import Fake, Progress
from tests.providers.fakes.base import KEY, png

FAST = {"poll_interval": 0.01}


async def test_submit_poll_with_queue_position_then_result(fal_api: Fake, progress: Progress) -> None:
    engine = FalEngine(fal_api.spec("fal-ai/flux/dev", provider="fal", options=FAST))
    request = GenerationRequest(
        prompt="sunset over mountains",
        width=1024,
        height=768,
        n=2,
        seed=42,
        guidance=7.5,
        steps=20,
        negative_prompt="blurry",
        extra={"loras": [{"path": "l", "scale": 0.8}], "design_type": "poster"},
    )
    result = await engine.generate(request, progress, CancelToken())
    submit = fal_api.state.calls("/fal-ai/flux/dev")[0]
    assert submit.method == "POST" and submit.headers["authorization"] == f"Key {KEY}"
    assert submit.body == {
        "prompt": "sunset over mountains",
        "num_images": 2,
        "image_size": {"width": 1024, "height": 768},
        "output_format": "png",
        "seed": 42,
        "negative_prompt": "blurry",
        "guidance_scale": 7.5,
        "num_inference_steps": 20,
        "loras": [{"path": "l", "scale": 0.8}],
    }
    statuses = fal_api.state.calls("/status")
    assert statuses and all(s.path.startswith("/fal-ai/flux/requests/") for s in statuses)
    assert progress.stages[:4] == ["in_queue:2", "in_queue:1", "in_progress", "completed"]
    downloads = fal_api.state.calls("/cdn/")
    assert len(downloads) == 2 and all("authorization" not in d.headers for d in downloads)
    assert [(i.width, i.height) for i in result.images] == [(1024, 768)] * 2


async def test_image_to_image_sends_the_reference_as_a_data_url(fal_api: Fake, progress: Progress) -> None:
    engine = FalEngine(fal_api.spec("fal-ai/flux/dev/image-to-image", options=FAST))
    assert engine.capabilities().tasks == frozenset({Task.EDIT})
    request = GenerationRequest(
        prompt="oil painting", task=Task.EDIT, references=[png(64, 64)], extra={"strength": 0.8}
    )
    await engine.generate(request, progress, CancelToken())
    body = fal_api.state.calls("/image-to-image")[0].body
    assert body["image_url"].startswith("data:image/png;base64,") and body["strength"] == 0.8


async def test_cancel_while_queued_calls_the_cancel_endpoint(fal_api: Fake, progress: Progress) -> None:
    engine = FalEngine(fal_api.spec("fal-ai/flux/schnell", options={"poll_interval": 5}))
    cancel = CancelToken()

    async def cancel_when_queued(fraction: float, stage: str | None) -> None:
        if stage and stage.startswith("in_queue"):
            cancel.cancel()

    with pytest.raises(JobCanceled):
        await engine.generate(GenerationRequest(prompt="x"), cancel_when_queued, cancel)
    cancels = fal_api.state.calls("/cancel")
    assert len(cancels) == 1 and cancels[0].method == "PUT" and cancels[0].path.startswith("/fal-ai/flux/requests/")


async def test_flagged_images_and_policy_errors(fal_api: Fake, progress: Progress) -> None:
    engine = FalEngine(fal_api.spec("fal-ai/flux/dev", options=FAST))
    with pytest.raises(EngineContentPolicyError):
        await engine.generate(GenerationRequest(prompt="nsfw scene"), progress, CancelToken())
    with pytest.raises(EngineContentPolicyError):
        await engine.generate(GenerationRequest(prompt="blocked words"), progress, CancelToken())


async def test_submit_faults(fal_api: Fake, progress: Progress) -> None:
    engine = FalEngine(fal_api.spec("fal-ai/flux/dev", provider="fal", options=FAST))
    fal_api.state.inject("429")
    with pytest.raises(RetriableEngineError) as caught:
        await engine.generate(GenerationRequest(prompt="x"), progress, CancelToken())
    assert caught.value.retry_after == 1.0
    bad = FalEngine(fal_api.spec("fal-ai/flux/dev", provider="fal", api_key="wrong-fal-key", options=FAST))
    with pytest.raises(ProviderAuthError) as auth:
        await bad.generate(GenerationRequest(prompt="x"), progress, CancelToken())
    assert "fal" in auth.value.message and "wrong-fal-key" not in auth.value.message


FAULTS = [
    ("429", RetriableEngineError, 1.0),
    ("500", RetriableEngineError, None),
    ("malformed", RetriableEngineError, None),
    ("timeout", RetriableEngineError, None),
]
#: Which queue call the fault hits: the submit, the first status poll, or the result fetch
#: (after a clean submit and the four polls the fake needs to complete).
STAGES = {"submit": [], "status": ["none"], "result": ["none"] * 5}


@pytest.mark.parametrize("stage", list(STAGES))
@pytest.mark.parametrize(("fault", "error", "retry_after"), FAULTS)
async def test_faults_map_onto_the_error_tree(
    fal_api: Fake, progress: Progress, stage: str, fault: str, error: type[Exception], retry_after: float | None
) -> None:
    fal_api.state.inject(*STAGES[stage], fault)
    engine = FalEngine(fal_api.spec("fal-ai/flux/dev", provider="fal", options=FAST))
    with pytest.raises(error) as caught:
        await engine.generate(GenerationRequest(prompt="x"), progress, CancelToken())
    assert type(caught.value) is error
    assert getattr(caught.value, "retry_after", None) == retry_after
    assert "fal" in str(caught.value)


@pytest.mark.parametrize("stage", list(STAGES))
async def test_slow_answers_within_the_timeout_succeed(fal_api: Fake, progress: Progress, stage: str) -> None:
    fal_api.state.inject(*STAGES[stage], "slow")
    engine = FalEngine(fal_api.spec("fal-ai/flux/dev", provider="fal", options=FAST))
    result = await engine.generate(GenerationRequest(prompt="x"), progress, CancelToken())
    assert len(result.images) == 1 and not fal_api.state.calls("/cancel")


async def test_a_status_poll_fault_cancels_the_abandoned_request(fal_api: Fake, progress: Progress) -> None:
    fal_api.state.inject("none", "500")
    engine = FalEngine(fal_api.spec("fal-ai/flux/dev", provider="fal", options=FAST))
    with pytest.raises(RetriableEngineError):
        await engine.generate(GenerationRequest(prompt="x"), progress, CancelToken())
    cancels = fal_api.state.calls("/cancel")
    assert len(cancels) == 1 and cancels[0].method == "PUT"
