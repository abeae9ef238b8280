"""Dreamy Studio's shipped web app, replayed: the request bodies its pages send (the
generator always adds ``quality`` and ``style``) and the fields its code reads from each
answer. A change that breaks the app breaks these tests."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

import httpx
import pytest

from atelier.limits.rules import default_rules
from tests.helpers.accounts import Account, register

BASE = "/compat/dreamy-studio"
#: What the app's generator page posts: the documented fields plus its own two.
APP_GENERATE = {
    "model": "fal-ai/flux/dev",
    "prompt": "A beautiful sunset over mountains",
    "negative_prompt": "blurry",
    "image_size": "square_hd",
    "num_images": 1,
    "quality": "high",
    "style": "photorealistic",
}


async def poll(client: httpx.AsyncClient, account: Account, generation_id: str) -> dict[str, Any]:
    for _ in range(400):
        answer = await client.get(f"{BASE}/api/generate/{generation_id}", headers=account.jwt_headers)
        assert answer.status_code == 200, answer.text
        generation: dict[str, Any] = answer.json()["generation"]
        if generation["status"] in {"completed", "failed"}:
            return generation
        await asyncio.sleep(0.02)
    raise AssertionError("generation never finished")


async def test_generator_page_sends_quality_and_style(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    account = await register(client)
    with caplog.at_level(logging.DEBUG, logger="atelier.compat.dreamy_studio"):
        queued = await client.post(f"{BASE}/api/generate", json=APP_GENERATE, headers=account.jwt_headers)
    assert queued.status_code == 200, queued.text
    body = queued.json()
    assert body["success"] is True and body["generation"]["status"] == "in_queue"
    # The unknown fields are ignored, and said so at debug level.
    logged = " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG)
    assert "quality" in logged and "style" in logged

    generation = await poll(client, account, body["generation"]["id"])
    assert generation["status"] == "completed" and generation["error"] is None
    image = generation["images"][0]
    assert image["url"] and image["width"] == 1024 and image["height"] == 1024
    assert generation["prompt"] == APP_GENERATE["prompt"] and generation["model"] == APP_GENERATE["model"]
    datetime.fromisoformat(generation["createdAt"])


async def test_sync_generation_with_app_fields(client: httpx.AsyncClient) -> None:
    account = await register(client)
    body = {**APP_GENERATE, "sync_mode": True, "image_size": "landscape_4_3"}
    answer = await client.post(f"{BASE}/api/generate", json=body, headers=account.jwt_headers)
    assert answer.status_code == 200, answer.text
    images = answer.json()["generation"]["images"]
    assert [(i["width"], i["height"]) for i in images] == [(1365, 1024)] and images[0]["url"]


async def test_known_fields_are_still_validated(client: httpx.AsyncClient) -> None:
    account = await register(client)
    bad = await client.post(f"{BASE}/api/generate", json={**APP_GENERATE, "num_images": 9}, headers=account.jwt_headers)
    assert bad.status_code == 400 and "num_images" in bad.json()["details"]


async def test_every_page_ignores_unknown_fields(client: httpx.AsyncClient) -> None:
    account = await register(client)
    profile = {"full_name": "Dreamer", "avatar_url": "https://example.com/a.png", "theme": "dark"}
    me = await client.patch(f"{BASE}/api/auth/me", json=profile, headers=account.jwt_headers)
    assert me.status_code == 200, me.text
    assert me.json()["user"]["full_name"] == "Dreamer" and "theme" not in me.json()["user"]

    done = await client.post(
        f"{BASE}/api/generate", json={**APP_GENERATE, "sync_mode": True}, headers=account.jwt_headers
    )
    image_id = done.json()["generation"]["images"][0]["id"]
    patch = {"is_favorited": True, "source": "gallery-grid"}
    patched = await client.patch(f"{BASE}/api/gallery/{image_id}", json=patch, headers=account.jwt_headers)
    assert patched.status_code == 200, patched.text
    assert patched.json()["image"]["is_favorited"] is True


async def test_gallery_page_reads(client: httpx.AsyncClient) -> None:
    account = await register(client)
    await client.post(f"{BASE}/api/generate", json={**APP_GENERATE, "sync_mode": True}, headers=account.jwt_headers)
    page = (await client.get(f"{BASE}/api/gallery?page=1&limit=20", headers=account.jwt_headers)).json()
    image = page["images"][0]
    for field in ("id", "url", "width", "height", "prompt", "model", "isFavorited", "isPublic", "createdAt"):
        assert image[field] is not None, field
    assert page["pagination"] == {"page": 1, "limit": 20, "total": 1, "totalPages": 1}


async def test_header_reads_the_profile_on_every_page(client: httpx.AsyncClient) -> None:
    """The app asks for the profile on every page: more than 5 in 15 minutes is normal."""
    account = await register(client)
    for _ in range(8):
        me = await client.get(f"{BASE}/api/auth/me", headers=account.jwt_headers)
        assert me.status_code == 200, me.text
        user = me.json()["user"]
        assert user["email"] == account.email and user["id"] == account.user_id
    patched = await client.patch(f"{BASE}/api/auth/me", json={"full_name": "D"}, headers=account.jwt_headers)
    assert patched.status_code == 200


def test_profile_routes_are_in_the_general_class_not_the_sign_in_class() -> None:
    rules = default_rules("1000/minute", "3000/minute", "30/minute", "60/minute")

    def classes(method: str, path: str) -> set[str]:
        return {r.name for r in rules if r.matches(method, BASE + path)}

    assert classes("GET", "/api/auth/me") == {"dreamy-general"}
    assert classes("PATCH", "/api/auth/me") == {"dreamy-general"}
    assert "dreamy-auth" in classes("POST", "/api/auth/login")
    assert "dreamy-auth" in classes("POST", "/api/auth/signup")


async def test_credits_widget_on_a_plan_with_a_quota(client: httpx.AsyncClient) -> None:
    await register(client)  # the first account is the unlimited admin
    member = await register(client)  # free plan: 50 a month
    credits = (await client.get(f"{BASE}/api/credits", headers=member.jwt_headers)).json()["credits"]
    assert credits["remaining"] == 50 and credits["total"] == 50
    datetime.fromisoformat(credits["lastRefill"])


async def test_credits_widget_on_a_plan_without_a_quota(client: httpx.AsyncClient) -> None:
    admin = await register(client)  # unlimited: no quota, no hourly cap
    credits = (await client.get(f"{BASE}/api/credits", headers=admin.jwt_headers)).json()["credits"]
    assert isinstance(credits["remaining"], int) and isinstance(credits["total"], int)
    assert credits["remaining"] == credits["total"] > 0 and credits["unlimited"] is True
    datetime.fromisoformat(credits["lastRefill"])


async def test_credits_on_pay_as_you_go_count_the_hourly_allowance(client: httpx.AsyncClient) -> None:
    admin = await register(client)
    member = await register(client)
    moved = await client.put(
        f"/v1/admin/organizations/{member.organization_id}/plan", json={"plan": "payg"}, headers=admin.jwt_headers
    )
    assert moved.status_code == 200, moved.text
    await client.post(f"{BASE}/api/generate", json={**APP_GENERATE, "sync_mode": True}, headers=member.jwt_headers)
    credits = (await client.get(f"{BASE}/api/credits", headers=member.jwt_headers)).json()["credits"]
    assert credits["total"] == 1000 and credits["remaining"] == 999 and credits["unlimited"] is False
    datetime.fromisoformat(credits["lastRefill"])
