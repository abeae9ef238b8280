"""Every stored image carries a signed C2PA manifest, read back here with c2pa's own Reader:
valid (its signature and hashes hold; the generated local signer is reported untrusted, and
that is the only failure), Atelier as claim generator, and a ``c2pa.created`` action whose
IPTC digital source type is true for the engine that ran — for each format the engines
output, for the built-in design engine and for an AI model behind a fake OpenAI server."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from PIL import Image

from atelier import __version__
from atelier.images.metadata import read as read_metadata
from tests.helpers.accounts import create_key, register
from tests.provenance.c2pa_reading import FAKE_DEPLOYMENT, FAKE_MODEL, generate, read_c2pa, route_to_fake
from tests.providers.conftest import Fake

ALGORITHMIC = "http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia"
TRAINED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
FORMATS = ["png", "jpeg", "webp"]


async def key_headers(client: httpx.AsyncClient) -> dict[str, str]:
    return {"X-API-Key": await create_key(client, await register(client))}


def check_signed(data: bytes, fmt: str, job: dict[str, object], source_type: str, engine: str) -> dict[str, object]:
    assert Image.open(io.BytesIO(data)).format == {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}[fmt]
    read = read_c2pa(data, fmt)
    assert read.state == "Valid"
    assert read.failures == ["signingCredential.untrusted"]
    generator = read.active["claim_generator_info"][0]
    assert generator["name"] == "Atelier" and generator["version"] == __version__
    [action] = read.actions
    assert action["action"] == "c2pa.created"
    assert action["digitalSourceType"] == source_type
    assert action["softwareAgent"]["name"] == "Atelier"
    assert action["parameters"]["engine"] == engine and action["parameters"]["deployment"] == job["engine"]
    generation = read.assertion("ai.atelier.generation")
    assert generation["job_id"] == job["id"] and generation["synthid"] is False
    # the metadata embedded before signing is still there, under the signature
    meta = read_metadata(data)
    assert meta is not None and meta["job_id"] == job["id"]
    return action["parameters"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("fmt", FORMATS)
async def test_a_design_engine_image_is_signed_as_algorithmic_media(client: httpx.AsyncClient, fmt: str) -> None:
    job, data = await generate(client, await key_headers(client), fmt)
    params = check_signed(data, fmt, job, ALGORITHMIC, "atelier-design")
    assert params["model"] == "atelier-design"


@pytest.mark.parametrize("fmt", FORMATS)
async def test_an_ai_model_image_is_signed_as_trained_algorithmic_media(
    client: httpx.AsyncClient, app: FastAPI, tmp_path: Path, openai_api: Fake, fmt: str
) -> None:
    await route_to_fake(app, tmp_path, openai_api)
    job, data = await generate(client, await key_headers(client), fmt, model=FAKE_MODEL, size="1024x1024")
    assert job["engine"] == FAKE_DEPLOYMENT and openai_api.state.calls("/images/generations")
    params = check_signed(data, fmt, job, TRAINED, FAKE_DEPLOYMENT)
    assert params["model"] == "gpt-image-1"
    generation = read_c2pa(data, fmt).assertion("ai.atelier.generation")
    assert generation["requested_model"] == FAKE_MODEL


async def test_a_tampered_file_no_longer_validates(client: httpx.AsyncClient) -> None:
    _, data = await generate(client, await key_headers(client), "png")
    body = bytearray(data)
    body[body.rindex(b"IDAT") + 8] ^= 0xFF  # one byte of the image data changed, the manifest kept
    read = read_c2pa(bytes(body), "png")
    assert read.state == "Invalid"
    assert "assertion.dataHash.mismatch" in read.failures
