"""NanoDesigner's Python SDK example and its documented shapes, against Atelier."""

from __future__ import annotations

import io
import json
from typing import Any

import httpx
from PIL import Image
from starlette.testclient import TestClient

from atelier.app import create_app
from atelier.design.fidelity import score
from atelier.settings import Settings
from tests.helpers.live import LiveServer

BASE = "/compat/nanodesigner"


class NanoDesignerClient:
    # The document's Python SDK, unchanged but for the base URL and key passed in.
    def __init__(self, api_key: str, base_url: str = "https://api.nanodesigner.com"):
        self.session = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {api_key}"}, timeout=120)

    def render(self, project_id: str, instruction: str, **kwargs: Any) -> Any:
        response = self.session.post(
            "/render",
            json={
                "project_id": project_id,
                "prompts": {"task": "create", "instruction": instruction},
                "outputs": {"count": 1, "dimensions": "1024x1024", "format": "png"},
                **kwargs,
            },
        )
        response.raise_for_status()
        return response.json()


def key_for(server: LiveServer) -> str:
    with httpx.Client(base_url=server.url) as client:
        creds = {"email": "nd@example.com", "password": "nd password"}
        client.post("/v1/auth/register", json=creds)
        token = client.post("/v1/auth/login", json=creds).json()["access_token"]
        key: str = client.post("/v1/keys", json={"name": "nd"}, headers={"Authorization": f"Bearer {token}"}).json()[
            "key"
        ]
        return key


def test_sdk_example_returns_real_assets_and_an_honest_audit(live_server: LiveServer) -> None:
    client = NanoDesignerClient(key_for(live_server), base_url=live_server.url + BASE)
    result = client.render("project-1", "Create a modern logo design")
    asset = result["assets"][0]
    assert asset["r2_key"].endswith(".png") and "/renders/" in asset["r2_key"]
    assert asset["synthid"] == {"present": False, "payload": None}
    image = Image.open(io.BytesIO(httpx.get(asset["url"]).content))
    assert image.size == (1024, 1024)
    audit = result["audit"]
    assert audit["model_route"] == "openrouter/gemini-2.5-flash-image -> atelier-design"
    assert audit["cost_usd"] == 0.0 and audit["guardrails_ok"] is True and audit["trace_id"]
    assert "generation" in audit["plan"]["steps"] and audit["plan"]["goal"] == "Create a modern logo design"


def test_brand_constraints_are_enforced_on_the_output(live_server: LiveServer) -> None:
    client = NanoDesignerClient(key_for(live_server), base_url=live_server.url + BASE)
    palette = ["#1B2A4A", "#F5EEDC", "#C9A227"]
    result = client.render(
        "brand",
        "Badge for 'Harbor Lights' sailing club",
        outputs={"count": 2, "dimensions": "800x600", "format": "webp"},
        constraints={"palette_hex": palette, "fonts": ["Georgia"], "logo_safe_zone_pct": 20},
    )
    assert len(result["assets"]) == 2 and result["audit"]["guardrails_ok"] is True
    for asset in result["assets"]:
        data = httpx.get(asset["url"]).content
        report = score(data, width=800, height=600, fmt="webp", palette_hex=palette)
        assert report.size_ok and report.format_ok and (report.palette_adherence or 0) >= 0.99


def test_documented_error_body_and_codes(live_server: LiveServer) -> None:
    key = key_for(live_server)
    url = live_server.url + BASE
    auth = {"Authorization": f"Bearer {key}"}
    bad = httpx.post(
        f"{url}/render",
        headers=auth,
        json={
            "project_id": "p",
            "prompts": {"task": "create", "instruction": "tiny"},
            "outputs": {"count": 7, "dimensions": "1024x1024", "format": "gif"},
        },
    )
    body = bad.json()
    assert bad.status_code == 422 and body["error_code"] == "VALIDATION_ERROR"
    assert set(body) == {"detail", "error_code", "trace_id", "timestamp"} and "instruction" in body["detail"]
    too_many = httpx.post(
        f"{url}/render",
        headers=auth,
        json={
            "project_id": "p",
            "prompts": {"task": "create", "instruction": "valid one"},
            "outputs": {"count": 1, "dimensions": "1024x1024", "format": "png"},
            "constraints": {"palette_hex": ["#000000"] * 13},
        },
    )
    assert too_many.status_code == 422
    ssrf = httpx.post(
        f"{url}/render",
        headers=auth,
        json={
            "project_id": "p",
            "prompts": {"task": "edit", "instruction": "edit this one", "references": ["http://10.0.0.5/secret.png"]},
            "outputs": {"count": 1, "dimensions": "512x512", "format": "png"},
        },
    )
    assert ssrf.status_code == 400 and ssrf.json()["error_code"] == "UNSAFE_URL"
    edit = httpx.post(
        f"{url}/render",
        headers=auth,
        json={
            "project_id": "p",
            "prompts": {
                "task": "edit",
                "instruction": "edit this one",
                "references": ["data:image/png;base64," + _tiny_png()],
            },
            "outputs": {"count": 1, "dimensions": "512x512", "format": "png"},
        },
    )
    # the built-in design engine edits too (a design laid out around the reference image)
    assert edit.status_code == 200, edit.text
    ok = httpx.post(
        f"{url}/render",
        headers=auth,
        json={
            "project_id": "p",
            "prompts": {"task": "create", "instruction": "valid one"},
            "outputs": {"count": 1, "dimensions": "256x256", "format": "png"},
        },
    )
    assert ok.headers["x-ratelimit-limit"] in {"30", "100"}
    # the key's owner is the first account: the administrator, who may read business figures
    metrics = httpx.get(f"{url}/monitoring/metrics", params={"hours": 1}, headers=auth).json()
    assert metrics["performance"]["request_count"] > 0 and metrics["business"]["users_signup"] == 1


def _tiny_png() -> str:
    import base64

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


def test_async_render_with_websocket_updates(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        creds = {"email": "ws@example.com", "password": "ws password"}
        client.post("/v1/auth/register", json=creds)
        token = client.post("/v1/auth/login", json=creds).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        with client.websocket_connect(f"{BASE}/ws/render/launch", headers=headers) as socket:
            queued = client.post(
                f"{BASE}/render/async",
                headers=headers,
                json={
                    "project_id": "launch",
                    "prompts": {"task": "create", "instruction": "poster for 'Launch' night"},
                    "outputs": {"count": 1, "dimensions": "512x768", "format": "png"},
                },
            )
            assert queued.status_code == 202
            job_id = queued.json()["job_id"]
            messages = []
            while True:
                message = json.loads(socket.receive_text())
                messages.append(message)
                if message["type"] == "render_completed":
                    break
        assert {m["type"] for m in messages} == {"job_status", "render_completed"}
        assert all(m["job_id"] == job_id for m in messages)
        assert messages[-1]["assets"][0]["r2_key"].endswith(".png")
        polled = client.get(f"{BASE}/render/jobs/{job_id}", headers=headers).json()
        assert polled["status"] == "completed" and polled["result"]["assets"]
