"""Marks without words beside them: a full-bleed app icon and a true monogram."""

from __future__ import annotations

import re

from atelier.design.boxes import height_of, inset, split_v, square_in, width_of
from atelier.design.brief import Brief
from atelier.design.colors import contrast
from atelier.design.composer import Composer
from atelier.design.formats.common import centred_rule, lines
from atelier.design.palette import AA_TEXT


def app_icon(c: Composer, brief: Brief, layout: str, treatment: str) -> str:
    """The whole canvas is the icon (the platform rounds or masks its corners), the glyph on
    the keyline grid: 56% of the side, centred."""
    fill = c.palette.primary
    c.rect(c.bleed, fill)
    area = square_in(c.frame)
    if layout == "disc":
        accent = c.palette.accent if c.palette.accent != fill else c.palette.background
        c.ellipse(square_in(area, 0.8), accent)
        c.mark(square_in(area, 0.5), "plain", accent)
    elif layout == "ring":
        c.ring(square_in(area, 0.84), c.ink_on(fill, c.palette.on_primary), width_of(area) * 0.035)
        c.mark(square_in(area, 0.5), "plain", fill)
    else:
        c.mark(square_in(area, 0.62), "plain", fill)
    return layout


def initials(name: str | None) -> str:
    """A monogram's letters: two for two words, three for three (first, LAST, middle, the
    surname's letter set larger in the centre, as a traditional monogram is)."""
    words: list[str] = [w for w in re.findall(r"[^\W\d_]+", name or "") if w.lower() not in ("and", "of", "the")]
    letters = [str(w[0]).upper() for w in words]
    if len(letters) >= 3:
        return letters[0] + letters[-1] + letters[1]
    return "".join(letters[:2])


def monogram(c: Composer, brief: Brief, layout: str, treatment: str) -> str:
    ground = c.palette.background
    letters = initials(brief.headline) or c.monogram
    name = lines(brief, "headline", head_lines=1)
    area = square_in(c.frame)
    side = width_of(area)
    seal, foot = split_v(area, 0.78 if name else 1.0, c.unit * 3)
    seal = square_in(seal)
    # the letters are the design: body-text contrast, not only large-text contrast
    ink = c.palette.primary if contrast(c.palette.primary, ground) >= AA_TEXT else c.ink_on(ground, c.palette.text)
    if layout == "seal":
        c.ellipse(seal, ink)
        ground_in, ink_in = ink, _readable(c, ink, c.palette.on_primary)
    else:
        c.ring(seal, ink, width_of(seal) * 0.028)
        if layout == "double":
            c.ring(square_in(seal, 0.9), c.palette.accent if c.palette.accent != ground else ink, 2.5)
        ground_in, ink_in = ground, ink
    inner = square_in(seal, 0.62)
    if len(letters) == 3:
        w = width_of(inner)
        centre = (inner[0] + w * 0.3, inner[1], inner[0] + w * 0.7, inner[3])
        small = height_of(inner) * 0.26
        cy = (inner[1] + inner[3]) / 2
        c.text("initial", letters[0], (inner[0], cy - small, centre[0], cy + small), ink_in, max_lines=1)
        c.text("initial", letters[1], centre, ink_in, max_lines=1)
        c.text("initial", letters[2], (centre[2], cy - small, inner[2], cy + small), ink_in, max_lines=1)
    elif letters:
        c.text("initial", letters, inset(inner, 0, height_of(inner) * 0.12), ink_in, max_lines=1)
    else:
        c.mark(inner, "plain", ground_in)
    if name:
        centred_rule(c, area, foot[1] + c.unit, 0.08, c.ink_on(ground, c.palette.accent))
        c.text_block(inset(foot, side * 0.06, c.unit * 2), name, ground)
    return layout


def _readable(c: Composer, ground: str, preferred: str) -> str:
    if contrast(preferred, ground) >= AA_TEXT:
        return preferred
    return max((col for col in c.palette.colors() if col != ground), key=lambda col: (contrast(col, ground), col))
