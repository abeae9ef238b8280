"""Scopes by default: every route declares what it needs, a key can do only what its scopes
allow, and admin routes need both the admin role and the admin scope."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from atelier.auth.access import PUBLIC, check_routes, route_access
from atelier.auth.scopes import ALL_SCOPES
from tests.helpers.accounts import Account, create_key, register


def test_every_route_of_every_contract_declares_its_access(app: FastAPI) -> None:
    routes = list(route_access(app))
    prefixes = {path.split("/")[2] for _, path, _ in routes if path.startswith("/compat/")}
    assert prefixes == {"nanodesigner", "prompt-to-json", "pixova", "dreamy-studio", "nanobanana"}
    assert len(routes) > 80
    undeclared = [f"{methods} {path}" for methods, path, found in routes if not found]
    assert undeclared == []


def test_a_route_that_declares_nothing_cannot_be_mounted() -> None:
    app = FastAPI()

    @app.get("/open", dependencies=[PUBLIC])
    async def declared() -> dict[str, str]:
        return {}

    check_routes(app)

    @app.get("/forgotten")
    async def forgotten() -> dict[str, str]:
        return {}

    with pytest.raises(RuntimeError, match="GET /forgotten"):
        check_routes(app)


async def _key(client: httpx.AsyncClient, account: Account, scopes: list[str]) -> dict[str, str]:
    return {"X-API-Key": await create_key(client, account, scopes=scopes)}


#: What a key holding only ``read`` tried, and got through, on the landed main.
READ_ONLY_PROBES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("PATCH", "/v1/me", {"password": "taken over!", "current_password": "correct horse"}),
    ("PATCH", "/v1/me", {"full_name": "Mallory"}),
    ("POST", "/v1/keys", {"name": "escalate"}),
    ("POST", "/compat/nanobanana/v1/keys", {"name": "escalate"}),
    ("DELETE", "/v1/keys/key_nonexistent", None),
    ("DELETE", "/compat/nanobanana/v1/keys/key_nonexistent", None),
    ("POST", "/v1/generations/job_nonexistent/cancel", None),
    ("DELETE", "/compat/dreamy-studio/api/generate/job_nonexistent", None),
    ("DELETE", "/v1/assets/ast_nonexistent", None),
    ("PATCH", "/v1/assets/ast_nonexistent", {"public": True}),
    ("PATCH", "/compat/dreamy-studio/api/gallery/ast_nonexistent", {"is_public": True}),
    ("DELETE", "/compat/dreamy-studio/api/gallery/ast_nonexistent", None),
    ("PUT", "/v1/budgets", {"monthly_usd": 1}),
    ("POST", "/v1/projects", {"name": "p"}),
    ("POST", "/v1/specs", {"prompt": "a chair"}),
    ("PATCH", "/compat/dreamy-studio/api/auth/me", {"full_name": "Mallory"}),
    ("POST", "/v1/webhooks", {"url": "https://example.com/hook"}),
    ("DELETE", "/v1/webhooks/wh_nonexistent", None),
    ("GET", "/v1/webhooks/signing-secret", None),
    ("POST", "/v1/webhooks/signing-secret/rotate", None),
    ("POST", "/v1/generations", {"prompt": "a logo"}),
    ("POST", "/compat/nanobanana/v1/generate", {"prompt": "a logo"}),
]


@pytest.mark.parametrize(("method", "path", "body"), READ_ONLY_PROBES, ids=[f"{m} {p}" for m, p, _ in READ_ONLY_PROBES])
async def test_a_read_only_key_cannot_change_anything(
    client: httpx.AsyncClient, method: str, path: str, body: dict[str, Any] | None
) -> None:
    account = await register(client)
    headers = await _key(client, account, ["read"])
    response = await client.request(method, path, json=body, headers=headers)
    assert response.status_code == 403, (method, path, response.status_code, response.text)
    assert "scope" in response.text
    # and the password is unchanged: the account is still the owner's
    login = await client.post("/v1/auth/login", json={"email": account.email, "password": account.password})
    assert login.status_code == 200


async def test_an_admins_read_only_key_cannot_administer(client: httpx.AsyncClient) -> None:
    admin = await register(client)  # the first account is the administrator
    other = await register(client)
    headers = await _key(client, admin, ["read"])
    probes = [
        ("PUT", f"/v1/admin/organizations/{other.organization_id}/plan", {"plan": "unlimited"}),
        ("PUT", f"/v1/admin/users/{other.user_id}/role", {"role": "admin"}),
        ("PUT", f"/v1/admin/users/{other.user_id}/status", {"active": False}),
        ("GET", "/v1/audit", None),
        ("GET", "/monitoring/metrics", None),
        ("GET", "/compat/nanodesigner/monitoring/metrics", None),
    ]
    for method, path, body in probes:
        response = await client.request(method, path, json=body, headers=headers)
        assert response.status_code == 403, (method, path, response.text)
    full = {"X-API-Key": await create_key(client, admin)}
    assert (await client.get("/v1/audit", headers=full)).status_code == 200
    member_full = {"X-API-Key": await create_key(client, other)}
    refused = await client.get("/v1/audit", headers=member_full)
    assert refused.status_code == 403 and "ADMIN_REQUIRED" in refused.text


async def test_a_generate_only_key_generates_and_follows_its_jobs_but_cannot_read_the_gallery(
    client: httpx.AsyncClient,
) -> None:
    account = await register(client)
    headers = await _key(client, account, ["generate"])
    job = await client.post("/v1/generations", json={"prompt": "logo for 'Fern'", "size": "256x256"}, headers=headers)
    assert job.status_code == 202, job.text
    assert (await client.get(f"/v1/generations/{job.json()['id']}", headers=headers)).status_code == 200
    for path in ("/v1/assets", "/compat/dreamy-studio/api/gallery", "/v1/credits/ledger", "/v1/me"):
        response = await client.get(path, headers=headers)
        assert response.status_code == 403, (path, response.text)


async def test_an_explicit_empty_scope_list_is_refused(client: httpx.AsyncClient) -> None:
    account = await register(client)
    response = await client.post("/v1/keys", json={"name": "none", "scopes": []}, headers=account.jwt_headers)
    assert response.status_code == 422, response.text
    assert "scopes" in response.text


async def test_a_key_never_mints_more_than_it_holds(client: httpx.AsyncClient) -> None:
    account = await register(client)
    keys_only = await _key(client, account, ["keys", "read"])
    wider = await client.post("/v1/keys", json={"name": "wider", "scopes": ["generate"]}, headers=keys_only)
    assert wider.status_code == 403, wider.text
    same = await client.post("/v1/keys", json={"name": "same"}, headers=keys_only)
    assert same.status_code == 201 and sorted(same.json()["scopes"]) == ["keys", "read"]
    banana = await client.post("/compat/nanobanana/v1/keys", json={"name": "nb"}, headers=keys_only)
    assert banana.status_code == 201
    listed = await client.get("/v1/keys", headers=account.jwt_headers)
    by_name = {k["name"]: k for k in listed.json()}
    assert sorted(by_name["nb"]["scopes"]) == ["keys", "read"]
    # a JWT is the user's own session: every scope
    full = await client.post("/v1/keys", json={"name": "full"}, headers=account.jwt_headers)
    assert sorted(full.json()["scopes"]) == sorted(ALL_SCOPES)


async def test_unknown_scopes_are_refused(client: httpx.AsyncClient) -> None:
    account = await register(client)
    response = await client.post("/v1/keys", json={"scopes": ["root"]}, headers=account.jwt_headers)
    assert response.status_code == 422


async def test_openapi_documents_the_credentials_and_each_operations_scope(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["ApiKey"] == {**schemes["ApiKey"], "type": "apiKey", "in": "header", "name": "X-API-Key"}
    assert schemes["Bearer"]["type"] == "http" and schemes["Bearer"]["scheme"] == "bearer"
    assert {"Bearer": ["keys"]} in schema["paths"]["/v1/keys"]["post"]["security"]
    assert {"ApiKey": ["admin"]} in schema["paths"]["/v1/audit"]["get"]["security"]
    assert "security" not in schema["paths"]["/v1/auth/login"]["post"]


async def test_the_scope_table_is_in_the_api_description(client: httpx.AsyncClient) -> None:
    description = (await client.get("/openapi.json")).json()["info"]["description"]
    for scope in ALL_SCOPES:
        assert f"| `{scope}` |" in description
