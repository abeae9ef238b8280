"""A live Atelier (uvicorn on a free port) whose app the test can reach, to register
test-only engines on its router, and an API key for it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI

from atelier.app import create_app
from atelier.kit.runtime import Runtime
from atelier.settings import Settings
from tests.helpers.live import LiveServer


@dataclass
class Served:
    server: LiveServer
    app: FastAPI
    key: str

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.state.runtime
        return runtime


def make_key(url: str, email: str = "sdk@example.com") -> str:
    with httpx.Client(base_url=url) as client:
        creds = {"email": email, "password": "sdk password"}
        client.post("/v1/auth/register", json=creds)
        token = client.post("/v1/auth/login", json=creds).json()["access_token"]
        response = client.post("/v1/keys", json={"name": "sdk"}, headers={"Authorization": f"Bearer {token}"})
        key: str = response.json()["key"]
        return key


@pytest.fixture
def served(settings: Settings) -> Iterator[Served]:
    app = create_app(settings)
    server = LiveServer(app)
    server.start()
    try:
        yield Served(server, app, make_key(server.url))
    finally:
        server.stop()
