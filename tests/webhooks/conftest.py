"""Fixtures for webhook tests: a receiver server, an app with webhook settings of the
test's choosing, and a clock the test moves by hand (so retries need no sleeping)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from atelier.app import create_app
from atelier.kit.db import utcnow
from atelier.kit.runtime import Runtime
from atelier.settings import Settings, WebhookSettings
from atelier.webhooks.dispatcher import Dispatcher
from tests.helpers.accounts import Account, register
from tests.webhooks.receiver import Receiver, ReceiverServer


class FakeClock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class Harness:
    app: FastAPI
    client: httpx.AsyncClient
    account: Account
    clock: FakeClock

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.state.runtime
        return runtime

    @property
    def org(self) -> str:
        return self.account.organization_id

    def dispatcher(self) -> Dispatcher:
        """A dispatcher on the test's clock, driven by hand with ``run_once``."""
        return Dispatcher(self.runtime, clock=self.clock)

    async def drain(self, *, rounds: int = 10) -> int:
        """Run rounds until nothing is due at the current (fake) time."""
        dispatcher, total = self.dispatcher(), 0
        for _ in range(rounds):
            handled = await dispatcher.run_once()
            total += handled
            if not handled:
                break
        return total

    async def endpoint(self, receiver: Receiver, base_url: str, path: str, **fields: Any) -> dict[str, Any]:
        response = await self.client.post(
            "/v1/webhooks", json={"url": base_url + path, **fields}, headers=self.account.jwt_headers
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        receiver.secrets[path] = body["secret"]
        return body


@asynccontextmanager
async def harness(settings: Settings, **webhooks: Any) -> AsyncIterator[Harness]:
    """An app whose webhook settings are the defaults overridden by ``webhooks``; by default
    loopback is allowed and no dispatcher runs in process (tests drive one by hand)."""
    options: dict[str, Any] = {"allow_private": ["127.0.0.1"], "dispatch_in_process": False, **webhooks}
    app = create_app(settings.model_copy(update={"webhooks": WebhookSettings(**options)}))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield Harness(app, client, await register(client), FakeClock())


@pytest.fixture
def receiver_server() -> Iterator[tuple[str, Receiver]]:
    server = ReceiverServer()
    with server as receiver:
        yield server.url, receiver
