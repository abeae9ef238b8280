"""Operations basics: CORS origins from settings, and structured JSON logs carrying the
request id."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import httpx

from atelier.app import create_app
from atelier.settings import ServerSettings, Settings
from tests.core.test_cli import ATELIER, cli_env
from tests.helpers.live import free_port


async def test_cors_allows_only_the_configured_origins(settings: Settings) -> None:
    server = ServerSettings(cors_origins=["https://app.example"])
    app = create_app(settings.model_copy(update={"server": server}))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-api-key"}
            allowed = await client.options("/v1/generations", headers={"Origin": "https://app.example", **preflight})
            assert allowed.status_code == 200
            assert allowed.headers["access-control-allow-origin"] == "https://app.example"
            assert "x-api-key" in allowed.headers["access-control-allow-headers"].lower()
            other = await client.options("/v1/generations", headers={"Origin": "https://evil.example", **preflight})
            assert "access-control-allow-origin" not in other.headers
            simple = await client.get("/health", headers={"Origin": "https://app.example"})
            assert simple.headers["access-control-allow-origin"] == "https://app.example"


def test_json_logs_carry_the_request_id(tmp_path: Path, database_url: str) -> None:
    port = free_port()
    env = {**cli_env(tmp_path, database_url), "ATELIER_LOG__FORMAT": "json"}
    server = subprocess.Popen(
        [*ATELIER, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        for _ in range(600):
            try:
                httpx.get(f"http://127.0.0.1:{port}/health")
                break
            except httpx.TransportError:
                time.sleep(0.05)
        answer = httpx.get(f"http://127.0.0.1:{port}/v1/me", headers={"X-Request-ID": "req_trace-me-42"})
        assert answer.status_code == 401
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    records = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    mine = [r for r in records if r.get("request_id") == "req_trace-me-42"]
    assert mine, stderr
    access = next(r for r in mine if r.get("path") == "/v1/me")
    assert access["status"] == 401 and access["method"] == "GET" and access["level"] == "INFO"
    assert {"ts", "logger", "message", "duration_ms"} <= set(access)
