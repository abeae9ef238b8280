"""Boxes in canvas pixels, ``(x0, y0, x1, y1)``, and the few operations layouts cut them with."""

from __future__ import annotations

Box = tuple[float, float, float, float]


def width_of(box: Box) -> float:
    return box[2] - box[0]


def height_of(box: Box) -> float:
    return box[3] - box[1]


def inset(box: Box, dx: float, dy: float | None = None) -> Box:
    dy = dx if dy is None else dy
    return (box[0] + dx, box[1] + dy, box[2] - dx, box[3] - dy)


def square_in(box: Box, scale: float = 1.0) -> Box:
    side = min(width_of(box), height_of(box)) * scale
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return (cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2)


def split_h(box: Box, frac: float, gap: float = 0.0) -> tuple[Box, Box]:
    """Left part ``frac`` of the width, a gap, then the rest."""
    cut = box[0] + width_of(box) * frac
    return (box[0], box[1], cut - gap / 2, box[3]), (cut + gap / 2, box[1], box[2], box[3])


def split_v(box: Box, frac: float, gap: float = 0.0) -> tuple[Box, Box]:
    """Top part ``frac`` of the height, a gap, then the rest."""
    cut = box[1] + height_of(box) * frac
    return (box[0], box[1], box[2], cut - gap / 2), (box[0], cut + gap / 2, box[2], box[3])


def rounded(box: Box) -> list[float]:
    """The box as the spec stores it: two decimals."""
    return [round(v, 2) for v in box]
