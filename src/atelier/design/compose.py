"""From a brief to a design spec: a layout per design type (chosen by seed and variation),
a grid and margins proportional to the canvas, a motif or a typographic mark, and text boxes
the typesetter fits with real font metrics.

The spec is plain JSON: a canvas, a palette, and layers (rect, ellipse, ring, icon, text) in
canvas pixels. It is everything the renderer needs, so a stored spec re-renders at another
size or after an edit without the prompt."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from atelier.design import motifs, typeset
from atelier.design.brief import Brief
from atelier.design.colors import contrast
from atelier.design.fonts import Pairing
from atelier.design.palette import Palette

Box = tuple[float, float, float, float]
SPEC_VERSION = 1
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

#: Layouts per design type; the seed and the variation pick one, the canvas shape may veto it.
LAYOUTS: dict[str, tuple[str, ...]] = {
    "logo": ("stacked", "inline", "emblem"),
    "icon": ("tile", "disc", "outline"),
    "badge": ("seal", "shield", "ribbon"),
    "banner": ("split", "band", "centered"),
    "social": ("hero", "framed", "block"),
    "poster": ("hero", "type-led", "framed"),
    "card": ("classic", "split", "monogram"),
}
#: Motif treatments; variations walk through them so they differ visibly.
TREATMENTS = ("disc", "plain", "ring", "tile")


def _w(box: Box) -> float:
    return box[2] - box[0]


def _h(box: Box) -> float:
    return box[3] - box[1]


def inset(box: Box, dx: float, dy: float | None = None) -> Box:
    dy = dx if dy is None else dy
    return (box[0] + dx, box[1] + dy, box[2] - dx, box[3] - dy)


def square_in(box: Box, scale: float = 1.0) -> Box:
    side = min(_w(box), _h(box)) * scale
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return (cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2)


def split_h(box: Box, frac: float, gap: float = 0.0) -> tuple[Box, Box]:
    """Left part ``frac`` of the width, a gap, then the rest."""
    cut = box[0] + _w(box) * frac
    return (box[0], box[1], cut - gap / 2, box[3]), (cut + gap / 2, box[1], box[2], box[3])


def split_v(box: Box, frac: float, gap: float = 0.0) -> tuple[Box, Box]:
    """Top part ``frac`` of the height, a gap, then the rest."""
    cut = box[1] + _h(box) * frac
    return (box[0], box[1], box[2], cut - gap / 2), (box[0], cut + gap / 2, box[2], box[3])


def _round(box: Box) -> list[float]:
    return [round(v, 2) for v in box]


@dataclass(frozen=True)
class TextItem:
    role: str
    text: str
    share: float
    head: bool = True  # headline family, else the body family
    max_lines: int = 2


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
        if _w(box) > 0.5 and _h(box) > 0.5:
            self.layers.append({"type": "rect", "box": _round(box), "fill": fill, "radius": round(radius, 2)})

    def ellipse(self, box: Box, fill: str) -> None:
        if _w(box) > 0.5 and _h(box) > 0.5:
            self.layers.append({"type": "ellipse", "box": _round(box), "fill": fill})

    def ring(self, box: Box, stroke: str, width: float, *, shape: str = "ellipse", radius: float = 0.0) -> None:
        """An outline drawn wholly inside ``box`` (the stroke never leaves it)."""
        width = max(1.5, width)
        if _w(box) > 2 * width + 1 and _h(box) > 2 * width + 1:
            self.layers.append(
                {
                    "type": "ring",
                    "shape": shape,
                    "box": _round(box),
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
    ) -> bool:
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
            "box": _round(box),
            "align": align,
            "max_lines": max_lines,
            "tracking": tracking,
            "case": case,
            "max_size": round(max_size, 2) if max_size else None,
        }
        placed = placed_text(layer)
        if placed and typeset.fit(
            placed, family, weight, box, max_lines=max_lines, tracking=tracking, max_size=max_size
        ):
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
                "box": _round(square_in(box)),
                "fill": fill,
            }
        )
        return True

    # -- the mark --------------------------------------------------------------------------
    def mark(self, box: Box, treatment: str, ground: str) -> None:
        """The motif (or a typographic mark when none matched) in ``box`` on ``ground``."""
        box = square_in(box)
        side = _w(box)
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
        gap = _h(box) * 0.05 if len(items) > 1 else 0.0
        total = sum(i.share for i in items)
        usable = _h(box) - gap * (len(items) - 1)
        y = box[1]
        for item in items:
            h = usable * item.share / total
            fill = (
                self.ink_on(ground, self.palette.text if ground == self.palette.background else None)
                if item.head
                else self.ink_on(ground, self.palette.muted if ground == self.palette.background else None)
            )
            self.text(
                item.role,
                item.text,
                (box[0], y, box[2], y + h),
                fill,
                head=item.head,
                align=align,
                max_lines=item.max_lines,
            )
            y += h + gap

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
        across = _w(box) / max(1.0, _h(box)) > 1.6 if horizontal is None else horizontal
        gap = self.unit * 4
        if across:
            side = min(_h(box), _w(box) * mark_frac)
            mark_box = (box[0], box[1] + (_h(box) - side) / 2, box[0] + side, box[1] + (_h(box) + side) / 2)
            text_h = min(_h(box), max(side, _h(box) * 0.5))
            text_box = (box[0] + side + gap, box[1] + (_h(box) - text_h) / 2, box[2], box[1] + (_h(box) + text_h) / 2)
            self.mark(mark_box, treatment, ground)
            self.text_block(text_box, items, ground, align="left")
        else:
            side = min(_w(box), _h(box) * mark_frac)
            cx = (box[0] + box[2]) / 2
            self.mark((cx - side / 2, box[1], cx + side / 2, box[1] + side), treatment, ground)
            self.text_block((box[0], box[1] + side + gap, box[2], box[3]), items, ground)


def placed_text(layer: dict[str, Any]) -> str:
    """The text as set: the font's glyphs only, cased as the layer says."""
    text = str(layer["text"])
    if layer.get("case") == "upper":
        text = text.upper()
    return typeset.supported(text, str(layer["font"]), str(layer["weight"]))


