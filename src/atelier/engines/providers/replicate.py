"""Replicate predictions: create (``Prefer: wait`` so quick models answer in one round trip),
poll ``GET /predictions/{id}`` while ``starting``/``processing``, cancel with
``POST /predictions/{id}/cancel``. Official models by ``owner/name``
(``/models/{owner}/{name}/predictions``), community ones by ``owner/name:version``."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from atelier.engines.base import (
    CancelToken,
    Capabilities,
    GenerationRequest,
    GenerationResult,
    ProgressCallback,
    Task,
)
from atelier.engines.providers.hosted import HostedEngine
from atelier.engines.providers.imaging import from_data_url, nearest_aspect_ratio, to_data_url, to_generated
from atelier.kit.errors import EngineContentPolicyError, JobCanceled, PermanentEngineError

RATIOS = ("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9")
RUNNING = frozenset({"starting", "processing"})
_POLICY_WORDS = ("nsfw", "content policy", "safety", "flagged as sensitive")


class ReplicateEngine(HostedEngine):
    default_base_url = "https://api.replicate.com/v1"

    def model_capabilities(self) -> Capabilities:
        tasks = {Task.GENERATE}
        if self.spec.options.get("image_field"):
            tasks.add(Task.EDIT)
        return Capabilities(tasks=frozenset(tasks), max_n=4, min_side=256, max_side=2048)

    def _input(self, request: GenerationRequest) -> dict[str, Any]:
        payload: dict[str, Any] = {"prompt": request.prompt}
        if self.spec.options.get("size_mode") == "width_height":
            payload.update(width=request.width, height=request.height)
        else:
            payload["aspect_ratio"] = nearest_aspect_ratio(request.width, request.height, RATIOS)
        if request.n > 1:
            payload["num_outputs"] = request.n
        payload["output_format"] = {"jpeg": "jpg"}.get(request.output_format.value, request.output_format.value)
        optional = {
            "seed": request.seed,
            "negative_prompt": request.negative_prompt,
            "guidance": request.guidance,
            "num_inference_steps": request.steps,
        }
        payload.update({k: v for k, v in optional.items() if v is not None})
        field = self.spec.options.get("image_field")
        if request.task is Task.EDIT and field and request.references:
            payload[str(field)] = to_data_url(request.references[0])
        return payload

    async def generate(
        self, request: GenerationRequest, progress: ProgressCallback, cancel: CancelToken
    ) -> GenerationResult:
        self.require_key()
        cancel.raise_if_cancelled()
        wait = int(min(60, max(1, self.spec.options.get("prefer_wait", 60))))
        headers = {"Prefer": f"wait={wait}"}
        if ":" in self.model:
            body = {"version": self.model.split(":", 1)[1], "input": self._input(request)}
            prediction = await self.http.json("POST", "/predictions", json=body, headers=headers)
        else:
            body = {"input": self._input(request)}
            prediction = await self.http.json("POST", f"/models/{self.model}/predictions", json=body, headers=headers)
        prediction_id = prediction.get("id")
        if not isinstance(prediction_id, str):
            raise PermanentEngineError(f"{self.provider}: create returned no prediction id")
        try:
            prediction = await self._wait(prediction, prediction_id, progress, cancel)
        except BaseException:
            # Cancelled, or a poll failed: either way this prediction is given up (the router
            # may start another), so Replicate should stop running and billing it.
            with contextlib.suppress(Exception):
                await asyncio.shield(self.http.send("POST", f"/predictions/{prediction_id}/cancel", timeout=5.0))
            raise
        outputs = prediction.get("output")
        urls = [outputs] if isinstance(outputs, str) else outputs
        if not isinstance(urls, list) or not urls or not all(isinstance(u, str) for u in urls):
            raise PermanentEngineError(f"{self.provider}: prediction succeeded without image outputs")
        images = []
        for url in urls[: request.n]:
            raw = from_data_url(url, self.provider) if url.startswith("data:") else await self.http.download(url)
            images.append(
                await to_generated(raw, request.output_format, self.provider, fit=(request.width, request.height))
            )
        await progress(1.0, "succeeded")
        metrics = prediction.get("metrics") if isinstance(prediction.get("metrics"), dict) else None
        return GenerationResult(
            images=images,
            engine=self.name,
            model=self.model,
            usage=metrics,
            notes=[f"replicate prediction {prediction_id}"],
        )

    async def _wait(
        self, prediction: dict[str, Any], prediction_id: str, progress: ProgressCallback, cancel: CancelToken
    ) -> dict[str, Any]:
        interval = float(self.spec.options.get("poll_interval", 1.0))
        while True:
            status = prediction.get("status")
            if status == "succeeded":
                return prediction
            if status == "failed":
                error = self.http.scrub(str(prediction.get("error") or "no error given"))
                if any(word in error.lower() for word in _POLICY_WORDS):
                    raise EngineContentPolicyError(
                        f"{self.provider} refused the request: {error}", details={"provider": self.provider}
                    )
                raise PermanentEngineError(f"{self.provider}: prediction failed: {error}")
            if status == "canceled":
                raise JobCanceled()
            if status not in RUNNING:
                raise PermanentEngineError(f"{self.provider}: unknown prediction status {status!r}")
            await progress(0.1 if status == "starting" else 0.5, str(status))
            if cancel.cancelled:
                raise JobCanceled()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(cancel.wait(), timeout=interval)
            if cancel.cancelled:
                raise JobCanceled()
            prediction = await self.http.json("GET", f"/predictions/{prediction_id}")
