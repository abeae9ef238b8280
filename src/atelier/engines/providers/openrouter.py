"""OpenRouter chat completions with image output: ``POST /chat/completions`` with
``modalities: ["image", "text"]``; images come back as data URLs in
``choices[0].message.images[].image_url.url``. This is the route seed 000 names
(``openrouter/gemini-2.5-flash-image`` → upstream ``google/gemini-2.5-flash-image``)."""

from __future__ import annotations

import asyncio
from decimal import Decimal, InvalidOperation
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
from atelier.engines.providers.imaging import from_data_url, nearest_aspect_ratio, to_data_url, to_generated
from atelier.kit.errors import EngineContentPolicyError, PermanentEngineError, ProviderAuthError, RetriableEngineError

RATIOS = ("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9")


class OpenRouterEngine(HostedEngine):
    default_base_url = "https://openrouter.ai/api/v1"

    def auth_headers(self, api_key: str) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {api_key}"}
        # Optional attribution headers OpenRouter documents for app rankings.
        if self.spec.options.get("referer"):
            headers["HTTP-Referer"] = str(self.spec.options["referer"])
        headers["X-Title"] = str(self.spec.options.get("title", "Atelier"))
        return headers

    def is_policy_refusal(self, status: int, body: Any) -> bool:
        # Moderation refusals are 403 with the flagged reasons in error.metadata.
        if status != 403 or not isinstance(body, dict) or not isinstance(body.get("error"), dict):
            return False
        metadata = body["error"].get("metadata")
        return isinstance(metadata, dict) and ("reasons" in metadata or "flagged_input" in metadata)

    def model_capabilities(self) -> Capabilities:
        return Capabilities(tasks=frozenset({Task.GENERATE, Task.EDIT}), max_n=4, min_side=256, max_side=2048)

    @property
    def synthid(self) -> bool:
        return self.model.startswith("google/")

    async def generate(
        self, request: GenerationRequest, progress: ProgressCallback, cancel: CancelToken
    ) -> GenerationResult:
        self.require_key()
        await progress(0.05, "submitted")
        results = await unless_cancelled(asyncio.gather(*(self._once(request) for _ in range(request.n))), cancel)
        images = [image for found, _ in results for image in found][: request.n]
        usages = [usage for _, usage in results if usage]
        await progress(1.0, "received")
        return GenerationResult(
            images=images,
            engine=self.name,
            model=self.model,
            cost_usd=self._cost(usages),
            usage=_merge(usages) if usages else None,
        )

    def _body(self, request: GenerationRequest) -> dict[str, Any]:
        content: list[dict[str, Any]] = [{"type": "text", "text": request.prompt}]
        if request.task is Task.EDIT:
            content += [{"type": "image_url", "image_url": {"url": to_data_url(ref)}} for ref in request.references]
        return {
            "model": self.model,
            "messages": [{"role": "user", "content": content}],
            "modalities": ["image", "text"],
            "image_config": {"aspect_ratio": nearest_aspect_ratio(request.width, request.height, RATIOS)},
            "usage": {"include": True},
            "stream": False,
        }

    async def _once(self, request: GenerationRequest) -> tuple[list[GeneratedImage], dict[str, Any] | None]:
        body = await self.http.json("POST", "/chat/completions", json=self._body(request))
        if isinstance(body.get("error"), dict):
            raise self._embedded_error(body["error"])
        choices = body.get("choices")
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            raise PermanentEngineError(f"{self.provider}: response has no choices")
        choice = choices[0]
        if choice.get("finish_reason") == "content_filter" or choice.get("native_finish_reason") in {
            "SAFETY",
            "PROHIBITED_CONTENT",
            "IMAGE_SAFETY",
        }:
            raise EngineContentPolicyError(
                f"{self.provider}: the model refused the request", details={"provider": self.provider}
            )
        message = choice.get("message") or {}
        images = []
        for entry in message.get("images") or []:
            url = (entry.get("image_url") or {}).get("url") if isinstance(entry, dict) else None
            if isinstance(url, str):
                raw = from_data_url(url, self.provider) if url.startswith("data:") else await self.http.download(url)
                images.append(
                    await to_generated(
                        raw,
                        request.output_format,
                        self.provider,
                        synthid=self.synthid,
                        fit=(request.width, request.height),
                    )
                )
        if not images:
            text = message.get("content") if isinstance(message.get("content"), str) else ""
            raise PermanentEngineError(
                f"{self.provider}: the model returned no image" + (f": {text[:200]}" if text else "")
            )
        usage = body.get("usage") if isinstance(body.get("usage"), dict) else None
        return images, usage

    def _embedded_error(self, error: dict[str, Any]) -> Exception:
        """An error object inside a 200 answer (mid-stream provider failures)."""
        code = error.get("code")
        message = self.http.scrub(str(error.get("message", "")))
        if code in (401, 403):
            return ProviderAuthError(
                f"{self.provider} rejected the configured credentials", details={"provider": self.provider}
            )
        if isinstance(code, int) and (code == 429 or code >= 500):
            return RetriableEngineError(f"{self.provider}: upstream error {code}: {message}")
        return PermanentEngineError(f"{self.provider}: upstream error {code}: {message}")

    def _cost(self, usages: list[dict[str, Any]]) -> Decimal | None:
        if not usages:
            return None
        try:
            if all("cost" in u for u in usages):
                return sum((Decimal(str(u["cost"])) for u in usages), Decimal("0"))
        except InvalidOperation:
            pass
        if self.rates is None:
            return None
        prompt = sum(int(u.get("prompt_tokens", 0)) for u in usages)
        completion = sum(int(u.get("completion_tokens", 0)) for u in usages)
        return price_from_tokens(self.rates, text_input=prompt, output=completion)


def _merge(usages: list[dict[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for usage in usages:
        for key, value in usage.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                merged[key] = merged.get(key, 0) + value
    return merged
