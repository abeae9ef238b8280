"""``Idempotency-Key`` on every authenticated POST, with Stripe's semantics: a replay with
the same body returns the stored response and creates nothing; the same key while the first
is in flight is 409; with a different body 422. The key belongs to the principal that sent
it (one API key, or the user behind a JWT), so no other credential, even of the same
organization, is ever answered with its response. It runs inside the route's access check,
after authentication and authorization. The claim is an INSERT against a unique constraint,
so concurrent requests race safely; the response is stored sealed (``sealing``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from starlette.applications import Starlette
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response

from atelier.idempotency.models import IdempotencyRecord
from atelier.idempotency.sealing import Sealer
from atelier.kit.errors import AtelierError, Conflict, ValidationFailed
from atelier.kit.runtime import Runtime

HEADER = "idempotency-key"
REPLAYED = "idempotent-replayed"
MAX_KEY_CHARS = 255
#: A claim still in flight this long belongs to a process that died mid-request (no request
#: runs this long: a synchronous wait is at most 10 minutes): the key may be used again.
ABANDONED_AFTER = timedelta(minutes=15)
#: Answers that refuse the caller: never stored, so the caller can retry with the same key.
REFUSALS = frozenset({401, 403})
#: Set by the middleware on a POST that carries the header: the request body's digest.
DIGEST_STATE = "atelier.idempotency.digest"
#: Set by the access check once it claimed the key: what the middleware settles.
CLAIM_STATE = "atelier.idempotency.claim"


@dataclass(frozen=True)
class Claim:
    owner: str
    key: str


class Replay(Exception):
    """Answer with the stored response instead of running the route."""

    def __init__(self, response: Response) -> None:
        super().__init__("idempotent replay")
        self.response = response


@lru_cache(maxsize=8)
def _sealer_for(secret: str) -> Sealer:
    return Sealer(secret)


def sealer(runtime: Runtime) -> Sealer:
    return _sealer_for(runtime.secret)


async def claim(conn: HTTPConnection, runtime: Runtime, *, owner: str) -> None:
    """Claim this request's key for ``owner``; raises :class:`Replay`, 409 or 422 when the key
    was used before. A no-op for requests without the header."""
    state = conn.scope.setdefault("state", {})
    digest = state.get(DIGEST_STATE)
    key = conn.headers.get(HEADER)
    if not key or not isinstance(digest, str) or CLAIM_STATE in state:
        return
    if len(key) > MAX_KEY_CHARS:
        raise ValidationFailed(f"Idempotency-Key must be at most {MAX_KEY_CHARS} characters")
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in key):  # PostgreSQL text holds no NUL
        raise ValidationFailed("Idempotency-Key must not contain control characters")
    ttl = timedelta(seconds=runtime.settings.limits.idempotency_ttl_seconds)
    existing = await _claim(runtime, owner, key, digest, ttl)
    if existing is None:
        state[CLAIM_STATE] = Claim(owner, key)
        return
    if existing.request_hash != digest:
        raise ValidationFailed(
            "This Idempotency-Key was used with a different request body", code="IDEMPOTENCY_KEY_REUSED"
        )
    if existing.state != "done" or existing.body is None:
        raise Conflict("A request with this Idempotency-Key is still being processed", code="IDEMPOTENCY_IN_FLIGHT")
    stored = sealer(runtime).open(existing.body)
    if stored is None:
        raise AtelierError(
            "The stored response for this Idempotency-Key can no longer be read; use a new key",
            status_code=409,
            code="IDEMPOTENCY_KEY_UNREADABLE",
        )
    status, headers, body = stored
    response = Response(content=body, status_code=status)
    response.raw_headers = [
        (k.encode("latin-1"), v.encode("latin-1"))
        for k, v in headers
        if k.lower() not in {"x-request-id", "content-length"}
    ] + [(b"content-length", str(len(body)).encode()), (REPLAYED.encode(), b"true")]
    raise Replay(response)


async def _claim(runtime: Runtime, owner: str, key: str, digest: str, ttl: timedelta) -> IdempotencyRecord | None:
    now = datetime.now(UTC)
    for _ in range(2):
        try:
            async with runtime.sessions() as session:
                session.add(IdempotencyRecord(scope=owner, key=key, request_hash=digest, expires_at=now + ttl))
                await session.commit()
            return None
        except IntegrityError:
            async with runtime.sessions() as session:
                query = select(IdempotencyRecord).where(IdempotencyRecord.scope == owner, IdempotencyRecord.key == key)
                record = (await session.execute(query)).scalar_one_or_none()
                if record is None:
                    continue
                abandoned = record.state == "in_flight" and record.created_at < now - ABANDONED_AFTER
                if record.expires_at > now and not abandoned:
                    return record
                await session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record.id))
                await session.commit()
    raise Conflict("A request with this Idempotency-Key is still being processed", code="IDEMPOTENCY_IN_FLIGHT")


async def settle(runtime: Runtime, claimed: Claim, status: int, headers: list[list[str]], body: bytes) -> None:
    """Keep the response (sealed) for replays; a server error, or a refusal of the caller that
    a route makes itself after the claim (Prompt-to-JSON's second factor: 401, 403), frees the
    key for a retry: a request refused before it did anything is not an answer to keep."""
    if status >= 500 or status in REFUSALS:
        await release(runtime, claimed)
        return
    async with runtime.sessions() as session:
        await session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.scope == claimed.owner, IdempotencyRecord.key == claimed.key)
            .values(state="done", status_code=status, headers=None, body=sealer(runtime).seal(status, headers, body))
        )
        await session.commit()


async def release(runtime: Runtime, claimed: Claim) -> None:
    async with runtime.sessions() as session:
        await session.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.scope == claimed.owner,
                IdempotencyRecord.key == claimed.key,
                IdempotencyRecord.state == "in_flight",
            )
        )
        await session.commit()


def install_replay_handler(app: Starlette) -> None:
    """A :class:`Replay` raised by the access check is answered with the stored response."""

    async def answer(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Replay)
        return exc.response

    app.add_exception_handler(Replay, answer)
