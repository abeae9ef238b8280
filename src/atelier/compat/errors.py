"""Each seed contract documents its own error body; these renderers produce them from the
one error model. A compat router registers its renderer for its prefix."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import Request
from fastapi.responses import JSONResponse

from atelier.kit.error_docs import ErrorDoc
from atelier.kit.handlers import ErrorInfo, Renderer


def timestamp() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


UNITS = {1: "second", 60: "minute", 3600: "hour", 86400: "day"}


def rate_limit_message(info: ErrorInfo) -> str:
    """``Rate limit exceeded: 20 per minute``, from the limit the middleware refused with."""
    limit = str(info.details.get("limit", ""))
    amount, _, rest = limit.partition(" per ")
    seconds = rest.removesuffix(" seconds")
    if not (amount.isdigit() and seconds.isdigit()):
        return info.message
    unit = UNITS.get(int(seconds))
    return f"Rate limit exceeded: {amount} per {unit or seconds + ' seconds'}"


def detail_renderer(
    *,
    validation_status: int,
    code_map: dict[str, str] | None = None,
    with_trace: bool = True,
    status_map: dict[str, int] | None = None,
    plain_rate_limit: bool = False,
) -> Renderer:
    """``{"detail", "error_code", ["trace_id"], "timestamp"}`` bodies (NanoDesigner, Prompt-to-JSON).
    ``plain_rate_limit``: a 429's detail is the document's ``Rate limit exceeded: 20 per minute``."""
    codes = code_map or {}
    statuses = status_map or {}

    def render(request: Request, info: ErrorInfo) -> JSONResponse:
        status = info.status_code
        code = codes.get(info.code, info.code)
        if info.code == "VALIDATION_ERROR":
            status = validation_status
        status = statuses.get(info.code, status)
        message = rate_limit_message(info) if plain_rate_limit and info.code == "RATE_LIMIT_EXCEEDED" else info.message
        body: dict[str, object] = {"detail": message, "error_code": code}
        if with_trace:
            body["trace_id"] = info.trace_id
        body["timestamp"] = timestamp()
        return JSONResponse(body, status_code=status, headers=info.headers)

    return render


def plain_detail_renderer(request: Request, info: ErrorInfo) -> JSONResponse:
    """``{"detail": "..."}`` bodies (NanoBanana); validation failures are 400 and an exhausted
    quota (credits or budget) is 429, as its README documents."""
    status = {"VALIDATION_ERROR": 400, "INSUFFICIENT_CREDITS": 429, "BUDGET_EXCEEDED": 429}.get(
        info.code, info.status_code
    )
    return JSONResponse({"detail": info.message}, status_code=status, headers=info.headers)


def envelope_renderer(request: Request, info: ErrorInfo) -> JSONResponse:
    """``{"success": false, "error", "details"}`` bodies (Dreamy Studio); validation is 400."""
    status = 400 if info.code == "VALIDATION_ERROR" else info.status_code
    messages = {
        "VALIDATION_ERROR": "Validation failed",
        "INSUFFICIENT_CREDITS": "Insufficient credits",
        "RATE_LIMIT_EXCEEDED": "Too many requests, please try again later",
    }
    error = messages.get(info.code)
    if error is None and status == 401:
        error = "Invalid or expired token"
    if error is None and status >= 500:
        error = "Failed to generate image" if info.code.startswith(("EXTERNAL", "PROVIDER")) else "Internal error"
    body: dict[str, object] = {"success": False, "error": error or info.message}
    if error and error != info.message:
        body["details"] = info.message
    return JSONResponse(body, status_code=status, headers=info.headers)


def pixova_renderer(request: Request, info: ErrorInfo) -> JSONResponse:
    """Pixova documents 'structured error responses with details' and request ids."""
    body = {
        "success": False,
        "error": {"code": info.code, "message": info.message, **({"details": info.details} if info.details else {})},
        "request_id": info.trace_id,
    }
    return JSONResponse(body, status_code=info.status_code, headers=info.headers)


_STR = {"type": "string"}


def detail_doc(name: str, validation_status: int) -> ErrorDoc:
    """What :func:`detail_renderer` sends, for the OpenAPI document."""
    properties = {"detail": _STR, "error_code": _STR, "trace_id": _STR, "timestamp": _STR}
    schema = {"type": "object", "required": ["detail", "error_code", "timestamp"], "properties": properties}
    return ErrorDoc(name, schema, validation_status)


PLAIN_DETAIL_DOC = ErrorDoc(
    "NanoBananaError", {"type": "object", "required": ["detail"], "properties": {"detail": _STR}}, 400
)
ENVELOPE_DOC = ErrorDoc(
    "DreamyStudioError",
    {
        "type": "object",
        "required": ["success", "error"],
        "properties": {"success": {"type": "boolean"}, "error": _STR, "details": _STR},
    },
    400,
)
PIXOVA_DOC = ErrorDoc(
    "PixovaError",
    {
        "type": "object",
        "required": ["success", "error", "request_id"],
        "properties": {
            "success": {"type": "boolean"},
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {"code": _STR, "message": _STR, "details": {"type": "object"}},
            },
            "request_id": _STR,
        },
    },
)
