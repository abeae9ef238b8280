from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.responses import Response

from atelier.auth.dependencies import PUBLIC
from atelier.kit.deps import RuntimeDep
from atelier.storage.base import Storage
from atelier.storage.keys import check_media_type, refusal, safe_key
from atelier.storage.signing import media_type_for, verify

router = APIRouter(tags=["storage"])


@router.get("/files/{key:path}", summary="Serve a stored file through a signed, expiring URL", dependencies=[PUBLIC])
async def serve_file(
    key: str,
    runtime: RuntimeDep,
    exp: int = Query(..., description="Expiry, Unix seconds"),
    sig: str = Query(..., max_length=256, description="HMAC-SHA256 of key, expiry and content type"),
    ct: str | None = Query(None, max_length=140, description="Content type, when the key's extension does not say"),
) -> Response:
    safe_key(key)
    media_type = check_media_type(ct) if ct else media_type_for(key)
    problem = verify(runtime.secret, key, exp, sig, content_type=media_type)
    if problem:
        raise refusal(problem)
    storage: Storage = runtime.storage
    data = await storage.get(key)
    return Response(
        data,
        media_type=media_type,
        headers={"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff"},
    )
