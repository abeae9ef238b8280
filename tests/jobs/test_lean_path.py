"""What a free generation costs the database: a job that spends no credits, no plan price and
no budget settles without locking the organization's credit account, and a synchronous
request whose job finished in this process is handed the committed job and assets instead of
reading them back (issue 11, "a lean job")."""

from __future__ import annotations

import asyncio
import base64

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from atelier.billing import service
from atelier.jobs.models import Asset, Job
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


def _claims(statements: list[str]) -> list[str]:
    """The claims of a queued job by its runner (``execution.claim``) among ``statements``."""
    return [s for s in statements if s.startswith("UPDATE JOBS SET STATUS") and "RUNS=(JOBS.RUNS + " in s]


async def _until(client: httpx.AsyncClient, headers: dict[str, str], job_id: str, wanted: str) -> None:
    """Poll the job until its status is ``wanted`` (20 times a second: under the key's limit)."""
    status = ""
    for _ in range(300):
        status = (await client.get(f"/v1/generations/{job_id}", headers=headers)).json()["status"]
        if status == wanted:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"job {job_id} stayed {status}, never {wanted}")


async def test_a_job_this_process_starts_at_once_is_submitted_claimed(client: httpx.AsyncClient, app: FastAPI) -> None:
    """With a slot free, the job is recorded claimed by this process in the submission's
    transaction (its job.started event with it) and started on commit: no claim UPDATE, no
    trip through the queue. Its lease, run count and start time are those a claim writes."""
    admin = await register(client)
    headers = {"X-API-Key": await create_key(client, admin)}
    async with recorded(app.state.runtime) as statements:
        response = await client.post("/v1/images/generations", json=BODY, headers=headers)
    assert response.status_code == 200, response.text
    updates = [s for s in statements if s.startswith("UPDATE JOBS SET STATUS")]
    assert len(updates) == 1 and not _claims(updates), updates  # the final state only: no claim
    async with app.state.runtime.sessions() as session:
        job = await session.scalar(select(Job).where(Job.organization_id == admin.organization_id))
    assert job is not None
    assert (job.status, job.runs, job.lease_until) == ("succeeded", 1, None)
    assert job.started_at is not None and job.created_at <= job.started_at <= job.finished_at


async def test_without_a_free_slot_a_job_is_submitted_queued(client: httpx.AsyncClient, app: FastAPI) -> None:
    """Every slot promised: the job is recorded queued and goes through the queue, claimed by
    its runner (the claim UPDATE) as before."""
    admin = await register(client)
    headers = {"X-API-Key": await create_key(client, admin)}
    queue = app.state.runtime.job_queue
    promised = [queue.start_token(f"job_taken{index}") for index in range(app.state.runtime.settings.jobs.concurrency)]
    assert all(promised) and queue.start_token("job_one_more") is None
    body = {"prompt": "a fern logo", "size": "64x64"}
    async with recorded(app.state.runtime) as statements:
        response = await client.post("/v1/generations", json=body, headers=headers)
        assert response.status_code == 202, response.text
        await _until(client, headers, response.json()["id"], "succeeded")
    assert len(_claims(statements)) == 1, statements


async def test_a_job_whose_promised_slot_was_taken_goes_back_to_the_queue(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recorded claimed, but every slot taken by the time it starts: it does not wait holding a
    lease nobody renews (another runner would take it over while it waits); it is handed back
    to the queue and claimed again when a slot frees."""
    admin = await register(client)
    headers = {"X-API-Key": await create_key(client, admin)}
    queue = app.state.runtime.job_queue
    start = queue.start_claimed
    taken = asyncio.Semaphore(0)

    def slots_gone(job: Job, token: str) -> None:
        queue.slots = taken
        start(job, token)

    monkeypatch.setattr(queue, "start_claimed", slots_gone)
    body = {"prompt": "a fern logo", "size": "64x64"}
    async with recorded(app.state.runtime) as statements:
        response = await client.post("/v1/generations", json=body, headers=headers)
        assert response.status_code == 202, response.text
        job_id = response.json()["id"]
        await _until(client, headers, job_id, "queued")  # released, waiting for a slot in the queue
        taken.release()  # a slot frees
        await _until(client, headers, job_id, "succeeded")
    assert len(_claims(statements)) == 1, statements  # claimed again by the runner that got the slot
