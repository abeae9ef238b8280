"""Business cards, invitations and certificates (vouchers too), laid out like the printed thing."""

from __future__ import annotations

from atelier.design.boxes import height_of, inset, split_h, split_v, square_in, width_of
from atelier.design.brief import Brief
from atelier.design.composer import Composer
from atelier.design.formats.common import centred_rule, clip, ground_ink, lines, rule, tall
from atelier.design.roles import pick, without

CONTACT_ROLES = ("contact", "venue", "details", "offer", "cta", "fine")


def business_card(c: Composer, brief: Brief, layout: str, treatment: str) -> str:
    ground = c.palette.background
    ident = lines(brief, "kicker", "headline", "subline")
    contact = lines(brief, *CONTACT_ROLES, each=True)
    if layout == "panel":
        if tall(c.frame):
            panel, rest = split_v(c.bleed, 0.38)
            body = inset((c.frame[0], rest[1], c.frame[2], c.frame[3]), 0, height_of(rest) * 0.08)
        else:
            panel, rest = split_h(c.bleed, 0.36)
            body = inset((rest[0], c.frame[1], c.frame[2], c.frame[3]), width_of(rest) * 0.1, 0)
        c.rect(panel, c.palette.primary)
        c.mark(inset(clip(panel, c.frame), width_of(panel) * 0.2, height_of(panel) * 0.2), "plain", c.palette.primary)
        top, bottom = split_v(body, 0.5, c.unit * 4)
        align = "center" if tall(c.frame) else "left"
        c.text_block(top, ident, ground, align=align)
        c.text_block(bottom, contact, ground, align=align)
    elif layout == "centered":
        mark_box, rest = split_v(c.frame, 0.28, c.unit * 3)
        c.mark(mark_box, treatment, ground)
        top, bottom = split_v(rest, 0.5, c.unit * 5)
        c.text_block(top, ident, ground)
        centred_rule(c, c.frame, (top[3] + bottom[1]) / 2, 0.12, ground_ink(c, ground))
        c.text_block(bottom, contact, ground)
    else:  # classic: name top left, mark top right, contacts along the foot, a rule between
        top, bottom = split_v(c.frame, 0.52, c.unit * 6)
        text_box, mark_box = split_h(top, 0.74, c.unit * 4)
        c.text_block(text_box, ident, ground, align="left")
        side = min(width_of(mark_box), height_of(mark_box)) * 0.8
        c.mark((mark_box[2] - side, mark_box[1], mark_box[2], mark_box[1] + side), treatment, ground)
        rule(c, c.frame[0], c.frame[0] + width_of(c.frame) * 0.18, (top[3] + bottom[1]) / 2, ground_ink(c, ground))
        c.text_block(bottom, contact, ground, align="left")
    return layout


def invitation(c: Composer, brief: Brief, layout: str, treatment: str) -> str:
    ground = c.palette.background
    items = lines(brief, head_lines=3)
    head = pick(items, "kicker", "headline", "subline")
    rest = without(items, "kicker", "headline", "subline")
    border = c.palette.accent if c.palette.accent != ground else c.palette.primary
    if layout == "band":
        band, _ = split_v(c.bleed, 0.3)
        c.rect(band, c.palette.primary)
        c.mark(inset(clip(band, c.frame), 0, height_of(band) * 0.18), "plain", c.palette.primary)
        body = inset((c.frame[0], band[3] + c.unit * 5, c.frame[2], c.frame[3]), width_of(c.frame) * 0.08, 0)
        top, bottom = split_v(body, 0.5, c.unit * 4)
        c.text_block(top, head, ground)
        c.text_block(bottom, rest, ground)
    else:  # classic / framed: a double fine border, an ornament, everything centred
        c.ring(c.frame, border, max(2.5, c.unit * 0.6), shape="rect")
        if layout == "framed":
            c.ring(inset(c.frame, c.unit * 2.2), border, max(2.5, c.unit * 0.25), shape="rect")
        inner = inset(c.frame, width_of(c.frame) * 0.12, height_of(c.frame) * 0.1)
        mark_box, body = split_v(inner, 0.16, c.unit * 2)
        c.mark(mark_box, "plain", ground)
        top, bottom = split_v(body, 0.56 if rest else 1.0, c.unit * 5)
        c.text_block(top, head, ground)
        if rest:
            centred_rule(c, inner, (top[3] + bottom[1]) / 2, 0.1, border)
            c.text_block(bottom, rest, ground)
    return layout


def certificate(c: Composer, brief: Brief, layout: str, treatment: str) -> str:
    """A certificate (recipient large, its title above, a seal) or a voucher (a value panel)."""
    ground = c.palette.background
    items = lines(brief, head_lines=2)
    head = pick(items, "kicker", "headline", "subline")
    rest = without(items, "kicker", "headline", "subline")
    value = pick(items, "offer")
    if value or "voucher" in (brief.prompt.lower()):
        layout = "voucher"
    elif layout == "voucher":
        layout = "formal"
    if layout == "voucher":
        panel, right = split_h(c.bleed, 0.34) if not tall(c.frame) else split_v(c.bleed, 0.34)
        c.rect(panel, c.palette.primary)
        inner = inset(clip(panel, c.frame), width_of(panel) * 0.12, height_of(panel) * 0.14)
        mark_box, value_box = split_v(inner, 0.45 if value else 1.0, c.unit * 3)
        c.mark(mark_box, "plain", c.palette.primary)
        body = inset(clip(right, c.frame), width_of(right) * 0.08, height_of(right) * 0.06)
        top, bottom = split_v(body, 0.55, c.unit * 4)
        c.text_block(top, head, ground, align="left" if not tall(c.frame) else "center")
        c.text_block(bottom, without(rest, "offer"), ground, align="left" if not tall(c.frame) else "center")
        c.text_block(value_box, value, c.palette.primary)
        return layout
    primary = c.palette.primary
    c.ring(c.frame, primary, max(2.0, c.unit * 1.4), shape="rect")
    c.ring(inset(c.frame, c.unit * 2.4), c.palette.accent if c.palette.accent != ground else primary, 2.5, shape="rect")
    inner = inset(c.frame, width_of(c.frame) * 0.1, height_of(c.frame) * 0.12)
    top, foot = split_v(inner, 0.66, c.unit * 3)
    c.text_block(top, head, ground)
    centred_rule(c, inner, top[3] + c.unit * 1.5, 0.3, c.ink_on(ground, c.palette.accent))
    seal_frac = 0.3 if layout == "formal" else 0.0
    text_box, seal = split_h(foot, 1 - seal_frac, c.unit * 3) if seal_frac else (foot, None)
    c.text_block(inset(text_box, 0, height_of(foot) * 0.12), rest, ground, align="left" if seal else "center")
    if seal is not None:
        area = square_in(seal)
        c.ring(area, primary, width_of(area) * 0.05)
        c.mark(square_in(area, 0.72), "plain", ground)
    return layout
