"""A design-engine asset keeps its spec: served as SVG, drawn again at another size or
format, and drawn from an edited copy; bad edits are named 4xx errors."""

from __future__ import annotations

import copy
import io

import httpx
from fastapi import FastAPI
from PIL import Image

from tests.helpers.accounts import create_key, register
from tests.helpers.engines import SlowEngine


async def _design_asset(client: httpx.AsyncClient) -> tuple[dict[str, str], dict[str, object]]:
    headers = {"X-API-Key": await create_key(client, await register(client))}
    body = {"prompt": "minimalist logo for 'Kite Co' kites", "size": "256x256", "seed": 4}
    job = (await client.post("/v1/generations", json=body, headers={**headers, "Prefer": "wait=60"})).json()
    assert job["status"] == "succeeded", job
    asset = (await client.get(f"/v1/assets/{job['assets'][0]['id']}", headers=headers)).json()
    return headers, asset


async def test_svg_and_redraw_at_another_size_and_format(client: httpx.AsyncClient) -> None:
    headers, asset = await _design_asset(client)
    svg = await client.get(f"/v1/assets/{asset['id']}/svg", headers=headers)
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.startswith("<svg") and "Kite Co" in svg.text

    bigger = await client.post(
        f"/v1/assets/{asset['id']}/render", json={"width": 512, "height": 512, "format": "webp"}, headers=headers
    )
    assert bigger.status_code == 200 and bigger.headers["content-type"] == "image/webp"
    image = Image.open(io.BytesIO(bigger.content))
    assert image.size == (512, 512) and image.format == "WEBP"

    wide = await client.post(f"/v1/assets/{asset['id']}/render", json={"width": 600, "height": 200}, headers=headers)
    assert Image.open(io.BytesIO(wide.content)).size == (600, 200)


async def test_an_edited_spec_is_drawn_and_a_broken_one_named(client: httpx.AsyncClient) -> None:
    headers, asset = await _design_asset(client)
    spec = copy.deepcopy(asset["spec"])
    assert isinstance(spec, dict)
    texts = [layer for layer in spec["layers"] if layer["type"] == "text"]
    texts[0]["text"] = "Kite & Co"
    spec["canvas"]["background"] = "#000000"
    edited = await client.post(f"/v1/assets/{asset['id']}/render", json={"spec": spec}, headers=headers)
    assert edited.status_code == 200
    image = Image.open(io.BytesIO(edited.content)).convert("RGB")
    assert image.getpixel((0, 0)) == (0, 0, 0)

    spec["layers"][0]["fill"] = "red; onload=alert(1)"
    bad = await client.post(f"/v1/assets/{asset['id']}/render", json={"spec": spec}, headers=headers)
    assert bad.status_code == 422 and "spec.layers[0]" in bad.json()["error"]["message"]
    spec["layers"] = "nope"
    bad = await client.post(f"/v1/assets/{asset['id']}/render", json={"spec": spec}, headers=headers)
    assert bad.status_code == 422 and "spec.layers" in bad.json()["error"]["message"]
    too_big = await client.post(f"/v1/assets/{asset['id']}/render", json={"width": 5000}, headers=headers)
    assert too_big.status_code == 422

    # the stored asset is unchanged by any of it
    again = (await client.get(f"/v1/assets/{asset['id']}", headers=headers)).json()
    assert again["spec"] == asset["spec"]


async def test_other_engines_assets_have_no_spec_and_others_see_nothing(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    app.state.runtime.router.register(SlowEngine("fast", steps=1, delay=0), models=["fast"])
    headers = {"X-API-Key": await create_key(client, await register(client))}
    job = (
        await client.post(
            "/v1/generations",
            json={"prompt": "tile", "model": "fast", "size": "64x64"},
            headers={**headers, "Prefer": "wait=30"},
        )
    ).json()
    asset_id = job["assets"][0]["id"]
    refused = await client.get(f"/v1/assets/{asset_id}/svg", headers=headers)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "NO_DESIGN_SPEC"

    _, theirs = await _design_asset(client)
    assert (await client.get(f"/v1/assets/{theirs['id']}/svg", headers=headers)).status_code == 404
