"""Google Gemini image models ("nano banana": ``gemini-2.5-flash-image`` and newer) through
``models/{model}:generateContent`` with image output, and Imagen through
``models/{model}:predict``. Both on the Gemini API (``generativelanguage.googleapis.com``),
key in ``x-goog-api-key``. Google documents a SynthID watermark on every image these models
produce, so outputs carry ``synthid=True``."""

from __future__ import annotations

import asyncio
import base64
from decimal import Decimal
from typing import Any

from atelier.engines.base import (
    CancelToken,
    Capabilities,
    GeneratedImage,
    GenerationRequest,
    GenerationResult,
    ProgressCallback,
    Task,
)
from atelier.engines.pricing import price_from_tokens
from atelier.engines.providers.hosted import HostedEngine, unless_cancelled
from atelier.engines.providers.imaging import b64decode, mime_type, nearest_aspect_ratio, to_generated
from atelier.kit.errors import EngineContentPolicyError, PermanentEngineError

GEMINI_RATIOS = ("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9")
IMAGEN_RATIOS = ("1:1", "3:4", "4:3", "9:16", "16:9")
#: finishReason / blockReason values that mean "refused on policy grounds".
POLICY_REASONS = frozenset(
    {"SAFETY", "PROHIBITED_CONTENT", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "BLOCKLIST", "SPII"}
)


def _error_reasons(body: Any) -> set[str]:
    if not isinstance(body, dict) or not isinstance(body.get("error"), dict):
        return set()
    details = body["error"].get("details") or []
    return {str(d.get("reason")) for d in details if isinstance(d, dict) and d.get("reason")}


