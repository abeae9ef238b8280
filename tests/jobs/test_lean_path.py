"""What a free generation costs the database: a job that spends no credits, no plan price and
no budget settles without locking the organization's credit account, and a synchronous
request whose job finished in this process is handed the committed job and assets instead of
reading them back (issue 11, "a lean job")."""

from __future__ import annotations

import base64

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from atelier.billing import service
from atelier.jobs.models import Asset
from tests.helpers.accounts import create_key, register
from tests.helpers.statements import job_reads, recorded

BODY = {"prompt": "a fern logo", "size": "64x64", "response_format": "b64_json"}


async def _statements(client: httpx.AsyncClient, app: FastAPI, headers: dict[str, str]) -> list[str]:
    async with recorded(app.state.runtime) as statements:
        response = await client.post("/v1/images/generations", json=BODY, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["data"][0]["b64_json"]
    return statements


async def test_a_free_generation_touches_no_credit_account_and_reads_nothing_back(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    admin = await register(client)  # the first account: the unlimited plan, no budget
    headers = {"X-API-Key": await create_key(client, admin)}
    await _statements(client, app, headers)  # warm: the organization's first job
    statements = await _statements(client, app, headers)
    assert not [s for s in statements if "FROM CREDIT_ACCOUNTS" in s]
    assert not [s for s in statements if "FROM BUDGETS" in s and "SELECT" in s][1:]  # admission's one look
    assert not job_reads(statements)
    assert not [s for s in statements if s.startswith("SELECT") and " FROM ASSETS " in f"{s} "]
    assert [s for s in statements if s.startswith("INSERT INTO USAGE_DAYS")]  # usage is still counted


async def test_a_job_with_a_budget_still_settles_under_the_account_lock(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    admin = await register(client)
    headers = {"X-API-Key": await create_key(client, admin)}
    runtime = app.state.runtime
    set_budget = await client.put("/v1/budgets", json={"daily_usd": "5.00"}, headers=admin.jwt_headers)
    assert set_budget.status_code == 200, set_budget.text
    statements = await _statements(client, app, headers)
    assert len([s for s in statements if "FROM CREDIT_ACCOUNTS" in s]) >= 1
    async with runtime.sessions() as session:
        status = await service.budget_status(session, admin.organization_id, service.datetime.now(service.UTC))
    assert status and all(period.reserved_usd == 0 for period in status)


async def test_a_b64_json_answer_is_the_stored_image_without_reading_it_back(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = await register(client)
    headers = {"X-API-Key": await create_key(client, admin)}
    storage = app.state.runtime.storage
    read = storage.get
    reads: list[str] = []

    async def counted(key: str) -> bytes:
        reads.append(key)
        return await read(key)

    monkeypatch.setattr(storage, "get", counted)
    response = await client.post("/v1/images/generations", json=BODY, headers=headers)
    assert response.status_code == 200, response.text
    assert reads == []  # the runner handed over the bytes it stored
    async with app.state.runtime.sessions() as session:
        key = await session.scalar(select(Asset.storage_key).where(Asset.organization_id == admin.organization_id))
    assert key is not None
    assert base64.b64decode(response.json()["data"][0]["b64_json"]) == await read(key)
