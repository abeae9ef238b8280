"""Fake providers on 127.0.0.1 (one uvicorn server per module, state reset per test) and
helpers to build adapters against them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from fastapi import FastAPI

from atelier.engines.providers.hosted import EngineSpec
from tests.helpers.live import LiveServer
from tests.providers.fakes import fal_fake, gemini_fake, openai_fake, openrouter_fake, replicate_fake
from tests.providers.fakes.base import CLIENT_TIMEOUT, KEY, FakeState


@dataclass
class Fake:
    state: FakeState
    url: str

    def spec(
        self,
        model: str,
        *,
        provider: str = "fake",
        base: str = "",
        api_key: str | None = KEY,
        timeout: float = CLIENT_TIMEOUT,
        options: dict[str, object] | None = None,
    ) -> EngineSpec:
        return EngineSpec(
            name=f"{provider}/{model}",
            model=model,
            provider=provider,
            api_key=api_key,
            base_url=self.url + base,
            timeout=timeout,
            options=dict(options or {}),
        )


@dataclass
class Progress:
    events: list[tuple[float, str | None]] = field(default_factory=list)

    async def __call__(self, fraction: float, stage: str | None) -> None:
        self.events.append((fraction, stage))

    @property
    def stages(self) -> list[str | None]:
        return [stage for _, stage in self.events]


def _serve(build: Callable[[FakeState], FastAPI]) -> Iterator[Fake]:
    state = FakeState()
    server = LiveServer(build(state))
    server.start()
    try:
        yield Fake(state, server.url)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def _openai_server() -> Iterator[Fake]:
    yield from _serve(openai_fake.build)


@pytest.fixture(scope="module")
def _gemini_server() -> Iterator[Fake]:
    yield from _serve(gemini_fake.build)


@pytest.fixture(scope="module")
def _fal_server() -> Iterator[Fake]:
    yield from _serve(fal_fake.build)


@pytest.fixture(scope="module")
def _replicate_server() -> Iterator[Fake]:
    yield from _serve(replicate_fake.build)


@pytest.fixture(scope="module")
def _openrouter_server() -> Iterator[Fake]:
    yield from _serve(openrouter_fake.build)


def _fresh(fake: Fake) -> Fake:
    fake.state.reset()
    return fake


@pytest.fixture
def openai_api(_openai_server: Fake) -> Fake:
    return _fresh(_openai_server)


@pytest.fixture
def gemini_api(_gemini_server: Fake) -> Fake:
    return _fresh(_gemini_server)


@pytest.fixture
def fal_api(_fal_server: Fake) -> Fake:
    return _fresh(_fal_server)


@pytest.fixture
def replicate_api(_replicate_server: Fake) -> Fake:
    return _fresh(_replicate_server)


@pytest.fixture
def openrouter_api(_openrouter_server: Fake) -> Fake:
    return _fresh(_openrouter_server)


@pytest.fixture
def progress() -> Progress:
    return Progress()
