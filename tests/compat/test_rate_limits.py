"""Each contract's documented rate limit, hit with cheap requests (refused ones count too),
and the 429 body and headers its document gives."""

from __future__ import annotations

import httpx

from tests.helpers.accounts import create_key, register


async def _hammer(client: httpx.AsyncClient, times: int, method: str, url: str, **kwargs: object) -> httpx.Response:
    """``times`` requests that the limit lets through, then the one it refuses."""
    for _ in range(times):
        response = await client.request(method, url, **kwargs)  # type: ignore[arg-type]
        assert response.status_code != 429, (response.status_code, response.text)
    return await client.request(method, url, **kwargs)  # type: ignore[arg-type]


async def test_nanodesigner_burst_limit(client: httpx.AsyncClient) -> None:
    account = await register(client)
    headers = {"Authorization": f"Bearer {await create_key(client, account)}"}
    invalid = {"project_id": "p", "prompts": {"task": "create", "instruction": "x"}}  # 422, still counted
    refused = await _hammer(client, 30, "POST", "/compat/nanodesigner/render", json=invalid, headers=headers)
    assert refused.status_code == 429
    body = refused.json()
    assert set(body) == {"detail", "error_code", "trace_id", "timestamp"}
    assert body["error_code"] == "RATE_LIMIT_EXCEEDED" and "30 per 10 seconds" in body["detail"]
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.headers["x-ratelimit-limit"] == "30" and refused.headers["x-ratelimit-remaining"] == "0"
    assert int(refused.headers["x-ratelimit-reset"]) > 0


async def test_prompt_to_json_limit_body_is_the_documents(client: httpx.AsyncClient) -> None:
    account = await register(client)
    headers = {"X-API-Key": await create_key(client, account), **account.jwt_headers}
    body = {"prompt": ""}  # 400 (empty prompt): reached the route, so it counts (401 and 404 do not)
    refused = await _hammer(client, 20, "POST", "/compat/prompt-to-json/api/v1/generate", json=body, headers=headers)
    assert refused.status_code == 429
    out = refused.json()
    assert set(out) == {"detail", "error_code", "timestamp"}
    assert out["detail"] == "Rate limit exceeded: 20 per minute" and out["error_code"] == "RATE_LIMIT_ERROR"
    assert refused.headers["x-ratelimit-limit"] == "20" and refused.headers["retry-after"]


async def test_pixova_hourly_limit(client: httpx.AsyncClient) -> None:
    invalid = {"user_id": "u", "prompt": "x", "num_variations": 9}
    refused = await _hammer(client, 100, "POST", "/compat/pixova/api/generate", json=invalid)
    assert refused.status_code == 429
    out = refused.json()
    assert out["success"] is False and out["request_id"]
    assert out["error"]["code"] == "RATE_LIMIT_EXCEEDED" and "100 per 3600 seconds" in out["error"]["message"]
    assert refused.headers["x-ratelimit-limit"] == "100" and refused.headers["retry-after"]


DREAMY = "/compat/dreamy-studio"
TOO_MANY = {"success": False, "error": "Too many requests, please try again later"}


async def _dreamy_refusal(client: httpx.AsyncClient, times: int, method: str, path: str, **kwargs: object) -> str:
    account = await register(client)
    refused = await _hammer(client, times, method, DREAMY + path, headers=account.jwt_headers, **kwargs)
    assert refused.status_code == 429 and refused.headers["retry-after"]
    out = refused.json()
    assert {k: out[k] for k in TOO_MANY} == TOO_MANY
    details: str = out["details"]
    return details


async def test_dreamy_general_class(client: httpx.AsyncClient) -> None:
    details = await _dreamy_refusal(client, 100, "GET", "/api/credits")
    assert "100 per 900 seconds" in details and "dreamy-general" in details


async def test_dreamy_generation_class(client: httpx.AsyncClient) -> None:
    invalid = {"model": "fal-ai/flux/dev", "prompt": "x", "num_images": 9}  # 400, still counted
    details = await _dreamy_refusal(client, 10, "POST", "/api/generate", json=invalid)
    assert "10 per 60 seconds" in details and "dreamy-generation" in details


async def test_dreamy_auth_class_is_for_sign_in_routes(client: httpx.AsyncClient) -> None:
    details = await _dreamy_refusal(client, 5, "POST", "/api/auth/login", json={})
    assert "5 per 900 seconds" in details and "dreamy-auth" in details


async def test_dreamy_profile_is_in_the_general_class(client: httpx.AsyncClient) -> None:
    # The app reads the profile on every page: the general class limits it, not sign-in's.
    details = await _dreamy_refusal(client, 100, "GET", "/api/auth/me")
    assert "100 per 900 seconds" in details and "dreamy-general" in details
