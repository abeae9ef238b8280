"""Invitations: a token and an accept URL (mailed when SMTP is configured, else shown to the
inviter), accepted once, by the invited account only, before it expires."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import update

from atelier.app import create_app
from atelier.organizations.models import Invitation
from atelier.organizations.service import hash_token
from atelier.settings import Settings, SmtpSettings
from tests.helpers.accounts import create_key, register
from tests.orgs.smtp_server import SmtpServer
from tests.orgs.team import Team, invite, make_team


async def _team_and_invitee(client: httpx.AsyncClient) -> tuple[Team, dict[str, str], str, dict[str, str]]:
    team = await make_team(client)
    invitee = await register(client)
    invitation = await invite(client, team.headers("admin"), invitee.email.upper(), "member")
    return team, invitation, invitee.email, invitee.jwt_headers


async def test_an_invitation_is_shown_to_the_inviter_and_accepted_once(client: httpx.AsyncClient) -> None:
    team, invitation, email, invitee = await _team_and_invitee(client)
    assert invitation["delivery"] == "shown" and invitation["email"] == email and invitation["role"] == "member"
    assert invitation["accept_url"].endswith(f"/v1/invitations/{invitation['token']}/accept")
    expires = datetime.fromisoformat(invitation["expires_at"])
    assert timedelta(hours=167) < expires - datetime.now(UTC) <= timedelta(hours=168)
    assert invitation["accept_url"].startswith("http://testserver/")  # the request's base: no public_url set
    accept_path = httpx.URL(invitation["accept_url"]).path
    accepted = await client.post(accept_path, headers=invitee)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["organization_id"] == team.organization_id and accepted.json()["role"] == "member"
    again = await client.post(accept_path, headers=invitee)
    assert again.status_code == 409 and again.json()["error"]["code"] == "INVITATION_USED"
    members = (await client.get("/v1/organization/members", headers=team.headers("viewer"))).json()
    assert {m["email"]: m["role"] for m in members}[email] == "member"
    # the token itself is never stored
    events = (await client.get("/v1/organization/audit", headers=team.headers("owner"))).json()
    actions = [e["action"] for e in events]
    assert "organization.invitation_created" in actions and "organization.member_added" in actions
    assert invitation["token"] not in str(events)


async def test_only_the_invited_account_can_accept(client: httpx.AsyncClient) -> None:
    team, invitation, _, invitee = await _team_and_invitee(client)
    path = f"/v1/invitations/{invitation['token']}/accept"
    colleague = await register(client)
    wrong = await client.post(path, headers=colleague.jwt_headers)
    assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "INVITATION_WRONG_USER"
    key = await create_key(client, colleague)
    by_key = await client.post(path, headers={"X-API-Key": key})
    assert by_key.status_code == 403 and "JWT" in by_key.json()["error"]["message"]
    anonymous = await client.post(path)
    assert anonymous.status_code == 401
    still_in = {
        m["email"] for m in (await client.get("/v1/organization/members", headers=team.headers("owner"))).json()
    }
    assert colleague.email not in still_in
    # the refusals did not use it up
    assert (await client.post(path, headers=invitee)).status_code == 200


async def test_an_expired_invitation_is_refused(client: httpx.AsyncClient, app: FastAPI) -> None:
    _, invitation, _, invitee = await _team_and_invitee(client)
    async with app.state.runtime.sessions() as session:
        await session.execute(
            update(Invitation)
            .where(Invitation.token_hash == hash_token(invitation["token"]))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        await session.commit()
    expired = await client.post(f"/v1/invitations/{invitation['token']}/accept", headers=invitee)
    assert expired.status_code == 410
    assert expired.json()["error"]["code"] == "INVITATION_EXPIRED" and "expired" in expired.json()["error"]["message"]
    unknown = await client.post("/v1/invitations/" + "x" * 43 + "/accept", headers=invitee)
    assert unknown.status_code == 404


async def test_concurrent_accepts_of_one_invitation_admit_one(client: httpx.AsyncClient) -> None:
    _, invitation, _, invitee = await _team_and_invitee(client)
    path = f"/v1/invitations/{invitation['token']}/accept"
    answers = await asyncio.gather(*(client.post(path, headers=invitee) for _ in range(5)))
    codes = sorted(a.status_code for a in answers)
    assert codes == [200, 409, 409, 409, 409], [a.text for a in answers]


async def test_who_may_be_invited(client: httpx.AsyncClient) -> None:
    team = await make_team(client)
    admin = team.headers("admin")
    owner = await client.post(
        "/v1/organization/invitations", json={"email": "boss@example.com", "role": "owner"}, headers=admin
    )
    assert owner.status_code == 403 and owner.json()["error"]["code"] == "OWNER_REQUIRED"
    member = team.people["member"].email
    twice = await client.post("/v1/organization/invitations", json={"email": member, "role": "viewer"}, headers=admin)
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "ALREADY_MEMBER"
    bad = await client.post(
        "/v1/organization/invitations", json={"email": "x@example.com", "role": "god"}, headers=admin
    )
    assert bad.status_code == 422


async def test_with_smtp_configured_the_invitation_is_mailed_not_shown(settings: Settings) -> None:
    with SmtpServer() as smtp:
        configured = settings.model_copy(
            update={
                "smtp": SmtpSettings(host="127.0.0.1", port=smtp.port, security="none", sender="team@example.com"),
                "server": settings.server.model_copy(update={"public_url": "https://atelier.example.com"}),
            }
        )
        app: FastAPI = create_app(configured)
        transport = httpx.ASGITransport(app=app)
        async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            owner = await register(c)
            invitee = await register(c)
            invitation = await invite(c, owner.jwt_headers, invitee.email, "viewer")
            assert invitation["delivery"] == "email"
            assert invitation["token"] is None and invitation["accept_url"] is None
            assert len(smtp.inbox.messages) == 1
            mail = smtp.inbox.messages[0]
            assert mail.recipients == [invitee.email] and mail.message["From"] == "team@example.com"
            text = mail.message.get_payload(decode=True).decode()  # type: ignore[union-attr]
            url = next(word for word in text.split() if word.startswith("https://atelier.example.com/"))
            accepted = await c.post(url.removeprefix("https://atelier.example.com"), headers=invitee.jwt_headers)
            assert accepted.status_code == 200 and accepted.json()["role"] == "viewer", accepted.text
            assert accepted.json()["organization_id"] == owner.organization_id
