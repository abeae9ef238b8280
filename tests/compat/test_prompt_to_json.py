"""Prompt-to-JSON v2 (``POST /api/v1/generate``) with a language model configured: the
response keeps the contract's exact shape whether the model or the planner wrote the spec."""

from __future__ import annotations

import io
import json
import subprocess
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from PIL import Image

from atelier.settings import Settings
from tests.helpers.accounts import create_key, register
from tests.helpers.chat_completions import ChatState, Reply, chat_server, client_with_llm, desk_design
from tests.helpers.live import LiveServer

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
    preview = await client.get(BASE + out["preview_url"])  # relative to the contract's base URL
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
    chat.script(Reply(content="Sure! Here is your desk: {"), Reply(content="Sure! Here it is again: {"))
    spec = (await generate(client))["spec_json"]
    assert spec["metadata"]["generation_method"] == "rule_based_planner"
    reason = "LLM answer is not valid JSON"  # sent back once with the problem, then the planner
    assert spec["metadata"]["llm_fallback_reason"] == f"{reason}; retried with the errors: {reason}"
    assert spec["metadata"]["original_spec"]["design_type"] == "furniture"


def _live_credentials(server: LiveServer) -> tuple[str, str]:
    """An API key and a JWT of the same account, made through the live server's API."""
    with httpx.Client(base_url=server.url) as http:
        creds = {"email": "p2j@example.com", "password": "p2j password"}
        http.post("/v1/auth/register", json=creds)
        token: str = http.post("/v1/auth/login", json=creds).json()["access_token"]
        key: str = http.post("/v1/keys", json={"name": "p2j"}, headers={"Authorization": f"Bearer {token}"}).json()[
            "key"
        ]
    return key, token


def _live_generate(server: LiveServer, key: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(
        f"{server.url}{BASE}/api/v1/generate",
        headers={"X-API-Key": key, "Authorization": f"Bearer {token}"},
        json=body,
        timeout=60,
    )
    assert response.status_code == 200, response.text
    out: dict[str, Any] = response.json()
    return out


def test_the_documents_curl_example_against_the_live_server(live_server: LiveServer) -> None:
    key, token = _live_credentials(live_server)
    # The document's cURL example, verbatim but for the host and the two credentials.
    command = [
        "curl", "-sS", "-X", "POST", f"{live_server.url}{BASE}/api/v1/generate",
        "-H", "Content-Type: application/json",
        "-H", f"X-API-Key: {key}",
        "-H", f"Authorization: Bearer {token}",
        "-d", json.dumps({
            "prompt": "Smart home IoT sensor with WiFi connectivity",
            "context": {"environment": "indoor", "power": "battery"},
            "style": "minimalist",
            "constraints": ["2-year battery life", "weatherproof"],
        }),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, check=True, timeout=60)
    out = json.loads(done.stdout)
    assert set(out) == {"spec_id", "spec_json", "preview_url", "created_at", "processing_time"}
    spec = out["spec_json"]
    assert spec["metadata"]["original_spec"]["design_type"] == "electronics"
    assert spec["metadata"]["style"] == "minimalist" and spec["scene"]["total_objects"] == len(spec["objects"]) >= 3
    preview = httpx.get(live_server.url + BASE + out["preview_url"])
    assert preview.status_code == 200 and Image.open(io.BytesIO(preview.content)).format == "PNG"


def test_the_documents_javascript_office_example(live_server: LiveServer) -> None:
    key, token = _live_credentials(live_server)
    out = _live_generate(
        live_server,
        key,
        token,
        {
            "prompt": "Modern office building with sustainable features",
            "context": {"location": "urban", "capacity": "500 employees"},
            "style": "contemporary",
            "constraints": ["LEED certified", "natural lighting"],
        },
    )
    spec = out["spec_json"]
    floors = [o for o in spec["objects"] if o["type"] == "floor"]
    assert spec["metadata"]["original_spec"]["design_type"] == "building"
    assert len(floors) >= 5  # 500 people at ~12 m² each do not fit on one or two floors
    assert sum(f["properties"]["capacity"] for f in floors) >= 500
    for floor in floors:
        dims = floor["dimensions"]
        assert dims["width"] * dims["depth"] >= 500 and 2.7 <= dims["height"] <= 4.5  # office floor plates
    levels = sorted(f["position"]["y"] for f in floors)
    assert levels == sorted(set(levels)) and levels[0] == 0  # stacked, one above the other


def test_the_documents_electric_vehicle_example_has_four_seats(live_server: LiveServer) -> None:
    key, token = _live_credentials(live_server)
    out = _live_generate(
        live_server,
        key,
        token,
        {
            "prompt": "Modern electric vehicle with aerodynamic design",
            "context": {"target_audience": "luxury market", "budget_range": "high-end"},
            "style": "futuristic",
            "constraints": ["must be environmentally friendly", "maximum 4 seats"],
        },
    )
    objects = out["spec_json"]["objects"]
    assert len([o for o in objects if o["type"] == "seat"]) == 4
    body = next(o for o in objects if o["id"] == "body")["dimensions"]
    assert 3.5 <= body["depth"] <= 5.5 and 1.6 <= body["width"] <= 2.1  # a car's footprint, in meters
    roof = max(o["position"]["y"] + o["dimensions"]["height"] for o in objects)
    assert 1.2 <= roof <= 2.0  # and a car's height, wheels to cabin roof
    assert out["spec_json"]["metadata"]["original_spec"]["design_type"] == "vehicle"
