"""The transport half of idempotency: on a POST that carries ``Idempotency-Key`` it reads the
body once (to digest it: multipart bodies cannot be read again after the route parsed them),
hands it to the app unchanged, and once the route has answered settles the claim that the
access check made (``idempotency.service``): the response is kept sealed, or the key freed on
a server error, an exception or a request whose parameters failed validation. It never
decides who may replay: the access check does."""

from __future__ import annotations

import hashlib
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from atelier.idempotency import service
from atelier.kit.handlers import VALIDATION_FAILED_STATE
from atelier.kit.runtime import Runtime


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not _has_key(scope):
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        digest = hashlib.sha256(b"\n".join([scope["method"].encode(), scope["path"].encode(), body])).hexdigest()
        state: dict[str, Any] = scope.setdefault("state", {})
        state[service.DIGEST_STATE] = digest
        captured: dict[str, Any] = {"status": 500, "headers": [], "body": bytearray()}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = [[k.decode("latin-1"), v.decode("latin-1")] for k, v in message["headers"]]
            elif message["type"] == "http.response.body":
                captured["body"].extend(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, _replay(body, receive), capture)
        except BaseException:
            claim = state.get(service.CLAIM_STATE)
            if isinstance(claim, service.Claim):
                await service.release(_runtime(scope), claim)
            raise
        claim = state.get(service.CLAIM_STATE)
        if isinstance(claim, service.Claim) and state.get(VALIDATION_FAILED_STATE):  # never ran (Stripe)
            await service.release(_runtime(scope), claim)
        elif isinstance(claim, service.Claim):
            await service.settle(
                _runtime(scope), claim, captured["status"], captured["headers"], bytes(captured["body"])
            )


def _has_key(scope: Scope) -> bool:
    return any(name.lower() == service.HEADER.encode() for name, _ in scope.get("headers", []))


def _runtime(scope: Scope) -> Runtime:
    runtime: Runtime = scope["app"].state.runtime
    return runtime


async def _read_body(receive: Receive) -> bytes:
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return bytes(body)
        body.extend(message.get("body", b""))
        if not message.get("more_body"):
            return bytes(body)


def _replay(body: bytes, original: Receive) -> Receive:
    """The body already read, then the client's own messages (its disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await original()

    return receive
