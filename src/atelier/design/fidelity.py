"""Scores any raster against brand constraints: palette adherence (anti-aliased edge
pixels aside), safe-zone violations, size and format. Used in tests and in each job's audit."""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from PIL import Image

from atelier.design.colors import hex_to_rgb

PALETTE_TOLERANCE = 24.0  # Euclidean RGB distance that still counts as the same colour
FORMATS = {"PNG": "png", "JPEG": "jpeg", "WEBP": "webp"}


@dataclass
class FidelityReport:
    width: int
    height: int
    format: str
    size_ok: bool
    format_ok: bool
    palette_adherence: float | None
    safe_zone_violations: int | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _edge_mask(rgb: np.ndarray) -> np.ndarray:
    """Pixels that differ from a 4-neighbour: where anti-aliasing lives."""
    diff = np.zeros(rgb.shape[:2], dtype=bool)
    d = np.any(rgb[1:, :] != rgb[:-1, :], axis=2)
    diff[1:, :] |= d
    diff[:-1, :] |= d
    d = np.any(rgb[:, 1:] != rgb[:, :-1], axis=2)
    diff[:, 1:] |= d
    diff[:, :-1] |= d
    return diff


def score(
    data: bytes,
    *,
    width: int,
    height: int,
    fmt: str,
    palette_hex: list[str] | tuple[str, ...] = (),
    safe_zone_pct: float = 0.0,
    background_hex: str | None = None,
) -> FidelityReport:
    image = Image.open(io.BytesIO(data))
    actual_format = FORMATS.get(image.format or "", (image.format or "").lower())
    rgba = np.asarray(image.convert("RGBA"))
    rgb = rgba[:, :, :3].astype(np.int32)
    opaque = rgba[:, :, 3] > 0
    adherence: float | None = None
    if palette_hex:
        allowed = np.array([hex_to_rgb(c) for c in palette_hex], dtype=np.int32)
        dist = np.sqrt(((rgb[:, :, None, :] - allowed[None, None, :, :]) ** 2).sum(axis=3)).min(axis=2)
        counted = opaque & ~_edge_mask(rgb)
        total = int(counted.sum())
        adherence = float(((dist <= PALETTE_TOLERANCE) & counted).sum() / total) if total else 1.0
    violations: int | None = None
    if safe_zone_pct > 0:
        h, w = rgb.shape[:2]
        mx, my = int(w * safe_zone_pct / 100), int(h * safe_zone_pct / 100)
        margin = np.ones((h, w), dtype=bool)
        margin[my : h - my, mx : w - mx] = False
        if background_hex is None:
            ink = opaque
        else:
            bg = np.array(hex_to_rgb(background_hex), dtype=np.int32)
            ink = opaque & (np.sqrt(((rgb - bg) ** 2).sum(axis=2)) > PALETTE_TOLERANCE)
        violations = int((ink & margin).sum())
    return FidelityReport(
        width=image.width,
        height=image.height,
        format=actual_format,
        size_ok=(image.width, image.height) == (width, height),
        format_ok=actual_format == fmt,
        palette_adherence=adherence,
        safe_zone_violations=violations,
    )
