"""The local diffusers adapter with a tiny randomly initialised Stable Diffusion pipeline built
here (no download): real denoising, progress per step, cancellation between steps, batching
of concurrent requests, the pipeline loaded once."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from atelier.engines.base import CancelToken, GenerationRequest, OutputFormat
from atelier.engines.providers import diffusers_local
from atelier.engines.providers.diffusers_local import DiffusersEngine
from atelier.engines.providers.hosted import EngineSpec
from atelier.kit.errors import JobCanceled
from tests.providers.conftest import Progress

torch = pytest.importorskip("torch")
pytest.importorskip("diffusers")
pytest.importorskip("transformers")

WORDS = ["<pad>", "<unk>", "<s>", "</s>", *["a", "red", "fox", "blue", "logo", "poster", "cat", "on", "the", "hill"]]


def tiny_pipeline() -> Any:
    from diffusers import AutoencoderKL, DDIMScheduler, StableDiffusionPipeline, UNet2DConditionModel
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import CLIPTextConfig, CLIPTextModel, PreTrainedTokenizerFast

    word_level = Tokenizer(models.WordLevel({w: i for i, w in enumerate(WORDS)}, unk_token="<unk>"))
    word_level.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=word_level,
        pad_token="<pad>",
        unk_token="<unk>",
        bos_token="<s>",
        eos_token="</s>",
        model_max_length=16,
    )
    torch.manual_seed(0)
    unet = UNet2DConditionModel(
        block_out_channels=(8, 16),
        layers_per_block=1,
        sample_size=8,
        in_channels=4,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=16,
        norm_num_groups=4,
        attention_head_dim=2,
    )
    vae = AutoencoderKL(
        block_out_channels=[8, 16],
        in_channels=3,
        out_channels=3,
        latent_channels=4,
        norm_num_groups=4,
        down_block_types=["DownEncoderBlock2D"] * 2,
        up_block_types=["UpDecoderBlock2D"] * 2,
    )
    text_encoder = CLIPTextModel(
        CLIPTextConfig(
            bos_token_id=2,
            eos_token_id=3,
            pad_token_id=0,
            hidden_size=16,
            intermediate_size=32,
            num_attention_heads=2,
            num_hidden_layers=2,
            vocab_size=len(WORDS),
            max_position_embeddings=16,
        )
    )
    pipe = StableDiffusionPipeline(
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        unet=unet,
        scheduler=DDIMScheduler(clip_sample=False),
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    pipe.set_progress_bar_config(disable=True)
    return pipe


@pytest.fixture(scope="module")
def pipeline() -> Any:
    return tiny_pipeline()


@contextmanager
def unet_calls(pipeline: Any, hold: Callable[[int], bool] | None = None) -> Iterator[list[int]]:
    """The batch size of every UNet call (one per denoising step) while the block runs.
    ``hold(call_number)`` makes that call wait while it returns True (at most 30 s)."""
    batches: list[int] = []

    def record(module: Any, args: tuple[Any, ...]) -> None:
        batches.append(int(args[0].shape[0]))
        deadline = time.monotonic() + 30
        while hold is not None and hold(len(batches)) and time.monotonic() < deadline:
            time.sleep(0.005)

    handle = pipeline.unet.register_forward_pre_hook(record)
    try:
        yield batches
    finally:
        handle.remove()


def engine_with(pipeline: Any, **options: Any) -> tuple[DiffusersEngine, list[int]]:
    loads: list[int] = []

    def factory() -> Any:
        loads.append(1)
        return pipeline

    spec = EngineSpec(
        name="local/tiny-sd",
        model="tiny-sd",
        provider="local",
        options={"pipeline_factory": factory, "device": "cpu", **options},
    )
    return DiffusersEngine(spec), loads


async def test_generates_a_real_image_with_step_progress(pipeline: Any, progress: Progress) -> None:
    engine, loads = engine_with(pipeline)
    request = GenerationRequest(
        prompt="a red fox on the hill", width=64, height=64, steps=4, seed=7, output_format=OutputFormat.WEBP
    )
    result = await engine.generate(request, progress, CancelToken())
    image = result.images[0]
    decoded = Image.open(io.BytesIO(image.data))
    assert decoded.format == "WEBP" and decoded.size == (64, 64) and (image.width, image.height) == (64, 64)
    assert len(set(decoded.convert("RGB").getdata())) > 10  # a denoised picture, not a flat fill
    await asyncio.sleep(0)
    assert [round(f, 2) for f, s in progress.events if s == "denoising"] == [0.25, 0.5, 0.75, 0.99]
    again = await engine.generate(request, progress, CancelToken())
    assert again.images[0].data == image.data  # same seed, same image; the pipeline stayed loaded
    assert loads == [1] and result.engine == "local/tiny-sd" and result.notes == ["device cpu"]


async def test_concurrent_requests_of_one_size_share_a_pipeline_call(pipeline: Any, progress: Progress) -> None:
    engine, _ = engine_with(pipeline, batch_window=0.2, max_batch=4)
    same = [
        GenerationRequest(prompt=p, width=64, height=64, steps=2, n=n, seed=1) for p, n in (("a cat", 1), ("logo", 2))
    ]
    other = GenerationRequest(prompt="poster", width=64, height=128, steps=2)
    with unet_calls(pipeline) as batches:
        results = await asyncio.gather(*(engine.generate(r, progress, CancelToken()) for r in [*same, other]))
    assert [len(r.images) for r in results] == [1, 2, 1]
    assert (results[2].images[0].width, results[2].images[0].height) == (64, 128)
    assert engine.calls == 2  # one call for the two 64x64 requests, one for 64x128
    # What the UNet saw, step by step: the three 64x64 images denoised together (doubled by
    # classifier-free guidance: 6 latents), the 64x128 one on its own (2 latents).
    assert sorted(batches) == [2, 2, 6, 6]
    first, second = results[1].images
    assert first.data != second.data  # each image of a batch has its own noise


async def test_cancel_between_steps(pipeline: Any) -> None:
    engine, _ = engine_with(pipeline)
    cancel = CancelToken()
    reported: list[float] = []

    async def cancel_after_first_step(fraction: float, stage: str | None) -> None:
        reported.append(fraction)
        cancel.cancel()

    # The second step waits until the job is canceled, so the test does not race the thread.
    with (
        unet_calls(pipeline, hold=lambda call: call == 2 and not cancel.cancelled) as batches,
        pytest.raises(JobCanceled),
    ):
        await engine.generate(
            GenerationRequest(prompt="a cat", width=64, height=64, steps=20), cancel_after_first_step, cancel
        )
    assert reported == [0.05]
    assert len(batches) == 2  # the pipeline stopped after the step in which it was canceled, not at 20


async def test_canceling_one_job_of_a_batch_leaves_the_others_running(pipeline: Any, progress: Progress) -> None:
    engine, _ = engine_with(pipeline, batch_window=0.2)
    canceled = CancelToken()

    async def cancel_at_first_step(fraction: float, stage: str | None) -> None:
        canceled.cancel()

    request = GenerationRequest(prompt="a red fox", width=64, height=64, steps=6, seed=3)
    with unet_calls(pipeline) as batches:
        kept, dropped = await asyncio.gather(
            engine.generate(request, progress, CancelToken()),
            engine.generate(request, cancel_at_first_step, canceled),
            return_exceptions=True,
        )
    assert isinstance(dropped, JobCanceled)
    assert not isinstance(kept, BaseException) and len(kept.images) == 1
    assert batches == [4] * 6  # one batch of both jobs, run to the end for the job still wanted


async def test_loads_a_saved_pipeline_from_a_folder_once(pipeline: Any, progress: Progress, tmp_path: Path) -> None:
    folder = tmp_path / "tiny-sd"
    pipeline.save_pretrained(folder)
    spec = EngineSpec(
        name="local/tiny-sd",
        model=str(folder),
        provider="local",
        options={"device": "cpu", "local_files_only": True, "steps": 3},
    )
    first, second = DiffusersEngine(spec), DiffusersEngine(spec)
    try:
        request = GenerationRequest(prompt="a blue logo", width=64, height=64, seed=5)
        one = await first.generate(request, progress, CancelToken())
        loaded = diffusers_local._PIPELINES[(str(folder), "cpu")]
        two = await first.generate(request, progress, CancelToken())
        three = await second.generate(request, progress, CancelToken())
        # one load for every job and every deployment of the model; the same weights give the same image
        assert first._pipeline is loaded and second._pipeline is loaded
        assert loaded is not pipeline and type(loaded).__name__ == "StableDiffusionPipeline"
        assert one.images[0].data == two.images[0].data == three.images[0].data
        assert first.device == "cpu" and one.notes == ["device cpu"]
    finally:
        diffusers_local._PIPELINES.pop((str(folder), "cpu"), None)


async def test_sizes_must_suit_the_latent_grid(pipeline: Any, progress: Progress) -> None:
    from atelier.kit.errors import PermanentEngineError

    engine, _ = engine_with(pipeline)
    with pytest.raises(PermanentEngineError, match="multiples of 8"):
        await engine.generate(GenerationRequest(prompt="x", width=65, height=64), progress, CancelToken())
