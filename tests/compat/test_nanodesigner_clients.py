"""NanoDesigner's contract suite of record: requests as the real product's schemas allow them
(``Optional`` fields sent as ``null``, ``#RGB`` colours), the job status its frontend polls
(``JobStatusResponse``: a top-level ``url`` once completed) and the WebSocket messages in the
document's shapes."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from starlette.testclient import TestClient

from atelier.app import create_app
from atelier.design.fidelity import score
from atelier.settings import Settings
from tests.helpers.accounts import create_key, register

BASE = "/compat/nanodesigner"
JOB_STATUS_FIELDS = {
    "job_id",
    "status",
    "progress",
    "url",
    "preview_url",
    "r2_key",
    "error",
    "created_at",
    "updated_at",
}


async def bearer(client: httpx.AsyncClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {await create_key(client, await register(client))}"}


def request_with_nulls(**constraints: Any) -> dict[str, Any]:
    return {
        "project_id": "spring-campaign",
        "prompts": {"task": "create", "instruction": "Poster for the 'Spring Fair' weekend", "references": None},
        "outputs": {"count": 1, "format": "png", "dimensions": "640x480"},
        "constraints": {"palette_hex": None, "fonts": None, "logo_safe_zone_pct": None, **constraints},
    }


async def test_nulls_for_optional_fields_are_accepted(client: httpx.AsyncClient) -> None:
    response = await client.post(f"{BASE}/render", json=request_with_nulls(), headers=await bearer(client))
    assert response.status_code == 200, response.text
    assert response.json()["assets"][0]["url"]
    no_constraints = {**request_with_nulls(), "constraints": None}
    assert (await client.post(f"{BASE}/render", json=no_constraints, headers=await bearer(client))).status_code == 200


async def test_a_null_required_field_is_still_refused(client: httpx.AsyncClient) -> None:
    body = request_with_nulls()
    body["prompts"]["instruction"] = None
    refused = await client.post(f"{BASE}/render", json=body, headers=await bearer(client))
    assert refused.status_code == 422 and refused.json()["error_code"] == "VALIDATION_ERROR"


async def test_three_digit_hex_colours_are_the_six_digit_ones(client: httpx.AsyncClient) -> None:
    body = request_with_nulls(palette_hex=["#F00", "#fff", "#1E3A8A"])
    response = await client.post(f"{BASE}/render", json=body, headers=await bearer(client))
    assert response.status_code == 200, response.text
    out = response.json()
    assert out["audit"]["guardrails_ok"] is True
    image = (await client.get(out["assets"][0]["url"])).content
    report = score(image, width=640, height=480, fmt="png", palette_hex=["#FF0000", "#FFFFFF", "#1E3A8A"])
    assert (report.palette_adherence or 0) >= 0.99
    bad = await client.post(
        f"{BASE}/render", json=request_with_nulls(palette_hex=["#F0"]), headers=await bearer(client)
    )
    assert bad.status_code == 422 and "#F0" in bad.json()["detail"]


async def test_polled_job_status_carries_the_url_once_completed(client: httpx.AsyncClient) -> None:
    headers = await bearer(client)
    queued = await client.post(f"{BASE}/render/async", json=request_with_nulls(), headers=headers)
    assert queued.status_code == 202
    status_url = f"{BASE}/{queued.json()['status_url']}"
    polled: dict[str, Any] = {}
    for _ in range(600):  # the frontend's loop: poll until completed or failed
        polled = (await client.get(status_url, headers=headers)).json()
        assert set(polled) >= JOB_STATUS_FIELDS
        if polled["status"] in {"completed", "failed"}:
            break
        assert polled["url"] is None
        await asyncio.sleep(0.05)
    assert polled["status"] == "completed" and polled["progress"] == 100 and polled["error"] is None
    assert polled["url"] == polled["preview_url"] == polled["result"]["assets"][0]["url"]
    assert polled["r2_key"].endswith(".png") and polled["synthid"] == {"present": False, "payload": None}
    assert polled["created_at"].endswith("Z") and polled["updated_at"].endswith("Z")
    image = await client.get(polled["url"])
    assert image.status_code == 200 and image.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_websocket_messages_keep_the_documents_shapes(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        creds = {"email": "nd-ws@example.com", "password": "nd ws password"}
        client.post("/v1/auth/register", json=creds)
        headers = {"Authorization": f"Bearer {client.post('/v1/auth/login', json=creds).json()['access_token']}"}
        with client.websocket_connect(f"{BASE}/ws/render/spring-campaign", headers=headers) as socket:
            queued = client.post(f"{BASE}/render/async", headers=headers, json=request_with_nulls())
            assert queued.status_code == 202
            messages = []
            while not messages or messages[-1]["type"] != "render_completed":
                messages.append(json.loads(socket.receive_text()))
    for message in messages[:-1]:
        assert set(message) == {"type", "job_id", "status", "progress", "eta_seconds"}
        assert message["type"] == "job_status" and message["status"] in {"queued", "processing", "completed"}
    completed = messages[-1]
    assert set(completed) == {"type", "job_id", "assets", "audit"}
    assert set(completed["assets"][0]) == {"url", "r2_key", "synthid"}
    assert {"trace_id", "model_route", "cost_usd", "guardrails_ok", "plan"} <= set(completed["audit"])
