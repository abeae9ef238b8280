"""Local diffusion models through diffusers (Stable Diffusion, SDXL, FLUX families), from a
local folder or a hub id; optional extra ``local-models``.

The pipeline is loaded once and stays loaded between jobs (shared by every deployment of the
same model and device). It runs on CUDA or Apple MPS when present, otherwise on the CPU.
Requests for the same model, size, steps and guidance that arrive within a short window are
batched into one pipeline call (a batch of prompts costs far less than one call per prompt on
a GPU). Progress comes from the denoising step callback; cancellation is checked between
steps."""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from atelier.engines.base import (
    CancelToken,
    Capabilities,
    GeneratedImage,
    GenerationRequest,
    GenerationResult,
    OutputFormat,
    ProgressCallback,
    Task,
)
from atelier.engines.providers.hosted import EngineSpec
from atelier.kit.errors import JobCanceled, PermanentEngineError

_PIL_FORMATS = {OutputFormat.PNG: "PNG", OutputFormat.JPEG: "JPEG", OutputFormat.WEBP: "WEBP"}
_PIPELINES: dict[tuple[str, str], Any] = {}
_LOAD_LOCK = threading.Lock()


class _Interrupted(Exception):
    """Raised from the step callback when every job of a batch was canceled."""


def pick_device(preferred: str = "auto") -> str:
    import torch

    if preferred != "auto":
        return preferred
    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return "cpu"


def load_pipeline(model: str, device: str, options: dict[str, Any]) -> Any:
    """The pipeline for ``model`` on ``device``, loaded once per process."""
    with _LOAD_LOCK:
        key = (model, device)
        if key not in _PIPELINES:
            import torch
            from diffusers import DiffusionPipeline

            dtype = (
                torch.float16 if device == "cuda" and options.get("dtype", "float16") == "float16" else torch.float32
            )
            loader: Any = DiffusionPipeline  # untyped in diffusers: keep --strict quiet either way
            pipe = loader.from_pretrained(
                model, torch_dtype=dtype, local_files_only=bool(options.get("local_files_only", False))
            )
            _PIPELINES[key] = pipe.to(device)
        return _PIPELINES[key]


@dataclass
class _Job:
    request: GenerationRequest
    progress: ProgressCallback
    cancel: CancelToken
    loop: asyncio.AbstractEventLoop
    done: asyncio.Future[list[Any]]


@dataclass
class _Batch:
    key: tuple[Any, ...]
    jobs: list[_Job] = field(default_factory=list)

    @property
    def images(self) -> int:
        return sum(job.request.n for job in self.jobs)


