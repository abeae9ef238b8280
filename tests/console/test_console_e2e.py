"""The console in a real browser: sign in, generate with live progress, the gallery,
favourite and publish, the share page signed out, keys, usage, and the API docs offline."""

from __future__ import annotations

import re

import httpx

from tests.console.conftest import Browsing

PASSWORD = "console password"
STATUS_LOG = """() => {
  window.__statuses = [];
  const node = document.getElementById('status-text');
  const watch = new MutationObserver(() => window.__statuses.push(node.textContent));
  watch.observe(node, {childList: true, characterData: true, subtree: true});
}"""


def register(url: str, email: str) -> None:
    response = httpx.post(f"{url}/v1/auth/register", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.text


def sign_in(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/playground")
    assert "/sign-in" in page.url  # signed out: sent to the form, coming back afterwards
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/playground")


def test_console_from_sign_in_to_share_page(browsing: Browsing) -> None:
    url = browsing.server.url
    register(url, "painter@example.com")
    context = browsing.context()
    page = context.new_page()
    page.goto("/sign-in")
    browsing.shoot(page, "sign-in")

    sign_in(page, "painter@example.com")
    cookie = next(c for c in context.cookies() if c["name"] == "atelier_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and not cookie["secure"]  # plain http here

    # generate, following the job's events
    page.wait_for_function("document.querySelectorAll('#model option').length > 1")
    page.get_by_label("Prompt").fill("A poster for the Lumen jazz night")
    page.get_by_label("Images").fill("2")
    page.evaluate(STATUS_LOG)
    with page.expect_request(re.compile(r"/v1/generations/job_[^/]+/events$")):
        page.get_by_role("button", name="Generate").click()
    page.wait_for_selector("#results img", timeout=60_000)
    assert page.locator("#results img").count() == 2
    statuses = page.evaluate("window.__statuses")
    assert statuses[0].startswith(("queued", "processing")) and statuses[-1] == "succeeded 100%", statuses
    percents = [int(s.rsplit(" ", 1)[1].rstrip("%")) for s in statuses]
    assert percents == sorted(percents)
    facts = page.locator("#job-facts").inner_text()
    assert "Cost" in facts and "Engine" in facts and "atelier-design" in facts and "Fidelity" in facts
    browsing.shoot(page, "playground")

    # the gallery shows thumbnails, not the full files
    page.get_by_role("link", name="Gallery").click()
    page.wait_for_selector("#gallery li img")
    assert page.locator("#gallery li").count() == 2
    with page.expect_response(re.compile(r"/thumbnail$")) as thumb:
        page.reload()
    assert thumb.value.headers["content-type"] == "image/webp"
    browsing.shoot(page, "gallery")
    page.get_by_label("Search prompts").fill("no such words")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_selector("#gallery-empty:not([hidden])")
    page.get_by_label("Search prompts").fill("lumen jazz")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_selector("#gallery li img")

    # favourite and publish one; the other stays private
    first, second = (page.locator("#gallery li").nth(i).get_attribute("data-asset-id") for i in range(2))
    page.locator(f'li[data-asset-id="{first}"] a').click()
    page.wait_for_selector("#asset-facts dt")
    page.get_by_role("button", name="☆ Favourite").click()
    page.wait_for_selector('#fav[aria-pressed="true"]')
    page.get_by_role("button", name="Publish").click()
    page.wait_for_selector("#share:not([hidden])")
    share_url = page.locator("#share-link").get_attribute("href")
    assert share_url == f"/share/{first}"
    browsing.shoot(page, "image")
    page.goto("/gallery")
    page.get_by_label("Favourites").select_option("true")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_function("document.querySelectorAll('#gallery li').length === 1")
    assert page.locator("#gallery li").get_attribute("data-asset-id") == first

    # the share page works signed out; a private asset has none
    stranger = browsing.context()
    public = stranger.new_page()
    response = public.goto(share_url)
    assert response is not None and response.status == 200
    public.wait_for_function("document.querySelector('.share img').naturalWidth > 0")
    assert "Lumen jazz night" in public.locator(".credits").inner_text()
    browsing.shoot(public, "share")
    hidden = public.goto(f"/share/{second}")
    assert hidden is not None and hidden.status == 404
    assert public.goto("/gallery") and "/sign-in" in public.url
    stranger.close()

    # create a key (shown once), then revoke it
    page.goto("/keys")
    page.get_by_label("Name").fill("ci key")
    page.get_by_label("Expires in (days)").fill("30")
    page.get_by_role("button", name="Create key").click()
    page.wait_for_selector("#new-key:not([hidden])")
    key = page.locator("#new-key-value").inner_text()
    assert key.startswith("atl_")
    assert httpx.get(f"{url}/v1/me", headers={"X-API-Key": key}).status_code == 200
    browsing.shoot(page, "keys")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke key ci key").click()
    page.wait_for_selector("tr td.state:text('revoked')")
    assert httpx.get(f"{url}/v1/me", headers={"X-API-Key": key}).status_code == 401

    # usage, drawn as an inline SVG chart
    page.goto("/usage")
    page.wait_for_selector("#chart svg rect.bar")
    assert "2" in page.locator("#chart svg").inner_html()
    browsing.shoot(page, "usage")
    page.goto("/webhooks")  # its screenshot, with deliveries, is test_console_operations'
    page.wait_for_selector("#hooks-empty:not([hidden])")

    # sign out ends the session
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")
    assert not [c for c in context.cookies() if c["name"] == "atelier_session"]
    context.close()


def test_api_docs_render_offline_with_authorize(browsing: Browsing) -> None:
    context = browsing.context()
    page = context.new_page()
    page.goto("/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
    page.get_by_role("button", name=re.compile("Authorize")).first.click()
    page.wait_for_selector("text=ApiKey")
    page.wait_for_selector("text=Bearer")
    browsing.shoot(page, "docs")
    page.goto("/redoc")
    page.wait_for_selector("h1:has-text('Atelier')", timeout=30_000)
    browsing.shoot(page, "redoc")
    context.close()
