"""Specs written by a language model over a real OpenAI-compatible HTTP API, and the
planner taking over, saying why, whenever the model cannot deliver a valid spec."""

from __future__ import annotations

import asyncio
import copy
import io
import json
import threading
from typing import Any

import httpx
import pytest
from PIL import Image

from atelier.settings import Settings
from atelier.specs.answer import strict_schema
from tests.helpers.accounts import register
from tests.helpers.chat_completions import KEY, Reply, client_with_llm, desk_design
from tests.helpers.live import free_port
from tests.specs.conftest import ChatApi

DESK = {
    "prompt": "A standing desk for a small studio",
    "context": {"room": "studio flat"},
    "style": "scandinavian",
    "constraints": ["under 2 m wide"],
}
DESK_IDS = ["desk_top", "column_left", "column_right"]


async def create(client: httpx.AsyncClient, body: dict[str, Any] = DESK) -> dict[str, Any]:
    account = await register(client)
    response = await client.post("/v1/specs", json=body, headers=account.jwt_headers)
    assert response.status_code == 201, response.text
    spec: dict[str, Any] = response.json()
    listed = (await client.get("/v1/specs", headers=account.jwt_headers)).json()
    assert [row["generation_method"] for row in listed] == [spec["metadata"]["generation_method"]]
    stored = (await client.get(f"/v1/specs/{spec['spec_id']}", headers=account.jwt_headers)).json()
    assert stored == spec
    return spec


def assert_planner_wrote(spec: dict[str, Any], reason: str) -> None:
    assert spec["metadata"]["generation_method"] == "rule_based_planner"
    assert reason in spec["metadata"]["llm_fallback_reason"]
    assert {"top", "lifting_column_1"} <= {o["id"] for o in spec["objects"]}  # a standing desk
    assert not {o["id"] for o in spec["objects"]} & set(DESK_IDS)


async def test_the_configured_llm_writes_the_spec(llm_client: httpx.AsyncClient, chat_api: ChatApi) -> None:
    chat_api.state.script(Reply(content=desk_design()))
    spec = await create(llm_client)

    assert spec["metadata"]["generation_method"] == "llm:test-planner"
    assert "llm_fallback_reason" not in spec["metadata"]
    assert [o["id"] for o in spec["objects"]] == DESK_IDS
    assert spec["objects"][1]["dimensions"] == {"width": 0.08, "height": 1.05, "depth": 0.08, "units": "meters"}
    assert spec["scene"] | {"description": None} == {
        "name": "Standing desk",
        "description": None,
        "total_objects": 3,
        "bounding_box": {"width": 1.8, "height": 1.2, "depth": 0.8, "units": "meters"},
    }
    assert spec["metadata"]["original_spec"] == {
        "design_type": "furniture",
        "category": "table",
        "materials": [{"type": "bamboo"}],
        "features": ["ergonomic", "height adjustable"],
    }
    assert spec["metadata"]["style"] == "scandinavian" and spec["metadata"]["constraints"] == ["under 2 m wide"]

    [call] = chat_api.state.calls
    assert call.headers["authorization"] == f"Bearer {KEY}"
    assert call.body["model"] == "test-planner"
    assert call.body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "design_spec", "strict": True, "schema": strict_schema()},
    }
    schema = call.body["response_format"]["json_schema"]["schema"]
    assert schema["additionalProperties"] is False and "objects" in schema["required"]
    system, user = call.body["messages"]
    assert system["role"] == "system" and json.dumps(schema, separators=(",", ":")) in system["content"]
    assert user["role"] == "user" and json.loads(user["content"]) == DESK


async def test_the_preview_draws_the_llm_spec(llm_client: httpx.AsyncClient, chat_api: ChatApi) -> None:
    chat_api.state.script(Reply(content=desk_design()))
    account = await register(llm_client)
    spec = (await llm_client.post("/v1/specs", json=DESK, headers=account.jwt_headers)).json()
    preview = await llm_client.get(f"/v1/specs/{spec['spec_id']}/preview", headers=account.jwt_headers)
    image = Image.open(io.BytesIO(preview.content))
    assert image.format == "PNG" and len(set(image.convert("RGB").getdata())) > 5


def _outside() -> dict[str, Any]:
    design = desk_design()
    design["objects"][2]["position"]["x"] = 1.75  # 1.75 + 0.08 > 1.8
    return design


def _oversized() -> dict[str, Any]:
    design = desk_design()
    design["bounding_box"]["width"] = 18.0  # a desk 18 m wide: centimetres taken for decimetres
    design["objects"][0]["dimensions"]["width"] = 16.0
    return design


