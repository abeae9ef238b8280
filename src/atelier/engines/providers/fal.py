"""fal.ai through its queue API (``queue.fal.run``): submit, poll the status (with queue
position, reported as progress), fetch the result, cancel. Auth header ``Key <FAL_KEY>``.

Status and result live under the app id (the first two segments of a model id such as
``fal-ai/flux/dev``); the URLs fal returns at submit are used when they point at the same
host, so the key is never sent anywhere else.

With a :class:`FalWebhooks` inbox attached (the server has a public URL) and a job running,
the submit carries fal's ``fal_webhook`` query parameter. fal then POSTs the outcome to
that URL; the route records it in the database, the adapter sees it on its next check and
fetches the result at once, so fal's status is only polled now and then as a safety net
(option ``webhook_status_interval``, seconds). Images are still fetched and checked here:
a notification never carries a result into storage by itself."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable
from typing import Any, Protocol

from atelier.engines.base import (
    CancelToken,
    Capabilities,
    GeneratedImage,
    GenerationRequest,
    GenerationResult,
    ProgressCallback,
    Task,
)
from atelier.engines.providers.hosted import HostedEngine
from atelier.engines.providers.imaging import from_data_url, nearest_aspect_ratio, to_data_url, to_generated
from atelier.kit.context import current_job_id
from atelier.kit.errors import EngineContentPolicyError, JobCanceled, PermanentEngineError

EDIT_MODELS = (
    "fal-ai/flux/dev/image-to-image",
    "fal-ai/recraft/v3/image-to-image",
    "fal-ai/flux-pro/kontext",
    "fal-ai/flux-pro/kontext/max",
    "fal-ai/flux-kontext/dev",
    "fal-ai/flux-kontext-lora",
    "fal-ai/nano-banana/edit",
)
VARIATION_MODELS = ("fal-ai/flux-1/schnell/redux", "fal-ai/flux-1/dev/redux")
#: Models that take an aspect ratio rather than a pixel size.
ASPECT_MODELS = ("fal-ai/nano-banana", "fal-ai/ideogram/v2", "fal-ai/flux-pro/kontext")
ASPECT_RATIOS = ("1:1", "2:3", "3:2", "3:4", "4:3", "9:16", "16:9", "21:9")
#: Caller options forwarded to fal as is (seed 003's parameters).
PASSTHROUGH = (
    "loras",
    "strength",
    "controlnet_conditioning_scale",
    "expand_prompt",
    "enable_safety_checker",
    "acceleration",
)
TERMINAL_WAIT = 0.2
#: With a webhook expected, fal's status is still polled this often (seconds): a fal that
#: cannot reach the public URL costs a job at most this much extra wait.
WEBHOOK_STATUS_INTERVAL = 5.0
log = logging.getLogger("atelier.engines.fal")


async def _inbox_call(call: Awaitable[None]) -> bool:
    """Record in the webhook inbox; a failure (the database busy or down) only means this
    request is followed by polling fal's status, never a failed job or an orphaned request."""
    try:
        await call
    except Exception:
        log.warning("fal webhook inbox unavailable; following the request by polling", exc_info=True)
        return False
    return True


class FalWebhooks(Protocol):
    """Where fal's notifications for a job arrive, readable from any process."""

    def url_for(self, job_id: str) -> str:
        """The webhook URL (with its per-job token) to give fal."""
        ...

    async def expect(self, job_id: str, request_id: str | None) -> None:
        """Record that the job now waits on this fal request (None: its submit is in flight)."""
        ...

    async def notification(self, job_id: str, request_id: str) -> dict[str, Any] | None:
        """The verified notification for this request (``status``, ``error``), once it came."""
        ...


