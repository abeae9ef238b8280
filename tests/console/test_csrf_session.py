"""The console's CSRF and session-cookie rules, without a browser."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi import FastAPI
from starlette.requests import Request

from atelier.console import csrf
from atelier.console.auth_pages import safe_next
from atelier.console.session import SESSION_COOKIE, is_tls

SECRET = "s" * 40
ACCOUNT = {"email": "tls@example.com", "password": "cookie password"}


def test_token_binds_nonce_session_and_secret() -> None:
    token = csrf.token_for(SECRET, "nonce", "session")
    assert csrf.verify(SECRET, "nonce", "session", token)
    assert not csrf.verify(SECRET, "other", "session", token)
    assert not csrf.verify(SECRET, "nonce", "another session", token)
    assert not csrf.verify("t" * 40, "nonce", "session", token)
    assert not csrf.verify(SECRET, None, "session", token)
    assert not csrf.verify(SECRET, "nonce", "session", None)
    assert not csrf.verify(SECRET, "nonce", "session", "")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "", "gallery"])
def test_next_never_leaves_the_server(target: str) -> None:
    assert safe_next(target) == "/playground"


def test_next_keeps_a_local_path() -> None:
    assert safe_next("/gallery?favorite=true") == "/gallery?favorite=true"


def form_token(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
    assert match, "no CSRF field on the form"
    return match.group(1)


async def signed_in(client: httpx.AsyncClient, email: str = "cookie@example.com") -> str:
    """Register by the API, sign in by the form; the page's CSRF token after signing in."""
    assert (
        await client.post("/v1/auth/register", json={"email": email, "password": "cookie password"})
    ).status_code == 201
    token = form_token((await client.get("/sign-in")).text)
    response = await client.post("/sign-in", data={"email": email, "password": "cookie password", "csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == "/playground"
    return form_token((await client.get("/playground")).text)


async def test_sign_in_sets_an_httponly_lax_cookie(client: httpx.AsyncClient) -> None:
    assert (
        await client.post("/v1/auth/register", json={"email": "c@example.com", "password": "cookie password"})
    ).status_code == 201
    token = form_token((await client.get("/sign-in")).text)
    response = await client.post(
        "/sign-in", data={"email": "c@example.com", "password": "cookie password", "csrf_token": token}
    )
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie


async def test_cookie_is_secure_behind_tls(app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as tls_client:
        assert (await tls_client.post("/v1/auth/register", json=ACCOUNT)).status_code == 201
        token = form_token((await tls_client.get("/sign-in")).text)
        response = await tls_client.post("/sign-in", data={**ACCOUNT, "csrf_token": token})
    cookies = response.headers.get_list("set-cookie")
    assert any(c.startswith(SESSION_COOKIE) and "Secure" in c and "HttpOnly" in c for c in cookies)


@pytest.mark.parametrize(
    ("scheme", "forwarded", "secure"),
    [
        ("http", None, False),
        ("https", None, True),
        ("http", "https", True),
        ("http", "https, http", True),
        ("http", "http", False),
    ],
)
def test_tls_is_the_scheme_or_the_proxy_header(scheme: str, forwarded: str | None, secure: bool) -> None:
    headers = [(b"x-forwarded-proto", forwarded.encode())] if forwarded else []
    request = Request({"type": "http", "scheme": scheme, "headers": headers, "path": "/", "server": ("x", 80)})
    assert is_tls(request) is secure


async def test_sign_in_form_without_its_token_is_refused(client: httpx.AsyncClient) -> None:
    await client.get("/sign-in")
    response = await client.post(
        "/sign-in", data={"email": "x@example.com", "password": "whatever1", "csrf_token": "0" * 64}
    )
    assert response.status_code == 403 and "expired" in response.text
    assert SESSION_COOKIE not in response.cookies


async def test_wrong_password_shows_the_api_message(client: httpx.AsyncClient) -> None:
    assert (
        await client.post("/v1/auth/register", json={"email": "w@example.com", "password": "cookie password"})
    ).status_code == 201
    token = form_token((await client.get("/sign-in")).text)
    response = await client.post(
        "/sign-in", data={"email": "w@example.com", "password": "not it at all", "csrf_token": token}
    )
    assert response.status_code == 401 and "Incorrect email or password" in response.text


async def test_cookie_reads_but_writes_only_with_the_csrf_header(client: httpx.AsyncClient) -> None:
    token = await signed_in(client)
    assert (await client.get("/v1/keys")).status_code == 200  # a read: the cookie is enough
    refused = await client.post("/v1/keys", json={"name": "forged"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "CSRF_FAILED"
    wrong = await client.post("/v1/keys", json={"name": "forged"}, headers={"X-CSRF-Token": "0" * 64})
    assert wrong.status_code == 403
    made = await client.post("/v1/keys", json={"name": "mine"}, headers={"X-CSRF-Token": token})
    assert made.status_code == 201


async def test_token_from_before_sign_in_stops_working(client: httpx.AsyncClient) -> None:
    before = form_token((await client.get("/sign-in")).text)
    await signed_in(client, "rotate@example.com")
    response = await client.post("/v1/keys", json={"name": "x"}, headers={"X-CSRF-Token": before})
    assert response.status_code == 403


async def test_sign_out_needs_its_token_and_clears_the_cookie(client: httpx.AsyncClient) -> None:
    token = await signed_in(client, "out@example.com")
    assert (await client.post("/sign-out", data={"csrf_token": "0" * 64})).status_code == 403
    assert (await client.get("/v1/me")).status_code == 200  # still signed in
    response = await client.post("/sign-out", data={"csrf_token": token})
    assert response.status_code == 303
    client.cookies.delete(SESSION_COOKIE)  # what the browser does with the expired cookie
    assert any(c.startswith(f"{SESSION_COOKIE}=") and "Max-Age=0" in c for c in response.headers.get_list("set-cookie"))
    assert (await client.get("/v1/me")).status_code == 401


async def test_pages_send_the_signed_out_to_sign_in(client: httpx.AsyncClient) -> None:
    for path in ("/playground", "/gallery", "/keys", "/usage", "/webhooks", "/admin", "/gallery/ast_x"):
        response = await client.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith("/sign-in?next=/"), path


async def test_a_header_credential_wins_over_the_cookie(client: httpx.AsyncClient) -> None:
    await signed_in(client, "header@example.com")
    response = await client.get("/v1/me", headers={"X-API-Key": "atl_not_a_real_key_at_all_0000"})
    assert response.status_code == 401


async def test_admin_page_is_for_admins(client: httpx.AsyncClient) -> None:
    await signed_in(client, "first@example.com")  # the first account is the administrator
    assert (await client.get("/admin")).status_code == 200
    client.cookies.clear()
    await signed_in(client, "second@example.com")
    response = await client.get("/admin")
    assert response.status_code == 403


async def test_docs_load_local_assets_only(client: httpx.AsyncClient) -> None:
    for path in ("/docs", "/redoc"):
        page = (await client.get(path)).text
        assert "cdn" not in page and "https://" not in page.replace("https://fastapi", "")
        for src in re.findall(r'(?:src|href)="([^"]+)"', page):
            assert src.startswith("/static/vendor/"), src
            assert (await client.get(src)).status_code == 200
