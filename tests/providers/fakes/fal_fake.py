"""A fake fal queue (``queue.fal.run``): submit to ``/{model id}``, then status, result and
cancel under ``/{app id}/requests/{request_id}`` (the app id is the model id's first two
segments), states IN_QUEUE (with queue_position) → IN_PROGRESS → COMPLETED, outputs as CDN
URLs, ``has_nsfw_concepts``, and fal's error bodies. Auth header ``Key <key>``."""

from __future__ import annotations

import base64
import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from tests.providers.fakes.base import FakeState, png

EDIT_MODELS = {"fal-ai/flux/dev/image-to-image", "fal-ai/flux-pro/kontext"}


def build(state: FakeState) -> FastAPI:
    app = FastAPI()
    requests: dict[str, dict[str, Any]] = {}

    def authorized(request: Request) -> bool:
        return request.headers.get("authorization") == f"Key {state.key}"

    def fault_response(fault: str | None) -> Response | None:
        if fault == "429":
            return JSONResponse({"detail": "Too many requests"}, status_code=429, headers={"Retry-After": "1"})
        if fault == "500":
            return JSONResponse({"detail": "Internal Server Error"}, status_code=500)
        if fault == "malformed":
            return PlainTextResponse("bad gateway", status_code=200)
        return None

    @app.get("/cdn/{name}")
    async def cdn(name: str, request: Request) -> Response:
        await state.record(request, None)
        return Response(state.files[name], media_type="image/png")

    @app.get("/{owner}/{app_name}/requests/{rid}/status")
    async def status(owner: str, app_name: str, rid: str, request: Request) -> Response:
        fault = await state.record(request, None)
        if not authorized(request):
            return JSONResponse({"detail": "Unauthorized"}, status_code=401)
        if (faulty := fault_response(fault)) is not None:
            return faulty
        job = requests.get(rid)
        if job is None or job["app"] != f"{owner}/{app_name}":
            return JSONResponse({"detail": "Request not found"}, status_code=404)
        base = f"{request.base_url}{job['app']}/requests/{rid}"
        job["polls"] += 1
        if job["polls"] <= 2:
            return JSONResponse(
                {"status": "IN_QUEUE", "queue_position": 3 - job["polls"], "response_url": base}, status_code=202
            )
        if job["polls"] == 3:
            return JSONResponse({"status": "IN_PROGRESS", "response_url": base, "logs": None}, status_code=202)
        return JSONResponse({"status": "COMPLETED", "response_url": base, "metrics": {"inference_time": 0.8}})

    @app.get("/{owner}/{app_name}/requests/{rid}")
    async def result(owner: str, app_name: str, rid: str, request: Request) -> Response:
        fault = await state.record(request, None)
        if not authorized(request):
            return JSONResponse({"detail": "Unauthorized"}, status_code=401)
        if (faulty := fault_response(fault)) is not None:
            return faulty
        job = requests.get(rid)
        if job is None or job["app"] != f"{owner}/{app_name}":
            return JSONResponse({"detail": "Request not found"}, status_code=404)
        if job["polls"] < 4:
            return JSONResponse({"detail": "Request is still in progress"}, status_code=400)
        payload = job["input"]
        size = payload.get("image_size") or {"width": 1024, "height": 1024}
        images = []
        for _ in range(int(payload.get("num_images", 1))):
            name = f"{secrets.token_hex(6)}.png"
            state.files[name] = png(size["width"], size["height"])
            images.append(
                {
                    "url": f"{request.base_url}cdn/{name}",
                    "width": size["width"],
                    "height": size["height"],
                    "content_type": "image/png",
                }
            )
        nsfw = "nsfw" in payload["prompt"]
        return JSONResponse(
            {
                "images": images,
                "seed": payload.get("seed", 42),
                "prompt": payload["prompt"],
                "has_nsfw_concepts": [nsfw] * len(images),
                "timings": {"inference": 0.8},
            }
        )

    @app.put("/{owner}/{app_name}/requests/{rid}/cancel")
    async def cancel(owner: str, app_name: str, rid: str, request: Request) -> Response:
        await state.record(request, None)
        if not authorized(request):
            return JSONResponse({"detail": "Unauthorized"}, status_code=401)
        job = requests.get(rid)
        if job is None:
            return JSONResponse({"detail": "Request not found"}, status_code=404)
        job["canceled"] = True
        return JSONResponse({"status": "CANCELLATION_REQUESTED"}, status_code=202)

    @app.post("/{model:path}")
    async def submit(model: str, request: Request) -> Response:
        payload = await request.json()
        fault = await state.record(request, payload)
        if not authorized(request):
            return JSONResponse({"detail": "Unauthorized"}, status_code=401)
        if (faulty := fault_response(fault)) is not None:
            return faulty
        if not payload.get("prompt"):
            return JSONResponse(
                {"detail": [{"loc": ["body", "prompt"], "msg": "field required", "type": "value_error.missing"}]},
                status_code=422,
            )
        if model in EDIT_MODELS:
            url = payload.get("image_url", "")
            if not url.startswith("data:image/") or not base64.b64decode(url.split(",", 1)[1]):
                return JSONResponse(
                    {
                        "detail": [
                            {"loc": ["body", "image_url"], "msg": "field required", "type": "value_error.missing"}
                        ]
                    },
                    status_code=422,
                )
        if "blocked" in payload["prompt"]:
            return JSONResponse(
                {
                    "detail": [
                        {
                            "loc": ["body", "prompt"],
                            "msg": "The content could not be processed.",
                            "type": "content_policy_violation",
                        }
                    ]
                },
                status_code=422,
            )
        rid = secrets.token_hex(8)
        app_id = "/".join(model.split("/")[:2])
        requests[rid] = {"app": app_id, "input": payload, "polls": 0, "canceled": False}
        base = f"{request.base_url}{app_id}/requests/{rid}"
        return JSONResponse(
            {
                "request_id": rid,
                "response_url": base,
                "status_url": f"{base}/status",
                "cancel_url": f"{base}/cancel",
                "queue_position": 2,
            }
        )

    return app


