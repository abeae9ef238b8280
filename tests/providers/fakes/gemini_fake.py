"""A fake Gemini API: ``models/{model}:generateContent`` answering image parts as
``inlineData`` at the documented size for the requested aspect ratio, with
``usageMetadata``; ``models/{model}:predict`` for Imagen; Google's error bodies (an invalid
key is a 400 with reason API_KEY_INVALID)."""

from __future__ import annotations

import base64
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from tests.providers.fakes.base import FakeState, png

#: Output sizes of gemini-2.5-flash-image per aspect ratio (1290 output tokens each).
RATIO_SIZES = {
    "1:1": (1024, 1024),
    "2:3": (832, 1248),
    "3:2": (1248, 832),
    "3:4": (864, 1184),
    "4:3": (1184, 864),
    "4:5": (896, 1152),
    "5:4": (1152, 896),
    "9:16": (768, 1344),
    "16:9": (1344, 768),
    "21:9": (1536, 672),
}


def google_error(status: int, code: str, message: str, reason: str | None = None, **headers: str) -> Response:
    error: dict[str, Any] = {"code": status, "message": message, "status": code}
    if reason:
        error["details"] = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason}]
    return JSONResponse({"error": error}, status_code=status, headers=headers)


def fault_response(fault: str | None) -> Response | None:
    if fault == "429":
        return google_error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted", **{"Retry-After": "1"})
    if fault == "500":
        return google_error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.")
    if fault == "malformed":
        return PlainTextResponse('{"candidates": [', status_code=200)
    return None


def build(state: FakeState) -> FastAPI:
    app = FastAPI()

    @app.post("/v1beta/models/{target}")
    async def call(target: str, request: Request) -> Response:
        body = await request.json()
        fault = await state.record(request, body)
        if request.headers.get("x-goog-api-key") != state.key:
            return google_error(
                400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", "API_KEY_INVALID"
            )
        if (faulty := fault_response(fault)) is not None:
            return faulty
        model, _, method = target.partition(":")
        if method == "generateContent":
            return generate_content(body)
        if method == "predict" and model.startswith("imagen"):
            return predict(body)
        return google_error(404, "NOT_FOUND", f"models/{model} is not found for API version v1beta")

    return app


def generate_content(body: dict[str, Any]) -> Response:
    parts = body["contents"][0]["parts"]
    prompt = " ".join(p.get("text", "") for p in parts)
    references = [p for p in parts if "inline_data" in p or "inlineData" in p]
    if "forbidden" in prompt:
        return JSONResponse({"promptFeedback": {"blockReason": "SAFETY"}, "usageMetadata": {"promptTokenCount": 8}})
    config = body.get("generationConfig", {})
    if "IMAGE" not in config.get("responseModalities", []):
        return JSONResponse(
            {"candidates": [{"content": {"parts": [{"text": "Here is a description."}]}, "finishReason": "STOP"}]}
        )
    if "unsafe-image" in prompt:
        return JSONResponse({"candidates": [{"content": {"parts": []}, "finishReason": "IMAGE_SAFETY"}]})
    ratio = config.get("imageConfig", {}).get("aspectRatio", "1:1")
    width, height = RATIO_SIZES[ratio]
    color = (200, 50, 50) if references else (20, 120, 200)
    image = base64.b64encode(png(width, height, color)).decode()
    return JSONResponse(
        {
            "candidates": [
                {
                    "content": {
                        "role": "model",
                        "parts": [{"text": "Here you go."}, {"inlineData": {"mimeType": "image/png", "data": image}}],
                    },
                    "finishReason": "STOP",
                }
            ],
            "usageMetadata": {
                "promptTokenCount": 10 + 258 * len(references),
                "candidatesTokenCount": 1290,
                "totalTokenCount": 1300 + 258 * len(references),
                "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 10}]
                + ([{"modality": "IMAGE", "tokenCount": 258 * len(references)}] if references else []),
            },
            "modelVersion": "gemini-2.5-flash-image",
        }
    )


IMAGEN_SIZES = {"1:1": (1024, 1024), "3:4": (896, 1280), "4:3": (1280, 896), "9:16": (768, 1408), "16:9": (1408, 768)}


def predict(body: dict[str, Any]) -> Response:
    prompt = body["instances"][0]["prompt"]
    parameters = body.get("parameters", {})
    if "forbidden" in prompt:
        return JSONResponse({})
    width, height = IMAGEN_SIZES[parameters.get("aspectRatio", "1:1")]
    predictions: list[dict[str, Any]] = []
    for index in range(int(parameters.get("sampleCount", 4))):
        if "partly" in prompt and index == 0:
            predictions.append({"raiFilteredReason": "56: the image was filtered by the safety filters"})
            continue
        predictions.append(
            {"bytesBase64Encoded": base64.b64encode(png(width, height)).decode(), "mimeType": "image/png"}
        )
    return JSONResponse({"predictions": predictions})
