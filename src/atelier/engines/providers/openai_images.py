"""OpenAI Images API (``/images/generations``, ``/images/edits``, ``/images/variations``) for
the GPT image models, DALL·E 3 and DALL·E 2, and for any OpenAI-compatible server by base URL
(A4F, LocalAI, Together…): the seed 002 model chain is one route of such deployments.

Plain httpx rather than the SDK: the router owns retries, and multipart edits with several
``image[]`` parts are simple to send as documented."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

from PIL import UnidentifiedImageError

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
from atelier.engines.pricing import price_from_tokens
from atelier.engines.providers.hosted import HostedEngine, unless_cancelled
from atelier.engines.providers.imaging import as_png, b64decode, mime_type, to_generated
from atelier.kit.errors import PermanentEngineError

GPT_IMAGE_SIZES = ((1024, 1024), (1536, 1024), (1024, 1536))
DALLE3_SIZES = ((1024, 1024), (1792, 1024), (1024, 1792))
DALLE2_SIZES = ((256, 256), (512, 512), (1024, 1024))
_POLICY_CODES = frozenset({"content_policy_violation", "moderation_blocked"})
#: What the GPT image models accept as references, with the file extension to name them by.
_GPT_IMAGE_UPLOADS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def is_gpt_image(model: str) -> bool:
    return model.startswith(("gpt-image", "chatgpt-image"))


class OpenAIImagesEngine(HostedEngine):
    default_base_url = "https://api.openai.com/v1"

    def model_capabilities(self) -> Capabilities:
        if is_gpt_image(self.model):
            return Capabilities(
                tasks=frozenset({Task.GENERATE, Task.EDIT}),
                max_n=10,
                sizes=GPT_IMAGE_SIZES,
                transparent_background=True,
            )
        if self.model.startswith("dall-e-3"):
            return Capabilities(tasks=frozenset({Task.GENERATE}), max_n=1, sizes=DALLE3_SIZES)
        if self.model.startswith("dall-e-2"):
            return Capabilities(
                tasks=frozenset({Task.GENERATE, Task.EDIT, Task.VARIATIONS}), max_n=10, sizes=DALLE2_SIZES
            )
        # An OpenAI-compatible server's own model: generations are the common ground.
        return Capabilities(tasks=frozenset({Task.GENERATE}), max_n=4, min_side=256, max_side=2048)

    def is_policy_refusal(self, status: int, body: Any) -> bool:
        if status != 400 or not isinstance(body, dict) or not isinstance(body.get("error"), dict):
            return False
        error = body["error"]
        message = str(error.get("message", "")).lower()
        return error.get("code") in _POLICY_CODES or "safety system" in message

    def price_per_image(self, request: GenerationRequest) -> Decimal:
        """Priced at the quality sent upstream (``high`` is DALL·E 3's ``hd``, ``hd`` is a GPT
        image model's ``high``), not the word the client used."""
        return self.prices.price(request.width, request.height, self._quality(request.quality))

    def _quality(self, quality: str | None) -> str | None:
        if not quality:
            return None
        q = quality.lower()
        if is_gpt_image(self.model):
            return {"standard": "medium", "hd": "high", "ultra": "high"}.get(
                q, q if q in {"low", "medium", "high", "auto"} else None
            )
        if self.model.startswith("dall-e-3"):
            return "hd" if q in {"hd", "high", "ultra"} else "standard"
        return None

    def _common(self, request: GenerationRequest) -> dict[str, Any]:
        fields: dict[str, Any] = {"model": self.model, "n": request.n, "size": f"{request.width}x{request.height}"}
        if is_gpt_image(self.model):
            fields["output_format"] = request.output_format.value
            if request.background in {"transparent", "opaque"}:
                fields["background"] = request.background
        else:
            fields["response_format"] = self.spec.options.get("response_format", "b64_json")
        quality = self._quality(request.quality)
        if quality:
            fields["quality"] = quality
        if self.model.startswith("dall-e-3") and request.style in {"vivid", "natural"}:
            fields["style"] = request.style
        return fields

    async def generate(
        self, request: GenerationRequest, progress: ProgressCallback, cancel: CancelToken
    ) -> GenerationResult:
        self.require_key()
        await progress(0.05, "submitted")
        body = await unless_cancelled(self._call(request), cancel)
        images = await self._images(body, request.output_format)
        if not images:
            raise PermanentEngineError(f"{self.provider}: response held no images")
        await progress(1.0, "received")
        usage = body.get("usage") if isinstance(body.get("usage"), dict) else None
        return GenerationResult(
            images=images[: request.n],
            engine=self.name,
            model=self.model,
            cost_usd=self._usage_cost(usage),
            usage=usage,
        )

    async def _call(self, request: GenerationRequest) -> dict[str, Any]:
        fields = self._common(request)
        if request.task is Task.GENERATE:
            return await self.http.json("POST", "/images/generations", json={**fields, "prompt": request.prompt})
        if not request.references:
            raise PermanentEngineError(f"{self.provider}: '{request.task.value}' needs an input image")
        form = {k: str(v) for k, v in fields.items()}
        if request.task is Task.VARIATIONS:
            form.pop("quality", None)
            files = [("image", await self._upload("image", request.references[0]))]
            return await self.http.json("POST", "/images/variations", data=form, files=files)
        form["prompt"] = request.prompt
        if is_gpt_image(self.model):
            files = [("image[]", await self._upload(f"image{i}", ref)) for i, ref in enumerate(request.references)]
        else:
            files = [("image", await self._upload("image", request.references[0]))]
        if request.mask is not None:
            files.append(("mask", await self._upload("mask", request.mask, png_only=True)))
        return await self.http.json("POST", "/images/edits", data=form, files=files)

    async def _upload(self, stem: str, data: bytes, *, png_only: bool = False) -> tuple[str, bytes, str]:
        """A multipart file part labelled with its real type. DALL·E 2 (and masks) take only
        PNG, so anything else is converted; GPT image models take PNG, JPEG and WebP as is."""
        is_png = data.startswith(_PNG_SIGNATURE)
        mime = mime_type(data)
        if is_gpt_image(self.model) and not png_only and mime in _GPT_IMAGE_UPLOADS and is_png == (mime == "image/png"):
            return f"{stem}.{_GPT_IMAGE_UPLOADS[mime]}", data, mime
        if not is_png:
            try:
                data = await asyncio.to_thread(as_png, data)
            except (UnidentifiedImageError, OSError) as exc:
                raise PermanentEngineError(f"{self.provider}: the input image '{stem}' does not decode") from exc
        return f"{stem}.png", data, "image/png"

    async def _images(self, body: dict[str, Any], want: OutputFormat) -> list[GeneratedImage]:
        data = body.get("data")
        if not isinstance(data, list):
            raise PermanentEngineError(f"{self.provider}: response has no 'data' list")
        images = []
        for item in data:
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("b64_json"), str):
                raw = b64decode(item["b64_json"], self.provider)
            elif isinstance(item.get("url"), str):
                raw = await self.http.download(item["url"])
            else:
                continue
            revised = item.get("revised_prompt") if isinstance(item.get("revised_prompt"), str) else None
            images.append(await to_generated(raw, want, self.provider, revised_prompt=revised))
        return images

    def _usage_cost(self, usage: dict[str, Any] | None) -> Decimal | None:
        if usage is None or self.rates is None:
            return None
        details = usage.get("input_tokens_details") or {}
        try:
            text = int(details.get("text_tokens", usage.get("input_tokens", 0)))
            image = int(details.get("image_tokens", 0))
            output = int(usage.get("output_tokens", 0))
        except (TypeError, ValueError):
            return None
        return price_from_tokens(self.rates, text_input=text, image_input=image, output=output)