def _wrong_category() -> dict[str, Any]:
    return desk_design() | {"category": "car"}


def _no_objects() -> dict[str, Any]:
    return {k: v for k, v in desk_design().items() if k != "objects"}


def _negative() -> dict[str, Any]:
    design = copy.deepcopy(desk_design())
    design["objects"][0]["position"]["y"] = -0.5
    return design


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply(content='{"name": "Standing desk", "objects": [{"id": '), "LLM answer is not valid JSON"),
        (
            Reply(content=_outside()),
            "LLM spec is invalid: object 'column_right' extends outside the scene's bounding box",
        ),
        (Reply(content=_oversized()), "bounding box exceeds 10 m, more than any furniture measures"),
        (Reply(content=_wrong_category()), "category 'car' is not a kind of furniture"),
        (Reply(content=_no_objects()), "LLM answer does not follow the spec schema: objects: Field required"),
        (Reply(content=_negative()), "objects.0.position.y: Input should be greater than or equal to 0"),
        (Reply(status=500), "LLM answered HTTP 500"),
        (Reply(content=None, refusal="I can't help with that."), "LLM refused: I can't help with that."),
        (Reply(content='{"name": "Standing', finish_reason="length"), "cut off (finish_reason=length)"),
    ],
    ids=[
        "invalid-json",
        "outside-box",
        "oversized",
        "wrong-category",
        "no-objects",
        "negative",
        "http-500",
        "refusal",
        "cut-off",
    ],
)
async def test_the_planner_takes_over_from_a_bad_answer(
    llm_client: httpx.AsyncClient, chat_api: ChatApi, reply: Reply, reason: str
) -> None:
    chat_api.state.script(reply, reply)  # the same answer again when it is sent back
    spec = await create(llm_client)
    assert_planner_wrote(spec, reason)
    # an answer that arrived but is not a valid spec is sent back once with its problems
    retried = reply.status == 200 and reply.refusal is None and reply.finish_reason != "length"
    assert len(chat_api.state.calls) == (2 if retried else 1)
    if retried:
        fallback = spec["metadata"]["llm_fallback_reason"]
        assert "; retried with the errors: " in fallback and fallback.count(reason) == 2
        first, second = (call.body["messages"] for call in chat_api.state.calls)
        assert second[:2] == first and second[2]["role"] == "assistant"
        assert second[3]["role"] == "user" and reason in second[3]["content"]


async def test_a_wrong_api_key_falls_back(settings: Settings, chat_api: ChatApi) -> None:
    chat_api.state.script(Reply(content=desk_design()))
    async with client_with_llm(settings, chat_api.url, key="sk-wrong") as client:
        assert_planner_wrote(await create(client), "LLM answered HTTP 401")
    assert "sk-wrong" not in json.dumps(chat_api.state.calls[0].body)


async def test_a_slow_llm_falls_back_at_the_time_limit(settings: Settings, chat_api: ChatApi) -> None:
    chat_api.state.script(Reply(content=desk_design(), delay=1.5))
    async with client_with_llm(settings, chat_api.url, time_limit=0.2) as client:
        assert_planner_wrote(await create(client), "LLM did not answer within 0.2 s")


async def test_an_unreachable_llm_falls_back(settings: Settings) -> None:
    nobody = f"http://127.0.0.1:{free_port()}/v1"
    async with client_with_llm(settings, nobody) as client:
        assert_planner_wrote(await create(client), "LLM unreachable (ConnectError)")


async def test_without_an_llm_the_planner_writes_without_a_fallback_reason(client: httpx.AsyncClient) -> None:
    spec = await create(client)
    assert spec["metadata"]["generation_method"] == "rule_based_planner"
    assert "llm_fallback_reason" not in spec["metadata"]


async def test_no_database_transaction_stays_open_while_the_llm_thinks(
    llm_client: httpx.AsyncClient, chat_api: ChatApi
) -> None:
    gate = threading.Event()
    chat_api.state.script(Reply(content=desk_design(), gate=gate))
    account = await register(llm_client)
    writing = asyncio.create_task(llm_client.post("/v1/specs", json=DESK, headers=account.jwt_headers))
    try:
        assert await asyncio.to_thread(chat_api.state.arrived.wait, 30)
        # Another request writes while the model is still answering (SQLite: takes the write lock).
        other = await llm_client.post("/v1/keys", json={"name": "meanwhile"}, headers=account.jwt_headers)
        assert other.status_code == 201 and not writing.done()
    finally:
        gate.set()
    spec = (await writing).json()
    assert spec["metadata"]["generation_method"] == "llm:test-planner"