class GeminiEngine(HostedEngine):
    default_base_url = "https://generativelanguage.googleapis.com/v1beta"

    @property
    def is_imagen(self) -> bool:
        return self.model.startswith("imagen")

    def auth_headers(self, api_key: str) -> dict[str, str]:
        return {"x-goog-api-key": api_key}

    def is_auth_failure(self, status: int, body: Any) -> bool:
        # The Gemini API answers an invalid key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID.
        return bool(_error_reasons(body) & {"API_KEY_INVALID", "API_KEY_EXPIRED", "API_KEY_SERVICE_BLOCKED"})

    def model_capabilities(self) -> Capabilities:
        if self.is_imagen:
            return Capabilities(tasks=frozenset({Task.GENERATE}), max_n=4, min_side=256, max_side=2048)
        return Capabilities(tasks=frozenset({Task.GENERATE, Task.EDIT}), max_n=4, min_side=256, max_side=2048)

    async def generate(
        self, request: GenerationRequest, progress: ProgressCallback, cancel: CancelToken
    ) -> GenerationResult:
        self.require_key()
        await progress(0.05, "submitted")
        if self.is_imagen:
            return await unless_cancelled(self._imagen(request), cancel)
        # One image per call: the image models return a single picture per candidate.
        calls = [self._gemini_once(request) for _ in range(request.n)]
        results = await unless_cancelled(asyncio.gather(*calls), cancel)
        images = [image for found, _, _ in results for image in found]
        usage = _sum_usage([u for _, u, _ in results if u])
        texts = [t for _, _, t in results if t]
        await progress(1.0, "received")
        return GenerationResult(
            images=images,
            engine=self.name,
            model=self.model,
            cost_usd=self._usage_cost(usage),
            usage=usage or None,
            notes=[f"model text: {t[:200]}" for t in texts],
        )

    def _gemini_body(self, request: GenerationRequest) -> dict[str, Any]:
        parts: list[dict[str, Any]] = [{"text": request.prompt}]
        for ref in request.references if request.task is Task.EDIT else []:
            parts.append({"inline_data": {"mime_type": mime_type(ref), "data": base64.b64encode(ref).decode()}})
        ratio = nearest_aspect_ratio(request.width, request.height, GEMINI_RATIOS)
        return {
            "contents": [{"role": "user", "parts": parts}],
            "generationConfig": {"responseModalities": ["TEXT", "IMAGE"], "imageConfig": {"aspectRatio": ratio}},
        }

    async def _gemini_once(
        self, request: GenerationRequest
    ) -> tuple[list[GeneratedImage], dict[str, Any] | None, str | None]:
        body = await self.http.json("POST", f"/models/{self.model}:generateContent", json=self._gemini_body(request))
        feedback = body.get("promptFeedback") or {}
        if feedback.get("blockReason"):
            raise EngineContentPolicyError(
                f"{self.provider} blocked the prompt ({feedback['blockReason']})", details={"provider": self.provider}
            )
        candidates = body.get("candidates")
        if not isinstance(candidates, list) or not candidates:
            raise PermanentEngineError(f"{self.provider}: response has no candidates")
        images: list[GeneratedImage] = []
        texts: list[str] = []
        reasons = set()
        for candidate in candidates:
            reasons.add(str(candidate.get("finishReason", "")))
            for part in (candidate.get("content") or {}).get("parts") or []:
                inline = part.get("inlineData") or part.get("inline_data")
                if isinstance(inline, dict) and isinstance(inline.get("data"), str):
                    raw = b64decode(inline["data"], self.provider)
                    images.append(
                        await to_generated(
                            raw, request.output_format, self.provider, synthid=True, fit=(request.width, request.height)
                        )
                    )
                elif isinstance(part.get("text"), str):
                    texts.append(part["text"])
        if not images:
            if reasons & POLICY_REASONS:
                raise EngineContentPolicyError(
                    f"{self.provider} refused to produce the image ({', '.join(sorted(reasons & POLICY_REASONS))})",
                    details={"provider": self.provider},
                )
            said = f": {' '.join(texts)[:200]}" if texts else ""
            raise PermanentEngineError(f"{self.provider}: the model returned no image{said}")
        usage = body.get("usageMetadata") if isinstance(body.get("usageMetadata"), dict) else None
        return images, usage, " ".join(texts) or None

    async def _imagen(self, request: GenerationRequest) -> GenerationResult:
        parameters: dict[str, Any] = {
            "sampleCount": request.n,
            "aspectRatio": nearest_aspect_ratio(request.width, request.height, IMAGEN_RATIOS),
        }
        if self.spec.options.get("person_generation"):
            parameters["personGeneration"] = self.spec.options["person_generation"]
        body = await self.http.json(
            "POST",
            f"/models/{self.model}:predict",
            json={"instances": [{"prompt": request.prompt}], "parameters": parameters},
        )
        predictions = body.get("predictions")
        if not isinstance(predictions, list):
            # Imagen answers a fully filtered request with no predictions at all.
            raise EngineContentPolicyError(
                f"{self.provider}: Imagen returned no images (filtered by its safety system)",
                details={"provider": self.provider},
            )
        images = []
        filtered = []
        for prediction in predictions:
            if isinstance(prediction.get("bytesBase64Encoded"), str):
                raw = b64decode(prediction["bytesBase64Encoded"], self.provider)
                images.append(
                    await to_generated(
                        raw, request.output_format, self.provider, synthid=True, fit=(request.width, request.height)
                    )
                )
            elif prediction.get("raiFilteredReason"):
                filtered.append(str(prediction["raiFilteredReason"]))
        if not images:
            raise EngineContentPolicyError(
                f"{self.provider}: every image was filtered ({'; '.join(filtered)[:200] or 'no reason given'})",
                details={"provider": self.provider},
            )
        notes = [f"{len(filtered)} image(s) filtered by the provider"] if filtered else []
        return GenerationResult(images=images, engine=self.name, model=self.model, notes=notes)

    def _usage_cost(self, usage: dict[str, Any]) -> Decimal | None:
        if not usage or self.rates is None:
            return None
        text_in = image_in = 0
        for detail in usage.get("promptTokensDetails") or []:
            if detail.get("modality") == "IMAGE":
                image_in += int(detail.get("tokenCount", 0))
            else:
                text_in += int(detail.get("tokenCount", 0))
        if not (text_in or image_in):
            text_in = int(usage.get("promptTokenCount", 0))
        output = int(usage.get("candidatesTokenCount", 0))
        return price_from_tokens(self.rates, text_input=text_in, image_input=image_in, output=output)


def _sum_usage(usages: list[dict[str, Any]]) -> dict[str, Any]:
    """Token counts of the n calls added up, details merged by modality."""
    if not usages:
        return {}
    total: dict[str, Any] = {"promptTokenCount": 0, "candidatesTokenCount": 0, "totalTokenCount": 0}
    by_modality: dict[str, int] = {}
    for usage in usages:
        for key in ("promptTokenCount", "candidatesTokenCount", "totalTokenCount"):
            total[key] += int(usage.get(key, 0) or 0)
        for detail in usage.get("promptTokensDetails") or []:
            modality = str(detail.get("modality", "TEXT"))
            by_modality[modality] = by_modality.get(modality, 0) + int(detail.get("tokenCount", 0))
    if by_modality:
        total["promptTokensDetails"] = [{"modality": m, "tokenCount": c} for m, c in by_modality.items()]
    return total