#: User-Agent of the fake's own background run, to tell its status calls from the adapter's.
RUNNER_AGENT = "fal-fake-webhook-runner"


def build_with_webhooks(state: FakeState, deliveries: list[dict[str, Any]]) -> FastAPI:
    """The same queue, plus fal's webhook delivery: a submit with the ``fal_webhook`` query
    parameter is run to completion in the background (through the queue's own status and
    result routes) and the outcome POSTed to that URL in fal's documented body
    ``{"request_id", "gateway_request_id", "status": "OK", "payload": <result>, "error": None}``.
    Each delivery's URL, body and the answer it got are appended to ``deliveries``."""
    import asyncio
    import json

    import httpx
    from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

    app = build(state)
    tasks: set[asyncio.Task[None]] = set()

    async def deliver(base: str, auth: str, submitted: dict[str, Any], hook: str) -> None:
        headers = {"authorization": auth, "user-agent": RUNNER_AGENT}
        async with httpx.AsyncClient(timeout=10) as client:
            for _ in range(10):
                status = (await client.get(submitted["status_url"], headers=headers)).json()
                if status["status"] == "COMPLETED":
                    break
            result = await client.get(submitted["response_url"], headers=headers)
            body = {
                "request_id": submitted["request_id"],
                "gateway_request_id": submitted["request_id"],
                "status": "OK" if result.status_code == 200 else "ERROR",
                "payload": result.json(),
                "error": None if result.status_code == 200 else "Invalid status code: 422",
            }
            answer = await client.post(hook, json=body)
            deliveries.append({"url": hook, "body": body, "status_code": answer.status_code, "answer": answer.json()})

    async def with_webhook(request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        hook = request.query_params.get("fal_webhook")
        if request.method != "POST" or not hook or response.status_code != 200:
            return response
        raw = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
        task = asyncio.create_task(
            deliver(str(request.base_url), request.headers.get("authorization", ""), json.loads(raw), hook)
        )
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        return Response(raw, status_code=200, media_type="application/json")

    app.add_middleware(BaseHTTPMiddleware, dispatch=with_webhook)
    return app
