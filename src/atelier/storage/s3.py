"""S3-compatible object storage (AWS, R2, MinIO…) with presigned URLs. boto3 is
synchronous, so every call runs in a worker thread, off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any, Literal
from urllib.parse import unquote

import httpx

from atelier.kit.errors import NotFound, StorageError
from atelier.settings import StorageSettings
from atelier.storage.base import StoredObject
from atelier.storage.keys import check_media_type, refusal, safe_key

_MISSING = frozenset({"NoSuchKey", "404", "NotFound"})
# Settings validate the style as a plain string; botocore's Config wants the literal type.
AddressingStyle = Literal["auto", "virtual", "path"]
_ADDRESSING_STYLES: dict[str, AddressingStyle] = {"auto": "auto", "virtual": "virtual", "path": "path"}


def _client(settings: StorageSettings, endpoint_url: str | None) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=settings.s3_region,
        aws_access_key_id=settings.s3_access_key_id,
        aws_secret_access_key=settings.s3_secret_access_key,
        config=Config(
            retries={"max_attempts": 3, "mode": "standard"},
            signature_version="s3v4",
            s3={"addressing_style": _ADDRESSING_STYLES[settings.s3_addressing_style]},
            connect_timeout=5,
            read_timeout=30,
        ),
    )


class S3Storage:
    name = "s3"

    def __init__(self, settings: StorageSettings) -> None:
        self.settings = settings
        self.bucket = settings.s3_bucket
        self.client: Any = _client(settings, settings.s3_endpoint_url)
        # Presigned URLs must name a host clients can reach, which inside a private network
        # may differ from the one Atelier talks to.
        public = settings.s3_public_endpoint_url
        self.presigner: Any = _client(settings, public) if public else self.client
        self._prefix: str | None = None

    async def start(self) -> None:
        """Create the bucket when configured to and it is missing."""
        if not self.settings.s3_create_bucket:
            return
        existing = await self._call("list_buckets")
        if self.bucket in {b["Name"] for b in existing.get("Buckets", [])}:
            return
        params: dict[str, Any] = {"Bucket": self.bucket}
        if self.settings.s3_region != "us-east-1":
            params["CreateBucketConfiguration"] = {"LocationConstraint": self.settings.s3_region}
        await self._call("create_bucket", **params)

    async def _call(self, method: str, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return await asyncio.to_thread(getattr(self.client, method), **kwargs)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code in _MISSING and "Key" in kwargs:
                raise NotFound(f"No stored object {kwargs['Key']}") from exc
            raise StorageError(f"Object storage refused {method}: {code}") from exc
        except BotoCoreError as exc:
            raise StorageError(f"Object storage unreachable: {type(exc).__name__}") from exc

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        safe_key(key)
        await self._call("put_object", Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)

    async def get(self, key: str) -> bytes:
        safe_key(key)
        response = await self._call("get_object", Bucket=self.bucket, Key=key)
        body: bytes = await asyncio.to_thread(response["Body"].read)
        return body

    async def delete(self, key: str) -> None:
        safe_key(key)
        await self._call("delete_object", Bucket=self.bucket, Key=key)

    async def exists(self, key: str) -> bool:
        safe_key(key)
        try:
            await self._call("head_object", Bucket=self.bucket, Key=key)
        except NotFound:
            return False
        return True

    async def signed_url(self, key: str, *, expires_in: int, content_type: str | None = None) -> str:
        safe_key(key)
        params: dict[str, Any] = {"Bucket": self.bucket, "Key": key}
        if content_type:
            params["ResponseContentType"] = check_media_type(content_type)
        url: str = await asyncio.to_thread(
            self.presigner.generate_presigned_url, "get_object", Params=params, ExpiresIn=expires_in
        )
        return url

    async def _url_prefix(self) -> str:
        """What every presigned URL of this bucket starts with (path or virtual-host style,
        whichever the client chose), learnt from a URL presigned for a marker key."""
        if self._prefix is None:
            marker = "atelier-url-prefix-marker"
            url: str = await asyncio.to_thread(
                self.presigner.generate_presigned_url, "get_object", Params={"Bucket": self.bucket, "Key": marker}
            )
            self._prefix = url.split(marker, 1)[0]
        return self._prefix

    async def read_signed_url(self, url: str) -> tuple[bytes, str] | None:
        prefix = await self._url_prefix()
        if not url.startswith(prefix):
            return None
        # The signature is S3's to check: fetch the URL as given from the configured endpoint.
        try:
            async with httpx.AsyncClient(timeout=30, trust_env=False) as http:
                response = await http.get(url)
        except httpx.HTTPError as exc:
            raise StorageError(f"Object storage unreachable: {type(exc).__name__}") from exc
        if response.status_code in (401, 403):
            if b"expired" in response.content:
                raise refusal("link has expired")
            if b"SignatureDoesNotMatch" in response.content:
                raise refusal("signature does not match")
            # S3 answers 403 AccessDenied, not 404, for a missing key when the signer may not
            # list the bucket: ask with our own credentials whether the object is still there.
            if not await self.exists(unquote(url[len(prefix) :].split("?", 1)[0].split("#", 1)[0])):
                raise NotFound("No stored object at that URL")
            raise refusal("access denied")
        if response.status_code == 404:
            raise NotFound("No stored object at that URL")
        if response.status_code >= 400:
            raise StorageError(f"Object storage answered HTTP {response.status_code}")
        return response.content, response.headers.get("content-type", "application/octet-stream")

    async def list_objects(self) -> AsyncIterator[StoredObject]:
        """ListObjectsV2, a page (up to 1,000 keys) per call, with S3's LastModified."""
        params: dict[str, Any] = {"Bucket": self.bucket}
        while True:
            page = await self._call("list_objects_v2", **params)
            for item in page.get("Contents", []):
                yield StoredObject(str(item["Key"]), item["LastModified"])
            if not page.get("IsTruncated"):
                return
            params["ContinuationToken"] = page["NextContinuationToken"]

    async def health(self) -> str:
        await self._call("head_bucket", Bucket=self.bucket)
        return "healthy"
