"""A provider's own Content Credentials are kept, never replaced or invented: an image the
provider signed arrives with its manifest, and the stored file's manifest holds it as the
parent ingredient (its ``c2pa.created`` stays the provider's claim; Atelier's manifest says it
opened the file, and converted it when another format was asked for)."""

from __future__ import annotations

import io
from pathlib import Path

import c2pa
import httpx
import pytest
from fastapi import FastAPI
from PIL import Image

from atelier.provenance.keys import generate_chain
from tests.helpers.accounts import create_key, register
from tests.provenance.c2pa_reading import FAKE_MODEL, generate, read_c2pa, route_to_fake
from tests.providers.conftest import Fake
from tests.providers.fakes import openai_fake

TRAINED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
PROVIDER = "FakeAI Images"


def provider_signed_png(width: int, height: int, color: tuple[int, int, int] = (20, 120, 200)) -> bytes:
    """A PNG as a provider that signs its outputs sends it (its own CA, its own claim)."""
    raw = io.BytesIO()
    Image.new("RGB", (width, height), color).save(raw, "PNG")
    chain, key, _ = generate_chain()
    definition = {
        "claim_generator_info": [{"name": PROVIDER, "version": "2.0"}],
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {"actions": [{"action": "c2pa.created", "digitalSourceType": TRAINED}]},
            }
        ],
    }
    context = c2pa.Context.from_dict({"builder": {"thumbnail": {"enabled": False}}})
    out = io.BytesIO()
    with context, c2pa.Signer.from_info(c2pa.C2paSignerInfo("es256", chain, key, None)) as signer:
        c2pa.Builder(definition, context).sign(signer, "image/png", io.BytesIO(raw.getvalue()), out)
    return out.getvalue()


@pytest.mark.parametrize(("fmt", "converted"), [("png", False), ("jpeg", True)])
async def test_a_providers_manifest_is_kept_as_the_parent_ingredient(
    client: httpx.AsyncClient,
    app: FastAPI,
    tmp_path: Path,
    openai_api: Fake,
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
    converted: bool,
) -> None:
    monkeypatch.setattr(openai_fake, "png", provider_signed_png)  # what the fake server answers with
    await route_to_fake(app, tmp_path, openai_api)
    headers = {"X-API-Key": await create_key(client, await register(client))}
    job, data = await generate(client, headers, fmt, model=FAKE_MODEL, size="1024x1024")

    read = read_c2pa(data, fmt)
    assert read.state == "Valid" and read.failures == ["signingCredential.untrusted"]
    assert read.active["claim_generator_info"][0]["name"] == "Atelier"
    names = [a["action"] for a in read.actions]
    assert names == (["c2pa.opened", "c2pa.converted"] if converted else ["c2pa.opened"])
    [ingredient] = read.active["ingredients"]
    assert ingredient["relationship"] == "parentOf" and ingredient["format"] == "image/png"
    upstream = read.store["manifests"][ingredient["active_manifest"]]
    assert upstream["claim_generator_info"][0]["name"] == PROVIDER
    created = next(a for a in upstream["assertions"] if a["label"].startswith("c2pa.actions"))["data"]["actions"][0]
    assert created == {"action": "c2pa.created", "digitalSourceType": TRAINED}

    report = (await client.get(f"/v1/assets/{job['assets'][0]['id']}/provenance", headers=headers)).json()
    [reported] = report["summary"]["ingredients"]
    assert reported["has_manifest"] is True and reported["relationship"] == "parentOf"
    assert reported["manifest"]["claim_generator"][0]["name"] == PROVIDER
    assert reported["manifest"]["validation_failures"] == ["signingCredential.untrusted"]
    assert report["synthid"] is False  # nothing said there was one


async def test_an_image_without_provider_credentials_gets_no_invented_ingredient(
    client: httpx.AsyncClient, app: FastAPI, tmp_path: Path, openai_api: Fake
) -> None:
    await route_to_fake(app, tmp_path, openai_api)
    headers = {"X-API-Key": await create_key(client, await register(client))}
    _, data = await generate(client, headers, "png", model=FAKE_MODEL, size="1024x1024")
    read = read_c2pa(data, "png")
    assert "ingredients" not in read.active or read.active["ingredients"] == []
    assert len(read.store["manifests"]) == 1
