"""Formats seen on screens: e-mail headers, video thumbnails, podcast and album covers."""

from __future__ import annotations

from atelier.design.boxes import height_of, inset, split_h, split_v, square_in, width_of
from atelier.design.brief import Brief
from atelier.design.composer import Composer
from atelier.design.formats.common import clip, lines, tall
from atelier.design.roles import pick, without


def email_header(c: Composer, brief: Brief, layout: str, treatment: str) -> str:
    ground = c.palette.background
    items = lines(brief, head_lines=1)
    cta = pick(items, "cta")
    rest = without(items, "cta", "contact", "fine")
    tail = pick(items, "contact", "fine")
    if layout == "bar":
        c.rect(c.bleed, c.palette.primary)
        ground = c.palette.primary
    if tall(c.frame) or layout == "lockup":
        c.mark_and_text(c.frame, [*rest, *cta, *tail], treatment, ground, mark_frac=0.24)
        return layout
    text_box, side = split_h(c.frame, 0.7, c.unit * 4)
    c.text_block(text_box, [*rest, *tail], ground, align="left")
    if cta:
        # a button: the call to action on the accent, the width of its words
        button = inset(side, width_of(side) * 0.06, height_of(side) * 0.3)
        fill = c.palette.accent if c.palette.accent != ground else c.palette.primary
        c.rect(button, fill, radius=height_of(button) * 0.5)
        c.text_block(inset(button, height_of(button) * 0.45, height_of(button) * 0.26), cta, fill)
    else:
        c.mark(side, treatment, ground)
    return layout


def thumbnail(c: Composer, brief: Brief, layout: str, treatment: str) -> str:
    """Big, few words, high contrast: read at a glance at 160 px wide."""
    items = lines(brief, head_lines=3)
    head = pick(items, "kicker", "headline")
    rest = without(items, "kicker", "headline")[:2]
    c.rect(c.bleed, c.palette.primary)
    ground = c.palette.primary
    if layout == "caption":
        top, band = split_v(c.bleed, 0.62)
        band_fill = c.palette.background
        c.rect(band, band_fill)
        c.mark(inset(clip(top, c.frame), 0, height_of(top) * 0.08), treatment, ground)
        c.text_block(
            inset(clip(band, c.frame), width_of(c.frame) * 0.04, height_of(band) * 0.1), [*head, *rest], band_fill
        )
        return layout
    text_box, mark_box = split_h(c.frame, 0.62, c.unit * 4)
    if layout == "mirror":
        mark_box, text_box = split_h(c.frame, 0.38, c.unit * 4)
    disc = square_in(mark_box, 0.92)
    accent = c.palette.accent if c.palette.accent != ground else c.palette.background
    c.ellipse(disc, accent)
    c.mark(square_in(disc, 0.7), "plain", accent)
    c.text_block(text_box, [*head, *rest], ground, align="left")
    return layout


def cover(c: Composer, brief: Brief, layout: str, treatment: str) -> str:
    """Square art for a podcast or an album: the title large, the mark, the host at the foot."""
    items = lines(brief, head_lines=3)
    head = pick(items, "kicker", "headline")
    rest = without(items, "kicker", "headline")
    if layout == "framed":
        ground = c.palette.background
        c.ring(c.frame, c.palette.primary, c.unit * 1.5, shape="rect")
        inner = inset(c.frame, width_of(c.frame) * 0.1)
        c.mark_and_text(inner, [*head, *rest], treatment, ground, mark_frac=0.5, horizontal=False)
        return layout
    c.rect(c.bleed, c.palette.primary)
    ground = c.palette.primary
    if layout == "type":
        top, bottom = split_v(c.frame, 0.62, c.unit * 4)
        c.text_block(top, head, ground, align="left")
        text_box, mark_box = split_h(bottom, 0.6, c.unit * 4)
        c.text_block(text_box, rest, ground, align="left")
        side = min(width_of(mark_box), height_of(mark_box))
        c.mark((mark_box[2] - side, mark_box[3] - side, mark_box[2], mark_box[3]), "disc", ground)
        return layout
    mark_box, text_box = split_v(c.frame, 0.5, c.unit * 4)
    c.mark(mark_box, treatment, ground)
    c.text_block(text_box, [*head, *rest], ground)
    return layout
