"""Idempotency keeps no secret: stored responses are sealed, and a replay is served only to
the principal that made the first request, after it was authorized again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from atelier.idempotency.models import IdempotencyRecord
from atelier.kit.runtime import Runtime
from atelier.settings import Settings
from tests.helpers.accounts import create_key, register
from tests.webhooks.conftest import harness


async def _stored(app: FastAPI) -> list[IdempotencyRecord]:
    runtime: Runtime = app.state.runtime
    async with runtime.sessions() as session:
        return list((await session.execute(select(IdempotencyRecord))).scalars())


def _holds(records: list[IdempotencyRecord], secret: str) -> bool:
    needle = secret.encode()
    return any(needle in (r.body or b"") or needle in repr(r.headers).encode() for r in records)


async def test_a_minted_key_is_never_stored_in_plaintext_and_replays_to_its_requester(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    account = await register(client)
    headers = {**account.jwt_headers, "Idempotency-Key": "mint-1"}
    first = await client.post("/v1/keys", json={"name": "ci"}, headers=headers)
    assert first.status_code == 201
    secret = first.json()["key"]
    records = await _stored(app)
    assert records and not _holds(records, secret)
    replay = await client.post("/v1/keys", json={"name": "ci"}, headers=headers)
    assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == "true"
    assert replay.json()["key"] == secret
    listed = await client.get("/v1/keys", headers=account.jwt_headers)
    assert [k["name"] for k in listed.json()].count("ci") == 1


async def test_another_credential_of_the_organization_never_gets_the_stored_response(
    client: httpx.AsyncClient,
) -> None:
    account = await register(client)
    full_key = {"X-API-Key": await create_key(client, account)}
    read_key = {"X-API-Key": await create_key(client, account, scopes=["read"])}
    body = {"name": "shared idempotency key"}
    first = await client.post("/v1/keys", json=body, headers={**full_key, "Idempotency-Key": "k"})
    assert first.status_code == 201
    secret = first.json()["key"]
    # a read-only key is refused before idempotency is even looked at
    refused = await client.post("/v1/keys", json=body, headers={**read_key, "Idempotency-Key": "k"})
    assert refused.status_code == 403 and secret not in refused.text
    # another full key is another principal: its own request, not the first one's answer
    other_full = {"X-API-Key": await create_key(client, account)}
    own = await client.post("/v1/keys", json=body, headers={**other_full, "Idempotency-Key": "k"})
    assert own.status_code == 201 and "idempotent-replayed" not in own.headers
    assert own.json()["key"] != secret
    # the JWT of the same user is a principal of its own too
    by_jwt = await client.post("/v1/keys", json=body, headers={**account.jwt_headers, "Idempotency-Key": "k"})
    assert by_jwt.status_code == 201 and by_jwt.json()["key"] != secret


async def test_webhook_and_signing_secrets_are_not_stored_in_plaintext(settings: Settings) -> None:
    async with harness(settings) as h:
        headers = h.account.jwt_headers
        created = await h.client.post(
            "/v1/webhooks", json={"url": "http://127.0.0.1:9/hooks"}, headers={**headers, "Idempotency-Key": "hook-1"}
        )
        assert created.status_code == 201, created.text
        rotated = await h.client.post(
            "/v1/webhooks/signing-secret/rotate", headers={**headers, "Idempotency-Key": "rotate-1"}
        )
        assert rotated.status_code == 200, rotated.text
        records = await _stored(h.app)
        assert len(records) == 2
        assert not _holds(records, created.json()["secret"])
        assert not _holds(records, rotated.json()["secret"])
        assert not any(b"whsec_" in (r.body or b"") for r in records)


async def test_the_same_key_with_another_body_is_still_422(client: httpx.AsyncClient) -> None:
    account = await register(client)
    headers = {**account.jwt_headers, "Idempotency-Key": "body-check"}
    assert (await client.post("/v1/keys", json={"name": "a"}, headers=headers)).status_code == 201
    reused = await client.post("/v1/keys", json={"name": "b"}, headers=headers)
    assert reused.status_code == 422 and "IDEMPOTENCY_KEY_REUSED" in reused.text


async def test_a_claim_abandoned_by_a_crashed_process_does_not_block_its_key(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    account = await register(client)
    headers = {**account.jwt_headers, "Idempotency-Key": "crashed-1"}
    assert (await client.post("/v1/projects", json={"name": "a"}, headers=headers)).status_code == 201
    runtime: Runtime = app.state.runtime
    async with runtime.sessions() as session:  # as a process killed between claim and answer leaves it
        record = (await session.execute(select(IdempotencyRecord))).scalar_one()
        record.state, record.body = "in_flight", None
        record.created_at = datetime.now(UTC) - timedelta(minutes=20)
        await session.commit()
    again = await client.post("/v1/projects", json={"name": "a"}, headers=headers)
    assert again.status_code == 201 and "idempotent-replayed" not in again.headers
    in_flight = await client.post("/v1/projects", json={"name": "a"}, headers=headers)
    assert in_flight.headers.get("idempotent-replayed") == "true"