class DiffusersEngine:
    def __init__(self, spec: EngineSpec) -> None:
        self.spec = spec
        self.name = spec.name
        self.model = spec.model
        options = spec.options
        #: A ready pipeline may be passed in (tests, or a pipeline built by other code).
        self._pipeline: Any = options.get("pipeline")
        self._factory: Callable[[], Any] | None = options.get("pipeline_factory")
        self.device_preference = str(options.get("device", "auto"))
        self.max_batch = int(options.get("max_batch", 4))
        self.batch_window = float(options.get("batch_window", 0.05))
        self.default_steps = int(options.get("steps", 25))
        self._open: dict[tuple[Any, ...], _Batch] = {}
        self._run_lock = asyncio.Lock()
        self.calls = 0  # pipeline invocations, for batching observability

    # --- Engine protocol -----------------------------------------------------------------

    def capabilities(self) -> Capabilities:
        if self.spec.capabilities is not None:
            return self.spec.capabilities
        return Capabilities(tasks=frozenset({Task.GENERATE}), max_n=self.max_batch, min_side=64, max_side=2048)

    def price_per_image(self, request: GenerationRequest) -> Decimal:
        if self.spec.prices is not None:
            return self.spec.prices.price(request.width, request.height, request.quality)
        return Decimal("0")

    async def health(self) -> str:
        try:
            import diffusers  # noqa: F401
            import torch  # noqa: F401
        except ImportError:
            return "unhealthy"
        return "healthy"

    async def aclose(self) -> None:
        return None

    async def generate(
        self, request: GenerationRequest, progress: ProgressCallback, cancel: CancelToken
    ) -> GenerationResult:
        if request.width % 8 or request.height % 8:
            raise PermanentEngineError(f"{self.name}: width and height must be multiples of 8")
        cancel.raise_if_cancelled()
        loop = asyncio.get_running_loop()
        job = _Job(request, progress, cancel, loop, loop.create_future())
        self._enqueue(job)
        images = await job.done
        encoded = [await asyncio.to_thread(_encode, image, request.output_format) for image in images]
        generated = [GeneratedImage(data, w, h, request.output_format) for data, w, h in encoded]
        return GenerationResult(images=generated, engine=self.name, model=self.model, notes=[f"device {self.device}"])

    # --- batching ------------------------------------------------------------------------

    @property
    def device(self) -> str:
        return pick_device(self.device_preference)

    def _batch_key(self, request: GenerationRequest) -> tuple[Any, ...]:
        return (request.width, request.height, request.steps or self.default_steps, request.guidance)

    def _enqueue(self, job: _Job) -> None:
        key = self._batch_key(job.request)
        batch = self._open.get(key)
        if batch is not None and batch.images + job.request.n <= self.max_batch:
            batch.jobs.append(job)
            return
        batch = _Batch(key, [job])
        self._open[key] = batch
        asyncio.get_running_loop().create_task(self._run_after_window(batch))

    async def _run_after_window(self, batch: _Batch) -> None:
        await asyncio.sleep(self.batch_window)
        if self._open.get(batch.key) is batch:
            del self._open[batch.key]  # later arrivals start a new batch
        async with self._run_lock:  # one pipeline call at a time per engine
            live = [job for job in batch.jobs if not job.cancel.cancelled]
            for job in batch.jobs:
                if job.cancel.cancelled and not job.done.done():
                    job.done.set_exception(JobCanceled())
            if not live:
                return
            try:
                images = await asyncio.to_thread(self._call_pipeline, live)
            except _Interrupted:
                for job in live:
                    if not job.done.done():
                        job.done.set_exception(JobCanceled())
                return
            except Exception as exc:  # the pipeline's own errors (OOM, bad config) end these jobs
                for job in live:
                    if not job.done.done():
                        job.done.set_exception(PermanentEngineError(f"{self.name}: {type(exc).__name__}: {exc}"))
                return
        offset = 0
        for job in live:
            chunk, offset = images[offset : offset + job.request.n], offset + job.request.n
            if job.done.done():
                continue
            if job.cancel.cancelled:
                job.done.set_exception(JobCanceled())
            else:
                job.done.set_result(chunk)

    def _pipeline_instance(self) -> Any:
        if self._pipeline is None:
            self._pipeline = (
                self._factory() if self._factory else load_pipeline(self.model, self.device, self.spec.options)
            )
        return self._pipeline

    def _call_pipeline(self, jobs: list[_Job]) -> list[Any]:
        """Runs in a worker thread: one call for every image of every job in the batch."""
        import torch

        pipe = self._pipeline_instance()
        first = jobs[0].request
        steps = first.steps or self.default_steps
        prompts: list[str] = []
        negatives: list[str] = []
        generators: list[torch.Generator] = []
        device = str(getattr(pipe, "device", "cpu"))
        for job in jobs:
            for index in range(job.request.n):
                prompts.append(job.request.prompt)
                negatives.append(job.request.negative_prompt or "")
                generator = torch.Generator(device=device if device.startswith("cuda") else "cpu")
                if job.request.seed is not None:
                    generator.manual_seed(job.request.seed + index)
                else:
                    generator.seed()
                generators.append(generator)

        def on_step(pipeline: Any, step: int, timestep: Any, tensors: dict[str, Any]) -> dict[str, Any]:
            if all(job.cancel.cancelled for job in jobs):
                raise _Interrupted()
            fraction = (step + 1) / steps
            for job in jobs:
                if job.cancel.cancelled:  # released now; its images are dropped when the batch ends
                    job.loop.call_soon_threadsafe(_cancel, job)
                else:
                    job.loop.call_soon_threadsafe(_report, job, fraction)
            return tensors

        kwargs: dict[str, Any] = {
            "prompt": prompts,
            "height": first.height,
            "width": first.width,
            "num_inference_steps": steps,
            "generator": generators,
            "callback_on_step_end": on_step,
            "output_type": "pil",
        }
        if any(negatives):
            kwargs["negative_prompt"] = negatives
        if first.guidance is not None:
            kwargs["guidance_scale"] = first.guidance
        self.calls += 1
        with torch.inference_mode():
            output = pipe(**kwargs)
        return list(output.images)


def _report(job: _Job, fraction: float) -> None:
    # ensure_future, not create_task: a progress callback is any awaitable, not only a coroutine.
    future: asyncio.Future[None] = asyncio.ensure_future(job.progress(min(fraction, 0.99), "denoising"), loop=job.loop)
    # Progress is best effort; retrieve a failure so it is not logged as never retrieved.
    future.add_done_callback(lambda f: f.exception() if not f.cancelled() else None)


def _encode(image: Any, want: OutputFormat) -> tuple[bytes, int, int]:
    out = io.BytesIO()
    picture = image.convert("RGB") if want is OutputFormat.JPEG else image
    picture.save(out, _PIL_FORMATS[want])
    return out.getvalue(), image.width, image.height


def _cancel(job: _Job) -> None:
    if not job.done.done():
        job.done.set_exception(JobCanceled())
