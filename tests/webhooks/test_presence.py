"""An organization without webhook endpoints is announced nothing at no cost, and one that
adds an endpoint is announced the very next event (``atelier.webhooks.presence``, on
``atelier.kit.absence``)."""

from __future__ import annotations

import asyncio

from atelier.kit.absence import Absence
from atelier.settings import Settings
from atelier.webhooks.models import WebhookEndpoint
from tests.helpers.accounts import create_key
from tests.helpers.statements import recorded
from tests.webhooks.conftest import harness
from tests.webhooks.receiver import Receiver

BODY = {"prompt": "a fern logo", "size": "64x64", "response_format": "b64_json"}


async def test_events_to_nobody_read_no_endpoints_and_a_new_endpoint_hears_the_next_job(
    settings: Settings, receiver_server: tuple[str, Receiver]
) -> None:
    base, receiver = receiver_server
    # a memory longer than the test: what it checks cannot depend on the clock
    async with harness(settings, dispatch_in_process=True, endpoint_cache_seconds=60) as h:
        headers = {"X-API-Key": await create_key(h.client, h.account)}
        assert (await h.client.post("/v1/images/generations", json=BODY, headers=headers)).status_code == 200
        async with recorded(h.runtime) as statements:
            assert (await h.client.post("/v1/images/generations", json=BODY, headers=headers)).status_code == 200
        assert not [s for s in statements if "FROM WEBHOOK_ENDPOINTS" in s]
        assert not [s for s in statements if "INTO WEBHOOK_DELIVERIES" in s]

        # the absence is forgotten as soon as the endpoint commits: the next job is announced
        await h.endpoint(receiver, base, "/hooks", event_types=["job.*"])
        done = await h.client.post("/v1/images/generations", json=BODY, headers=headers)
        assert done.status_code == 200, done.text
        for _ in range(600):
            if any(r.verified and r.body["type"] == "job.succeeded" for r in receiver.received):
                break
            await asyncio.sleep(0.05)
        types = [r.body["type"] for r in receiver.received if r.verified]
        assert "job.started" in types and "job.succeeded" in types


def test_a_read_that_began_before_an_endpoint_was_added_cannot_remember_absence() -> None:
    absent = Absence(WebhookEndpoint, lambda endpoint: str(endpoint.organization_id), watched=False)
    before = absent.generation("org_1")  # a read starts, sees no endpoint ...
    absent.forget("org_1")  # ... while an endpoint of org_1 commits
    absent.remember("org_1", before, 60)
    assert not absent.known("org_1")
    absent.remember("org_1", absent.generation("org_1"), 60)
    assert absent.known("org_1")
    absent.remember("org_2", absent.generation("org_2"), 0)  # 0: never remembered
    assert not absent.known("org_2")
