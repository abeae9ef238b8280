"""A fake Replicate API: ``POST /v1/models/{owner}/{name}/predictions`` (and
``/v1/predictions`` with a version) honouring ``Prefer: wait``; ``GET /v1/predictions/{id}``
moving starting → processing → succeeded; ``POST /v1/predictions/{id}/cancel``; outputs as
file URLs; Replicate's problem-JSON errors."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from tests.providers.fakes.base import FakeState, png

RATIO_SIZES = {"1:1": (1024, 1024), "16:9": (1344, 768), "9:16": (768, 1344), "3:2": (1216, 832), "2:3": (832, 1216)}


def problem(status: int, title: str, detail: str, **headers: str) -> Response:
    return JSONResponse({"title": title, "detail": detail, "status": status}, status_code=status, headers=headers)


def fault_response(fault: str | None) -> Response | None:
    """Injected faults ("timeout" and "slow" are applied by :meth:`FakeState.record`)."""
    if fault == "429":
        return problem(
            429,
            "Request was throttled.",
            "Request was throttled. Expected available in 1 second.",
            **{"Retry-After": "1"},
        )
    if fault == "500":
        return problem(500, "Internal Server Error", "Something went wrong")
    if fault == "malformed":
        return PlainTextResponse("<html><body>502 Bad Gateway</body></html>", status_code=200)
    return None


def build(state: FakeState) -> FastAPI:
    app = FastAPI()
    predictions: dict[str, dict[str, Any]] = {}

    def authorized(request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {state.key}"

    def view(request: Request, pid: str) -> dict[str, Any]:
        job = predictions[pid]
        base = f"{request.base_url}v1/predictions/{pid}"
        return {
            "id": pid,
            "model": job["model"],
            "version": job.get("version", "hidden"),
            "input": job["input"],
            "status": job["status"],
            "output": job.get("output"),
            "error": job.get("error"),
            "logs": "",
            "metrics": {"predict_time": 1.2} if job["status"] == "succeeded" else {},
            "urls": {"get": base, "cancel": f"{base}/cancel"},
        }

    def finish(request: Request, job: dict[str, Any]) -> None:
        prompt = job["input"]["prompt"]
        if "nsfw" in prompt:
            job["status"], job["error"] = (
                "failed",
                "NSFW content detected. Try running it again, or try a different prompt.",
            )
            return
        width, height = RATIO_SIZES.get(job["input"].get("aspect_ratio", "1:1"), (1024, 1024))
        outputs = []
        for _ in range(int(job["input"].get("num_outputs", 1))):
            name = f"{secrets.token_hex(6)}.png"
            state.files[name] = png(width, height)
            outputs.append(f"{request.base_url}files/{name}")
        job["status"], job["output"] = "succeeded", outputs

    async def create(request: Request, model: str, version: str | None) -> Response:
        body = await request.json()
        fault = await state.record(request, body)
        if not authorized(request):
            return problem(401, "Unauthenticated", "You did not pass a valid authentication token")
        if (faulty := fault_response(fault)) is not None:
            return faulty
        if not isinstance(body.get("input"), dict) or "prompt" not in body["input"]:
            return problem(422, "Input validation failed", "input: prompt is required")
        pid = secrets.token_hex(10)
        job: dict[str, Any] = {"model": model, "input": body["input"], "status": "starting", "polls": 0}
        if version:
            job["version"] = version
        predictions[pid] = job
        if "fast" in model and request.headers.get("prefer", "").startswith("wait"):
            finish(request, job)
            return JSONResponse(view(request, pid), status_code=201)
        return JSONResponse(view(request, pid), status_code=201)

    @app.post("/v1/models/{owner}/{name}/predictions")
    async def create_official(owner: str, name: str, request: Request) -> Response:
        return await create(request, f"{owner}/{name}", None)

    @app.post("/v1/predictions")
    async def create_versioned(request: Request) -> Response:
        body = await request.json()
        return await create(request, "community/model", body.get("version"))

    @app.get("/v1/predictions/{pid}")
    async def get(pid: str, request: Request) -> Response:
        fault = await state.record(request, None)
        if not authorized(request):
            return problem(401, "Unauthenticated", "You did not pass a valid authentication token")
        if (faulty := fault_response(fault)) is not None:
            return faulty
        job = predictions.get(pid)
        if job is None:
            return problem(404, "Not found", "The requested resource could not be found.")
        if job["status"] in {"starting", "processing"}:
            job["polls"] += 1
            if job["polls"] == 1:
                job["status"] = "processing"
            elif job["polls"] >= 2:
                finish(request, job)
        return JSONResponse(view(request, pid))

    @app.post("/v1/predictions/{pid}/cancel")
    async def cancel(pid: str, request: Request) -> Response:
        await state.record(request, None)
        job = predictions.get(pid)
        if job is None:
            return problem(404, "Not found", "The requested resource could not be found.")
        job["status"] = "canceled"
        return JSONResponse(view(request, pid))

    @app.get("/files/{name}")
    async def files(name: str, request: Request) -> Response:
        await state.record(request, None)
        return Response(state.files[name], media_type="image/png")

    return app
