"""The per-organization policy: operators read, relax and tighten it; members cannot; what
the compat contracts report (Dreamy's enable_safety_checker, NanoDesigner's guardrails_ok)
follows what really ran."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from atelier.compat.nanodesigner.render import MODEL as NANODESIGNER_MODEL
from tests.helpers.accounts import register
from tests.safety.helpers import team

ROUTE = "/v1/organization/content-policy"
NONE_CHECKED = {"sexual": "allow", "sexual_minors": "allow", "hate": "allow"}


async def test_the_default_then_an_override_then_back(client: httpx.AsyncClient, app: FastAPI) -> None:
    admin = await register(client)
    policy = (await client.get(ROUTE, headers=admin.jwt_headers)).json()
    assert policy["source"] == "default" and policy["organization_id"] == admin.organization_id
    assert policy["categories"] == {"sexual": "block", "sexual_minors": "block", "hate": "block", "profanity": "allow"}
    assert policy["checks"] == ["blocklist", "classifier", "image_classifier"] and policy["image_threshold"] == 0.6
    tightened = await client.put(
        ROUTE,
        json={"categories": {"profanity": "block"}, "blocked_terms": {"hate": ["Grobnik"]}, "text_threshold": 0.8},
        headers=admin.jwt_headers,
    )
    assert tightened.status_code == 200, tightened.text
    out = tightened.json()
    assert out["source"] == "organization" and out["categories"]["profanity"] == "block"
    assert out["categories"]["sexual"] == "block" and out["text_threshold"] == 0.8
    headers = {**admin.jwt_headers, "Prefer": "wait=60"}
    for prompt in ("shit happens t-shirt", "a grobnik banner"):
        refused = await client.post("/v1/generations", json={"prompt": prompt, "size": "64x64"}, headers=headers)
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "CONTENT_POLICY_VIOLATION", prompt
    audit = (await client.get("/v1/audit", params={"action": "content_policy.updated"}, headers=headers)).json()
    assert [event["action"] for event in audit] == ["content_policy.updated"]
    reset = await client.put(ROUTE, json={}, headers=admin.jwt_headers)
    assert reset.json()["categories"]["profanity"] == "allow" and reset.json()["blocked_terms"] == {}
    ok = await client.post("/v1/generations", json={"prompt": "shit happens t-shirt", "size": "64x64"}, headers=headers)
    assert ok.status_code == 200 and ok.json()["status"] == "succeeded"


async def test_bad_input_and_who_may_change_it(client: httpx.AsyncClient, app: FastAPI) -> None:
    admin = await register(client)
    member = await register(client)
    assert (
        await client.put(ROUTE, json={"categories": {"sexual": "maybe"}}, headers=admin.jwt_headers)
    ).status_code == 422
    assert (
        await client.put(ROUTE, json={"categories": {"gore": "block"}}, headers=admin.jwt_headers)
    ).status_code == 422
    assert (await client.put(ROUTE, json={"image_threshold": 2}, headers=admin.jwt_headers)).status_code == 422
    assert (await client.put(ROUTE, json={}, headers=member.jwt_headers)).status_code == 403
    assert (await client.get(ROUTE, headers=member.jwt_headers)).status_code == 403
    missing = await client.get(ROUTE, params={"organization_id": "org_nope"}, headers=admin.jwt_headers)
    assert missing.status_code == 404


async def test_contracts_report_what_really_ran(client: httpx.AsyncClient, app: FastAPI) -> None:
    crew = await team(client, app)
    dreamy = {
        "model": "fal-ai/flux/dev",
        "prompt": "owl mascot logo",
        "sync_mode": True,
        "enable_safety_checker": False,
    }
    render = {
        "project_id": "p",
        "prompts": {"task": "create", "instruction": "poster for a jazz night"},
        "outputs": {"count": 1, "dimensions": "512x512", "format": "png"},
    }
    assert NANODESIGNER_MODEL
    checked = await client.post("/compat/dreamy-studio/api/generate", json=dreamy, headers=crew.headers)
    generation = checked.json()["generation"]
    assert generation["enable_safety_checker"] is True  # the operator's policy ran, whatever the caller asked
    assert generation["has_nsfw_concepts"] == [False]
    status = await client.get(f"/compat/dreamy-studio/api/generate/{generation['id']}", headers=crew.headers)
    assert status.json()["generation"]["enable_safety_checker"] is True
    audit = (await client.post("/compat/nanodesigner/render", json=render, headers=crew.headers)).json()["audit"]
    assert audit["guardrails_ok"] is True
    assert "content_policy_prompt_classifier" in audit["plan"]["safety_checks"]
    assert "content_policy_image_classifier" in audit["plan"]["safety_checks"]

    relaxed = await client.put(
        ROUTE,
        params={"organization_id": crew.member.organization_id},
        json={"categories": NONE_CHECKED},
        headers=crew.admin.jwt_headers,
    )
    assert relaxed.status_code == 200 and relaxed.json()["checks"] == []
    unchecked = await client.post("/compat/dreamy-studio/api/generate", json=dreamy, headers=crew.headers)
    assert unchecked.json()["generation"]["enable_safety_checker"] is False
    audit = (await client.post("/compat/nanodesigner/render", json=render, headers=crew.headers)).json()["audit"]
    assert audit["guardrails_ok"] is False  # no content check ran: not claimed
    assert not [c for c in audit["plan"]["safety_checks"] if c.startswith("content_policy")]


async def test_a_policy_set_after_jobs_ran_on_the_default_applies_to_the_next_prompt(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    """The default is remembered for organizations without a policy of their own (no query per
    check), and forgotten the moment one is set (``atelier.kit.absence``)."""
    policy = app.state.runtime.services.content_policy
    # remembered longer than the test runs: what it checks cannot depend on the clock
    policy.settings = policy.settings.model_copy(update={"override_cache_seconds": 60.0})
    admin = await register(client)
    headers = {**admin.jwt_headers, "Prefer": "wait=60"}
    body = {"prompt": "a grobnik banner", "size": "64x64"}
    first = await client.post("/v1/generations", json=body, headers=headers)
    assert first.status_code == 200 and first.json()["status"] == "succeeded", first.text
    tightened = await client.put(ROUTE, json={"blocked_terms": {"hate": ["Grobnik"]}}, headers=admin.jwt_headers)
    assert tightened.status_code == 200, tightened.text
    refused = await client.post("/v1/generations", json=body, headers=headers)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "CONTENT_POLICY_VIOLATION"
