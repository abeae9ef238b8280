"""A fake OpenAI-compatible chat completions server on 127.0.0.1: ``POST /v1/chat/completions``
with Bearer auth, answering each call as the test scripted it (a message content, an HTTP
error, a delay) in OpenAI's documented response and error shapes, and recording every
request it got."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from atelier.app import create_app
from atelier.settings import Settings, SpecSettings
from tests.helpers.live import LiveServer

KEY = "sk-test-llm-key-0123456789"


@dataclass
class Reply:
    """One scripted answer: ``content`` as the assistant message (a dict is sent as JSON text),
    or an HTTP ``status`` error; ``delay`` seconds before answering, or held until ``gate`` is
    set; ``finish_reason``."""

    content: str | dict[str, Any] | None = None
    status: int = 200
    delay: float = 0.0
    gate: threading.Event | None = None
    finish_reason: str = "stop"
    refusal: str | None = None


@dataclass
class Call:
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class ChatState:
    key: str = KEY
    replies: deque[Reply] = field(default_factory=deque)
    calls: list[Call] = field(default_factory=list)
    #: Set once a call has arrived (from the server's thread).
    arrived: threading.Event = field(default_factory=threading.Event)

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def reset(self) -> None:
        self.replies.clear()
        self.calls.clear()
        self.arrived.clear()


def _error(status: int, message: str, kind: str, code: str | None = None) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": kind, "param": None, "code": code}}, status_code=status)


def build(state: ChatState) -> FastAPI:
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def completions(request: Request) -> Response:
        body = await request.json()
        state.calls.append(Call(dict(request.headers), body))
        state.arrived.set()
        if request.headers.get("authorization") != f"Bearer {state.key}":
            return _error(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key")
        reply = state.replies.popleft() if state.replies else Reply(status=500)
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.gate is not None:
            await asyncio.to_thread(reply.gate.wait, 30)
        if reply.status != 200:
            return _error(reply.status, "The server had an error while processing your request.", "server_error")
        content = json.dumps(reply.content) if isinstance(reply.content, dict) else reply.content
        return JSONResponse(
            {
                "id": f"chatcmpl-{len(state.calls)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content, "refusal": reply.refusal},
                        "logprobs": None,
                        "finish_reason": reply.finish_reason,
                    }
                ],
                "usage": {"prompt_tokens": 900, "completion_tokens": 300, "total_tokens": 1200},
            }
        )

    return app


@contextmanager
def chat_server() -> Iterator[tuple[str, ChatState]]:
    """The server's ``/v1`` base URL and its state, for the duration of the block."""
    state = ChatState()
    server = LiveServer(build(state))
    server.start()
    try:
        yield server.url + "/v1", state
    finally:
        server.stop()


@asynccontextmanager
async def client_with_llm(
    settings: Settings, base_url: str, *, model: str = "test-planner", key: str = KEY, time_limit: float = 10.0
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an Atelier app whose specs are written by the model at ``base_url``."""
    specs = SpecSettings(llm_base_url=base_url, llm_api_key=key, llm_model=model, llm_timeout_seconds=time_limit)
    app = create_app(settings.model_copy(update={"specs": specs}))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


def desk_design() -> dict[str, Any]:
    """A valid answer to "a standing desk": a top on two legs inside a 1.8 x 1.2 x 0.8 m box."""
    return {
        "name": "Standing desk",
        "design_type": "furniture",
        "category": "table",
        "material": "bamboo",
        "features": ["ergonomic", "height adjustable"],
        "bounding_box": {"width": 1.8, "height": 1.2, "depth": 0.8},
        "objects": [
            {
                "id": "desk_top",
                "type": "top",
                "material": "bamboo",
                "position": {"x": 0.0, "y": 1.05, "z": 0.0},
                "dimensions": {"width": 1.6, "height": 0.03, "depth": 0.75},
            },
            {
                "id": "column_left",
                "type": "leg",
                "material": "steel",
                "position": {"x": 0.1, "y": 0.0, "z": 0.3},
                "dimensions": {"width": 0.08, "height": 1.05, "depth": 0.08},
            },
            {
                "id": "column_right",
                "type": "leg",
                "material": "steel",
                "position": {"x": 1.42, "y": 0.0, "z": 0.3},
                "dimensions": {"width": 0.08, "height": 1.05, "depth": 0.08},
            },
        ],
    }
