"""A webhook receiver on 127.0.0.1: a tiny Starlette app that verifies every delivery with
the ``standardwebhooks`` package, answers as each test scripts it, and records what came."""

from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.helpers.live import LiveServer

#: (attempt number for this webhook-id at this path, starting at 1) -> (status, headers)
Script = Callable[[int], tuple[int, dict[str, str]]]


def always_ok(_: int) -> tuple[int, dict[str, str]]:
    return 200, {}


@dataclass
class Received:
    path: str
    webhook_id: str
    verified: bool
    answered: int
    body: dict[str, Any]
    headers: dict[str, str]


@dataclass
class Receiver:
    secrets: dict[str, str] = field(default_factory=dict)  # path -> whsec_ secret
    scripts: dict[str, Script] = field(default_factory=dict)
    #: path -> (attempt -> seconds to wait before answering): a receiver that hangs.
    delays: dict[str, Callable[[int], float]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _arrivals: Counter[tuple[str, str]] = field(default_factory=Counter)

    def app(self) -> Starlette:
        async def hook(request: Request) -> Response:
            path = request.url.path
            body = await request.body()
            headers = dict(request.headers)
            webhook_id = headers.get("webhook-id", "")
            with self._lock:  # numbered on arrival, so a hung attempt still counts
                self._arrivals[(path, webhook_id)] += 1
                attempt = self._arrivals[(path, webhook_id)]
            if path in self.delays:
                await asyncio.sleep(self.delays[path](attempt))
            verified = True
            try:
                Webhook(self.secrets[path]).verify(body, headers)
            except (WebhookVerificationError, KeyError):
                verified = False
            status, extra = (self.scripts.get(path, always_ok)(attempt)) if verified else (401, {})
            with self._lock:
                self.received.append(Received(path, webhook_id, verified, status, json.loads(body), headers))
            return Response(status_code=status, headers=extra)

        return Starlette(routes=[Route("/{name:path}", hook, methods=["POST"])])

    def successes(self, path: str | None = None) -> Counter[str]:
        """How many times each webhook-id was accepted (2xx) — 1 each means no duplicates."""
        with self._lock:
            return Counter(
                r.webhook_id
                for r in self.received
                if r.verified and 200 <= r.answered < 300 and (path is None or r.path == path)
            )

    def at(self, path: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.path == path]


class ReceiverServer:
    def __init__(self, port: int | None = None) -> None:
        self.receiver = Receiver()
        self.server = LiveServer(self.receiver.app(), port=port)
        self.url = self.server.url

    def __enter__(self) -> Receiver:
        self.server.start()
        return self.receiver

    def __exit__(self, *exc: object) -> None:
        self.server.stop()
