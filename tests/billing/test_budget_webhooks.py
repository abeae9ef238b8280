"""Budget thresholds reach the organization's webhook endpoints as ``budget.threshold``
events, signed and delivered to a real receiver."""

from __future__ import annotations

import re
from decimal import Decimal

from atelier.settings import Settings
from tests.helpers.accounts import create_key
from tests.helpers.engines import SlowEngine
from tests.webhooks.conftest import harness
from tests.webhooks.receiver import ReceiverServer


async def test_crossing_budget_thresholds_is_delivered_to_webhooks(settings: Settings) -> None:
    server = ReceiverServer()
    with server as receiver:
        async with harness(settings) as h:
            h.runtime.router.register(SlowEngine("paid", steps=1, delay=0, price="0.50"), models=["paid"])
            await h.endpoint(receiver, server.url, "/budget", event_types=["budget.threshold"])
            await h.endpoint(receiver, server.url, "/jobs", event_types=["job.*"])
            key = await create_key(h.client, h.account)
            headers = {"X-API-Key": key}
            budget = await h.client.put("/v1/budgets", json={"monthly_usd": "1.00"}, headers=headers)
            assert budget.status_code == 200, budget.text
            for i in range(2):  # $0.50 each: 50 %, then 100 % of the monthly budget
                job = await h.client.post(
                    "/v1/generations",
                    json={"prompt": f"p{i}", "model": "paid", "size": "64x64"},
                    headers={**headers, "Prefer": "wait=30"},
                )
                assert job.status_code == 200 and job.json()["status"] == "succeeded", job.text
            h.clock.advance(60)  # deliveries fall due when emitted, by the real clock
            await h.drain()

    got = receiver.at("/budget")
    assert all(r.verified and r.answered == 200 for r in got)
    assert [r.body["type"] for r in got] == ["budget.threshold", "budget.threshold"]
    events = sorted((r.body["data"] for r in got), key=lambda d: d["threshold"])
    assert [e["threshold"] for e in events] == [50, 100]
    for event, spent in zip(events, ("0.5", "1.0"), strict=True):
        assert set(event) == {"budget_id", "period", "threshold", "spent_usd", "limit_usd"}
        assert event["budget_id"] == h.org and re.fullmatch(r"m:\d{4}-\d{2}", event["period"])
        assert Decimal(event["spent_usd"]) == Decimal(spent) and Decimal(event["limit_usd"]) == Decimal("1")
    assert all(r.body["type"].startswith("job.") for r in receiver.at("/jobs"))
