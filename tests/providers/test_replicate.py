"""The Replicate adapter against a fake Replicate API."""

from __future__ import annotations

import pytest

from atelier.engines.base import CancelToken, GenerationRequest
from atelier.engines.providers.replicate import ReplicateEngine
from atelier.kit.errors import EngineContentPolicyError, JobCanceled, ProviderAuthError, RetriableEngineError
from tests.providers.conftest import Fake, Progress
from tests.providers.fakes.base import KEY

FAST = {"poll_interval": 0.01}


async def test_prefer_wait_answers_in_one_round_trip(replicate_api: Fake, progress: Progress) -> None:
    engine = ReplicateEngine(replicate_api.spec("black-forest-labs/flux-fast", base="/v1", options=FAST))
    result = await engine.generate(GenerationRequest(prompt="a kite", width=1344, height=768), progress, CancelToken())
    create = replicate_api.state.calls("/predictions")[0]
    assert create.path == "/v1/models/black-forest-labs/flux-fast/predictions"
    assert create.headers["prefer"] == "wait=60" and create.headers["authorization"] == f"Bearer {KEY}"
    assert create.body == {"input": {"prompt": "a kite", "aspect_ratio": "16:9", "output_format": "png"}}
    assert len(replicate_api.state.calls("/v1/predictions/")) == 0  # no polling needed
    assert (result.images[0].width, result.images[0].height) == (1344, 768)


async def test_polls_until_succeeded(replicate_api: Fake, progress: Progress) -> None:
    engine = ReplicateEngine(replicate_api.spec("owner/slow-model:abc123", base="/v1", options=FAST))
    result = await engine.generate(GenerationRequest(prompt="a kite", n=2), progress, CancelToken())
    assert replicate_api.state.calls("/predictions")[0].body["version"] == "abc123"
    assert "processing" in progress.stages and len(result.images) == 2


async def test_cancel_posts_to_the_cancel_endpoint(replicate_api: Fake, progress: Progress) -> None:
    engine = ReplicateEngine(replicate_api.spec("owner/slow-model", base="/v1", options={"poll_interval": 5}))
    cancel = CancelToken()

    async def cancel_when_started(fraction: float, stage: str | None) -> None:
        if stage == "starting":
            cancel.cancel()

    with pytest.raises(JobCanceled):
        await engine.generate(GenerationRequest(prompt="x"), cancel_when_started, cancel)
    assert len(replicate_api.state.calls("/cancel")) == 1


async def test_errors(replicate_api: Fake, progress: Progress) -> None:
    engine = ReplicateEngine(replicate_api.spec("owner/slow-model", provider="replicate", base="/v1", options=FAST))
    with pytest.raises(EngineContentPolicyError):
        await engine.generate(GenerationRequest(prompt="nsfw"), progress, CancelToken())
    replicate_api.state.inject("429")
    with pytest.raises(RetriableEngineError) as throttled:
        await engine.generate(GenerationRequest(prompt="x"), progress, CancelToken())
    assert throttled.value.retry_after == 1.0
    bad = ReplicateEngine(replicate_api.spec("owner/m", provider="replicate", base="/v1", api_key="r8_bad"))
    with pytest.raises(ProviderAuthError) as auth:
        await bad.generate(GenerationRequest(prompt="x"), progress, CancelToken())
    assert "replicate" in auth.value.message and "r8_bad" not in auth.value.message


FAULTS = [
    ("429", RetriableEngineError, 1.0),
    ("500", RetriableEngineError, None),
    ("malformed", RetriableEngineError, None),
    ("timeout", RetriableEngineError, None),
]


@pytest.mark.parametrize("stage", ["create", "poll"])
@pytest.mark.parametrize(("fault", "error", "retry_after"), FAULTS)
async def test_faults_map_onto_the_error_tree(
    replicate_api: Fake, progress: Progress, stage: str, fault: str, error: type[Exception], retry_after: float | None
) -> None:
    replicate_api.state.inject(*(["none", fault] if stage == "poll" else [fault]))
    engine = ReplicateEngine(replicate_api.spec("owner/slow-model", provider="replicate", base="/v1", options=FAST))
    with pytest.raises(error) as caught:
        await engine.generate(GenerationRequest(prompt="x"), progress, CancelToken())
    assert type(caught.value) is error
    assert getattr(caught.value, "retry_after", None) == retry_after
    assert "replicate" in str(caught.value)
    if stage == "poll":
        # the router will start a new prediction: the abandoned one is cancelled, not left billing
        assert len(replicate_api.state.calls("/cancel")) == 1


@pytest.mark.parametrize("stage", ["create", "poll"])
async def test_slow_answers_within_the_timeout_succeed(replicate_api: Fake, progress: Progress, stage: str) -> None:
    replicate_api.state.inject(*(["none", "slow"] if stage == "poll" else ["slow"]))
    engine = ReplicateEngine(replicate_api.spec("owner/slow-model", base="/v1", options=FAST))
    result = await engine.generate(GenerationRequest(prompt="x"), progress, CancelToken())
    assert len(result.images) == 1 and not replicate_api.state.calls("/cancel")
