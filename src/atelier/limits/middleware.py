"""Rate limiting in front of every route, with the ``limits`` library: in memory on the
embedded default, in Redis (shared by every process) when ``ATELIER_REDIS_URL`` is set.
Moving windows, so N admitted means exactly N. A rule with ``uncounted_statuses`` (Prompt-to-
JSON's 401 and 404 do not count) is checked before the request and counted when the answer
starts, so requests in flight at the same moment may share its last free slot. Responses
carry the IETF ``RateLimit`` and ``RateLimit-Policy`` headers and the ``X-RateLimit-*`` ones;
a 429 says which limit it was. A WebSocket handshake counts as a GET of its path."""

from __future__ import annotations

import hashlib
import math
import time
from typing import Any

from limits import RateLimitItem
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from atelier.kit.handlers import ErrorInfo, render
from atelier.limits.identity import subject as subject_of
from atelier.limits.rules import Rule


def make_storage(redis_url: str | None, namespace: str) -> Storage:
    if redis_url:
        uri = "async+" + redis_url if not redis_url.startswith("async+") else redis_url
        return RedisStorage(uri, implementation="redispy", key_prefix=f"{namespace}:limits", max_connections=1000)
    return MemoryStorage()


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, *, rules: list[Rule], storage: Storage) -> None:
        self.app = app
        self.rules = [(rule, rule.items()) for rule in rules]
        self.limiter = MovingWindowRateLimiter(storage)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        socket = scope["type"] == "websocket"
        method, path = ("GET" if socket else scope["method"]), scope["path"]  # a handshake is a GET
        matching = [(rule, items) for rule, items in self.rules if rule.matches(method, path)]
        if not matching:
            await self.app(scope, receive, send)
            return
        request = HTTPConnection(scope)
        counted: list[tuple[RateLimitItem, int, float]] = []
        deferred: list[tuple[Rule, RateLimitItem, str]] = []
        policies: list[str] = []
        for rule, items in matching:
            subject = await subject_of(request, rule.per)
            key = hashlib.sha256(f"{rule.name}|{subject}".encode()).hexdigest()[:32]
            for item in items:
                policies.append(f"{item.amount};w={item.get_expiry()}")
                if rule.uncounted_statuses:  # counted once the answer's status is known
                    allowed = await self.limiter.test(item, rule.name, key)
                    deferred.append((rule, item, key))
                else:
                    allowed = await self.limiter.hit(item, rule.name, key)
                stats = await self.limiter.get_window_stats(item, rule.name, key)
                reset = max(0.0, stats.reset_time - time.time())
                if not allowed and socket:
                    await _refuse_socket(receive, send, rule, item)
                    return
                if not allowed:
                    await self._refuse(request, send, rule, item, reset)
                    return
                counted.append((item, stats.remaining, reset))

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                windows = list(counted)
                for rule, item, key in deferred:
                    if message["status"] in rule.uncounted_statuses:
                        continue
                    await self.limiter.hit(item, rule.name, key)
                    stats = await self.limiter.get_window_stats(item, rule.name, key)
                    windows.append((item, stats.remaining, max(0.0, stats.reset_time - time.time())))
                tightest = min(windows, key=lambda window: window[1])
                headers = self._headers(*tightest, policies)
                message = {**message, "headers": [*message.get("headers", []), *headers]}
            await send(message)

        await self.app(scope, receive, stamped)

    @staticmethod
    def _headers(item: RateLimitItem, remaining: int, reset: float, policies: list[str]) -> list[tuple[bytes, bytes]]:
        reset_s = math.ceil(reset)
        values = {
            "RateLimit": f"limit={item.amount}, remaining={remaining}, reset={reset_s}",
            "RateLimit-Policy": ", ".join(dict.fromkeys(policies)),
            "X-RateLimit-Limit": str(item.amount),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(int(time.time()) + reset_s),
        }
        return [(k.lower().encode(), v.encode()) for k, v in values.items()]

    async def _refuse(self, request: HTTPConnection, send: Send, rule: Rule, item: RateLimitItem, reset: float) -> None:
        retry = max(1, math.ceil(reset))
        headers = {
            name.decode(): value.decode()
            for name, value in self._headers(item, 0, reset, [f"{item.amount};w={item.get_expiry()}"])
        }
        headers["Retry-After"] = str(retry)
        limit = f"{item.amount} per {item.get_expiry()} seconds"
        info = ErrorInfo(
            429,
            "RATE_LIMIT_EXCEEDED",
            _exceeded(rule, item),
            {"limit": limit, "scope": rule.name, "per": rule.per},
            headers,
        )
        response = render(Request(request.scope), info)
        await response({"type": "http"}, _empty_receive, send)


def _exceeded(rule: Rule, item: RateLimitItem) -> str:
    return f"Rate limit exceeded: {item.amount} per {item.get_expiry()} seconds ({rule.name} limit, per {rule.per})"


async def _refuse_socket(receive: Receive, send: Send, rule: Rule, item: RateLimitItem) -> None:
    """Accepted, then closed with 4429 and the limit named, as every refused socket is closed
    with 4000 + the HTTP status (``kit.handlers.refuse_socket``): a refused handshake would
    reach the client as a bare 403."""
    if (await receive())["type"] != "websocket.connect":
        return
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.close", "code": 4429, "reason": _exceeded(rule, item)[:120]})


async def _empty_receive() -> dict[str, Any]:
    return {"type": "http.disconnect"}
