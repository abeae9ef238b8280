"""A fake chat completions server for the module (state reset per test) and a client of an
app whose specs are written by it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import httpx
import pytest

from atelier.settings import Settings
from tests.helpers.chat_completions import ChatState, chat_server, client_with_llm


@dataclass
class ChatApi:
    url: str
    state: ChatState


@pytest.fixture(scope="module")
def _chat_server() -> Iterator[ChatApi]:
    with chat_server() as (url, state):
        yield ChatApi(url, state)


@pytest.fixture
def chat_api(_chat_server: ChatApi) -> ChatApi:
    _chat_server.state.reset()
    return _chat_server


@pytest.fixture
async def llm_client(settings: Settings, chat_api: ChatApi) -> AsyncIterator[httpx.AsyncClient]:
    async with client_with_llm(settings, chat_api.url) as client:
        yield client
