from __future__ import annotations

import httpx


async def test_liveness(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200 and response.json()["status"] == "ok"


async def test_monitoring_health_reports_components(client: httpx.AsyncClient, app: object) -> None:
    body = (await client.get("/monitoring/health")).json()
    assert body["status"] == "healthy"
    assert body["services"]["database"]["status"] == "healthy"
    assert body["services"]["database"]["checked_at"]

    async def broken() -> str:
        raise ConnectionError("down")

    app.state.runtime.health_checks["database"] = broken  # type: ignore[attr-defined]
    response = await client.get("/monitoring/health")
    assert response.status_code == 503 and response.json()["status"] == "unhealthy"


async def test_metrics_report_real_request_figures(client: httpx.AsyncClient) -> None:
    for _ in range(3):
        await client.get("/health")
    await client.get("/does-not-exist")
    body = (await client.get("/monitoring/metrics", params={"hours": 1})).json()
    perf = body["performance"]
    assert perf["request_count"] >= 4
    assert perf["status_codes"]["200"] >= 3 and perf["status_codes"]["404"] == 1
    assert body["system"]["memory_usage_mb"] > 0 and 0 <= body["system"]["disk_usage_percent"] <= 100
    assert body["business"]["users_signup"] == 0
    bad = await client.get("/monitoring/metrics", params={"hours": 25})
    assert bad.status_code == 422 and "hours" in bad.text
