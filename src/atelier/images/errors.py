"""OpenAI's error body for the OpenAI-compatible routes: ``{"error": {"message", "type",
"param", "code"}}``, with invalid requests as 400 like OpenAI's own API (a content-policy
refusal too, which OpenAI also reports as 400). Every other client error (409, 413 …) is an
``invalid_request_error``, every server error a ``server_error``."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from atelier.kit.error_docs import ErrorDoc
from atelier.kit.handlers import ErrorInfo

_TYPES = {
    401: "authentication_error",
    402: "insufficient_quota",
    403: "permission_error",
    404: "not_found_error",
    429: "rate_limit_error",
}


def openai_renderer(request: Request, info: ErrorInfo) -> JSONResponse:
    # OpenAI answers every invalid request (bad field, unknown model, unreadable image) with 400.
    status = 400 if info.status_code == 422 or info.code in {"VALIDATION_ERROR", "UNKNOWN_MODEL"} else info.status_code
    kind = _TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
    param = info.details.get("field")
    if param is None and info.details.get("fields"):
        param = info.details["fields"][0].get("field")
    body = {
        "error": {
            "message": info.message,
            "type": kind,
            "param": param,
            "code": info.code.lower(),
            "trace_id": info.trace_id,
        }
    }
    return JSONResponse(body, status_code=status, headers=info.headers)


_STR = {"type": "string"}
#: What :func:`openai_renderer` sends, for the OpenAPI document (validation is a 400, as OpenAI's).
OPENAI_DOC = ErrorDoc(
    "OpenAIError",
    {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["message", "type", "code"],
                "properties": {
                    "message": _STR,
                    "type": _STR,
                    "param": {"type": ["string", "null"]},
                    "code": _STR,
                    "trace_id": _STR,
                },
            }
        },
    },
    400,
)
