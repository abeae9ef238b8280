"""Every output file carries its generation parameters, so a file found on disk can be
traced to its job: a PNG iTXt chunk (inserted without re-encoding) or EXIF for JPEG/WebP."""

from __future__ import annotations

import io
import json
import struct
import zlib
from typing import Any

from PIL import Image

KEYWORD = b"atelier"
EXIF_DESCRIPTION = 0x010E


def _png_itxt(text: str) -> bytes:
    payload = KEYWORD + b"\x00\x00\x00\x00\x00" + text.encode("utf-8")
    chunk = b"iTXt" + payload
    return struct.pack(">I", len(payload)) + chunk + struct.pack(">I", zlib.crc32(chunk) & 0xFFFFFFFF)


def embed(data: bytes, fmt: str, meta: dict[str, Any]) -> bytes:
    text = json.dumps(meta, sort_keys=True, default=str)
    if fmt == "png" and data[:8] == b"\x89PNG\r\n\x1a\n":
        ihdr_end = 8 + 8 + struct.unpack(">I", data[8:12])[0] + 4
        return data[:ihdr_end] + _png_itxt(text) + data[ihdr_end:]
    image = Image.open(io.BytesIO(data))
    exif = image.getexif()
    exif[EXIF_DESCRIPTION] = text
    out = io.BytesIO()
    if fmt == "jpeg":
        image.save(out, "JPEG", quality=95, exif=exif.tobytes())
    else:
        image.save(out, "WEBP", quality=92, exif=exif.tobytes())
    return out.getvalue()


def read(data: bytes) -> dict[str, Any] | None:
    image = Image.open(io.BytesIO(data))
    text = image.info.get("atelier") if image.format == "PNG" else image.getexif().get(EXIF_DESCRIPTION)
    if not text:
        return None
    value: dict[str, Any] = json.loads(text)
    return value