def monogram_for(text: str | None) -> str:
    words = re.findall(r"[^\W\d_]+", text or "")
    letters = "".join(w[0] for w in words if w[0].isalpha())[:2]
    return letters.upper()


# -- layouts -----------------------------------------------------------------------------


def _texts(brief: Brief, head_lines: int = 2) -> list[TextItem]:
    items = []
    if brief.headline:
        items.append(TextItem("headline", brief.headline[:80], 0.7, True, head_lines))
    if brief.subline:
        items.append(TextItem("subline", brief.subline[:80], 0.3, False, 1))
    return items


def _logo(c: Composer, brief: Brief, layout: str, treatment: str) -> str:
    aspect = _w(c.frame) / max(1.0, _h(c.frame))
    if layout == "stacked" and aspect > 1.8:
        layout = "inline"
    if layout == "inline" and aspect < 0.8:
        layout = "stacked"
    ground = c.palette.background
    items = _texts(brief)
    if layout == "inline":
        c.mark_and_text(
            square_in(c.frame, 1.0) if aspect < 1 else c.frame,
            items,
            treatment,
            ground,
            mark_frac=0.28,
            horizontal=True,
        )
    elif layout == "emblem":
        area = square_in(c.frame)
        side = _w(area)
        c.ring(area, c.palette.primary, side * 0.03)
        inner = square_in(area, 0.72)
        top, bottom = split_v(inner, 0.52, side * 0.03)
        c.mark(square_in(top), "plain", ground)
        c.text_block(inset(bottom, _w(bottom) * 0.06, 0), items[:1], ground)
    else:
        c.mark_and_text(c.frame, items, treatment, ground, mark_frac=0.5, horizontal=False)
    return layout


def _icon(c: Composer, brief: Brief, layout: str, treatment: str) -> str:
    area = square_in(c.frame)
    ground = c.palette.background
    if layout == "disc":
        c.mark(area, "disc", ground)
    elif layout == "outline":
        c.mark(area, "ring", ground)
    else:
        c.mark(area, "tile", ground)
    return layout


def _badge(c: Composer, brief: Brief, layout: str, treatment: str) -> str:
    area = square_in(c.frame)
    side = _w(area)
    ground = c.palette.background
    headline = _texts(brief, 2)[:1]
    if layout == "shield":
        fill = c.palette.primary
        c.rect(area, fill, radius=side * 0.16)
        inner = inset(area, side * 0.12)
        top, bottom = split_v(inner, 0.55, side * 0.04)
        c.mark(top, "plain", fill)
        c.text_block(bottom, headline, fill)
    elif layout == "ribbon":
        c.ellipse(area, c.palette.primary)
        inner = square_in(area, 0.62)
        top, bottom = split_v(inner, 0.58, side * 0.03)
        c.mark(top, "plain", c.palette.primary)
        c.text_block(bottom, headline, c.palette.primary)
    else:  # seal
        c.ring(area, c.palette.primary, side * 0.035)
        c.ring(
            square_in(area, 0.86), c.palette.accent if c.palette.accent != ground else c.palette.primary, side * 0.012
        )
        inner = square_in(area, 0.6)
        top, bottom = split_v(inner, 0.56, side * 0.03)
        c.mark(top, "plain", ground)
        c.text_block(bottom, headline, ground)
    return layout


