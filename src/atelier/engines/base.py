"""The one protocol every image engine implements, and the values it exchanges.

An engine is an adapter: the built-in design engine, a local diffusion pipeline or a hosted
provider. The pipeline hands it a :class:`GenerationRequest` whose inputs are already
validated and fetched (reference images are bytes, never URLs), and gets back encoded images.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from atelier.kit.context import current_job_id
from atelier.kit.errors import JobCanceled


class Task(StrEnum):
    GENERATE = "generate"
    EDIT = "edit"
    VARIATIONS = "variations"


class OutputFormat(StrEnum):
    PNG = "png"
    JPEG = "jpeg"
    WEBP = "webp"

    @property
    def media_type(self) -> str:
        return f"image/{self.value}"


@dataclass(frozen=True)
class Capabilities:
    tasks: frozenset[Task]
    max_n: int = 4
    formats: frozenset[OutputFormat] = frozenset(OutputFormat)
    #: Exact sizes the engine accepts; ``None`` means any size up to ``max_side``.
    sizes: tuple[tuple[int, int], ...] | None = None
    max_side: int = 2048
    min_side: int = 64
    transparent_background: bool = False
    #: "image" engines only; a text-only route is never a fallback for an image task.
    output: str = "image"

    def supports_size(self, width: int, height: int) -> bool:
        if self.sizes is not None:
            return (width, height) in self.sizes
        return self.min_side <= width <= self.max_side and self.min_side <= height <= self.max_side


@dataclass(frozen=True)
class BrandConstraints:
    palette_hex: tuple[str, ...] = ()
    fonts: tuple[str, ...] = ()
    logo_safe_zone_pct: float = 0.0


@dataclass
class GenerationRequest:
    prompt: str
    width: int = 1024
    height: int = 1024
    n: int = 1
    task: Task = Task.GENERATE
    output_format: OutputFormat = OutputFormat.PNG
    negative_prompt: str | None = None
    seed: int | None = None
    guidance: float | None = None
    steps: int | None = None
    quality: str | None = None
    style: str | None = None
    #: "transparent", "opaque" or None (engine decides)
    background: str | None = None
    #: Reference / input images, already fetched and decoded-checked, as encoded bytes.
    references: list[bytes] = field(default_factory=list)
    mask: bytes | None = None
    constraints: BrandConstraints | None = None
    #: The model name at the upstream provider, from the route's deployment.
    upstream_model: str | None = None
    #: Provider-specific passthrough options (e.g. fal's loras), validated by the caller.
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class GeneratedImage:
    data: bytes
    width: int
    height: int
    format: OutputFormat
    revised_prompt: str | None = None
    #: A structured design spec the image was rendered from, when the engine has one.
    spec: dict[str, Any] | None = None
    #: True only when a SynthID watermark is known to be present (e.g. Gemini output).
    synthid: bool = False
    #: The provider's file as received, when it carried C2PA data and was re-encoded to the
    #: requested format (its manifest is kept as the stored image's parent ingredient).
    source: bytes | None = None
    _opened: Any = field(default=None, init=False, repr=False, compare=False)

    def opened(self) -> Any:
        """``data`` decoded by Pillow, once: the output check, the fidelity report and the
        thumbnail read the same pixels (a 1024² PNG takes ~14 ms to decode). Never modified by
        its readers; call from one thread at a time (the job's steps run one after another)."""
        if self._opened is None:
            import io

            from PIL import Image

            image = Image.open(io.BytesIO(self.data))
            image.load()
            self._opened = image
        return self._opened

    def keep_opened(self, image: Any) -> None:
        """``image``: ``data`` as the engine already decoded it (None: nothing kept)."""
        self._opened = image

    def forget_opened(self) -> None:
        """Drop the decoded pixels (the image is stored: nothing reads them any more)."""
        self._opened = None


@dataclass
class GenerationResult:
    images: list[GeneratedImage]
    engine: str
    model: str
    #: Cost the provider reported (from token usage); ``None`` means price from the table.
    cost_usd: Decimal | None = None
    usage: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)


ProgressCallback = Callable[[float, str | None], Awaitable[None]]
"""Called with a fraction in [0, 1] and an optional stage name."""


async def no_progress(fraction: float, stage: str | None) -> None:
    return None


#: How many partial renders a request asks for, in ``GenerationRequest.extra`` (OpenAI's
#: ``partial_images``, 0 to 3).
PARTIAL_IMAGES = "partial_images"


@dataclass(frozen=True)
class PartialImage:
    """A render of the job's first image before it is finished (OpenAI's partial image)."""

    job_id: str
    #: 0-based, in the order they were rendered.
    index: int
    data: bytes
    format: OutputFormat


class PartialImages:
    """Partial renders, from the engine running a job to the streams following it in this
    process. An engine calls :func:`report_partial` (only for requests that ask for partials,
    see :func:`partials_wanted`); a stream follows the job from before it is enqueued. A
    job run by a worker in another process reaches its streams without partials (only the
    final images, which are in the database)."""

    def __init__(self) -> None:
        self._followers: dict[str, list[asyncio.Queue[PartialImage]]] = {}

    def follow(self, job_id: str) -> asyncio.Queue[PartialImage]:
        """A queue that receives the job's partial renders until :meth:`leave`."""
        queue: asyncio.Queue[PartialImage] = asyncio.Queue()
        self._followers.setdefault(job_id, []).append(queue)
        return queue

    def leave(self, job_id: str, queue: asyncio.Queue[PartialImage]) -> None:
        followers = self._followers.get(job_id, [])
        if queue in followers:
            followers.remove(queue)
        if not followers:
            self._followers.pop(job_id, None)

    def publish(self, image: PartialImage) -> None:
        for queue in self._followers.get(image.job_id, ()):
            queue.put_nowait(image)


#: The process's partial renders (job ids are unique, so one registry serves every app).
partial_images = PartialImages()


def partials_wanted(request: GenerationRequest) -> int:
    """How many partial renders the request asks for (0 when none or no job is running)."""
    value = request.extra.get(PARTIAL_IMAGES)
    if current_job_id() is None or not isinstance(value, int) or isinstance(value, bool):
        return 0
    return max(0, min(3, value))


async def report_partial(index: int, data: bytes, fmt: OutputFormat) -> None:
    """Hands a partial render of the running job to the streams following it."""
    job_id = current_job_id()
    if job_id is not None:
        partial_images.publish(PartialImage(job_id, index, data, fmt))


class CancelToken:
    """Set when the job is canceled; engines check it between steps."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise JobCanceled()

    async def wait(self) -> None:
        await self._event.wait()


@runtime_checkable
class Engine(Protocol):
    """What every engine adapter provides."""

    name: str

    def capabilities(self) -> Capabilities: ...

    def price_per_image(self, request: GenerationRequest) -> Decimal: ...

    async def generate(
        self,
        request: GenerationRequest,
        progress: ProgressCallback,
        cancel: CancelToken,
    ) -> GenerationResult: ...

    async def health(self) -> str:
        """``healthy``, ``degraded`` or ``unhealthy``; cheap, no generation."""
        ...
