"""/v1/webhooks: registering, listing, deleting endpoints; the signing secret of per-job
URLs; and bad input refused with a 4xx naming the problem."""

from __future__ import annotations

import base64

from standardwebhooks import Webhook

from atelier.settings import Settings
from tests.helpers.accounts import create_key, register
from tests.webhooks.conftest import harness


async def test_create_list_get_delete(settings: Settings) -> None:
    async with harness(settings) as h:
        headers = h.account.jwt_headers
        created = await h.client.post(
            "/v1/webhooks",
            json={"url": "http://127.0.0.1:9/hook", "event_types": ["job.succeeded", "budget.*"], "description": "ci"},
            headers=headers,
        )
        assert created.status_code == 201, created.text
        body = created.json()
        assert body["secret"].startswith("whsec_") and len(base64.b64decode(body["secret"][6:])) == 32
        Webhook(body["secret"])  # the receiving library accepts it
        assert body["status"] == "active" and body["event_types"] == ["budget.*", "job.succeeded"]

        listed = (await h.client.get("/v1/webhooks", headers=headers)).json()
        assert [e["id"] for e in listed] == [body["id"]]
        assert "secret" not in listed[0] and body["secret"] not in str(listed)
        one = (await h.client.get(f"/v1/webhooks/{body['id']}", headers=headers)).json()
        assert one["description"] == "ci" and "secret" not in one

        other = await register(h.client)
        assert (await h.client.get(f"/v1/webhooks/{body['id']}", headers=other.jwt_headers)).status_code == 404
        assert (await h.client.get("/v1/webhooks", headers=other.jwt_headers)).json() == []
        assert (await h.client.delete(f"/v1/webhooks/{body['id']}", headers=other.jwt_headers)).status_code == 404

        assert (await h.client.delete(f"/v1/webhooks/{body['id']}", headers=headers)).status_code == 204
        assert (await h.client.get(f"/v1/webhooks/{body['id']}", headers=headers)).status_code == 404
        assert (await h.client.get(f"/v1/webhooks/{body['id']}/deliveries", headers=headers)).status_code == 404


async def test_bad_input_is_a_named_4xx(settings: Settings) -> None:
    async with harness(settings) as h:
        cases = [
            ({"url": "ftp://example.com/x"}, "http"),
            ({"url": "http://127.0.0.1:9/hook", "event_types": ["job.finished"]}, "job.finished"),
            ({"url": "http://127.0.0.1:9/hook", "event_types": ["nope.*"]}, "nope.*"),
            ({"url": "http://127.0.0.1:9/" + "x" * 2000}, "url"),
            ({}, "url"),
            ({"url": "http://127.0.0.1:9/hook", "secret": "mine"}, "secret"),
        ]
        for body, needle in cases:
            response = await h.client.post("/v1/webhooks", json=body, headers=h.account.jwt_headers)
            assert response.status_code in (400, 422), (body, response.text)
            assert needle in response.text, (body, response.text)
        assert (await h.client.post("/v1/webhooks", json={"url": "http://x.example"})).status_code == 401


async def test_internal_addresses_refused_without_the_allow_setting(settings: Settings) -> None:
    async with harness(settings, allow_private=[]) as h:
        for url in [
            "http://127.0.0.1:8000/hook",
            "http://localhost/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://10.0.0.7/hook",
            "http://[::1]/hook",
            "http://2130706433/hook",
        ]:
            response = await h.client.post("/v1/webhooks", json={"url": url}, headers=h.account.jwt_headers)
            assert response.status_code == 422, (url, response.text)
            assert "Webhook url refused" in response.json()["error"]["message"], url


async def test_scopes(settings: Settings) -> None:
    async with harness(settings) as h:
        key = await create_key(h.client, h.account, scopes=["generate", "read"])
        headers = {"Authorization": f"Bearer {key}"}
        refused = await h.client.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/h"}, headers=headers)
        assert refused.status_code == 403 and "webhooks" in refused.text
        assert (await h.client.get("/v1/webhooks/signing-secret", headers=headers)).status_code == 403
        assert (await h.client.get("/v1/webhooks", headers=headers)).status_code == 200
        assert (await h.client.get("/v1/webhooks/deliveries", headers=headers)).status_code == 200


async def test_signing_secret_for_per_job_urls_is_stable_until_rotated(settings: Settings) -> None:
    async with harness(settings) as h:
        headers = h.account.jwt_headers
        first = (await h.client.get("/v1/webhooks/signing-secret", headers=headers)).json()["secret"]
        assert first == (await h.client.get("/v1/webhooks/signing-secret", headers=headers)).json()["secret"]
        rotated = (await h.client.post("/v1/webhooks/signing-secret/rotate", headers=headers)).json()["secret"]
        assert rotated.startswith("whsec_") and rotated != first
        assert rotated == (await h.client.get("/v1/webhooks/signing-secret", headers=headers)).json()["secret"]
        other = await register(h.client)
        theirs = (await h.client.get("/v1/webhooks/signing-secret", headers=other.jwt_headers)).json()["secret"]
        assert theirs not in (first, rotated)


async def test_event_types_are_listed(settings: Settings) -> None:
    async with harness(settings) as h:
        types = {t["type"] for t in (await h.client.get("/v1/webhooks/event-types")).json()}
        assert {"job.started", "job.progress", "job.succeeded", "job.failed", "job.canceled"} <= types
        assert "budget.threshold" in types


async def test_endpoints_per_organization_are_bounded(settings: Settings) -> None:
    from atelier.webhooks.service import MAX_ENDPOINTS

    async with harness(settings) as h:
        for index in range(MAX_ENDPOINTS):
            response = await h.client.post(
                "/v1/webhooks", json={"url": f"http://127.0.0.1:9/{index}"}, headers=h.account.jwt_headers
            )
            assert response.status_code == 201
        refused = await h.client.post(
            "/v1/webhooks", json={"url": "http://127.0.0.1:9/x"}, headers=h.account.jwt_headers
        )
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "TOO_MANY_ENDPOINTS"
