"""Turning what providers send back (base64, data URLs, downloaded files) into
:class:`GeneratedImage` in the format the client asked for, and the reverse for references."""

from __future__ import annotations

import asyncio
import base64
import binascii
import io
import math
from fractions import Fraction

from PIL import Image, UnidentifiedImageError

from atelier.engines.base import GeneratedImage, OutputFormat
from atelier.kit.errors import RetriableEngineError

_PIL_FORMATS = {OutputFormat.PNG: "PNG", OutputFormat.JPEG: "JPEG", OutputFormat.WEBP: "WEBP"}
_MIME = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}


def b64decode(payload: str, provider: str) -> bytes:
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise RetriableEngineError(f"{provider}: image payload is not valid base64") from exc


def from_data_url(url: str, provider: str) -> bytes:
    header, _, payload = url.partition(",")
    if not header.startswith("data:") or ";base64" not in header:
        raise RetriableEngineError(f"{provider}: image is not a base64 data URL")
    return b64decode(payload, provider)


def mime_type(data: bytes) -> str:
    try:
        with Image.open(io.BytesIO(data)) as image:
            return _MIME.get(image.format or "", "image/png")
    except (UnidentifiedImageError, OSError):
        return "application/octet-stream"


def to_data_url(data: bytes) -> str:
    return f"data:{mime_type(data)};base64,{base64.b64encode(data).decode()}"


def _fitted(image: Image.Image, width: int, height: int) -> Image.Image:
    """Center-crop to the requested aspect ratio, then scale to the requested size."""
    src_w, src_h = image.size
    target = width / height
    if src_w / src_h > target:
        crop_w = round(src_h * target)
        left = (src_w - crop_w) // 2
        image = image.crop((left, 0, left + crop_w, src_h))
    elif src_w / src_h < target:
        crop_h = round(src_w / target)
        top = (src_h - crop_h) // 2
        image = image.crop((0, top, src_w, top + crop_h))
    return image.resize((width, height), Image.Resampling.LANCZOS)


def _convert(
    data: bytes, want: OutputFormat, provider: str, fit: tuple[int, int] | None = None
) -> tuple[bytes, int, int, Image.Image | None]:
    """The image in the format and size wanted, its size, and its decoded pixels when ``data``
    is kept as it came (later readers then need not decode it again)."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
        width, height = image.size
        resize = fit is not None and fit != (width, height)
        if image.format == _PIL_FORMATS[want] and not resize:
            return data, width, height, image
        converted: Image.Image = _fitted(image, *fit) if fit is not None and resize else image
        width, height = converted.size
        if want is OutputFormat.JPEG and converted.mode not in ("RGB", "L"):
            converted = converted.convert("RGB")
        elif converted.mode not in ("RGB", "RGBA", "L", "LA"):
            converted = converted.convert("RGBA")
        out = io.BytesIO()
        converted.save(out, _PIL_FORMATS[want])
        return out.getvalue(), width, height, None
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise RetriableEngineError(f"{provider}: returned an image that does not decode") from exc


async def to_generated(
    data: bytes,
    want: OutputFormat,
    provider: str,
    *,
    synthid: bool = False,
    revised_prompt: str | None = None,
    fit: tuple[int, int] | None = None,
) -> GeneratedImage:
    """Decoded, converted to the requested format and, for providers that only take an aspect
    ratio, fitted to the requested size (``fit``)."""
    encoded, width, height, opened = await asyncio.to_thread(_convert, data, want, provider, fit)
    # a re-encode drops the provider's C2PA store: its file stays at hand for provenance
    source = data if encoded is not data and b"c2pa" in data else None
    image = GeneratedImage(encoded, width, height, want, revised_prompt=revised_prompt, synthid=synthid, source=source)
    image.keep_opened(opened)
    return image


def nearest_aspect_ratio(width: int, height: int, allowed: tuple[str, ...]) -> str:
    """The allowed ``"w:h"`` ratio closest to the requested size (compared in log space)."""
    target = math.log(width / height)

    def distance(ratio: str) -> float:
        w, h = ratio.split(":")
        return abs(math.log(Fraction(int(w), int(h))) - target)

    return min(allowed, key=distance)


def as_png(data: bytes) -> bytes:
    """References re-encoded as PNG, for endpoints that accept nothing else (DALL·E 2)."""
    with Image.open(io.BytesIO(data)) as image:
        if image.format == "PNG":
            return data
        out = io.BytesIO()
        image.convert("RGBA").save(out, "PNG")
        return out.getvalue()
