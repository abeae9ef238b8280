"""One place renders every error. Compat routers register their own body shape for their
path prefix; everything else gets Atelier's native ``{"error": {...}}`` body."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request, WebSocket
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import HTTPConnection
from starlette.websockets import WebSocketState

from atelier.kit.context import current_request_id
from atelier.kit.error_docs import document_errors
from atelier.kit.errors import AtelierError

log = logging.getLogger("atelier.errors")

_HTTP_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMIT_EXCEEDED",
}


@dataclass
class ErrorInfo:
    status_code: int
    code: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    #: The original exception, for renderers that map specific types.
    exc: Exception | None = None

    @property
    def trace_id(self) -> str:
        return current_request_id() or "-"


Renderer = Callable[[Request, ErrorInfo], JSONResponse]
_renderers: dict[str, Renderer] = {}


def register_error_renderer(path_prefix: str, renderer: Renderer) -> None:
    """Errors under ``path_prefix`` are rendered by ``renderer`` (longest prefix wins)."""
    _renderers[path_prefix] = renderer


def native_renderer(request: Request, info: ErrorInfo) -> JSONResponse:
    body: dict[str, Any] = {"code": info.code, "message": info.message, "trace_id": info.trace_id}
    if info.details:
        body["details"] = info.details
    return JSONResponse({"error": body}, status_code=info.status_code, headers=info.headers)


def render(request: Request, info: ErrorInfo) -> JSONResponse:
    path = request.url.path
    for prefix in sorted(_renderers, key=len, reverse=True):
        if path.startswith(prefix):
            return _renderers[prefix](request, info)
    return native_renderer(request, info)


def _describe_validation(errors: list[Any]) -> tuple[str, list[dict[str, Any]]]:
    fields = []
    for err in errors:
        loc = [str(part) for part in err.get("loc", ())]
        if err.get("type") == "json_invalid":
            fields.append({"field": "body", "message": "Malformed JSON body", "type": "json_invalid"})
            continue
        name = ".".join(loc[1:] if loc and loc[0] in {"body", "query", "path", "header"} else loc) or "body"
        fields.append({"field": name, "location": loc[0] if loc else "body", "message": err.get("msg", "")})
    message = "; ".join(f"{f['field']}: {f['message']}" for f in fields) or "Invalid request"
    return message, fields


#: Set on a request whose parameters failed validation: its route never ran (idempotency
#: keeps no answer for it, so the corrected request may reuse its key).
VALIDATION_FAILED_STATE = "atelier.request.validation_failed"


def validation_info(exc: RequestValidationError) -> ErrorInfo:
    message, fields = _describe_validation(list(exc.errors()))
    status = 400 if fields and fields[0].get("type") == "json_invalid" else 422
    return ErrorInfo(status, "VALIDATION_ERROR", message, {"fields": fields}, exc=exc)


async def refuse_socket(websocket: WebSocket, exc: AtelierError) -> None:
    """A WebSocket refused (by its access check or its route) is accepted and then closed
    with 4000 + the HTTP status and the reason: a refused handshake would reach the client as
    a bare 403 with no reason."""
    if websocket.client_state == WebSocketState.CONNECTING:
        await websocket.accept()
    if websocket.client_state == WebSocketState.CONNECTED:
        await websocket.close(code=4000 + exc.status_code, reason=exc.message[:120])


def install_error_handlers(app: FastAPI) -> None:
    document_errors(app)  # the document shows the bodies these handlers render

    @app.exception_handler(AtelierError)
    async def _atelier(conn: HTTPConnection, exc: AtelierError) -> JSONResponse | None:
        if isinstance(conn, WebSocket):
            await refuse_socket(conn, exc)
            return None
        assert isinstance(conn, Request)
        info = ErrorInfo(exc.status_code, exc.code, exc.message, exc.details, exc.headers, exc)
        return render(conn, info)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        request.scope.setdefault("state", {})[VALIDATION_FAILED_STATE] = True
        return render(request, validation_info(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "HTTP_ERROR")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ").capitalize()
        headers = dict(exc.headers or {})
        return render(request, ErrorInfo(exc.status_code, code, message, headers=headers, exc=exc))

    # Unexpected exceptions inside a request are rendered by kit.middleware, which still knows
    # the request id; this only catches what escapes that middleware itself.
    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        info = ErrorInfo(500, "INTERNAL_ERROR", "An unexpected error occurred; it has been logged.", exc=exc)
        return render(request, info)