def _banner(c: Composer, brief: Brief, layout: str, treatment: str) -> str:
    ground = c.palette.background
    items = _texts(brief)
    wide = _w(c.frame) >= _h(c.frame)
    if layout == "band":
        if wide:
            band, _ = split_h(c.bleed, 0.3)
            rest = (band[2] + c.unit * 6, c.frame[1], c.frame[2], c.frame[3])
        else:
            band, _ = split_v(c.bleed, 0.3)
            rest = (c.frame[0], band[3] + c.unit * 6, c.frame[2], c.frame[3])
        c.rect(band, c.palette.primary)
        mark_area = inset(band, _w(band) * 0.2, _h(band) * 0.2)
        c.mark(mark_area, "plain", c.palette.primary)
        c.text_block(rest, items, ground, align="left" if wide else "center")
    elif layout == "centered":
        content = inset(c.frame, _w(c.frame) * 0.06, _h(c.frame) * 0.08)
        rule_h = max(2.0, c.unit * 1.2)
        c.rect((c.frame[0], c.frame[3] - rule_h, c.frame[2], c.frame[3]), c.palette.accent)
        c.mark_and_text(
            (content[0], content[1], content[2], content[3] - rule_h * 2),
            items,
            treatment,
            ground,
            mark_frac=0.22,
            horizontal=wide,
        )
    else:  # split: text left, mark right
        if wide:
            text_box, mark_box = split_h(c.frame, 0.68, c.unit * 6)
        else:
            mark_box, text_box = split_v(c.frame, 0.4, c.unit * 6)
        c.text_block(text_box, items, ground, align="left" if wide else "center")
        c.mark(mark_box, treatment, ground)
    return layout


def _social(c: Composer, brief: Brief, layout: str, treatment: str) -> str:
    ground = c.palette.background
    items = _texts(brief, 3)
    if layout == "framed":
        c.ring(c.frame, c.palette.primary, c.unit * 1.2, shape="rect")
        inner = inset(c.frame, _w(c.frame) * 0.1, _h(c.frame) * 0.1)
        c.mark_and_text(inner, items, treatment, ground, mark_frac=0.32)
    elif layout == "block":
        top, bottom = split_v(c.bleed, 0.5)
        c.rect(bottom, c.palette.primary)
        mark_area = inset((c.frame[0], max(top[1], c.frame[1]), c.frame[2], top[3]), 0, _h(top) * 0.12)
        c.mark(mark_area, treatment if treatment != "plain" else "disc", ground)
        text_area = inset(
            (c.frame[0], bottom[1], c.frame[2], min(bottom[3], c.frame[3])), _w(c.frame) * 0.06, _h(bottom) * 0.14
        )
        c.text_block(text_area, items, c.palette.primary)
    else:  # hero
        bar_h = max(2.0, c.unit * 1.5)
        content = (c.frame[0], c.frame[1], c.frame[2], c.frame[3] - bar_h * 3)
        c.mark_and_text(content, items, treatment, ground, mark_frac=0.36)
        cx = (c.frame[0] + c.frame[2]) / 2
        c.rect((cx - _w(c.frame) * 0.12, c.frame[3] - bar_h, cx + _w(c.frame) * 0.12, c.frame[3]), c.palette.accent)
    return layout


def _poster(c: Composer, brief: Brief, layout: str, treatment: str) -> str:
    ground = c.palette.background
    head = [i for i in _texts(brief, 3) if i.role == "headline"]
    sub = [i for i in _texts(brief) if i.role == "subline"]
    if layout == "type-led":
        title, rest = split_v(c.frame, 0.48, c.unit * 4)
        c.text_block(title, head, ground, align="left")
        rule_h = max(2.0, c.unit * 1.2)
        c.rect((rest[0], rest[1], rest[0] + _w(rest) * 0.3, rest[1] + rule_h), c.palette.accent)
        body = (rest[0], rest[1] + rule_h * 4, rest[2], rest[3])
        sub_box, mark_box = split_h(body, 0.55, c.unit * 4)
        c.text_block((sub_box[0], sub_box[1], sub_box[2], sub_box[1] + _h(sub_box) * 0.3), sub, ground, align="left")
        c.mark((mark_box[0], mark_box[3] - _w(mark_box), mark_box[2], mark_box[3]), treatment, ground)
    elif layout == "framed":
        c.ring(
            c.frame, c.palette.accent if c.palette.accent != ground else c.palette.primary, c.unit * 0.8, shape="rect"
        )
        inner = inset(c.frame, _w(c.frame) * 0.1, _h(c.frame) * 0.08)
        c.mark_and_text(inner, [*head, *sub], treatment, ground, mark_frac=0.34, horizontal=False)
    else:  # hero block on top
        block, rest = split_v(c.bleed, 0.52)
        c.rect(block, c.palette.primary)
        hero = inset((c.frame[0], max(block[1], c.frame[1]), c.frame[2], block[3]), 0, _h(block) * 0.14)
        c.mark(hero, "plain", c.palette.primary)
        text_area = (c.frame[0], rest[1] + c.unit * 5, c.frame[2], c.frame[3])
        c.text_block(text_area, [*head, *sub], ground)
    return layout


