"""A filter applied while the gallery's first page is still loading shows the filtered
results only: the older response, arriving last, is dropped instead of appended."""

from __future__ import annotations

import httpx

from tests.console.conftest import Browsing
from tests.console.test_console_e2e import register, sign_in
from tests.console.test_organization_switcher import login


def test_a_late_first_page_never_lands_in_filtered_results(browsing: Browsing) -> None:
    url = browsing.server.url
    register(url, "painter@example.com")
    headers = login(url, "painter@example.com")
    for prompt in ("logo for 'Fern'", "logo for 'Moss'"):
        made = httpx.post(
            f"{url}/v1/images/generations", json={"prompt": prompt, "size": "256x256"}, headers=headers, timeout=60
        )
        assert made.status_code == 200, made.text
    assets = httpx.get(f"{url}/v1/assets", headers=headers).json()["data"]
    favourite = assets[0]["id"]
    assert httpx.patch(f"{url}/v1/assets/{favourite}", json={"favorite": True}, headers=headers).status_code == 200

    context = browsing.context()
    page = context.new_page()
    sign_in(page, "painter@example.com")
    held = []

    def hold_the_first_page(route) -> None:  # type: ignore[no-untyped-def]
        if not held and "favorite=" not in route.request.url:
            held.append(route)  # answered only after the filtered page has been drawn
        else:
            route.continue_()

    page.route("**/v1/assets?*", hold_the_first_page)
    page.goto("/gallery")
    page.get_by_label("Favourites").select_option("true")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_function("document.querySelectorAll('#gallery li').length === 1")
    assert held, "the first page's request was not held"
    with page.expect_response(lambda r: "/v1/assets?" in r.url and "favorite=" not in r.url):
        held[0].continue_()
    page.evaluate("() => new Promise(r => setTimeout(r, 50))")  # let its handler run
    assert page.locator("#gallery li").count() == 1
    assert page.locator("#gallery li").get_attribute("data-asset-id") == favourite
    context.close()
