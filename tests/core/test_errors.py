from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI

from atelier.app import create_app
from atelier.settings import Settings
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


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def test_unexpected_exception_is_a_500_with_the_request_id(client: httpx.AsyncClient, app: FastAPI) -> None:
    async def explode() -> None:
        raise RuntimeError("secret-internal-detail")

    app.add_api_route("/v1/test-explodes", explode)
    captured = _Records()
    errors_log = logging.getLogger("atelier.errors")
    errors_log.addHandler(captured)
    try:
        echoed = await client.get("/v1/test-explodes", headers={"X-Request-ID": "client-500"})
        generated = await client.get("/v1/test-explodes")
    finally:
        errors_log.removeHandler(captured)
    assert echoed.status_code == 500 and echoed.headers["x-request-id"] == "client-500"
    assert echoed.json() == {
        "error": {
            "code": "INTERNAL_ERROR",
            "message": "An unexpected error occurred; it has been logged.",
            "trace_id": "client-500",
        }
    }
    request_id = generated.headers["x-request-id"]
    assert generated.status_code == 500 and request_id.startswith("req_")
    assert generated.json()["error"]["trace_id"] == request_id
    for response in (echoed, generated):
        assert "secret-internal-detail" not in response.text and "Traceback" not in response.text
    logged = [r for r in captured.records if r.exc_info]
    assert [r.getMessage() for r in logged] == [
        "unhandled error on GET /v1/test-explodes (request client-500)",
        f"unhandled error on GET /v1/test-explodes (request {request_id})",
    ]
    assert logged[0].exc_info is not None and isinstance(logged[0].exc_info[1], RuntimeError)


async def _chunks(total: int, size: int = 4096) -> AsyncIterator[bytes]:
    while total > 0:
        yield b"x" * min(size, total)
        total -= size


async def _one(body: bytes) -> AsyncIterator[bytes]:
    yield body


def _limited_settings(settings: Settings, limit: int) -> Settings:
    return settings.model_copy(update={"server": settings.server.model_copy(update={"max_body_bytes": limit})})


async def test_oversized_body_is_413_with_content_length_or_chunked(settings: Settings) -> None:
    limit = 2048
    application = create_app(_limited_settings(settings, limit))
    async with (
        application.router.lifespan_context(application),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=application), base_url="http://testserver") as client,
    ):
        account = await register(client)
        json_headers = {"Content-Type": "application/json", **account.jwt_headers}
        declared = await client.post("/v1/projects", content=b"x" * (limit + 1), headers=json_headers)
        chunked = await client.post("/v1/projects", content=_chunks(limit * 4), headers=json_headers)
        assert "content-length" not in chunked.request.headers
        assert chunked.request.headers["transfer-encoding"] == "chunked"
        # just over the limit in the last of several chunks, on an unauthenticated route
        edge = await client.post("/v1/auth/register", content=_chunks(limit + 1, size=512), headers=json_headers)
        for response in (declared, chunked, edge):
            assert response.status_code == 413, response.text
            error = response.json()["error"]
            assert error["code"] == "PAYLOAD_TOO_LARGE" and str(limit) in error["message"]
            assert error["trace_id"] == response.headers["x-request-id"]
        within = await client.post(
            "/v1/projects", content=_one(json.dumps({"name": "ok"}).encode()), headers=json_headers
        )
        assert within.status_code == 201, within.text


def test_stored_error_codes_carry_their_status() -> None:
    from atelier.fetch.safe import UnsafeUrl
    from atelier.kit.errors import status_for_code

    assert UnsafeUrl.code == "UNSAFE_URL"  # defined outside kit.errors, still in the tree
    expected = {
        "STORAGE_ERROR": 503,
        "EXTERNAL_SERVICE_ERROR": 502,
        "PROVIDER_AUTH_ERROR": 502,
        "CONTENT_POLICY_VIOLATION": 422,
        "UNSAFE_URL": 400,
        "INSUFFICIENT_CREDITS": 402,
        "CANCELED": 409,
        "INTERNAL_ERROR": 500,
        "SOMETHING_NEW": 500,
    }
    assert {code: status_for_code(code) for code in expected} == expected
