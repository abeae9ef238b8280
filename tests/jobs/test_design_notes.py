"""Brand constraints reach the design engine through the native API, and what could not be
honoured exactly is said on the job."""

from __future__ import annotations

import httpx

from atelier.design.fidelity import score
from tests.helpers.accounts import create_key, register


async def test_missing_font_is_named_and_palette_holds(client: httpx.AsyncClient) -> None:
    headers = {"X-API-Key": await create_key(client, await register(client))}
    body = {
        "prompt": "logo for 'Glass' studio",
        "size": "256x256",
        "constraints": {"palette_hex": ["#0B3D2E", "#F2E8CF"], "fonts": ["Helvetica"], "logo_safe_zone_pct": 20},
    }
    job = (await client.post("/v1/generations", json=body, headers={**headers, "Prefer": "wait=60"})).json()
    assert job["status"] == "succeeded", job
    assert any("Helvetica" in note for note in job["notes"]), job["notes"]
    image = await client.get(job["assets"][0]["url"])
    report = score(
        image.content,
        width=256,
        height=256,
        fmt="png",
        palette_hex=["#0B3D2E", "#F2E8CF"],
        safe_zone_pct=20,
        background_hex="#F2E8CF",
    )
    assert report.palette_adherence is not None and report.palette_adherence >= 0.99
    assert report.safe_zone_violations == 0
