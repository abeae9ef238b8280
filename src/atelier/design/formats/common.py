"""What the format layouts share: lines split for a card's contact block, rules, dots."""

from __future__ import annotations

from atelier.design.boxes import Box, height_of, width_of
from atelier.design.brief import Brief
from atelier.design.composer import Composer
from atelier.design.roles import TextItem, item, texts


def lines(brief: Brief, *roles: str, each: bool = False, head_lines: int = 2) -> list[TextItem]:
    """The brief's lines of ``roles`` in reading order; with ``each``, a line that joins
    several items ("phone · web") becomes one line per item, as a card sets them."""
    found = texts(brief, head_lines, roles or None)
    if not each:
        return found
    split: list[TextItem] = []
    for line in found:
        parts = line.text.split(" · ")
        if len(parts) == 1 or line.role in ("headline", "kicker"):
            split.append(line)
        else:
            split += [item(line.role, part, share=line.share * 0.8, lines=1) for part in parts]
    return split


def ground_ink(c: Composer, ground: str) -> str:
    return c.ink_on(ground, c.palette.accent if c.palette.accent != ground else None)


def rule(c: Composer, x0: float, x1: float, y: float, fill: str, weight: float | None = None) -> None:
    h = max(2.5, weight if weight is not None else c.unit * 0.45)
    c.rect((x0, y - h / 2, x1, y + h / 2), fill)


def centred_rule(c: Composer, box: Box, y: float, frac: float, fill: str) -> None:
    cx, half = (box[0] + box[2]) / 2, width_of(box) * frac / 2
    rule(c, cx - half, cx + half, y, fill)


def dots(c: Composer, x: float, y0: float, y1: float, fill: str) -> None:
    """A perforation: small dots down a vertical line."""
    r = max(1.5, c.unit * 0.45)
    count = max(2, int((y1 - y0) / (r * 5)))
    step = (y1 - y0) / count
    for i in range(count):
        cy = y0 + step * (i + 0.5)
        c.ellipse((x - r, cy - r, x + r, cy + r), fill)


def clip(box: Box, frame: Box) -> Box:
    """``box`` inside ``frame`` (a panel that bleeds keeps its content inside the frame)."""
    return (max(box[0], frame[0]), max(box[1], frame[1]), min(box[2], frame[2]), min(box[3], frame[3]))


def tall(box: Box) -> bool:
    return height_of(box) > width_of(box)
