"""The console's operations pages in a real browser: an endpoint's deliveries and their
redelivery, budget caps with their alert thresholds, and the admin page (breaker states,
the audit log's filters) that only administrators can open."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from atelier.app import create_app
from atelier.settings import MonitoringSettings, Settings, WebhookSettings
from tests.console.conftest import Browsing
from tests.console.test_console_e2e import PASSWORD, register, sign_in
from tests.helpers.live import LiveServer
from tests.webhooks.receiver import ReceiverServer


@pytest.fixture
def live_server(settings: Settings) -> Iterator[LiveServer]:
    """The console's server, delivering webhooks to loopback receivers and computing the
    health report on every request (so a breaker opened by the test shows at once)."""
    changed = settings.model_copy(
        update={
            "webhooks": WebhookSettings(allow_private=["127.0.0.1"]),
            "monitoring": settings.monitoring.model_copy(update={"health_cache_seconds": 0}),
        }
    )
    assert isinstance(changed.monitoring, MonitoringSettings)
    server = LiveServer(create_app(changed))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def jwt(url: str, email: str) -> dict[str, str]:
    response = httpx.post(f"{url}/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def until(condition: Callable[[], Any], what: str, seconds: float = 30) -> Any:
    """Wait for a background effect (the dispatcher's delivery) outside the browser."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_an_endpoints_delivery_is_shown_and_redelivered(browsing: Browsing) -> None:
    url = browsing.server.url
    register(url, "hooks@example.com")
    headers = jwt(url, "hooks@example.com")
    receiver_server = ReceiverServer()
    with receiver_server as receiver:
        receiver_url = receiver_server.url
        hook = {"url": receiver_url + "/hook", "event_types": ["job.succeeded"]}
        created = httpx.post(f"{url}/v1/webhooks", json=hook, headers=headers)
        assert created.status_code == 201, created.text
        receiver.secrets["/hook"] = created.json()["secret"]
        job = httpx.post(
            f"{url}/v1/generations",
            json={"prompt": "A webhook poster", "size": "64x64"},
            headers={**headers, "Prefer": "wait=30"},
            timeout=60,
        )
        assert job.status_code == 200 and job.json()["status"] == "succeeded", job.text
        until(lambda: receiver.successes("/hook"), "the first delivery")
        [webhook_id] = receiver.successes("/hook")

        context = browsing.context()
        page = context.new_page()
        sign_in(page, "hooks@example.com")
        page.goto("/webhooks")
        rows = "li[data-endpoint-id] table.deliveries tbody tr"
        row = page.locator(rows)
        page.wait_for_selector("li[data-endpoint-id] tr[data-status='succeeded']")
        assert row.count() == 1
        cells = row.first.locator("td")
        assert cells.nth(1).inner_text() == "job.succeeded" and cells.nth(2).inner_text() == "succeeded"
        assert cells.nth(3).inner_text() == "1" and cells.nth(4).inner_text() == "200"

        # reach the Redeliver button from the keyboard and press it
        button = page.get_by_role("button", name="Redeliver job.succeeded")
        for _ in range(80):
            if button.evaluate("b => b === document.activeElement"):
                break
            page.keyboard.press("Tab")
        assert button.evaluate("b => b === document.activeElement"), "Redeliver is not reachable with Tab"
        page.keyboard.press("Enter")
        page.wait_for_selector("#flash:text('Queued for redelivery')")
        page.wait_for_function(f"document.querySelectorAll({rows!r}).length === 2")

        until(lambda: receiver.successes("/hook")[webhook_id] == 2, "the redelivery")
        assert [r.webhook_id for r in receiver.at("/hook")] == [webhook_id, webhook_id]
        page.reload()
        page.wait_for_function(
            "document.querySelectorAll(\"li[data-endpoint-id] tr[data-status='succeeded']\").length === 2"
        )
        browsing.shoot(page, "webhooks")
        context.close()


def test_a_budget_cap_is_set_and_shown_with_its_thresholds(browsing: Browsing) -> None:
    url = browsing.server.url
    register(url, "budget@example.com")
    context = browsing.context()
    page = context.new_page()
    sign_in(page, "budget@example.com")
    page.goto("/usage")
    page.wait_for_selector("#budget-empty:not([hidden])")
    page.get_by_label("Daily cap (USD)").fill("5")
    page.get_by_label("Monthly cap (USD)").fill("120.50")
    page.get_by_role("button", name="Save budgets").click()
    page.wait_for_selector(".budget-period[data-kind='monthly']")
    daily = page.locator(".budget-period[data-kind='daily']").inner_text()
    assert "Daily cap $5.00" in daily and "0% used" in daily and f"{datetime.now(UTC):%Y-%m-%d}" in daily
    assert "Alerts: 50% · 80% · 100%" in daily
    assert "Monthly cap $120.50" in page.locator(".budget-period[data-kind='monthly']").inner_text()
    assert page.get_by_role("meter", name="Daily cap $5.00 used").get_attribute("aria-valuenow") == "0"
    assert page.locator("#budget-empty").is_hidden()

    page.reload()  # kept by the server, not the page
    page.wait_for_selector(".budget-period[data-kind='daily']")
    assert page.get_by_label("Daily cap (USD)").input_value() == "5.0000"
    page.locator("#budget-periods").scroll_into_view_if_needed()
    browsing.shoot(page, "budgets")
    caps = httpx.get(f"{url}/v1/budgets", headers=jwt(url, "budget@example.com")).json()
    assert (caps["daily_usd"], caps["monthly_usd"]) == ("5.0000", "120.5000")

    page.get_by_label("Daily cap (USD)").fill("")
    page.get_by_role("button", name="Save budgets").click()
    page.wait_for_function("document.querySelectorAll('.budget-period').length === 1")
    assert page.locator(".budget-period").get_attribute("data-kind") == "monthly"
    context.close()


def test_admin_sees_breaker_states_and_filters_the_audit_log(browsing: Browsing) -> None:
    url = browsing.server.url
    register(url, "admin@example.com")  # the first account is the administrator
    register(url, "member@example.com")
    member = jwt(url, "member@example.com")
    assert httpx.post(f"{url}/v1/keys", json={"name": "member key"}, headers=member).status_code == 201
    router = browsing.server.app.state.runtime.router  # type: ignore[attr-defined]
    deployment = router.all_deployments()[0]
    for _ in range(deployment.breaker.failure_threshold):
        deployment.breaker.record_failure()

    context = browsing.context()
    page = context.new_page()
    sign_in(page, "admin@example.com")
    page.get_by_role("link", name="Admin").click()
    page.wait_for_url("**/admin")
    component = page.locator(f"#health tr[data-component='provider:{deployment.name}']")
    component.wait_for()
    assert component.locator(".breaker").inner_text() == "open"
    assert "circuit open" in component.inner_text()
    assert page.locator("#health tr[data-component='database'] .state").inner_text() == "healthy"
    page.wait_for_selector("#users tr[data-user-id]")
    roles = dict(
        zip(
            page.locator("#users tbody td:first-child").all_inner_texts(),
            page.locator("#users tbody td.role").all_inner_texts(),
            strict=True,
        )
    )
    assert roles == {"admin@example.com": "admin", "member@example.com": "member"}
    assert page.locator("#orgs tbody tr").count() == 2
    browsing.shoot(page, "admin")

    page.wait_for_selector("#audit tbody tr")
    page.get_by_label("Actor (email or id)").fill("member@example.com")
    page.get_by_label("Action").fill("key.created")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_function("document.querySelectorAll('#audit tbody tr').length === 1")
    cells = page.locator("#audit tbody tr td")
    assert cells.nth(1).inner_text() == "key.created" and cells.nth(2).inner_text() == "member@example.com"
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    page.get_by_label("From").fill(tomorrow)
    page.get_by_role("button", name="Filter").click()
    page.wait_for_selector("#audit-empty:not([hidden])")
    assert page.locator("#audit tbody tr").count() == 0

    deployment.breaker.record_success()
    page.get_by_role("button", name="Refresh").click()
    page.wait_for_selector(f"#health tr[data-component='provider:{deployment.name}'] .breaker:text-is('closed')")
    context.close()


def test_a_member_cannot_open_admin(browsing: Browsing) -> None:
    url = browsing.server.url
    register(url, "first@example.com")
    register(url, "plain@example.com")
    context = browsing.context()
    page = context.new_page()
    sign_in(page, "plain@example.com")
    assert page.get_by_role("link", name="Admin").count() == 0
    response = page.goto("/admin")
    assert response is not None and response.status == 403
    assert page.locator("#audit").count() == 0 and "Administrator role required" in page.content()
    denied = httpx.get(f"{url}/v1/admin/users", headers=jwt(url, "plain@example.com"))
    assert denied.status_code == 403
    context.close()
