"""S3 storage against a real S3-protocol server (moto in server mode): objects, presigned
URLs fetched over HTTP, bucket creation and health."""

from __future__ import annotations

import httpx
import pytest

from atelier.kit.errors import BadRequest, NotFound, StorageError
from atelier.settings import StorageSettings
from atelier.storage.s3 import S3Storage
from tests.helpers.s3 import S3Server
from tests.helpers.signed_urls import tamper


async def started(s3_server: S3Server, **extra: object) -> S3Storage:
    storage = S3Storage(StorageSettings(**s3_server.storage_settings(**extra)))  # type: ignore[arg-type]
    await storage.start()
    return storage


async def test_put_get_exists_delete(s3_server: S3Server) -> None:
    storage = await started(s3_server)
    assert not await storage.exists("p/renders/a.png")
    await storage.put("p/renders/a.png", b"\x89PNG data", "image/png")
    assert await storage.exists("p/renders/a.png")
    assert await storage.get("p/renders/a.png") == b"\x89PNG data"
    await storage.delete("p/renders/a.png")
    assert not await storage.exists("p/renders/a.png")
    with pytest.raises(NotFound):
        await storage.get("p/renders/a.png")
    with pytest.raises(BadRequest):
        await storage.put("../a.png", b"x", "image/png")


async def test_presigned_url_serves_the_object_and_is_refused_when_tampered_or_expired(s3_server: S3Server) -> None:
    storage = await started(s3_server)
    await storage.put("p/inputs/blob", b"RIFF0000WEBPVP8 ", "application/octet-stream")
    url = await storage.signed_url("p/inputs/blob", expires_in=300, content_type="image/webp")
    async with httpx.AsyncClient() as http:
        response = await http.get(url)
        assert response.status_code == 200
        assert response.content == b"RIFF0000WEBPVP8 "
        assert response.headers["content-type"] == "image/webp"
        assert "X-Amz-Expires=300" in url
        assert "response-content-type=image%2Fwebp" in url
        tampered = await http.get(url.replace("image%2Fwebp", "text%2Fhtml"))
        assert tampered.status_code == 403 and b"SignatureDoesNotMatch" in tampered.content
        other_key = await http.get(url.replace("p/inputs/blob", "p/inputs/other"))
        assert other_key.status_code == 403 and b"SignatureDoesNotMatch" in other_key.content
        expired = await http.get(await storage.signed_url("p/inputs/blob", expires_in=-60))
        assert expired.status_code == 403 and b"expired" in expired.content


async def test_public_endpoint_names_the_host_in_presigned_urls(s3_server: S3Server) -> None:
    public = s3_server.endpoint.replace("127.0.0.1", "localhost")
    storage = await started(s3_server, s3_public_endpoint_url=public)
    await storage.put("p/a.txt", b"hello", "text/plain")
    url = await storage.signed_url("p/a.txt", expires_in=60)
    assert url.startswith(public)
    async with httpx.AsyncClient() as http:
        assert (await http.get(url)).content == b"hello"


async def test_bucket_created_once_and_health(s3_server: S3Server) -> None:
    storage = await started(s3_server)
    await storage.start()  # an existing bucket is left alone
    assert await storage.health() == "healthy"
    missing = S3Storage(StorageSettings(**s3_server.storage_settings(s3_create_bucket=False)))  # type: ignore[arg-type]
    with pytest.raises(StorageError):
        await missing.health()
    with pytest.raises(StorageError):
        await missing.put("p/a.txt", b"x", "text/plain")


async def test_unreachable_endpoint_is_a_storage_error() -> None:
    from tests.helpers.live import free_port

    settings = StorageSettings(  # type: ignore[call-arg]
        backend="s3", s3_endpoint_url=f"http://127.0.0.1:{free_port()}", s3_access_key_id="a", s3_secret_access_key="b"
    )
    with pytest.raises(StorageError):
        await S3Storage(settings).get("p/a.txt")


async def test_the_app_runs_on_s3(s3_server: S3Server, settings: object) -> None:
    from fastapi import FastAPI

    from atelier.app import create_app
    from atelier.settings import Settings

    assert isinstance(settings, Settings)
    configured = settings.model_copy(update={"storage": StorageSettings(**s3_server.storage_settings())})  # type: ignore[arg-type]
    app: FastAPI = create_app(configured)
    async with app.router.lifespan_context(app):
        runtime = app.state.runtime
        assert runtime.storage.name == "s3"
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            report = (await client.get("/monitoring/health")).json()
        assert report["services"]["storage"]["status"] == "healthy"


async def test_read_signed_url_lets_s3_judge_its_own_urls(s3_server: S3Server) -> None:
    from atelier.kit.errors import Forbidden

    storage = await started(s3_server)
    await storage.put("p/renders/x.png", b"png bytes", "image/png")
    url = await storage.signed_url("p/renders/x.png", expires_in=60, content_type="image/png")
    assert await storage.read_signed_url(url) == (b"png bytes", "image/png")
    assert await storage.read_signed_url("https://elsewhere.example/p/renders/x.png") is None
    with pytest.raises(Forbidden) as forged:
        await storage.read_signed_url(url.replace("p/renders/x.png", "p/renders/y.png"))
    assert forged.value.code == "INVALID_SIGNATURE"
    with pytest.raises(Forbidden) as expired:
        await storage.read_signed_url(await storage.signed_url("p/renders/x.png", expires_in=-5))
    assert expired.value.code == "URL_EXPIRED"


async def test_read_signed_url_of_a_deleted_object_is_not_found(s3_server: S3Server) -> None:
    """S3 refuses a validly signed URL of a missing key with 403 AccessDenied (the signer may not
    list the bucket); Atelier answers 404 as for local files, and still 403 for forged links."""
    from atelier.kit.errors import Forbidden

    storage = await started(s3_server)
    await storage.put("p/renders/x.png", b"png bytes", "image/png")
    url = await storage.signed_url("p/renders/x.png", expires_in=60, content_type="image/png")
    stale = await storage.signed_url("p/renders/x.png", expires_in=-5, content_type="image/png")
    await storage.delete("p/renders/x.png")
    async with httpx.AsyncClient() as http:
        answer = await http.get(url)
    assert answer.status_code == 403 and b"AccessDenied" in answer.content
    with pytest.raises(NotFound):
        await storage.read_signed_url(url)
    with pytest.raises(Forbidden) as forged:
        await storage.read_signed_url(tamper(url))
    assert forged.value.code == "INVALID_SIGNATURE"
    with pytest.raises(Forbidden) as expired:
        await storage.read_signed_url(stale)
    assert expired.value.code == "URL_EXPIRED"