class FalEngine(HostedEngine):
    default_base_url = "https://queue.fal.run"
    #: Attached at start-up when the server has a public URL (see ``compat.dreamy_studio``).
    webhooks: FalWebhooks | None = None

    def auth_headers(self, api_key: str) -> dict[str, str]:
        return {"Authorization": f"Key {api_key}"}

    def is_policy_refusal(self, status: int, body: Any) -> bool:
        if status not in (400, 422) or not isinstance(body, dict):
            return False
        detail = body.get("detail")
        items = detail if isinstance(detail, list) else [detail]
        return any(isinstance(i, dict) and i.get("type") == "content_policy_violation" for i in items)

    def model_capabilities(self) -> Capabilities:
        if self.model in EDIT_MODELS:
            return Capabilities(tasks=frozenset({Task.EDIT}), max_n=4, min_side=256, max_side=2048)
        if self.model in VARIATION_MODELS:
            return Capabilities(tasks=frozenset({Task.VARIATIONS}), max_n=4, min_side=256, max_side=2048)
        return Capabilities(tasks=frozenset({Task.GENERATE}), max_n=4, min_side=256, max_side=2048)

    @property
    def app_id(self) -> str:
        return "/".join(self.model.split("/")[:2])

    def _input(self, request: GenerationRequest) -> dict[str, Any]:
        payload: dict[str, Any] = {"prompt": request.prompt, "num_images": request.n}
        if self.model.startswith(ASPECT_MODELS):
            payload["aspect_ratio"] = nearest_aspect_ratio(request.width, request.height, ASPECT_RATIOS)
        else:
            payload["image_size"] = {"width": request.width, "height": request.height}
        payload["output_format"] = "jpeg" if request.output_format.value == "jpeg" else "png"
        optional = {
            "seed": request.seed,
            "negative_prompt": request.negative_prompt,
            "guidance_scale": request.guidance,
            "num_inference_steps": request.steps,
        }
        payload.update({k: v for k, v in optional.items() if v is not None})
        payload.update({k: request.extra[k] for k in PASSTHROUGH if k in request.extra})
        if request.task is not Task.GENERATE and request.references:
            if self.model.endswith("/edit"):
                payload["image_urls"] = [to_data_url(ref) for ref in request.references]
            else:
                payload["image_url"] = to_data_url(request.references[0])
        return payload

    def _own_url(self, url: Any, fallback: str) -> str:
        base = self.http.base_url.rstrip("/")
        return url if isinstance(url, str) and url.startswith(base + "/") else fallback

    async def generate(
        self, request: GenerationRequest, progress: ProgressCallback, cancel: CancelToken
    ) -> GenerationResult:
        self.require_key()
        cancel.raise_if_cancelled()
        job_id = current_job_id()
        hooks = self.webhooks if job_id else None
        query = None
        if hooks and job_id and await _inbox_call(hooks.expect(job_id, None)):
            query = {"fal_webhook": hooks.url_for(job_id)}
        submitted = await self.http.json("POST", f"/{self.model}", json=self._input(request), params=query)
        request_id = submitted.get("request_id")
        if not isinstance(request_id, str):
            raise PermanentEngineError(f"{self.provider}: queue submit returned no request_id")
        inbox = None
        if query and hooks and job_id and await _inbox_call(hooks.expect(job_id, request_id)):
            inbox = (hooks, job_id, request_id)
        base = self.http.base_url.rstrip("/")
        own = f"{base}/{self.app_id}/requests/{request_id}"
        urls = {
            "status": self._own_url(submitted.get("status_url"), f"{own}/status"),
            "result": self._own_url(submitted.get("response_url"), own),
            "cancel": self._own_url(submitted.get("cancel_url"), f"{own}/cancel"),
        }
        try:
            notified = await self._wait(urls["status"], progress, cancel, inbox)
        except (Exception, asyncio.CancelledError):
            # canceled, or a failed poll the router may retry with a new submit: either way
            # this request is abandoned, so fal must stop running (and billing) it
            await self._cancel(urls["cancel"])
            raise
        result = await self.http.json("GET", urls["result"])
        images = await self._images(result, request)
        await progress(1.0, "completed")
        notes = [f"fal request {request_id}"] + (["completion notified by fal's webhook"] if notified else [])
        return GenerationResult(images=images, engine=self.name, model=self.model, notes=notes, usage=None)

    async def _wait(
        self,
        status_url: str,
        progress: ProgressCallback,
        cancel: CancelToken,
        inbox: tuple[FalWebhooks, str, str] | None,
    ) -> bool:
        """Until fal reports the request done: by its status, or by a recorded webhook call
        (then fal's status is polled only every ``webhook_status_interval`` seconds). True
        when the webhook told."""
        interval = float(self.spec.options.get("poll_interval", 0.5))
        status_every = float(self.spec.options.get("webhook_status_interval", WEBHOOK_STATUS_INTERVAL))
        next_status = 0.0
        while True:
            if inbox is not None:
                hooks, job_id, request_id = inbox
                try:
                    note = await hooks.notification(job_id, request_id)
                except Exception:  # the inbox is a shortcut: without it, fal's status is polled
                    log.warning("fal webhook inbox unreadable for %s; polling fal's status", job_id, exc_info=True)
                    inbox, note = None, None
                if note is not None:
                    if note.get("status") != "OK":
                        detail = self.http.scrub(str(note.get("error") or note.get("status")))
                        raise PermanentEngineError(f"{self.provider}: request failed: {detail}")
                    return True
            if inbox is None or time.monotonic() >= next_status:
                next_status = time.monotonic() + status_every
                if await self._poll_status(status_url, progress):
                    return False
            if cancel.cancelled:
                raise JobCanceled()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(cancel.wait(), timeout=interval)

    async def _poll_status(self, status_url: str, progress: ProgressCallback) -> bool:
        """One status call: True when done, progress reported while queued or running."""
        status = await self.http.json("GET", status_url)
        state = status.get("status")
        if state == "COMPLETED":
            if status.get("error"):
                raise PermanentEngineError(f"{self.provider}: request failed: {self.http.scrub(str(status['error']))}")
            return True
        if state == "IN_QUEUE":
            position = status.get("queue_position")
            await progress(0.05, f"in_queue:{position}" if isinstance(position, int) else "in_queue")
        elif state == "IN_PROGRESS":
            await progress(0.5, "in_progress")
        else:
            raise PermanentEngineError(f"{self.provider}: unknown queue status {state!r}")
        return False

    async def _cancel(self, cancel_url: str) -> None:
        """Best effort: the job is over for us either way, but fal should stop billing it."""
        with contextlib.suppress(Exception):
            await asyncio.shield(self.http.send("PUT", cancel_url, timeout=5.0))

    async def _images(self, result: dict[str, Any], request: GenerationRequest) -> list[GeneratedImage]:
        items = result.get("images")
        if not isinstance(items, list) and isinstance(result.get("image"), dict):
            items = [result["image"]]
        if not isinstance(items, list) or not items:
            raise PermanentEngineError(f"{self.provider}: result holds no images")
        flags = result.get("has_nsfw_concepts") or []
        keep = [item for i, item in enumerate(items) if not (i < len(flags) and flags[i] is True)]
        if not keep:
            raise EngineContentPolicyError(
                f"{self.provider}: every image was flagged by its safety checker", details={"provider": self.provider}
            )
        images = []
        for item in keep:
            url = item.get("url") if isinstance(item, dict) else None
            if not isinstance(url, str):
                raise PermanentEngineError(f"{self.provider}: image entry has no url")
            raw = from_data_url(url, self.provider) if url.startswith("data:") else await self.http.download(url)
            images.append(
                await to_generated(raw, request.output_format, self.provider, fit=(request.width, request.height))
            )
        return images
