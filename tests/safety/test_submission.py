"""A blocked prompt is refused at submission, before any credit is reserved: 422
CONTENT_POLICY_VIOLATION in each contract's own error body, no job, no ledger entry."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from atelier.jobs.models import Job
from tests.safety.helpers import Team, ledger, team

UNSAFE = "hardcore porn scene, explicit sex"


def _native(body: dict[str, Any]) -> None:
    assert body["error"]["code"] == "CONTENT_POLICY_VIOLATION"
    assert body["error"]["details"]["categories"] == ["sexual"] and body["error"]["details"]["stage"] == "prompt"


def _openai(body: dict[str, Any]) -> None:
    error = body["error"]
    assert error["code"] == "content_policy_violation" and error["type"] == "invalid_request_error"
    assert "content policy" in error["message"]


def _detail_with_code(body: dict[str, Any]) -> None:
    assert body["error_code"] == "CONTENT_POLICY_VIOLATION" and "content policy" in body["detail"]


def _plain_detail(body: dict[str, Any]) -> None:
    assert set(body) == {"detail"} and "content policy" in body["detail"]


def _envelope(body: dict[str, Any]) -> None:
    assert body["success"] is False and "content policy" in body["error"]


def _pixova(body: dict[str, Any]) -> None:
    assert body["success"] is False and body["error"]["code"] == "CONTENT_POLICY_VIOLATION"


#: (path, body, status, check): OpenAI's contract reports a content-policy refusal as a 400
#: (as OpenAI's own API does); every other contract as a 422.
CONTRACTS = [
    ("/v1/generations", {"prompt": UNSAFE, "size": "64x64"}, 422, _native),
    ("/v1/images/generations", {"prompt": UNSAFE, "size": "1024x1024"}, 400, _openai),
    (
        "/compat/nanodesigner/render",
        {
            "project_id": "p",
            "prompts": {"task": "create", "instruction": UNSAFE},
            "outputs": {"count": 1, "dimensions": "512x512", "format": "png"},
        },
        422,
        _detail_with_code,
    ),
    ("/compat/nanobanana/v1/generate", {"prompt": UNSAFE}, 422, _plain_detail),
    (
        "/compat/dreamy-studio/api/generate",
        {"model": "fal-ai/flux/dev", "prompt": UNSAFE, "sync_mode": True},
        422,
        _envelope,
    ),
    ("/compat/pixova/api/generate", {"user_id": "u", "prompt": UNSAFE}, 422, _pixova),
]


async def _jobs(app: FastAPI, org_id: str) -> int:
    async with app.state.runtime.sessions() as session:
        return int((await session.execute(select(func.count()).where(Job.organization_id == org_id))).scalar_one())


@pytest.mark.parametrize(("path", "body", "status", "check"), CONTRACTS, ids=[c[0] for c in CONTRACTS])
async def test_a_blocked_prompt_is_refused_in_each_contracts_shape_and_costs_nothing(
    client: httpx.AsyncClient, app: FastAPI, path: str, body: dict[str, Any], status: int, check: Any
) -> None:
    crew: Team = await team(client, app, credits=10)
    org = crew.member.organization_id
    before = await ledger(app, org)
    response = await client.post(path, json=body, headers=crew.headers)
    assert response.status_code == status, response.text
    check(response.json())
    assert await ledger(app, org) == before  # no reservation, no entry
    assert await _jobs(app, org) == 0  # no job recorded


async def test_an_ordinary_prompt_reserves_then_pays(client: httpx.AsyncClient, app: FastAPI) -> None:
    """The same route with an ordinary brief does reach billing (so the test above can fail)."""
    crew = await team(client, app, credits=10)
    org = crew.member.organization_id
    balance, _, entries = await ledger(app, org)
    body = {"prompt": "kill the lights party flyer, neon on black", "size": "64x64"}
    response = await client.post("/v1/generations", json=body, headers={**crew.headers, "Prefer": "wait=60"})
    assert response.status_code == 200 and response.json()["status"] == "succeeded", response.text
    after, total, more = await ledger(app, org)
    assert after == total == balance - 1 and more > entries
