"""The console's static files (its CSS and JS, and the vendored documentation bundles),
served from the installed package as a declared public route."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from atelier.auth.access import PUBLIC
from atelier.kit.errors import NotFound

STATIC_DIR = Path(__file__).parent / "static"
router = APIRouter(include_in_schema=False, dependencies=[PUBLIC])
_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml"}


def static_path(path: str) -> Path:
    """The file under ``static/`` that ``path`` names, never one outside it."""
    root = STATIC_DIR.resolve()
    candidate = (root / path).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        raise NotFound(f"No static file {path!r}")
    return candidate


@router.get("/static/{path:path}")
async def static_file(path: str) -> FileResponse:
    file = static_path(path)
    media = _TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    return FileResponse(file, media_type=media, headers={"Cache-Control": "public, max-age=3600"})