def _card(c: Composer, brief: Brief, layout: str, treatment: str) -> str:
    ground = c.palette.background
    items = _texts(brief)
    wide = _w(c.frame) >= _h(c.frame)
    if layout == "split":
        if wide:
            panel, rest = split_h(c.bleed, 0.36)
            text_area = inset((rest[0], c.frame[1], c.frame[2], c.frame[3]), _w(rest) * 0.1, _h(rest) * 0.12)
        else:
            panel, rest = split_v(c.bleed, 0.36)
            text_area = inset((c.frame[0], rest[1], c.frame[2], c.frame[3]), _w(rest) * 0.08, _h(rest) * 0.1)
        c.rect(panel, c.palette.primary)
        panel_inner = inset(
            (
                max(panel[0], c.frame[0]),
                max(panel[1], c.frame[1]),
                min(panel[2], c.frame[2]),
                min(panel[3], c.frame[3]),
            ),
            _w(panel) * 0.22,
            _h(panel) * 0.22,
        )
        c.mark(panel_inner, "plain", c.palette.primary)
        c.text_block(text_area, items, ground, align="left" if wide else "center")
    elif layout == "monogram":
        top, bottom = split_v(c.frame, 0.42, c.unit * 4)
        c.mark(top, "ring" if treatment != "ring" else "disc", ground)
        c.text_block(inset(bottom, _w(bottom) * 0.08, 0), items, ground)
    else:  # classic: a fine border, small mark, headline, rule, subline
        c.ring(
            c.frame,
            c.palette.accent if c.palette.accent != ground else c.palette.primary,
            max(1.5, c.unit * 0.5),
            shape="rect",
        )
        inner = inset(c.frame, _w(c.frame) * 0.1, _h(c.frame) * 0.12)
        mark_area, text_area = split_v(inner, 0.26, c.unit * 3)
        c.mark(mark_area, "plain", ground)
        c.text_block(text_area, items, ground)
    return layout


COMPOSERS = {
    "logo": _logo,
    "icon": _icon,
    "badge": _badge,
    "banner": _banner,
    "social": _social,
    "poster": _poster,
    "card": _card,
}


def compose(
    brief: Brief,
    *,
    width: int,
    height: int,
    palette: Palette,
    pairing: Pairing,
    seed: int,
    variation: int,
    safe_zone_pct: float = 0.0,
    transparent: bool = False,
) -> dict[str, Any]:
    """The spec of one design. ``safe_zone_pct`` keeps every mark off that share of each side."""
    motif = motifs.choose(brief.subject_words, variation)
    margin = min(width, height) * (0.06 if brief.design_type in ("banner", "poster", "card") else 0.08)
    szx, szy = width * safe_zone_pct / 100, height * safe_zone_pct / 100
    # one pixel inside the safe line, so anti-aliasing stays inside it too
    frame: Box = (
        max(margin, szx + 1),
        max(margin, szy + 1),
        width - max(margin, szx + 1),
        height - max(margin, szy + 1),
    )
    bleed: Box = (szx + 1, szy + 1, width - szx - 1, height - szy - 1) if safe_zone_pct > 0 else (0, 0, width, height)
    composer = Composer(
        width=width,
        height=height,
        palette=palette,
        pairing=pairing,
        motif=motif,
        monogram=monogram_for(brief.headline or brief.subject),
        frame=frame,
        bleed=bleed,
    )
    options = LAYOUTS[brief.design_type]
    layout = options[(seed + variation) % len(options)]
    treatment = TREATMENTS[(seed // 3 + variation) % len(TREATMENTS)]
    layout = COMPOSERS[brief.design_type](composer, brief, layout, treatment)
    return {
        "version": SPEC_VERSION,
        "design_type": brief.design_type,
        "layout": layout,
        "treatment": treatment,
        "style": brief.style,
        "mood": brief.mood,
        "subject": brief.subject,
        "motif": motif.slug if motif else None,
        "motif_concept": motif.concept if motif else None,
        "mark": "icon" if motif else ("monogram" if composer.monogram else "geometric"),
        "icon_set": f"{motifs.ICON_SET} ({motifs.ICON_LICENSE})" if motif else None,
        "canvas": {
            "width": width,
            "height": height,
            "background": None if transparent else palette.background,
            "safe_zone_pct": safe_zone_pct,
        },
        "palette": palette.to_dict(),
        "fonts": {
            "head": pairing.head,
            "head_weight": pairing.head_weight,
            "body": pairing.body,
            "body_weight": pairing.body_weight,
        },
        "layers": composer.layers,
    }
