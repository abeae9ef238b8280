"""Pure ASGI middleware: request ids, the body size limit, access logs and metrics."""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from atelier.kit.context import base_url_var, request_id_var
from atelier.monitoring.metrics import RequestMetrics

log = logging.getLogger("atelier.access")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")


class BodyTooLarge(Exception):
    pass


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
        status = {"code": 500}
        try:
            if scope["type"] == "websocket":
                await self.app(scope, receive, send)
                return
            too_large = self._declared_too_large(headers)
            if too_large:
                await self._reject_413(send, request_id)
                status["code"] = 413
                return
            await self.app(scope, self._counting(receive), self._stamping(send, request_id, status))
        finally:
            elapsed = time.perf_counter() - started
            if scope["type"] == "http":
                self.metrics.record(status["code"], elapsed)
                log.info(
                    "%s %s %s %.1fms",
                    scope.get("method"),
                    scope.get("path"),
                    status["code"],
                    elapsed * 1000,
                    extra={
                        "method": scope.get("method"),
                        "path": scope.get("path"),
                        "status": status["code"],
                        "duration_ms": round(elapsed * 1000, 2),
                    },
                )
            request_id_var.reset(token)
            base_url_var.reset(base_token)

    def _declared_too_large(self, headers: dict[str, str]) -> bool:
        length = headers.get("content-length")
        return bool(length and length.isdigit() and int(length) > self.max_body_bytes)

    def _counting(self, receive: Receive) -> Receive:
        seen = 0

        async def wrapped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body_bytes:
                    from atelier.kit.errors import PayloadTooLarge

                    raise PayloadTooLarge(f"Request body exceeds the limit of {self.max_body_bytes} bytes")
            return message

        return wrapped

    @staticmethod
    def _stamping(send: Send, request_id: str, status: dict[str, int]) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers: list[Any] = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        return wrapped

    async def _reject_413(self, send: Send, request_id: str) -> None:
        import json

        body = json.dumps(
            {
                "error": {
                    "code": "PAYLOAD_TOO_LARGE",
                    "message": f"Request body exceeds the limit of {self.max_body_bytes} bytes",
                    "trace_id": request_id,
                }
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"x-request-id", request_id.encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
