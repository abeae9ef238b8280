"""Pure ASGI middleware: request ids, the body size limit, access logs and metrics.

It is the outermost layer that knows the request id, so it is also where the errors no
inner handler rendered become responses: a body over the limit (declared by
Content-Length or found while reading a chunked one) is a 413, and an unexpected
exception is a logged 500. Both carry ``X-Request-ID`` and the request's ``trace_id``."""

from __future__ import annotations

import logging
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from atelier.kit.context import base_url_var, request_id_var
from atelier.kit.errors import PayloadTooLarge
from atelier.kit.handlers import ErrorInfo, render
from atelier.monitoring.metrics import RequestMetrics
from atelier.monitoring.prometheus import observe_request, route_template

log = logging.getLogger("atelier.access")
errors_log = logging.getLogger("atelier.errors")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
INTERNAL_MESSAGE = "An unexpected error occurred; it has been logged."


@dataclass
class _Exchange:
    """What this middleware knows about one HTTP exchange while it runs."""

    request_id: str
    status: int = 500
    #: The response has started going out: it can no longer be replaced.
    started: bool = False
    #: The client sent more body than the limit allows.
    overflow: bool = False
    #: The app's own response was dropped for our 413.
    replaced: bool = False


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int, metrics: RequestMetrics) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in {"http", "websocket"}:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        sent = headers.get("x-request-id", "")
        request_id = sent if _SAFE_ID.match(sent) else f"req_{uuid.uuid4().hex}"
        token = request_id_var.set(request_id)
        host = headers.get("host")
        scheme = {"ws": "http", "wss": "https"}.get(scope.get("scheme", "http"), scope.get("scheme", "http"))
        base_token = base_url_var.set(f"{scheme}://{host}" if host else None)
        started = time.perf_counter()
        exchange = _Exchange(request_id)
        try:
            if scope["type"] == "websocket":
                await self.app(scope, receive, send)
                return
            await self._http(scope, receive, send, headers, exchange)
        finally:
            elapsed = time.perf_counter() - started
            if scope["type"] == "http":
                self.metrics.record(exchange.status, elapsed)
                observe_request(str(scope.get("method")), route_template(scope), exchange.status, elapsed)
                log.info(
                    "%s %s %s %.1fms",
                    scope.get("method"),
                    scope.get("path"),
                    exchange.status,
                    elapsed * 1000,
                    extra={
                        "method": scope.get("method"),
                        "path": scope.get("path"),
                        "status": exchange.status,
                        "duration_ms": round(elapsed * 1000, 2),
                    },
                )
            request_id_var.reset(token)
            base_url_var.reset(base_token)

    async def _http(
        self, scope: Scope, receive: Receive, send: Send, headers: dict[str, str], exchange: _Exchange
    ) -> None:
        stamped = self._stamping(send, exchange)
        if self._declared_too_large(headers):
            await self._send_error(scope, stamped, self._too_large())
            return
        try:
            await self.app(scope, self._counting(receive, exchange), self._replacing(scope, stamped, exchange))
        except Exception as exc:
            if exchange.replaced:
                return  # the 413 went out; what the app did after reading too much is moot
            if exchange.started:
                raise
            if exchange.overflow or isinstance(exc, PayloadTooLarge):
                await self._send_error(scope, stamped, self._too_large())
                return
            errors_log.exception(
                "unhandled error on %s %s (request %s)", scope.get("method"), scope.get("path"), exchange.request_id
            )
            await self._send_error(scope, stamped, ErrorInfo(500, "INTERNAL_ERROR", INTERNAL_MESSAGE, exc=exc))

    def _declared_too_large(self, headers: dict[str, str]) -> bool:
        length = headers.get("content-length")
        return bool(length and length.isdigit() and int(length) > self.max_body_bytes)

    def _too_large(self) -> ErrorInfo:
        return ErrorInfo(413, "PAYLOAD_TOO_LARGE", f"Request body exceeds the limit of {self.max_body_bytes} bytes")

    def _counting(self, receive: Receive, exchange: _Exchange) -> Receive:
        seen = 0

        async def wrapped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body_bytes:
                    exchange.overflow = True
                    raise PayloadTooLarge(self._too_large().message)
            return message

        return wrapped

    def _replacing(self, scope: Scope, stamped: Send, exchange: _Exchange) -> Send:
        """Whatever the app answers once the body overflowed (FastAPI turns a failed body
        read into a 400) becomes the 413."""

        async def wrapped(message: Message) -> None:
            if exchange.replaced:
                return
            if message["type"] == "http.response.start" and exchange.overflow:
                exchange.replaced = True
                await self._send_error(scope, stamped, self._too_large())
                return
            await stamped(message)

        return wrapped

    @staticmethod
    def _stamping(send: Send, exchange: _Exchange) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                exchange.status = message["status"]
                exchange.started = True
                headers: list[Any] = list(message.get("headers", []))
                headers.append((b"x-request-id", exchange.request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        return wrapped

    @staticmethod
    async def _send_error(scope: Scope, send: Send, info: ErrorInfo) -> None:
        """The error in the body shape of the path's contract (``kit.handlers.render``)."""

        async def no_body() -> Message:
            return {"type": "http.disconnect"}

        response = render(Request(scope), info)
        await response(scope, no_body, send)
