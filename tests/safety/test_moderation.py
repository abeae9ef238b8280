"""A provider's moderation endpoint, asked over real HTTP (a local server speaking OpenAI's
moderation protocol): what it flags is decided by the policy like any other finding, and a
failing endpoint is reported as a skipped check while the offline checks still decide."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from atelier.app import create_app
from atelier.safety.moderation import Moderation, endpoint
from atelier.safety.text import check_prompt
from atelier.settings import ContentPolicySettings, PolicyDecision, Settings
from tests.helpers.accounts import create_key, register
from tests.helpers.live import LiveServer
from tests.safety import moderation_fake
from tests.safety.conftest import policy_of


@pytest.fixture
def moderation_server() -> Iterator[tuple[LiveServer, list[dict[str, Any]]]]:
    seen: list[dict[str, Any]] = []
    server = LiveServer(moderation_fake.build(seen))
    server.start()
    try:
        yield server, seen
    finally:
        server.stop()


def _settings(url: str, key: str = moderation_fake.KEY) -> ContentPolicySettings:
    return ContentPolicySettings(moderation_url=url, moderation_api_key=key)  # type: ignore[arg-type]


def test_the_endpoint_path() -> None:
    assert endpoint("https://api.example.com") == "https://api.example.com/v1/moderations"
    assert endpoint("https://api.example.com/v1/") == "https://api.example.com/v1/moderations"
    assert endpoint("http://h/custom/moderations") == "http://h/custom/moderations"


async def test_what_the_endpoint_flags_is_blocked(moderation_server: tuple[LiveServer, list[dict[str, Any]]]) -> None:
    server, seen = moderation_server
    moderation = Moderation(_settings(server.url))
    try:
        for word, category in (("zorblax", "sexual"), ("quuxian", "hate"), ("minorix", "sexual_minors")):
            verdict = await check_prompt(policy_of(), f"a {word} poster", moderation)
            assert verdict.decision == PolicyDecision.BLOCK and category in verdict.categories
            assert verdict.ran == ["blocklist", "classifier", "moderation"]
            assert [f.by for f in verdict.findings if f.category.value == category] == ["moderation"]
        ordinary = await check_prompt(policy_of(), "a lighthouse poster", moderation)
        assert ordinary.decision == PolicyDecision.ALLOW and "moderation" in ordinary.ran
    finally:
        await moderation.aclose()
    assert seen[0] == {"model": "omni-moderation-latest", "input": "a zorblax poster"}


async def test_a_failing_endpoint_is_reported_skipped(
    moderation_server: tuple[LiveServer, list[dict[str, Any]]],
) -> None:
    server, _ = moderation_server
    moderation = Moderation(_settings(server.url, key="sk-wrong-key-000"))
    try:
        verdict = await check_prompt(policy_of(), "hardcore porn scene", moderation)
    finally:
        await moderation.aclose()
    assert verdict.decision == PolicyDecision.BLOCK  # the block list still decides
    assert "moderation" not in verdict.ran and "401" in verdict.skipped["moderation"]


async def test_the_server_asks_the_configured_endpoint(
    settings: Settings, moderation_server: tuple[LiveServer, list[dict[str, Any]]]
) -> None:
    server, seen = moderation_server
    configured = settings.model_copy(update={"content_policy": _settings(server.url)})
    app: FastAPI = create_app(configured)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            account = await register(client)
            headers = {"X-API-Key": await create_key(client, account)}
            refused = await client.post("/v1/generations", json={"prompt": "a quuxian rally"}, headers=headers)
            assert refused.status_code == 422, refused.text
            assert refused.json()["error"]["details"] == {
                "categories": ["hate"],
                "checks": ["moderation"],
                "stage": "prompt",
            }
            policy = await client.get("/v1/organization/content-policy", headers=account.jwt_headers)
            assert policy.json()["moderation_endpoint"] is True and "moderation" in policy.json()["checks"]
    assert [body["input"] for body in seen] == ["a quuxian rally"]
