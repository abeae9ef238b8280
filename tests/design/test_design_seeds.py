"""Seeds like a model's: without one each request draws its own, the job reports it, and
passing it back gives the same bytes."""

from __future__ import annotations

from typing import Any

import httpx

from atelier.engines.base import CancelToken, GenerationRequest, GenerationResult
from atelier.engines.design_engine import DesignEngine
from tests.helpers.accounts import create_key, register

PROMPT = "poster for Riverside Jazz Night, Saturday 8pm, book now"


async def _generate(seed: int | None, n: int = 2) -> GenerationResult:
    async def progress(fraction: float, stage: str | None) -> None:
        return None

    request = GenerationRequest(prompt=PROMPT, width=256, height=320, n=n, seed=seed)
    return await DesignEngine().generate(request, progress, CancelToken())


def _seeds(result: GenerationResult) -> set[int]:
    return {int((image.spec or {})["inputs"]["seed"]) for image in result.images}


async def test_each_request_without_a_seed_draws_a_new_one_and_reports_it() -> None:
    first, second = await _generate(None), await _generate(None)
    (a,), (b,) = _seeds(first), _seeds(second)
    assert a != b
    assert first.usage == {"seed": a} and second.usage == {"seed": b}


async def test_the_reported_seed_passed_back_reproduces_the_same_bytes() -> None:
    drawn = await _generate(None)
    (seed,) = _seeds(drawn)
    again = await _generate(seed)
    assert [image.data for image in again.images] == [image.data for image in drawn.images]
    assert _seeds(again) == {seed} and again.usage == {"seed": seed}


async def _asset(client: httpx.AsyncClient, headers: dict[str, str], seed: int | None) -> dict[str, Any]:
    body: dict[str, Any] = {"prompt": PROMPT, "size": "256x256"}
    if seed is not None:
        body["seed"] = seed
    job = (await client.post("/v1/generations", json=body, headers={**headers, "Prefer": "wait=60"})).json()
    assert job["status"] == "succeeded", job
    asset: dict[str, Any] = (await client.get(f"/v1/assets/{job['assets'][0]['id']}", headers=headers)).json()
    return asset


async def test_a_job_reports_the_seed_it_drew_on_its_asset(client: httpx.AsyncClient) -> None:
    headers = {"X-API-Key": await create_key(client, await register(client))}
    first, second = await _asset(client, headers, None), await _asset(client, headers, None)
    seed = first["spec"]["inputs"]["seed"]
    assert seed != second["spec"]["inputs"]["seed"]
    again = await _asset(client, headers, seed)
    assert again["spec"] == first["spec"]
    svgs = [(await client.get(f"/v1/assets/{a['id']}/svg", headers=headers)).text for a in (first, again)]
    assert svgs[0] == svgs[1] and svgs[0].startswith("<svg")
