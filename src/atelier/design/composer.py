"""The drawing surface of one design: it appends spec layers (rect, ellipse, ring, icon, text)
in palette colours only, draws the mark in one of the :data:`TREATMENTS`, and stacks text
blocks that the typesetter fits with real font metrics (a text that does not fit is left out)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from atelier.design import motifs, typeset
from atelier.design.boxes import Box, height_of, rounded, square_in, width_of
from atelier.design.colors import contrast
from atelier.design.fonts import Pairing
from atelier.design.palette import Palette
from atelier.design.roles import TextItem, cap_for

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

#: Motif treatments; variations walk through them so they differ visibly.
TREATMENTS = ("disc", "plain", "ring", "tile")


@dataclass
class Composer:
    width: int
    height: int
    palette: Palette
    pairing: Pairing
    motif: motifs.Motif | None
    monogram: str
    frame: Box
    bleed: Box
    layers: list[dict[str, Any]] = field(default_factory=list)
    #: Text roles a layout tried to set, and whether each fitted (the copy report reads it).
    tried: dict[str, bool] = field(default_factory=dict)
    #: The headline's size once set: every other line is capped by the type scale against it.
    head_size: float | None = None
    #: The ink box of each text layer, by its index in ``layers``.
    inks: dict[int, Box] = field(default_factory=dict)

    @property
    def unit(self) -> float:
        return min(self.width, self.height) / 100

    # -- colours -------------------------------------------------------------------------
    def ink_on(self, ground: str, preferred: str | None = None) -> str:
        """The palette colour to draw on ``ground``: ``preferred`` when it reads, else the
        palette colour with the most contrast (never a colour outside the palette)."""
        colors = [c for c in self.palette.colors() if c != ground] or [self.palette.text]
        if preferred and preferred != ground and contrast(preferred, ground) >= 3.0:
            return preferred
        return max(colors, key=lambda c: (contrast(c, ground), c))

    # -- primitives ----------------------------------------------------------------------
    def rect(self, box: Box, fill: str, radius: float = 0.0) -> None:
        if width_of(box) > 0.5 and height_of(box) > 0.5:
            self.layers.append({"type": "rect", "box": rounded(box), "fill": fill, "radius": round(radius, 2)})

    def ellipse(self, box: Box, fill: str) -> None:
        if width_of(box) > 0.5 and height_of(box) > 0.5:
            self.layers.append({"type": "ellipse", "box": rounded(box), "fill": fill})

    def ring(self, box: Box, stroke: str, width: float, *, shape: str = "ellipse", radius: float = 0.0) -> None:
        """An outline drawn wholly inside ``box`` (the stroke never leaves it)."""
        width = max(1.5, width)
        if width_of(box) > 2 * width + 1 and height_of(box) > 2 * width + 1:
            self.layers.append(
                {
                    "type": "ring",
                    "shape": shape,
                    "box": rounded(box),
                    "stroke": stroke,
                    "width": round(width, 2),
                    "radius": round(radius, 2),
                }
            )

    def text(
        self,
        role: str,
        text: str,
        box: Box,
        fill: str,
        *,
        head: bool = True,
        align: str = "center",
        max_lines: int = 2,
        max_size: float | None = None,
        min_size: float = 0.0,
    ) -> bool:
        """Sets ``text`` as large as it fits ``box``; False (nothing drawn) when it cannot be
        set at ``min_size`` pixels or more."""
        text = " ".join(_CONTROL.sub(" ", text).split())
        family = self.pairing.head if head else self.pairing.body
        weight = self.pairing.head_weight if head else self.pairing.body_weight
        tracking = 0.0 if head else self.pairing.tracking
        case = "upper" if (not head and self.pairing.upper_body) else "as-is"
        layer: dict[str, Any] = {
            "type": "text",
            "role": role,
            "text": text,
            "font": family,
            "weight": weight,
            "fill": fill,
            "box": rounded(box),
            "align": align,
            "max_lines": max_lines,
            "tracking": tracking,
            "case": case,
            "max_size": round(max_size, 2) if max_size else None,
        }
        if role not in ("headline", "monogram") and self.head_size:
            cap = cap_for(role, self.head_size)
            max_size = min(max_size, cap) if max_size else cap
            layer["max_size"] = round(max_size, 2)
        placed = placed_text(layer)
        fitted = (
            typeset.fit(placed, family, weight, box, max_lines=max_lines, tracking=tracking, max_size=max_size)
            if placed
            else None
        )
        if fitted is not None and fitted.size >= min_size:
            if role == "headline" and self.head_size is None:
                self.head_size = fitted.size
            self.inks[len(self.layers)] = fitted.ink
            self.layers.append(layer)
            return True
        return False

    def icon(self, box: Box, fill: str) -> bool:
        if self.motif is None:
            return False
        self.layers.append(
            {
                "type": "icon",
                "slug": self.motif.slug,
                "paths": list(self.motif.paths),
                "view": list(self.motif.view),
                "box": rounded(square_in(box)),
                "fill": fill,
            }
        )
        return True

    # -- the mark --------------------------------------------------------------------------
    def mark(self, box: Box, treatment: str, ground: str) -> None:
        """The motif (or a typographic mark when none matched) in ``box`` on ``ground``."""
        box = square_in(box)
        side = width_of(box)
        if side < 4:
            return
        primary = self.palette.primary if self.palette.primary != ground else self.ink_on(ground)
        inner_ink = self.ink_on(primary, self.palette.on_primary)
        if treatment == "disc":
            self.ellipse(box, primary)
            self._glyph(square_in(box, 0.56), inner_ink, primary)
        elif treatment == "tile":
            self.rect(box, primary, radius=side * 0.22)
            self._glyph(square_in(box, 0.6), inner_ink, primary)
        elif treatment == "ring":
            self.ring(box, primary, side * 0.045)
            self._glyph(square_in(box, 0.54), primary, ground)
        else:
            self._glyph(box, primary, ground)

    def _glyph(self, box: Box, fill: str, ground: str) -> None:
        if self.icon(box, fill):
            return
        if self.monogram and self.text("monogram", self.monogram, square_in(box, 0.8), fill, max_lines=1):
            return
        # a geometric mark: concentric forms in the palette, never a random icon
        self.ellipse(square_in(box, 0.9), fill)
        self.ellipse(square_in(box, 0.55), ground)
        self.ellipse(square_in(box, 0.28), fill)

    # -- blocks ----------------------------------------------------------------------------
    def text_block(self, box: Box, items: list[TextItem], ground: str, *, align: str = "center") -> None:
        items = [i for i in items if i.text]
        if not items:
            return
        gap = height_of(box) * min(0.05, 0.18 / (len(items) - 1)) if len(items) > 1 else 0.0
        # the lines past the name and tagline are set legibly or not at all (and then named)
        legible = max(8.0, self.unit * 1.6)
        total = sum(i.share for i in items)
        usable = height_of(box) - gap * (len(items) - 1)
        y = box[1]
        places = []
        for item in items:
            h = usable * item.share / total
            places.append((item, (box[0], y, box[2], y + h)))
            y += h + gap
        # the headline first: the type scale sets every other line against its size
        for item, line_box in sorted(places, key=lambda p: p[0].role != "headline"):
            fill = (
                self.ink_on(ground, self.palette.text if ground == self.palette.background else None)
                if item.head
                else self.ink_on(ground, self.palette.muted if ground == self.palette.background else None)
            )
            self.tried[item.role] = self.tried.get(item.role, False) | self.text(
                item.role,
                item.text,
                line_box,
                fill,
                head=item.head,
                align=align,
                max_lines=item.max_lines,
                min_size=0.0 if item.role in ("headline", "subline") else legible,
            )

    def mark_and_text(
        self,
        box: Box,
        items: list[TextItem],
        treatment: str,
        ground: str,
        *,
        mark_frac: float,
        horizontal: bool | None = None,
    ) -> None:
        """The mark beside (wide boxes) or above (others) a text block."""
        items = [i for i in items if i.text]
        if not items:
            self.mark(square_in(box, 0.9), treatment, ground)
            return
        across = width_of(box) / max(1.0, height_of(box)) > 1.6 if horizontal is None else horizontal
        gap = self.unit * 4
        if across:
            side = min(height_of(box), width_of(box) * mark_frac)
            mark_box = (
                box[0],
                box[1] + (height_of(box) - side) / 2,
                box[0] + side,
                box[1] + (height_of(box) + side) / 2,
            )
            text_h = min(height_of(box), max(side, height_of(box) * 0.5))
            text_box = (
                box[0] + side + gap,
                box[1] + (height_of(box) - text_h) / 2,
                box[2],
                box[1] + (height_of(box) + text_h) / 2,
            )
            first = len(self.layers)
            self.mark(mark_box, treatment, ground)
            self.text_block(text_box, items, ground, align="left")
            self.centre_across(first, box)
        else:
            side = min(width_of(box), height_of(box) * mark_frac)
            cx = (box[0] + box[2]) / 2
            self.mark((cx - side / 2, box[1], cx + side / 2, box[1] + side), treatment, ground)
            self.text_block((box[0], box[1] + side + gap, box[2], box[3]), items, ground)

    def centre_across(self, first: int, box: Box) -> None:
        """Centres the layers from index ``first`` on (a mark beside left-set lines: a lockup)
        across ``box``: each text box is narrowed to its ink, then everything moves together."""
        drawn = self.layers[first:]
        if not drawn:
            return
        extents = []
        for index, layer in enumerate(drawn, first):
            x0, _, x1, _ = self.inks.get(index, tuple(layer["box"]))
            extents.append((x0, x1))
        left, right = min(e[0] for e in extents), max(e[1] for e in extents)
        dx = ((box[0] + box[2]) - (left + right)) / 2
        if dx < 1:
            return
        for index, layer in enumerate(drawn, first):
            x0, y0, x1, y1 = layer["box"]
            if index in self.inks:
                ink = self.inks[index]
                x0, x1 = ink[0] - 1, min(box[2] - dx, ink[2] + 1)
                self.inks[index] = (ink[0] + dx, ink[1], ink[2] + dx, ink[3])
            layer["box"] = rounded((x0 + dx, y0, x1 + dx, y1))


def placed_text(layer: dict[str, Any]) -> str:
    """The text as set: the font's glyphs only, cased as the layer says."""
    text = str(layer["text"])
    if layer.get("case") == "upper":
        text = text.upper()
    return typeset.supported(text, str(layer["font"]), str(layer["weight"]))
