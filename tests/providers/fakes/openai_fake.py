"""A fake OpenAI Images API: generations (JSON), edits and variations (multipart), per-model
rules as documented (GPT image models always answer base64 and refuse ``response_format``;
DALL·E answers ``url`` unless ``b64_json`` is asked), usage for GPT image models, and
OpenAI's error bodies."""

from __future__ import annotations

import base64
import io
import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from PIL import Image, UnidentifiedImageError
from starlette.datastructures import UploadFile

from tests.providers.fakes.base import FakeState, png

SIZES = {
    "gpt-image-1": {"1024x1024", "1536x1024", "1024x1536", "auto"},
    "dall-e-3": {"1024x1024", "1792x1024", "1024x1792"},
    "dall-e-2": {"256x256", "512x512", "1024x1024"},
}


def error(
    status: int, message: str, code: str | None, type_: str = "invalid_request_error", **headers: str
) -> Response:
    body = {"error": {"message": message, "type": type_, "param": None, "code": code}}
    return JSONResponse(body, status_code=status, headers=headers)


def fault_response(fault: str | None) -> Response | None:
    if fault == "429":
        return error(429, "Rate limit reached for images", "rate_limit_exceeded", "requests", **{"Retry-After": "1"})
    if fault == "quota":
        return error(429, "You exceeded your current quota", "insufficient_quota", "insufficient_quota")
    if fault == "credit":
        return error(429, "Your credit balance is exhausted", "credit_balance_exhausted", "requests")
    if fault == "500":
        return error(500, "The server had an error while processing your request.", None, "server_error")
    if fault == "malformed":
        return PlainTextResponse("<html>upstream connect error</html>", status_code=200)
    return None


def sniff(data: bytes) -> str | None:
    """The real type of an uploaded file, from its bytes (as the API checks it)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}.get(image.format or "")
    except (UnidentifiedImageError, OSError):
        return None


def check_uploads(model: str, types: dict[str, tuple[str | None, str | None]]) -> Response | None:
    """DALL·E 2 takes only PNG; every model refuses files whose label is not what they hold,
    and masks must be PNG."""
    for name, (label, actual) in types.items():
        if (model.startswith("dall-e-2") or name.startswith("mask")) and actual != "image/png":
            return error(400, "Uploaded image must be a PNG and less than 4 MB.", "invalid_image_format")
        if actual is None or label != actual:
            return error(
                400,
                f"Invalid file '{name}': unsupported mimetype ('{label}'). "
                "Supported file formats are 'image/jpeg', 'image/png', and 'image/webp'.",
                "invalid_image_format",
            )
    return None


def build(state: FakeState) -> FastAPI:
    app = FastAPI()

    def authorized(request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {state.key}"

    def answer(request: Request, model: str, n: int, size: str, response_format: str | None, prompt: str) -> Response:
        if "forbidden" in prompt:
            return error(400, "Your request was rejected as a result of our safety system.", "content_policy_violation")
        width, height = (1024, 1024) if size == "auto" else map(int, size.split("x"))
        data: list[dict[str, Any]] = []
        for _ in range(n):
            image = png(width, height)
            item: dict[str, Any]
            if response_format == "url":
                name = f"{secrets.token_hex(6)}.png"
                state.files[name] = image
                item = {"url": f"{state.file_base or request.base_url}files/{name}"}
            else:
                item = {"b64_json": base64.b64encode(image).decode()}
            if model == "dall-e-3":
                item["revised_prompt"] = f"A detailed rendering of {prompt}"
            data.append(item)
        body: dict[str, Any] = {"created": 1700000000, "data": data}
        if model.startswith("gpt-image"):
            body["usage"] = {
                "input_tokens": 50,
                "output_tokens": 4160 * n,
                "total_tokens": 50 + 4160 * n,
                "input_tokens_details": {"text_tokens": 50, "image_tokens": 0},
            }
        return JSONResponse(body)

    def check(model: str, size: str, response_format: str | None) -> Response | None:
        if model.startswith("gpt-image") and response_format is not None:
            return error(400, "Unknown parameter: 'response_format'.", "unknown_parameter")
        if model in SIZES and size not in SIZES[model]:
            return error(400, f"'{size}' is not one of {sorted(SIZES[model])} - 'size'", "invalid_value")
        return None

    @app.post("/v1/images/generations")
    async def generations(request: Request) -> Response:
        raw = await request.body()
        try:
            body = await request.json()
        except ValueError:
            body = raw.decode(errors="replace")
        fault = await state.record(request, body)
        if not authorized(request):
            return error(401, "Incorrect API key provided: sk-te***56.", "invalid_api_key")
        if (faulty := fault_response(fault)) is not None:
            return faulty
        if not isinstance(body, dict) or not body.get("prompt"):
            return error(400, "Missing required parameter: 'prompt'.", "missing_required_parameter")
        model, size = body.get("model", "dall-e-2"), body.get("size", "1024x1024")
        fmt = body.get("response_format")
        if (bad := check(model, size, fmt)) is not None:
            return bad
        return answer(
            request,
            model,
            int(body.get("n", 1)),
            size,
            fmt or ("url" if model.startswith("dall-e") else None),
            body["prompt"],
        )

    async def multipart(request: Request, kind: str) -> Response:
        form = await request.form()
        parts = {
            key: [f for f in form.getlist(key) if isinstance(f, UploadFile)] for key in ("image", "image[]", "mask")
        }
        files = {key: [f.filename for f in uploads] for key, uploads in parts.items()}
        uploads = {f.filename or "": (f.content_type, await f.read()) for group in parts.values() for f in group}
        fields = {key: value for key, value in form.items() if isinstance(value, str)}
        types = {name: (label, sniff(data)) for name, (label, data) in uploads.items()}
        fault = await state.record(request, {"fields": fields, "files": files, "types": types})
        if not authorized(request):
            return error(401, "Incorrect API key provided.", "invalid_api_key")
        if (faulty := fault_response(fault)) is not None:
            return faulty
        model, size = fields.get("model", "dall-e-2"), fields.get("size", "1024x1024")
        if (bad := check_uploads(model, types)) is not None:
            return bad
        if kind == "variations" and model != "dall-e-2":
            return error(400, "Variations are only supported for dall-e-2", "invalid_value")
        if not (files["image"] or files["image[]"]):
            return error(400, "Missing required parameter: 'image'.", "missing_required_parameter")
        fmt = fields.get("response_format")
        if (bad := check(model, size, fmt)) is not None:
            return bad
        return answer(
            request,
            model,
            int(fields.get("n", 1)),
            size,
            fmt or ("url" if model.startswith("dall-e") else None),
            fields.get("prompt", "variation"),
        )

    @app.post("/v1/images/edits")
    async def edits(request: Request) -> Response:
        return await multipart(request, "edits")

    @app.post("/v1/images/variations")
    async def variations(request: Request) -> Response:
        return await multipart(request, "variations")

    @app.get("/files/{name}")
    async def files(name: str, request: Request) -> Response:
        await state.record(request, None)
        return Response(state.files[name], media_type="image/png")

    return app
