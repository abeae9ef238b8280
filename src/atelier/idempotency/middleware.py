"""``Idempotency-Key`` on every POST: a replay with the same body returns the stored
response and creates nothing; the same key while the first is in flight is 409; with a
different body 422. Keys are scoped per organization and expire (24 h by default). The
claim is an INSERT against a unique constraint, so concurrent requests race safely."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from atelier.idempotency.models import IdempotencyRecord
from atelier.kit.handlers import ErrorInfo, render
from atelier.kit.runtime import Runtime
from atelier.limits.identity import IdentityResolver

HEADER = "idempotency-key"
REPLAYED = b"idempotent-replayed"


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, *, identities: IdentityResolver, ttl_seconds: int) -> None:
        self.app = app
        self.identities = identities
        self.ttl = timedelta(seconds=ttl_seconds)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        key = headers.get(HEADER)
        if scope["type"] != "http" or scope["method"] != "POST" or not key:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if len(key) > 255:
            await self._error(request, send, 400, "VALIDATION_ERROR", "Idempotency-Key must be at most 255 characters")
            return
        credential = self.identities.credential(request)
        if credential is None:
            await self.app(scope, receive, send)  # unauthenticated: the route answers 401 itself
            return
        org = await self.identities.organization(request, credential)
        owner = f"org:{org}" if org else credential
        body = await _read_body(receive)
        digest = hashlib.sha256(b"\n".join([scope["method"].encode(), scope["path"].encode(), body])).hexdigest()
        runtime: Runtime = request.app.state.runtime
        existing = await self._claim(runtime, owner, key, digest)
        if existing is not None:
            await self._answer_existing(request, send, existing, digest)
            return
        captured: dict[str, Any] = {"status": 500, "headers": [], "body": bytearray()}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = [[k.decode("latin-1"), v.decode("latin-1")] for k, v in message["headers"]]
            elif message["type"] == "http.response.body":
                captured["body"].extend(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, _replay(body), capture)
        except BaseException:
            await self._release(runtime, owner, key)
            raise
        if captured["status"] >= 500:
            await self._release(runtime, owner, key)
            return
        async with runtime.sessions() as session:
            await session.execute(
                update(IdempotencyRecord)
                .where(IdempotencyRecord.scope == owner, IdempotencyRecord.key == key)
                .values(
                    state="done",
                    status_code=captured["status"],
                    headers=captured["headers"],
                    body=bytes(captured["body"]),
                )
            )
            await session.commit()

    async def _claim(self, runtime: Runtime, owner: str, key: str, digest: str) -> IdempotencyRecord | None:
        now = datetime.now(UTC)
        for _ in range(2):
            try:
                async with runtime.sessions() as session:
                    session.add(IdempotencyRecord(scope=owner, key=key, request_hash=digest, expires_at=now + self.ttl))
                    await session.commit()
                return None
            except IntegrityError:
                async with runtime.sessions() as session:
                    record = (
                        await session.execute(
                            select(IdempotencyRecord).where(
                                IdempotencyRecord.scope == owner, IdempotencyRecord.key == key
                            )
                        )
                    ).scalar_one_or_none()
                    if record is None:
                        continue
                    if record.expires_at > now:
                        return record
                    await session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record.id))
                    await session.commit()
        raise RuntimeError("could not claim idempotency key")

    async def _release(self, runtime: Runtime, owner: str, key: str) -> None:
        async with runtime.sessions() as session:
            await session.execute(
                delete(IdempotencyRecord).where(
                    IdempotencyRecord.scope == owner,
                    IdempotencyRecord.key == key,
                    IdempotencyRecord.state == "in_flight",
                )
            )
            await session.commit()

    async def _answer_existing(self, request: Request, send: Send, record: IdempotencyRecord, digest: str) -> None:
        if record.request_hash != digest:
            await self._error(
                request,
                send,
                422,
                "IDEMPOTENCY_KEY_REUSED",
                "This Idempotency-Key was used with a different request body",
            )
        elif record.state != "done":
            await self._error(
                request,
                send,
                409,
                "IDEMPOTENCY_IN_FLIGHT",
                "A request with this Idempotency-Key is still being processed",
            )
        else:
            headers = [
                (k.encode("latin-1"), v.encode("latin-1"))
                for k, v in record.headers or []
                if k.lower() != "x-request-id"
            ]
            headers.append((REPLAYED, b"true"))
            await send({"type": "http.response.start", "status": record.status_code or 200, "headers": headers})
            await send({"type": "http.response.body", "body": record.body or b""})

    @staticmethod
    async def _error(request: Request, send: Send, status: int, code: str, message: str) -> None:
        response = render(request, ErrorInfo(status, code, message))
        await response({"type": "http"}, _disconnect, send)


async def _read_body(receive: Receive) -> bytes:
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.request":
            body.extend(message.get("body", b""))
            if not message.get("more_body"):
                return bytes(body)
        else:
            return bytes(body)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


async def _disconnect() -> Message:
    return {"type": "http.disconnect"}
