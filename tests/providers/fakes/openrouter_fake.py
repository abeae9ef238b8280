"""A fake OpenRouter: ``POST /api/v1/chat/completions``; with ``modalities`` including
"image" the assistant message carries ``images`` as base64 data URLs; ``usage`` with
``cost`` when usage accounting is asked; moderation refusals as 403 with
``error.metadata.reasons``; OpenRouter's error bodies."""

from __future__ import annotations

import base64
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from tests.providers.fakes.base import FakeState, png

RATIO_SIZES = {"1:1": (1024, 1024), "16:9": (1344, 768), "9:16": (768, 1344), "3:2": (1248, 832)}


def error(status: int, message: str, metadata: dict[str, Any] | None = None, **headers: str) -> Response:
    body: dict[str, Any] = {"error": {"code": status, "message": message}}
    if metadata is not None:
        body["error"]["metadata"] = metadata
    return JSONResponse(body, status_code=status, headers=headers)


def build(state: FakeState) -> FastAPI:
    app = FastAPI()

    @app.post("/api/v1/chat/completions")
    async def completions(request: Request) -> Response:
        body = await request.json()
        fault = await state.record(request, body)
        if request.headers.get("authorization") != f"Bearer {state.key}":
            return error(401, "No auth credentials found")
        if fault == "429":
            return error(429, "Rate limit exceeded", **{"Retry-After": "1"})
        if fault == "402":
            return error(402, "Insufficient credits. Add more using https://openrouter.ai/credits")
        if fault == "embedded":
            return JSONResponse({"id": "gen-1", "error": {"code": 502, "message": "Provider returned error"}})
        if fault == "malformed":
            return PlainTextResponse("", status_code=200)
        content = body["messages"][0]["content"]
        prompt = " ".join(part.get("text", "") for part in content if part.get("type") == "text")
        if "forbidden" in prompt:
            return error(
                403,
                "Input was flagged by moderation",
                {"reasons": ["violence"], "flagged_input": prompt[:20], "provider_name": "Google"},
            )
        message: dict[str, Any] = {"role": "assistant", "content": "Here is your image."}
        if "image" in body.get("modalities", []):
            ratio = body.get("image_config", {}).get("aspect_ratio", "1:1")
            width, height = RATIO_SIZES.get(ratio, (1024, 1024))
            data = base64.b64encode(png(width, height)).decode()
            message["images"] = [{"type": "image_url", "image_url": {"url": f"data:image/png;base64,{data}"}}]
        usage: dict[str, Any] = {"prompt_tokens": 12, "completion_tokens": 1300, "total_tokens": 1312}
        if body.get("usage", {}).get("include"):
            usage["cost"] = 0.0391
        return JSONResponse(
            {
                "id": "gen-123",
                "model": body["model"],
                "object": "chat.completion",
                "choices": [{"index": 0, "finish_reason": "stop", "native_finish_reason": "STOP", "message": message}],
                "usage": usage,
            }
        )

    return app
