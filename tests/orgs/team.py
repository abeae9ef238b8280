"""A team: one organization with an owner, an admin, a member and a viewer, each a user who
registered on their own (so each also owns a personal organization) and joined by invitation."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from tests.helpers.accounts import Account, register

ROLES = ("viewer", "member", "admin", "owner")


@dataclass
class Team:
    organization_id: str
    people: dict[str, Account]

    def headers(self, role: str) -> dict[str, str]:
        return {**self.people[role].jwt_headers, "X-Organization-ID": self.organization_id}

    def as_(self, account: Account) -> dict[str, str]:
        return {**account.jwt_headers, "X-Organization-ID": self.organization_id}


async def invite(client: httpx.AsyncClient, headers: dict[str, str], email: str, role: str) -> dict[str, str]:
    response = await client.post("/v1/organization/invitations", json={"email": email, "role": role}, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, str] = response.json()
    return body


async def join(client: httpx.AsyncClient, team: Team, role: str, inviter: str = "owner") -> Account:
    """A newly registered user who accepts an invitation to the team with ``role``."""
    account = await register(client)
    invitation = await invite(client, team.headers(inviter), account.email, role)
    accepted = await client.post(f"/v1/invitations/{invitation['token']}/accept", headers=account.jwt_headers)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["role"] == role
    return account


async def make_team(client: httpx.AsyncClient) -> Team:
    await register(client)  # the instance administrator: nobody in the team is one
    owner = await register(client)
    team = Team(owner.organization_id, {"owner": owner})
    for role in ("admin", "member", "viewer"):
        team.people[role] = await join(client, team, role)
    return team
