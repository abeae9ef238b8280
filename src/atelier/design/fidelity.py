"""Scores any raster against brand constraints: palette adherence, safe-zone violations, size
and format. Used in tests and in each job's audit, for every engine's output, so nothing here
may assume the image came from the design engine.

Palette adherence leaves out only pixels that plausibly blend two allowed colours (anti-aliasing:
the colour lies between them and both are close by), never every edge: on a photo or on noise
almost every pixel differs from its neighbours, and excluding those used to leave nothing to
judge. When too few pixels could be judged the value is ``None`` with a note, never a default.

The safe zone needs a background to tell ink from empty margin: the spec's when the engine
said it, else full transparency, else the dominant colour of the border."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from PIL import Image

from atelier.design.colors import hex_to_rgb, rgb_to_hex

PALETTE_TOLERANCE = 24.0  # Euclidean RGB distance that still counts as the same colour
BLEND_RADIUS = 2  # how far (pixels) the two colours of an anti-aliased pixel may be
MIN_JUDGED_SHARE = 0.05  # of the opaque pixels, below which adherence is not measurable
MIN_JUDGED_PIXELS = 16
BORDER_BIN = 16  # RGB quantisation step when looking for the dominant border colour
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
    #: how many pixels the adherence was judged on (anti-aliased blends and transparency aside)
    palette_pixels_judged: int | None = None
    #: the background the safe zone was measured against and where it came from
    background: str | None = None
    background_source: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _distance(rgb: np.ndarray, colour: np.ndarray) -> np.ndarray:
    distance: np.ndarray = np.sqrt(((rgb - colour) ** 2).sum(axis=2))
    return distance


def _dilate(mask: np.ndarray, radius: int) -> np.ndarray:
    """``mask`` grown by ``radius`` pixels in every direction (a square window)."""
    h, w = mask.shape
    padded = np.pad(mask, radius)
    out = np.zeros_like(mask)
    for dy in range(2 * radius + 1):
        for dx in range(2 * radius + 1):
            out |= padded[dy : dy + h, dx : dx + w]
    return out


def _blend_mask(rgb: np.ndarray, allowed: np.ndarray, near: list[np.ndarray], candidates: np.ndarray) -> np.ndarray:
    """Those ``candidates`` between two allowed colours (within tolerance of the segment joining
    them) with both colours within :data:`BLEND_RADIUS`: the anti-aliased seams of a design."""
    blend = np.zeros(rgb.shape[:2], dtype=bool)
    around = [_dilate(m, BLEND_RADIUS) for m in near]
    for i in range(len(allowed)):
        for j in range(i + 1, len(allowed)):
            where = np.nonzero(candidates & around[i] & around[j] & ~blend)
            if not len(where[0]):
                continue
            a, ab = allowed[i], allowed[j] - allowed[i]
            pixels = rgb[where]
            t = np.clip(((pixels - a) @ ab) / float(ab @ ab or 1.0), 0.0, 1.0)
            off_segment = np.sqrt(((pixels - (a + t[:, None] * ab)) ** 2).sum(axis=1))
            blend[where] = off_segment <= PALETTE_TOLERANCE
    return blend


def palette_adherence(rgba: np.ndarray, palette_hex: list[str] | tuple[str, ...]) -> tuple[float | None, int]:
    """Share of judged pixels within tolerance of an allowed colour, and how many were judged.
    Partly transparent pixels blend with what is behind them and are not judged."""
    rgb = rgba[:, :, :3].astype(np.float32)
    opaque = rgba[:, :, 3] == 255
    allowed = np.array([hex_to_rgb(c) for c in palette_hex], dtype=np.float32)
    near = [_distance(rgb, colour) <= PALETTE_TOLERANCE for colour in allowed]
    on_palette = np.logical_or.reduce(near)
    judged = opaque & ~_blend_mask(rgb, allowed, near, opaque & ~on_palette)
    total = int(judged.sum())
    if total < max(MIN_JUDGED_PIXELS, MIN_JUDGED_SHARE * int(opaque.sum())):
        return None, total
    return float((on_palette & judged).sum() / total), total


def estimate_background(rgba: np.ndarray) -> tuple[tuple[int, int, int] | None, float]:
    """The dominant colour of the outermost pixel ring (``None`` when it is mostly transparent)
    and the share of the ring it covers."""
    ring = np.concatenate([rgba[0, :], rgba[-1, :], rgba[1:-1, 0], rgba[1:-1, -1]])
    clear = ring[:, 3] == 0
    if clear.mean() >= 0.5:
        return None, float(clear.mean())
    solid = ring[~clear][:, :3].astype(np.int64)
    bins = solid // BORDER_BIN
    keys = (bins[:, 0] * 256 + bins[:, 1]) * 256 + bins[:, 2]
    values, counts = np.unique(keys, return_counts=True)
    members = solid[keys == values[counts.argmax()]]
    mean = members.mean(axis=0).round().astype(int)
    return (int(mean[0]), int(mean[1]), int(mean[2])), float(len(members) / len(ring))


def safe_zone_violations(
    rgba: np.ndarray, safe_zone_pct: float, background_hex: str | None, transparent: bool
) -> tuple[int, str | None, str]:
    """Ink pixels inside the margin, with the background used and where it came from."""
    rgb = rgba[:, :, :3].astype(np.float32)
    opaque = rgba[:, :, 3] > 0
    h, w = rgb.shape[:2]
    mx, my = int(w * safe_zone_pct / 100), int(h * safe_zone_pct / 100)
    margin = np.ones((h, w), dtype=bool)
    margin[my : h - my, mx : w - mx] = False
    if background_hex is not None:
        source, colour = "spec", hex_to_rgb(background_hex)
    elif transparent and not opaque.all():
        # a clear canvas only counts as clear where the format kept the alpha (a JPEG of a
        # "transparent" design was painted onto a matte: its border tells the background)
        source, colour = "transparent", None
    else:
        estimated, _ = estimate_background(rgba)
        source, colour = ("border", estimated) if estimated else ("transparent", None)
    if colour is None:
        ink = opaque
    else:
        ink = opaque & (_distance(rgb, np.array(colour, dtype=np.float32)) > PALETTE_TOLERANCE)
    return int((ink & margin).sum()), (rgb_to_hex(colour) if colour else None), source


def score(
    data: bytes,
    *,
    width: int,
    height: int,
    fmt: str,
    palette_hex: list[str] | tuple[str, ...] = (),
    safe_zone_pct: float = 0.0,
    background_hex: str | None = None,
    transparent: bool = False,
    opened: Callable[[], Image.Image] | None = None,
) -> FidelityReport:
    """``background_hex`` is the background the engine says it painted; ``transparent`` that it
    left the background clear. Without either the background is read off the border.
    ``opened``: gives ``data``'s pixels already decoded (same format, left unchanged)."""
    image = opened() if opened is not None else Image.open(io.BytesIO(data))
    actual_format = FORMATS.get(image.format or "", (image.format or "").lower())
    rgba = np.asarray(image.convert("RGBA"))
    report = FidelityReport(
        width=image.width,
        height=image.height,
        format=actual_format,
        size_ok=(image.width, image.height) == (width, height),
        format_ok=actual_format == fmt,
        palette_adherence=None,
        safe_zone_violations=None,
    )
    if palette_hex:
        report.palette_adherence, report.palette_pixels_judged = palette_adherence(rgba, palette_hex)
        if report.palette_adherence is None:
            report.notes.append(
                f"palette adherence not measurable: only {report.palette_pixels_judged} pixels "
                "could be judged (the rest are transparent or anti-aliased blends)"
            )
    if safe_zone_pct > 0:
        violations, background, source = safe_zone_violations(rgba, safe_zone_pct, background_hex, transparent)
        report.safe_zone_violations, report.background, report.background_source = violations, background, source
    return report
