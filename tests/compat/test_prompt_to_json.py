"""Prompt-to-JSON v2 (``POST /api/v1/generate``) with a language model configured: the
response keeps the contract's exact shape whether the model or the planner wrote the spec."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from PIL import Image

from atelier.settings import Settings
from tests.helpers.accounts import create_key, register
from tests.helpers.chat_completions import ChatState, Reply, chat_server, client_with_llm, desk_design

BASE = "/compat/prompt-to-json"
BODY = {
    "prompt": "A standing desk for a small studio",
    "context": {"room": "studio flat"},
    "style": "scandinavian",
    "constraints": ["under 2 m wide"],
}


@pytest.fixture(scope="module")
def _chat() -> Iterator[tuple[str, ChatState]]:
    with chat_server() as served:
        yield served


@pytest.fixture
def chat(_chat: tuple[str, ChatState]) -> ChatState:
    _chat[1].reset()
    return _chat[1]


@pytest.fixture
async def client(settings: Settings, _chat: tuple[str, ChatState]) -> AsyncIterator[httpx.AsyncClient]:
    async with client_with_llm(settings, _chat[0]) as c:
        yield c


async def generate(client: httpx.AsyncClient) -> dict[str, Any]:
    account = await register(client)
    key = await create_key(client, account)
    response = await client.post(
        f"{BASE}/api/v1/generate", json=BODY, headers={"X-API-Key": key, **account.jwt_headers}
    )
    assert response.status_code == 200, response.text
    out: dict[str, Any] = response.json()
    assert_contract_shape(out)
    preview = await client.get(out["preview_url"])
    assert Image.open(io.BytesIO(preview.content)).format == "PNG"
    return out


def assert_contract_shape(out: dict[str, Any]) -> None:
    """Exactly the fields GenerateResponseV2 and EnhancedDesignSpec document."""
    assert set(out) == {"spec_id", "spec_json", "preview_url", "created_at", "processing_time"}
    spec = out["spec_json"]
    assert set(spec) == {"spec_id", "objects", "scene", "version", "metadata"} and spec["spec_id"] == out["spec_id"]
    for o in spec["objects"]:
        assert set(o) == {"id", "type", "material", "position", "dimensions", "editable", "properties"}
        assert set(o["position"]) == {"x", "y", "z"} and o["editable"] is True
        assert set(o["dimensions"]) == {"width", "height", "depth", "units"} and o["dimensions"]["units"] == "meters"
    assert set(spec["scene"]) == {"name", "description", "total_objects", "bounding_box"}
    assert spec["scene"]["total_objects"] == len(spec["objects"]) and spec["scene"]["description"] == BODY["prompt"]
    assert set(spec["version"]) == {"version", "created_at", "modified_at", "author"}
    assert set(spec["metadata"]["original_spec"]) == {"design_type", "category", "materials", "features"}
    assert spec["metadata"]["style"] == "scandinavian" and spec["metadata"]["constraints"] == ["under 2 m wide"]


async def test_generate_returns_the_llm_spec_in_the_contract_shape(client: httpx.AsyncClient, chat: ChatState) -> None:
    chat.script(Reply(content=desk_design()))
    spec = (await generate(client))["spec_json"]
    assert spec["metadata"]["generation_method"] == "llm:test-planner"
    assert "llm_fallback_reason" not in spec["metadata"]
    assert [o["id"] for o in spec["objects"]] == ["desk_top", "column_left", "column_right"]
    assert chat.calls[0].body["response_format"]["type"] == "json_schema"
    assert BODY["prompt"] in chat.calls[0].body["messages"][1]["content"]


async def test_generate_falls_back_to_the_planner_and_says_why(client: httpx.AsyncClient, chat: ChatState) -> None:
    chat.script(Reply(content="Sure! Here is your desk: {"))
    spec = (await generate(client))["spec_json"]
    assert spec["metadata"]["generation_method"] == "rule_based_planner"
    assert spec["metadata"]["llm_fallback_reason"] == "LLM answer is not valid JSON"
    assert spec["metadata"]["original_spec"]["design_type"] == "furniture"
