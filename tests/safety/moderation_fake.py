"""A fake OpenAI-compatible moderation endpoint (``POST /v1/moderations``): flags the
categories whose marker word is in the input, answers the documented result shape, and
refuses a wrong key as OpenAI does."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

KEY = "sk-moderation-test-123"
#: Marker word → the protocol's categories it flags.
MARKERS = {
    "zorblax": ["sexual"],
    "quuxian": ["hate", "hate/threatening"],
    "minorix": ["sexual", "sexual/minors"],
}
CATEGORIES = ["sexual", "sexual/minors", "hate", "hate/threatening", "harassment", "violence", "self-harm"]


def build(seen: list[dict[str, Any]]) -> FastAPI:
    app = FastAPI()

    @app.post("/v1/moderations")
    async def moderations(request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {KEY}":
            error = {
                "message": "Incorrect API key provided",
                "type": "invalid_request_error",
                "code": "invalid_api_key",
            }
            return JSONResponse({"error": error}, status_code=401)
        body = await request.json()
        seen.append(body)
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        results = []
        for text in inputs:
            flagged = {c for word, cats in MARKERS.items() if word in str(text).lower() for c in cats}
            results.append(
                {
                    "flagged": bool(flagged),
                    "categories": {c: c in flagged for c in CATEGORIES},
                    "category_scores": {c: 0.97 if c in flagged else 0.001 for c in CATEGORIES},
                }
            )
        return JSONResponse({"id": "modr-1", "model": body.get("model", "omni-moderation-latest"), "results": results})

    return app
