"""The last-admin guard counts only active admins and holds when two admins demote each
other at the same moment."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI
from sqlalchemy import update

from atelier.accounts.models import User
from tests.helpers.accounts import Account, register


async def promote(client: httpx.AsyncClient, admin: Account, user: Account) -> None:
    answer = await client.put(f"/v1/admin/users/{user.user_id}/role", json={"role": "admin"}, headers=admin.jwt_headers)
    assert answer.status_code == 200, answer.text


async def test_an_inactive_admin_can_be_demoted_while_another_admin_is_active(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    first = await register(client)
    second = await register(client)
    await promote(client, first, second)
    async with app.state.runtime.sessions() as session:
        await session.execute(update(User).where(User.id == second.user_id).values(is_active=False))
        await session.commit()
    demoted = await client.put(
        f"/v1/admin/users/{second.user_id}/role", json={"role": "member"}, headers=first.jwt_headers
    )
    assert demoted.status_code == 200, demoted.text
    last = await client.put(f"/v1/admin/users/{first.user_id}/role", json={"role": "member"}, headers=first.jwt_headers)
    assert last.status_code == 409 and last.json()["error"]["code"] == "LAST_ADMIN"


async def test_two_admins_demoting_each_other_at_once_leave_one_admin(client: httpx.AsyncClient) -> None:
    a = await register(client)
    b = await register(client)
    await promote(client, a, b)
    for _ in range(5):
        answers = await asyncio.gather(
            client.put(f"/v1/admin/users/{b.user_id}/role", json={"role": "member"}, headers=a.jwt_headers),
            client.put(f"/v1/admin/users/{a.user_id}/role", json={"role": "member"}, headers=b.jwt_headers),
        )
        codes = sorted(r.status_code for r in answers)
        roles = [(await client.get("/v1/me", headers=x.jwt_headers)).json()["role"] for x in (a, b)]
        assert roles.count("admin") == 1 and codes in ([200, 403], [200, 409]), (codes, roles)
        survivor, other = (a, b) if roles[0] == "admin" else (b, a)
        await promote(client, survivor, other)
