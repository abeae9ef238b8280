"""Every role rule, route by route: a viewer reads, a member also generates and changes the
gallery, an admin also manages keys, webhooks, budgets and members, an owner also owners.
Each row names the weakest role admitted and the status that role gets; every weaker role
gets 403 naming its role, every stronger one the same status as the weakest admitted."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from atelier.organizations.models import RANK
from tests.orgs.team import ROLES, join, make_team

#: (method, path, body, weakest role admitted, its status). ``{target}`` is a fresh viewer of
#: the team for each role, so one role's change never decides another's answer.
ROUTES: list[tuple[str, str, dict[str, Any] | None, str, int]] = [
    ("GET", "/v1/organization", None, "viewer", 200),
    ("GET", "/v1/organization/members", None, "viewer", 200),
    ("GET", "/v1/me", None, "viewer", 200),
    ("GET", "/v1/assets", None, "viewer", 200),
    ("GET", "/v1/credits", None, "viewer", 200),
    ("GET", "/v1/budgets", None, "viewer", 200),
    ("GET", "/v1/usage", None, "viewer", 200),
    ("GET", "/v1/projects", None, "viewer", 200),
    ("PATCH", "/v1/me", {"full_name": "Renamed"}, "viewer", 200),
    ("POST", "/v1/projects", {"name": "campaign"}, "member", 201),
    ("POST", "/v1/generations", {"prompt": "logo for 'Fern'", "size": "256x256"}, "member", 202),
    ("PATCH", "/v1/assets/ast_nonexistent", {"favorite": True}, "member", 404),
    ("GET", "/v1/keys", None, "admin", 200),
    ("POST", "/v1/keys", {"name": "ci"}, "admin", 201),
    ("PUT", "/v1/budgets", {"monthly_usd": "5.00"}, "admin", 200),
    ("GET", "/v1/webhooks/signing-secret", None, "admin", 200),
    ("GET", "/v1/organization/audit", None, "admin", 200),
    ("POST", "/v1/organization/invitations", {"email": "{email}", "role": "viewer"}, "admin", 201),
    ("PATCH", "/v1/organization/members/{target}", {"role": "member"}, "admin", 200),
    ("DELETE", "/v1/organization/members/{target}", None, "admin", 200),
    ("POST", "/v1/organization/invitations", {"email": "{email}", "role": "owner"}, "owner", 201),
    ("PATCH", "/v1/organization/members/{target}", {"role": "owner"}, "owner", 200),
]


def _fill(value: Any, target: str, email: str) -> Any:
    if isinstance(value, str):
        return value.replace("{target}", target).replace("{email}", email)
    if isinstance(value, dict):
        return {k: _fill(v, target, email) for k, v in value.items()}
    return value


@pytest.mark.parametrize(
    ("method", "path", "body", "weakest", "status"),
    ROUTES,
    ids=[f"{m} {p} {(b or {}).get('role', '')}".strip() for m, p, b, _, _ in ROUTES],
)
async def test_each_role_gets_what_its_rank_allows(
    client: httpx.AsyncClient, method: str, path: str, body: dict[str, Any] | None, weakest: str, status: int
) -> None:
    team = await make_team(client)
    for role in ROLES:
        target = (await join(client, team, "viewer")).user_id if "{target}" in path else "none"
        email = f"invitee-{role}-{len(path)}@example.com"
        response = await client.request(
            method, _fill(path, target, email), json=_fill(body, target, email), headers=team.headers(role)
        )
        if RANK[role] >= RANK[weakest]:
            assert response.status_code == status, (role, response.text)
        else:
            assert response.status_code == 403, (role, response.text)
            error = response.json()["error"]
            assert error["code"] in {"INSUFFICIENT_SCOPE", "OWNER_REQUIRED", "ROLE_TOO_HIGH"}, (role, error)
            assert role in error["message"], error


async def test_a_viewer_may_leave_but_not_remove_others(client: httpx.AsyncClient) -> None:
    team = await make_team(client)
    member = team.people["member"].user_id
    refused = await client.delete(f"/v1/organization/members/{member}", headers=team.headers("viewer"))
    assert refused.status_code == 403 and "'members'" in refused.json()["error"]["message"]
    viewer = team.people["viewer"]
    left = await client.delete(f"/v1/organization/members/{viewer.user_id}", headers=team.headers("viewer"))
    assert left.status_code == 200, left.text
    gone = await client.get("/v1/organization", headers=team.headers("viewer"))
    assert gone.status_code == 403 and gone.json()["error"]["code"] == "NOT_A_MEMBER"
    # without the header the viewer acts in their own organization again
    own = await client.get("/v1/organization", headers=viewer.jwt_headers)
    assert own.status_code == 200 and own.json()["id"] == viewer.organization_id and own.json()["role"] == "owner"


async def test_admins_cannot_touch_owners(client: httpx.AsyncClient) -> None:
    team = await make_team(client)
    owner = team.people["owner"].user_id
    admin = team.headers("admin")
    demote = await client.patch(f"/v1/organization/members/{owner}", json={"role": "member"}, headers=admin)
    assert demote.status_code == 403 and demote.json()["error"]["code"] == "OWNER_REQUIRED"
    remove = await client.delete(f"/v1/organization/members/{owner}", headers=admin)
    assert remove.status_code == 403 and remove.json()["error"]["code"] == "OWNER_REQUIRED"
    members = (await client.get("/v1/organization/members", headers=admin)).json()
    assert {m["user_id"]: m["role"] for m in members}[owner] == "owner"


async def test_the_last_owner_cannot_be_demoted_removed_or_leave(client: httpx.AsyncClient) -> None:
    team = await make_team(client)
    owner = team.people["owner"].user_id
    headers = team.headers("owner")
    for method, body in (("PATCH", {"role": "admin"}), ("DELETE", None)):
        response = await client.request(method, f"/v1/organization/members/{owner}", json=body, headers=headers)
        assert response.status_code == 409 and response.json()["error"]["code"] == "LAST_OWNER", response.text
    # with a second owner, the first may step down, and then the second is the last
    admin = team.people["admin"].user_id
    promoted = await client.patch(f"/v1/organization/members/{admin}", json={"role": "owner"}, headers=headers)
    assert promoted.status_code == 200 and promoted.json()["role"] == "owner"
    left = await client.delete(f"/v1/organization/members/{owner}", headers=headers)
    assert left.status_code == 200, left.text
    last = await client.delete(f"/v1/organization/members/{admin}", headers=team.headers("admin"))
    assert last.status_code == 409 and last.json()["error"]["code"] == "LAST_OWNER"


async def test_x_organization_id_picks_the_organization_and_refuses_strangers(client: httpx.AsyncClient) -> None:
    team = await make_team(client)
    member = team.people["member"]
    default = (await client.get("/v1/organization", headers=member.jwt_headers)).json()
    assert default["id"] == member.organization_id and default["role"] == "owner"  # their first membership
    chosen = (await client.get("/v1/organization", headers=team.headers("member"))).json()
    assert chosen == {**chosen, "id": team.organization_id, "role": "member", "members": 4}
    me = (await client.get("/v1/me", headers=team.headers("member"))).json()
    assert me["organization"]["id"] == team.organization_id
    listed = (await client.get("/v1/organizations", headers=member.jwt_headers)).json()
    assert {(o["organization_id"], o["role"]) for o in listed} == {
        (member.organization_id, "owner"),
        (team.organization_id, "member"),
    }
    stranger = {**member.jwt_headers, "X-Organization-ID": team.people["owner"].organization_id + "x"}
    refused = await client.get("/v1/organization", headers=stranger)
    assert refused.status_code == 403
    assert (
        refused.json()["error"]["code"] == "NOT_A_MEMBER" and "X-Organization-ID" in refused.json()["error"]["message"]
    )
    viewer_org = {**member.jwt_headers, "X-Organization-ID": team.people["viewer"].organization_id}
    assert (await client.get("/v1/credits", headers=viewer_org)).status_code == 403


async def test_a_keys_scopes_are_capped_by_its_creators_role(client: httpx.AsyncClient) -> None:
    team = await make_team(client)
    admin = team.people["admin"]
    minted = await client.post("/v1/keys", json={"name": "full"}, headers=team.headers("admin"))
    assert minted.status_code == 201
    assert "members" in minted.json()["scopes"] and "generate" in minted.json()["scopes"]
    key = {"X-API-Key": minted.json()["key"]}
    assert (await client.get("/v1/organization", headers=key)).json()["id"] == team.organization_id
    assert (await client.get("/v1/keys", headers=key)).status_code == 200
    demoted = await client.patch(
        f"/v1/organization/members/{admin.user_id}", json={"role": "viewer"}, headers=team.headers("owner")
    )
    assert demoted.status_code == 200
    # the very next request: the key holds only what a viewer may do
    refused = await client.get("/v1/keys", headers=key)
    assert refused.status_code == 403 and "'keys'" in refused.json()["error"]["message"]
    job = await client.post("/v1/generations", json={"prompt": "a logo", "size": "256x256"}, headers=key)
    assert job.status_code == 403
    assert (await client.get("/v1/assets", headers=key)).status_code == 200
