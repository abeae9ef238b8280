"""Tickets (a stub past a perforation) and menus (a header and centred rows)."""

from __future__ import annotations

from atelier.design.boxes import height_of, inset, split_h, split_v, width_of
from atelier.design.brief import Brief
from atelier.design.composer import Composer
from atelier.design.formats.common import centred_rule, dots, lines, tall
from atelier.design.roles import pick, without

STUB_ROLES = ("offer", "cta", "fine")


def ticket(c: Composer, brief: Brief, layout: str, treatment: str) -> str:
    ground = c.palette.background
    items = lines(brief, head_lines=2, each=True)
    main = without(items, *STUB_ROLES)
    stub = pick(items, *STUB_ROLES)
    body = c.palette.primary if layout == "solid" else c.palette.surface
    if body == ground:
        body = c.palette.primary
    across = not tall(c.frame)
    radius = c.unit * 3
    notch = min(height_of(c.frame), width_of(c.frame)) * 0.07
    # the body sits a notch inside the frame, so the notches bite into it without leaving the frame
    shape = inset(c.frame, 0, notch) if across else inset(c.frame, notch, 0)
    c.rect(shape, body, radius=radius)
    perforation = c.ink_on(body, c.palette.muted)
    if across:
        main_box, stub_box = split_h(shape, 0.72)
        cut = main_box[2]
        c.ellipse((cut - notch, shape[1] - notch, cut + notch, shape[1] + notch), ground)
        c.ellipse((cut - notch, shape[3] - notch, cut + notch, shape[3] + notch), ground)
        dots(c, cut, shape[1] + notch * 1.6, shape[3] - notch * 1.6, perforation)
    else:
        main_box, stub_box = split_v(shape, 0.72)
        cut = main_box[3]
        c.ellipse((shape[0] - notch, cut - notch, shape[0] + notch, cut + notch), ground)
        c.ellipse((shape[2] - notch, cut - notch, shape[2] + notch, cut + notch), ground)
        c.rect((shape[0] + notch * 1.6, cut - 1, shape[2] - notch * 1.6, cut + 1), perforation)
    pad = c.unit * 4
    inner = inset(main_box, pad, pad)
    if layout == "band":
        band, rest = split_v(inner, 0.2, c.unit * 2)
        c.rect((main_box[0], main_box[1] + radius, main_box[2], band[3]), c.palette.primary)
        c.mark(band, "plain", c.palette.primary)
        inner = rest
    stub_inner = inset(stub_box, pad, pad)
    if stub:
        mark_box, text_box = split_h(inner, 0.22, pad) if across and layout != "band" else (None, inner)
        if mark_box is not None:
            c.mark(mark_box, treatment, body)
        c.text_block(text_box, main, body, align="left" if across else "center")
        c.text_block(stub_inner, stub, body)
    else:
        c.text_block(inner, main, body, align="left" if across else "center")
        c.mark(stub_inner, treatment, body)
    return layout


def menu(c: Composer, brief: Brief, layout: str, treatment: str) -> str:
    ground = c.palette.background
    items = lines(brief, head_lines=2, each=True)
    head = pick(items, "kicker", "headline", "subline")
    rows = without(items, "kicker", "headline", "subline", "contact", "venue")
    foot = pick(items, "contact", "venue")
    border = c.palette.accent if c.palette.accent != ground else c.palette.primary
    if layout == "board":
        c.rect(c.bleed, c.palette.primary)
        ground = c.palette.primary
    else:
        c.ring(c.frame, border, max(1.5, c.unit * 0.5), shape="rect")
    inner = inset(c.frame, width_of(c.frame) * 0.1, height_of(c.frame) * 0.06)
    mark_box, rest = split_v(inner, 0.12, c.unit * 2)
    c.mark(mark_box, "plain", ground)
    top, body = split_v(rest, 0.28, c.unit * 4)
    c.text_block(top, head, ground)
    centred_rule(c, inner, top[3] + c.unit * 2, 0.2, c.ink_on(ground, border if border != ground else None))
    body = (body[0], body[1] + c.unit * 3, body[2], body[3])
    rows_box, foot_box = split_v(body, 0.82 if foot else 1.0, c.unit * 3)
    c.text_block(rows_box, rows, ground)
    c.text_block(foot_box, foot, ground)
    return layout
