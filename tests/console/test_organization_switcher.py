"""The console's organization switcher: a person in two organizations picks one, and every
page and API call of the session then acts in it (the gallery shows that organization's
images only); a choice they are no longer a member of falls back to their first."""

from __future__ import annotations

import httpx

from tests.console.conftest import Browsing
from tests.console.test_console_e2e import PASSWORD, register, sign_in


def login(url: str, email: str) -> dict[str, str]:
    response = httpx.post(f"{url}/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def team_of(url: str, owner: str, member: str) -> str:
    """``owner``'s organization, which ``member`` joins by invitation; its id."""
    owner_headers = login(url, owner)
    organization: str = httpx.get(f"{url}/v1/organization", headers=owner_headers).json()["id"]
    invited = httpx.post(
        f"{url}/v1/organization/invitations", json={"email": member, "role": "member"}, headers=owner_headers
    )
    assert invited.status_code == 201, invited.text
    accepted = httpx.post(f"{url}/v1/invitations/{invited.json()['token']}/accept", headers=login(url, member))
    assert accepted.status_code == 200, accepted.text
    return organization


def test_the_switcher_changes_the_organization_every_page_acts_in(browsing: Browsing) -> None:
    url = browsing.server.url
    register(url, "admin@example.com")  # the instance's first user: its administrator
    register(url, "studio@example.com")
    register(url, "ana@example.com")
    studio = team_of(url, "studio@example.com", "ana@example.com")
    # one image in the studio's gallery, made by its owner
    made = httpx.post(
        f"{url}/v1/images/generations",
        json={"prompt": "logo for 'Studio Fern'", "size": "256x256"},
        headers=login(url, "studio@example.com"),
        timeout=60,
    )
    assert made.status_code == 200, made.text

    context = browsing.context()
    page = context.new_page()
    sign_in(page, "ana@example.com")
    picker = page.get_by_label("Organization")
    picker.wait_for()
    own = picker.input_value()
    assert own != studio and picker.locator("option").count() == 2
    page.goto("/gallery")
    page.wait_for_selector("#gallery-empty:visible")
    page.get_by_label("Organization").select_option(studio)
    page.wait_for_function(
        "id => document.querySelector('#org-switcher').dataset.organizationId === id"
        " && document.querySelector('#org-select').value === id",
        arg=studio,
    )
    page.wait_for_selector("#gallery img")  # the studio's image, in the studio's gallery
    # the API calls of the session act there too
    me = page.evaluate("() => fetch('/v1/organization').then(r => r.json())")
    assert me["id"] == studio and me["role"] == "member"

    # removed from the studio: the stale choice falls back to her own organization
    ana = page.evaluate("() => fetch('/v1/me').then(r => r.json())")["id"]
    removed = httpx.delete(f"{url}/v1/organization/members/{ana}", headers=login(url, "studio@example.com"))
    assert removed.status_code == 200, removed.text
    page.reload()
    me = page.evaluate("() => fetch('/v1/organization').then(r => r.json())")
    assert me["id"] == own
    assert not browsing.foreign
    context.close()
