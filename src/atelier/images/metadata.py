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
    """``data`` with ``meta`` added and its pixels untouched: the encoded image is never
    decoded and encoded again (a second lossy pass would blur a design's brand colours)."""
    text = json.dumps(meta, sort_keys=True, default=str)
    if fmt == "png" and data[:8] == b"\x89PNG\r\n\x1a\n":
        ihdr_end = 8 + 8 + struct.unpack(">I", data[8:12])[0] + 4
        return data[:ihdr_end] + _png_itxt(text) + data[ihdr_end:]
    exif = Image.Exif()
    exif[EXIF_DESCRIPTION] = text
    payload = exif.tobytes()  # b"Exif\0\0" + TIFF
    if fmt == "jpeg" and data[:2] == b"\xff\xd8":
        if len(payload) + 2 > 0xFFFF:  # one APP1 segment holds 64 KiB: keep what traces the job
            return embed(data, fmt, {k: v for k, v in meta.items() if k != "prompt"})
        return data[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + data[2:]
    if fmt == "webp" and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp_with_exif(data, payload[6:])
    raise ValueError(f"cannot embed metadata in {fmt!r} data")


def _riff_chunk(tag: bytes, body: bytes) -> bytes:
    return tag + struct.pack("<I", len(body)) + body + (b"\x00" if len(body) % 2 else b"")


def _webp_with_exif(data: bytes, tiff: bytes) -> bytes:
    """A WebP file with an EXIF chunk: a simple file (one VP8/VP8L chunk) gains the VP8X
    header that announces it; an extended one has its EXIF flag set."""
    chunks: list[tuple[bytes, bytes]] = []
    at = 12
    while at + 8 <= len(data):
        tag, size = data[at : at + 4], struct.unpack("<I", data[at + 4 : at + 8])[0]
        chunks.append((tag, data[at + 8 : at + 8 + size]))
        at += 8 + size + (size % 2)
    chunks = [(tag, body) for tag, body in chunks if tag != b"EXIF"]
    if chunks and chunks[0][0] == b"VP8X":
        header = bytearray(chunks[0][1])
        header[0] |= 0x08
        chunks[0] = (b"VP8X", bytes(header))
    else:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            alpha = 0x10 if image.mode in {"RGBA", "LA"} else 0
        canvas = struct.pack("<I", width - 1)[:3] + struct.pack("<I", height - 1)[:3]
        chunks.insert(0, (b"VP8X", bytes([0x08 | alpha, 0, 0, 0]) + canvas))
    body = b"WEBP" + b"".join(_riff_chunk(tag, chunk) for tag, chunk in [*chunks, (b"EXIF", tiff)])
    return b"RIFF" + struct.pack("<I", len(body)) + body


def read(data: bytes) -> dict[str, Any] | None:
    image = Image.open(io.BytesIO(data))
    text = image.info.get("atelier") if image.format == "PNG" else image.getexif().get(EXIF_DESCRIPTION)
    if not text:
        return None
    value: dict[str, Any] = json.loads(text)
    return value
