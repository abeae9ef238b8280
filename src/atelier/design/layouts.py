"""A layout per design type: each places the mark and the text on a :class:`Composer` and
returns the layout it used (the canvas shape may veto the one asked for)."""

from __future__ import annotations

from atelier.design.boxes import height_of, inset, split_h, split_v, square_in, width_of
from atelier.design.brief import Brief
from atelier.design.composer import Composer
from atelier.design.roles import TextItem, texts
from atelier.design.roles import is_head as is_head

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


def _texts(brief: Brief, head_lines: int = 2) -> list[TextItem]:
    return texts(brief, head_lines)


def _logo(c: Composer, brief: Brief, layout: str, treatment: str) -> str:
    aspect = width_of(c.frame) / max(1.0, height_of(c.frame))
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
        side = width_of(area)
        c.ring(area, c.palette.primary, side * 0.03)
        inner = square_in(area, 0.72)
        top, bottom = split_v(inner, 0.52, side * 0.03)
        c.mark(square_in(top), "plain", ground)
        c.text_block(inset(bottom, width_of(bottom) * 0.06, 0), [i for i in items if i.role == "headline"], ground)
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
    side = width_of(area)
    ground = c.palette.background
    # a badge carries its name and one line under it ("Est. 2019"); the rest goes to the notes
    items = _texts(brief, 2)
    headline = [i for i in items if i.role == "headline"] + [i for i in items if i.role == "subline"][:1]
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
    wide = width_of(c.frame) >= height_of(c.frame)
    if layout == "band":
        if wide:
            band, _ = split_h(c.bleed, 0.3)
            rest = (band[2] + c.unit * 6, c.frame[1], c.frame[2], c.frame[3])
        else:
            band, _ = split_v(c.bleed, 0.3)
            rest = (c.frame[0], band[3] + c.unit * 6, c.frame[2], c.frame[3])
        c.rect(band, c.palette.primary)
        mark_area = inset(band, width_of(band) * 0.2, height_of(band) * 0.2)
        c.mark(mark_area, "plain", c.palette.primary)
        c.text_block(rest, items, ground, align="left" if wide else "center")
    elif layout == "centered":
        content = inset(c.frame, width_of(c.frame) * 0.06, height_of(c.frame) * 0.08)
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
        inner = inset(c.frame, width_of(c.frame) * 0.1, height_of(c.frame) * 0.1)
        c.mark_and_text(inner, items, treatment, ground, mark_frac=0.32)
    elif layout == "block":
        top, bottom = split_v(c.bleed, 0.5)
        c.rect(bottom, c.palette.primary)
        mark_area = inset((c.frame[0], max(top[1], c.frame[1]), c.frame[2], top[3]), 0, height_of(top) * 0.12)
        c.mark(mark_area, treatment if treatment != "plain" else "disc", ground)
        text_area = inset(
            (c.frame[0], bottom[1], c.frame[2], min(bottom[3], c.frame[3])),
            width_of(c.frame) * 0.06,
            height_of(bottom) * 0.14,
        )
        c.text_block(text_area, items, c.palette.primary)
    else:  # hero
        bar_h = max(2.0, c.unit * 1.5)
        content = (c.frame[0], c.frame[1], c.frame[2], c.frame[3] - bar_h * 3)
        c.mark_and_text(content, items, treatment, ground, mark_frac=0.36)
        cx = (c.frame[0] + c.frame[2]) / 2
        c.rect(
            (cx - width_of(c.frame) * 0.12, c.frame[3] - bar_h, cx + width_of(c.frame) * 0.12, c.frame[3]),
            c.palette.accent,
        )
    return layout


def _poster(c: Composer, brief: Brief, layout: str, treatment: str) -> str:
    ground = c.palette.background
    head = [i for i in _texts(brief, 3) if i.role == "headline"]
    sub = [i for i in _texts(brief) if i.role != "headline"]
    if layout == "type-led":
        title, rest = split_v(c.frame, 0.48, c.unit * 4)
        c.text_block(title, head, ground, align="left")
        rule_h = max(2.0, c.unit * 1.2)
        c.rect((rest[0], rest[1], rest[0] + width_of(rest) * 0.3, rest[1] + rule_h), c.palette.accent)
        body = (rest[0], rest[1] + rule_h * 4, rest[2], rest[3])
        sub_box, mark_box = split_h(body, 0.55, c.unit * 4)
        share = min(1.0, 0.3 + 0.14 * (len(sub) - 1)) if sub else 0.3
        c.text_block(
            (sub_box[0], sub_box[1], sub_box[2], sub_box[1] + height_of(sub_box) * share), sub, ground, align="left"
        )
        # a square resting on the column's foot, no taller than the column: on a canvas wider
        # than tall a side of the column's width would stand above the frame, over the safe line
        side = min(width_of(mark_box), height_of(mark_box))
        c.mark((mark_box[0], mark_box[3] - side, mark_box[2], mark_box[3]), treatment, ground)
    elif layout == "framed":
        c.ring(
            c.frame, c.palette.accent if c.palette.accent != ground else c.palette.primary, c.unit * 0.8, shape="rect"
        )
        inner = inset(c.frame, width_of(c.frame) * 0.1, height_of(c.frame) * 0.08)
        c.mark_and_text(inner, [*head, *sub], treatment, ground, mark_frac=0.34, horizontal=False)
    else:  # hero block on top
        block, rest = split_v(c.bleed, 0.52)
        c.rect(block, c.palette.primary)
        hero = inset((c.frame[0], max(block[1], c.frame[1]), c.frame[2], block[3]), 0, height_of(block) * 0.14)
        c.mark(hero, "plain", c.palette.primary)
        text_area = (c.frame[0], rest[1] + c.unit * 5, c.frame[2], c.frame[3])
        c.text_block(text_area, [*head, *sub], ground)
    return layout


def _card(c: Composer, brief: Brief, layout: str, treatment: str) -> str:
    ground = c.palette.background
    items = _texts(brief)
    wide = width_of(c.frame) >= height_of(c.frame)
    if layout == "split":
        if wide:
            panel, rest = split_h(c.bleed, 0.36)
            text_area = inset(
                (rest[0], c.frame[1], c.frame[2], c.frame[3]), width_of(rest) * 0.1, height_of(rest) * 0.12
            )
        else:
            panel, rest = split_v(c.bleed, 0.36)
            text_area = inset(
                (c.frame[0], rest[1], c.frame[2], c.frame[3]), width_of(rest) * 0.08, height_of(rest) * 0.1
            )
        c.rect(panel, c.palette.primary)
        panel_inner = inset(
            (
                max(panel[0], c.frame[0]),
                max(panel[1], c.frame[1]),
                min(panel[2], c.frame[2]),
                min(panel[3], c.frame[3]),
            ),
            width_of(panel) * 0.22,
            height_of(panel) * 0.22,
        )
        c.mark(panel_inner, "plain", c.palette.primary)
        c.text_block(text_area, items, ground, align="left" if wide else "center")
    elif layout == "monogram":
        top, bottom = split_v(c.frame, 0.42, c.unit * 4)
        c.mark(top, "ring" if treatment != "ring" else "disc", ground)
        c.text_block(inset(bottom, width_of(bottom) * 0.08, 0), items, ground)
    else:  # classic: a fine border, small mark, headline, rule, subline
        c.ring(
            c.frame,
            c.palette.accent if c.palette.accent != ground else c.palette.primary,
            max(1.5, c.unit * 0.5),
            shape="rect",
        )
        inner = inset(c.frame, width_of(c.frame) * 0.1, height_of(c.frame) * 0.12)
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
