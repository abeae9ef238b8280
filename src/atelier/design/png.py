"""A PNG encoder for designs, about twice as fast as Pillow's at its fastest setting.

Designs are large areas of flat colour: the "Up" filter (each row minus the row above)
turns them into runs of zeros, and one numpy subtraction applies it to the whole image,
where Pillow's encoder tries every filter on every row. The bytes are a standard,
lossless 8-bit RGB or RGBA PNG (one IDAT chunk, zlib level 1). Pass RGBA as it comes
from the renderer: slicing the alpha channel off costs more than encoding it."""

from __future__ import annotations

import struct
import zlib

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_UP = 2


def _chunk(tag: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body) & 0xFFFFFFFF)


def encode_png(pixels: np.ndarray) -> bytes:
    """``pixels``: uint8 of shape (height, width, 3) for RGB or (height, width, 4) for RGBA."""
    height, width, channels = pixels.shape
    if channels not in (3, 4) or pixels.dtype != np.uint8:
        raise ValueError("encode_png takes uint8 RGB or RGBA pixels")
    rows = np.ascontiguousarray(pixels).reshape(height, width * channels)
    raw = np.empty((height, width * channels + 1), dtype=np.uint8)
    raw[:, 0] = _UP
    raw[0, 0] = 0  # the first row has no row above: no filter
    raw[0, 1:] = rows[0]
    np.subtract(rows[1:], rows[:-1], out=raw[1:, 1:])  # wraps modulo 256, as the filter says
    header = struct.pack(">IIBBBBB", width, height, 8, 2 if channels == 3 else 6, 0, 0, 0)
    body = zlib.compress(raw.data, 1)  # the buffer itself, no copy
    return SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")
