"""A model's answer is held to the same plausibility rules as the planner's assemblies, and a
rejected answer is sent back once with its problems before the planner takes over."""

from __future__ import annotations

import copy
from typing import Any

import httpx

from tests.helpers.accounts import register
from tests.helpers.chat_completions import Reply, desk_design
from tests.specs.conftest import ChatApi

DESK = {"prompt": "A standing desk for a small studio"}


def _tiny_desk() -> dict[str, Any]:
    """A valid spec in every rule of the schema, but a 'table' 16 cm long: millimetres taken
    for centimetres."""
    design = copy.deepcopy(desk_design())
    design["bounding_box"] = {"width": 0.18, "height": 0.12, "depth": 0.08}
    for o in design["objects"]:
        o["position"] = {k: v / 10 for k, v in o["position"].items()}
        o["dimensions"] = {k: v / 10 for k, v in o["dimensions"].items()}
    return design


async def _create(client: httpx.AsyncClient) -> dict[str, Any]:
    account = await register(client)
    response = await client.post("/v1/specs", json=DESK, headers=account.jwt_headers)
    assert response.status_code == 201, response.text
    spec: dict[str, Any] = response.json()
    return spec


async def test_a_rejected_answer_is_retried_with_its_problems_and_the_retry_is_kept(
    llm_client: httpx.AsyncClient, chat_api: ChatApi
) -> None:
    chat_api.state.script(Reply(content=_tiny_desk()), Reply(content=desk_design()))
    spec = await _create(llm_client)
    assert spec["metadata"]["generation_method"] == "llm:test-planner"
    assert "llm_fallback_reason" not in spec["metadata"]
    problem = "LLM spec is implausible: a table design's longest extent is 0.4-6 m, this one's is 0.18 m"
    assert spec["metadata"]["llm_retry_reason"].startswith(problem)
    assert [o["id"] for o in spec["objects"]] == ["desk_top", "column_left", "column_right"]
    first, second = (call.body["messages"] for call in chat_api.state.calls)
    assert second[:2] == first and problem in second[3]["content"]
    assert '"width": 0.18' in second[2]["content"] or '"width":0.18' in second[2]["content"]


async def test_an_implausible_answer_twice_is_replaced_by_the_planner_saying_why(
    llm_client: httpx.AsyncClient, chat_api: ChatApi
) -> None:
    chat_api.state.script(Reply(content=_tiny_desk()), Reply(content=_tiny_desk()))
    spec = await _create(llm_client)
    assert spec["metadata"]["generation_method"] == "rule_based_planner"
    reason = spec["metadata"]["llm_fallback_reason"]
    assert reason.count("a table design's longest extent is 0.4-6 m") == 2 and "retried with the errors" in reason
    assert spec["metadata"]["original_spec"]["category"] == "desk" and len(chat_api.state.calls) == 2
