"""Reading a file's C2PA manifest with the c2pa library's own Reader, independently of
Atelier's verify module, and routing a model name to the fake OpenAI server."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import c2pa
import httpx
from fastapi import FastAPI

from atelier.engines.assembly import build_router
from atelier.engines.config import load_routes_config
from atelier.engines.runner import RouterRunner
from tests.providers.conftest import Fake

FAKE_MODEL = "fake-image-model"
FAKE_DEPLOYMENT = "fake-openai/gpt-image-1"
ROUTES = """
providers:
  fake-openai:
    kind: openai_compatible
    api_key_env: FAKE_OPENAI_KEY
    base_url: {url}/v1
routes:
  {model}:
    - provider: fake-openai
      model: gpt-image-1
      prices: 0.01
"""


@dataclass
class Read:
    state: str
    failures: list[str]
    active: dict[str, Any]
    store: dict[str, Any]

    @property
    def actions(self) -> list[dict[str, Any]]:
        for assertion in self.active["assertions"]:
            if assertion["label"].startswith("c2pa.actions"):
                found: list[dict[str, Any]] = assertion["data"]["actions"]
                return found
        raise AssertionError("no actions assertion")

    def assertion(self, label: str) -> dict[str, Any]:
        data: dict[str, Any] = next(a["data"] for a in self.active["assertions"] if a["label"] == label)
        return data


def read_c2pa(data: bytes, fmt: str) -> Read:
    with c2pa.Reader(f"image/{fmt}", io.BytesIO(data)) as reader:
        state = reader.get_validation_state()
        results = reader.get_validation_results()["activeManifest"]
        return Read(
            state=state,
            failures=[f["code"] for f in results.get("failure", [])],
            active=reader.get_active_manifest(),
            store=json.loads(reader.json()),
        )


async def route_to_fake(app: FastAPI, tmp_path: Path, fake: Fake) -> None:
    """``FAKE_MODEL`` runs on the fake OpenAI server's gpt-image-1, over real HTTP."""
    path = tmp_path / "routes.yaml"
    path.write_text(ROUTES.format(url=fake.url, model=FAKE_MODEL))
    router = build_router(load_routes_config(path), env={"FAKE_OPENAI_KEY": fake.state.key})
    runtime = app.state.runtime
    runtime.services.router = router
    runtime.services.runner = RouterRunner(router)
    runtime.closers.append(router.aclose)


async def generate(
    client: httpx.AsyncClient, headers: dict[str, str], fmt: str, model: str | None = None, size: str = "512x512"
) -> tuple[dict[str, Any], bytes]:
    """One image made through the API (waiting for it), and the stored file's bytes."""
    body: dict[str, Any] = {"prompt": "poster for 'Tide' surf shop", "size": size, "format": fmt}
    if model:
        body["model"] = model
    response = await client.post("/v1/generations", json=body, headers={**headers, "Prefer": "wait=60"})
    assert response.status_code == 200, response.text
    job: dict[str, Any] = response.json()
    assert job["status"] == "succeeded", job
    image = await client.get(job["assets"][0]["url"])
    assert image.status_code == 200
    return job, image.content
