"""Local storage: atomic writes, keys that cannot escape, and signed URLs served by Atelier
that are refused once expired or tampered with."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from fastapi import FastAPI

from atelier.kit.errors import BadRequest, NotFound, StorageError
from atelier.settings import Settings
from atelier.storage.local import LocalStorage
from atelier.storage.setup import fallback_base_url
from atelier.storage.signing import sign
from tests.conftest import S3_TEST
from tests.helpers.accounts import register

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def local(tmp_path: Path, secret: str = "s" * 48) -> LocalStorage:
    return LocalStorage(tmp_path / "store", secret=secret, public_url=None, fallback_url="http://127.0.0.1:8000")


async def test_put_get_exists_delete(tmp_path: Path) -> None:
    storage = local(tmp_path)
    await storage.put("proj/renders/a.png", PNG, "image/png")
    assert await storage.exists("proj/renders/a.png")
    assert await storage.get("proj/renders/a.png") == PNG
    await storage.put("proj/renders/a.png", b"replaced", "image/png")
    assert await storage.get("proj/renders/a.png") == b"replaced"
    await storage.delete("proj/renders/a.png")
    assert not await storage.exists("proj/renders/a.png")
    with pytest.raises(NotFound):
        await storage.get("proj/renders/a.png")
    await storage.delete("proj/renders/a.png")  # deleting what is gone is not an error
    with pytest.raises(NotFound):
        await storage.get("proj/renders")  # a folder is not an object


async def test_writes_leave_no_temporary_files(tmp_path: Path) -> None:
    storage = local(tmp_path)
    for index in range(5):
        await storage.put(f"p/renders/{index}.png", PNG, "image/png")
    names = sorted(p.name for p in (tmp_path / "store" / "p" / "renders").iterdir())
    assert names == [f"{i}.png" for i in range(5)]


async def test_a_failed_write_keeps_the_previous_object(tmp_path: Path) -> None:
    storage = local(tmp_path)
    await storage.put("p/a.png", PNG, "image/png")

    with pytest.raises(TypeError):
        await storage.put("p/a.png", object(), "image/png")  # type: ignore[arg-type]
    assert await storage.get("p/a.png") == PNG
    assert [p.name for p in (tmp_path / "store" / "p").iterdir()] == ["a.png"]


@pytest.mark.parametrize(
    "key",
    ["../escape.png", "p/../../escape.png", "/etc/passwd", "p//a.png", "p/./a.png", "", "p\\..\\a", "p/a\x00.png"],
)
async def test_keys_cannot_leave_the_folder(tmp_path: Path, key: str) -> None:
    storage = local(tmp_path)
    with pytest.raises(BadRequest):
        await storage.put(key, b"x", "text/plain")
    with pytest.raises(BadRequest):
        await storage.get(key)
    assert not (tmp_path / "escape.png").exists()


async def test_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    storage = local(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("private")
    (tmp_path / "store" / "link").symlink_to(outside)
    with pytest.raises(BadRequest):
        await storage.get("link/secret.txt")


async def test_signed_url_shape_and_base_url(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path, secret="k" * 48, public_url="https://img.example.com/", fallback_url="http://x:1")
    url = await storage.signed_url("p/renders/a b.png", expires_in=60)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "img.example.com", "/files/p/renders/a%20b.png")
    query = parse_qs(parts.query)
    assert "ct" not in query  # implied by the extension
    assert query["sig"][0] == sign("k" * 48, "p/renders/a b.png", int(query["exp"][0]), "image/png")
    assert "ct=image%2Fwebp" in await storage.signed_url("p/blob", expires_in=60, content_type="image/webp")
    with pytest.raises(BadRequest):
        await storage.signed_url("p/blob", expires_in=60, content_type="text/html\r\nX-Evil: 1")


def test_fallback_base_url_for_callers_without_a_request(settings: Settings) -> None:
    from atelier.kit.runtime import Runtime

    server = settings.server.model_copy(update={"host": "0.0.0.0", "port": 9123})
    runtime = Runtime.build(settings.model_copy(update={"server": server}))
    assert fallback_base_url(runtime) == "http://127.0.0.1:9123"


async def test_signed_url_served_with_its_content_type(client: httpx.AsyncClient, app: FastAPI) -> None:
    storage = app.state.runtime.storage
    if storage.name != "local":
        pytest.skip("the /files route serves local signed URLs")
    await storage.put("p/renders/x.png", PNG, "image/png")
    await storage.put("p/inputs/blob", b"RIFF....WEBP", "application/octet-stream")
    response = await client.get(await storage.signed_url("p/renders/x.png", expires_in=60))
    assert response.status_code == 200
    assert response.content == PNG
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    webp = await client.get(await storage.signed_url("p/inputs/blob", expires_in=60, content_type="image/webp"))
    assert webp.status_code == 200 and webp.headers["content-type"] == "image/webp"


async def test_expired_and_tampered_urls_are_refused(client: httpx.AsyncClient, app: FastAPI) -> None:
    storage = app.state.runtime.storage
    if storage.name != "local":
        pytest.skip("the /files route serves local signed URLs")
    await storage.put("p/renders/x.png", PNG, "image/png")
    await storage.put("p/renders/y.png", PNG, "image/png")
    good = await storage.signed_url("p/renders/x.png", expires_in=60, content_type="image/png")
    parts = urlsplit(good)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}

    def variant(path: str = parts.path, **changes: str) -> str:
        return f"{parts.scheme}://{parts.netloc}{path}?{urlencode({**query, **changes})}"

    tampered = [
        variant(sig=("0" if query["sig"][0] != "0" else "1") + query["sig"][1:]),
        variant(exp=str(int(query["exp"]) + 3600)),
        variant(path="/files/p/renders/y.png"),
        variant(ct="text/html"),
    ]
    for url in tampered:
        refused = await client.get(url)
        assert refused.status_code == 403, url
        assert refused.json()["error"]["code"] == "INVALID_SIGNATURE"
        assert "signature does not match" in refused.json()["error"]["message"]

    expired = await storage.signed_url("p/renders/x.png", expires_in=-1)
    refused = await client.get(expired)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "URL_EXPIRED"
    assert "expired" in refused.json()["error"]["message"]
    missing_sig = await client.get(f"/files/p/renders/x.png?exp={int(time.time()) + 60}")
    assert missing_sig.status_code == 422 and "sig" in missing_sig.text


async def test_storage_health_check(client: httpx.AsyncClient) -> None:
    report = (await client.get("/monitoring/health")).json()
    assert report["services"]["storage"]["status"] == "healthy"


async def test_read_signed_url_recognises_only_its_own_valid_urls(tmp_path: Path) -> None:
    from atelier.kit.errors import Forbidden

    storage = local(tmp_path)
    await storage.put("p/renders/x.png", PNG, "image/png")
    url = await storage.signed_url("p/renders/x.png", expires_in=60)
    assert await storage.read_signed_url(url) == (PNG, "image/png")
    assert await storage.read_signed_url("https://elsewhere.example/files/p/renders/x.png?exp=1&sig=0") is None
    with pytest.raises(Forbidden) as forged:
        await storage.read_signed_url(url.replace("sig=", "sig=0"))
    assert forged.value.code == "INVALID_SIGNATURE"
    with pytest.raises(Forbidden) as expired:
        await storage.read_signed_url(await storage.signed_url("p/renders/x.png", expires_in=-1))
    assert expired.value.code == "URL_EXPIRED"
    with pytest.raises(Forbidden):
        await storage.read_signed_url("http://127.0.0.1:8000/files/p/renders/x.png")


async def test_a_disk_that_refuses_the_write_is_a_storage_error(tmp_path: Path) -> None:
    storage = local(tmp_path)
    (tmp_path / "store").mkdir(exist_ok=True)
    (tmp_path / "store" / "p").write_text("a file where the project's folder should be")
    with pytest.raises(StorageError, match=r"could not write p/a\.png"):
        await storage.put("p/a.png", PNG, "image/png")


def block_folder(root: Path, name: str) -> None:
    """A file where the folder ``name`` should be: every write under it fails (even as root)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / name).write_text("a file where the project's folder should be")


async def test_a_job_whose_images_cannot_be_written_fails_with_storage_error(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    if S3_TEST:
        pytest.skip("this run stores in S3; the S3 refusals are tested in tests/jobs/test_storage_failure.py")
    account = await register(client)
    project = (await client.post("/v1/projects", json={"name": "blocked"}, headers=account.jwt_headers)).json()
    block_folder(app.state.runtime.storage.root, project["id"])
    job = await client.post(
        "/v1/generations",
        json={"prompt": "a fern logo", "size": "64x64", "project": project["id"]},
        headers={**account.jwt_headers, "Prefer": "wait=60"},
    )
    assert job.status_code == 200, job.text
    assert job.json()["status"] == "failed" and job.json()["error"]["code"] == "STORAGE_ERROR", job.json()["error"]
    assert job.json()["assets"] == []
