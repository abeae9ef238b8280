from __future__ import annotations

import httpx

from tests.helpers.accounts import register


async def test_malformed_json_names_the_body(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/auth/register", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR" and "JSON" in error["message"] and error["trace_id"]


async def test_wrong_types_and_missing_fields_name_the_field(client: httpx.AsyncClient) -> None:
    missing = await client.post("/v1/auth/register", json={"email": "a@example.com"})
    assert missing.status_code == 422 and "password" in missing.json()["error"]["message"]
    wrong = await client.post("/v1/auth/register", json={"email": 5, "password": ["x"]})
    assert wrong.status_code == 422
    fields = {f["field"] for f in wrong.json()["error"]["details"]["fields"]}
    assert {"email", "password"} <= fields
    account = await register(client)
    bad_project = await client.post("/v1/projects", json={"name": 12}, headers=account.jwt_headers)
    assert bad_project.status_code == 422 and "name" in bad_project.text


async def test_oversized_body_gets_413(client: httpx.AsyncClient, app: object) -> None:
    limit = app.state.runtime.settings.server.max_body_bytes  # type: ignore[attr-defined]
    response = await client.post(
        "/v1/auth/register", content=b"x" * (limit + 1), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413 and response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_request_id_echoed_or_generated(client: httpx.AsyncClient) -> None:
    echoed = await client.get("/health", headers={"X-Request-ID": "client-123"})
    assert echoed.headers["x-request-id"] == "client-123"
    generated = await client.get("/health")
    assert generated.headers["x-request-id"].startswith("req_")
    unknown = await client.get("/nope", headers={"X-Request-ID": "abc"})
    assert unknown.status_code == 404 and unknown.json()["error"]["trace_id"] == "abc"
    wrong_method = await client.put("/health")
    assert wrong_method.status_code == 405


async def test_docs_list_every_route(client: httpx.AsyncClient, app: object) -> None:
    spec = (await client.get("/openapi.json")).json()
    documented = set(spec["paths"])
    from fastapi.routing import APIRoute

    routes = {r.path for r in app.routes if isinstance(r, APIRoute) and r.include_in_schema}  # type: ignore[attr-defined]
    assert routes <= documented
    assert (await client.get("/docs")).status_code == 200
