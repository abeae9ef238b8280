"""The drawing surface of a scene: shapes as SVG paths, and the treatment that turns them
(flat bands, retro, watercolour washes, neon glow, line art).

A brand-constrained drawing is ``strict``: every fill is one of its colours at full opacity,
with no gradient, glow or texture, so each pixel is a palette colour or the anti-aliased
blend of two neighbours (what :mod:`atelier.design.fidelity` accepts)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from atelier.design.colors import mix

Point = tuple[float, float]

#: which roles are solid land (filled, outlined in line art and neon) versus light or detail
SOLID = frozenset({"land", "building", "cloud", "object", "water"})
_NEON_STROKES = ("#00E5FF", "#FF3FD0", "#FFE45C", "#7CFF6B")


def fmt(v: float) -> str:
    text = f"{v:.1f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def poly(points: list[Point], closed: bool = True) -> str:
    head, *rest = points
    body = "".join(f"L{fmt(x)} {fmt(y)}" for x, y in rest)
    return f"M{fmt(head[0])} {fmt(head[1])}{body}{'Z' if closed else ''}"


def rect(x0: float, y0: float, x1: float, y1: float) -> str:
    return f"M{fmt(x0)} {fmt(y0)}H{fmt(x1)}V{fmt(y1)}H{fmt(x0)}Z"


def circle(cx: float, cy: float, r: float) -> str:
    return (
        f"M{fmt(cx - r)} {fmt(cy)}A{fmt(r)} {fmt(r)} 0 1 0 {fmt(cx + r)} {fmt(cy)}"
        f"A{fmt(r)} {fmt(r)} 0 1 0 {fmt(cx - r)} {fmt(cy)}Z"
    )


def ellipse(cx: float, cy: float, rx: float, ry: float) -> str:
    return (
        f"M{fmt(cx - rx)} {fmt(cy)}A{fmt(rx)} {fmt(ry)} 0 1 0 {fmt(cx + rx)} {fmt(cy)}"
        f"A{fmt(rx)} {fmt(ry)} 0 1 0 {fmt(cx - rx)} {fmt(cy)}Z"
    )


@dataclass
class Drawing:
    x0: float
    y0: float
    width: float
    height: float
    treatment: str
    strict: bool
    colours: dict[str, str]
    rng: random.Random
    parts: list[str] = field(default_factory=list)
    defs: list[str] = field(default_factory=list)
    glow: list[str] = field(default_factory=list)
    _ids: int = 0

    @property
    def unit(self) -> float:
        return min(self.width, self.height) / 100

    def fine(self, size: float) -> float:
        """A stroke width or radius for a fine detail. A strict drawing keeps each at least
        2.5 px, so it has a core of its own colour and its edges read as blends."""
        return max(size, 2.5) if self.strict else size

    def c(self, role: str) -> str:
        return self.colours[role]

    def _id(self) -> str:
        self._ids += 1
        return f"sc{self._ids}"

    # -- fills ------------------------------------------------------------------------------
    def vertical(self, y0: float, y1: float, stops: list[tuple[float, str]]) -> str | None:
        """A vertical gradient fill (``url(#…)``), or None when the treatment draws bands."""
        if self.strict or self.treatment in ("flat", "retro", "line"):
            return None
        gid = self._id()
        body = "".join(f'<stop offset="{o:.3f}" stop-color="{c}"/>' for o, c in stops)
        self.defs.append(
            f'<linearGradient id="{gid}" gradientUnits="userSpaceOnUse" x1="0" y1="{fmt(y0)}" x2="0" '
            f'y2="{fmt(y1)}">{body}</linearGradient>'
        )
        return f"url(#{gid})"

    def bands(self, x0: float, y0: float, x1: float, y1: float, stops: list[tuple[float, str]], count: int) -> None:
        """Horizontal bands stepping through ``stops`` (strict: the stops' own colours only)."""
        colours = [c for _, c in stops]
        if self.strict:
            count = len(dict.fromkeys(colours))
            colours = list(dict.fromkeys(colours))
        for i in range(count):
            t = i / max(1, count - 1)
            if self.strict:
                colour = colours[i]
            else:
                at = t * (len(colours) - 1)
                k = min(len(colours) - 2, int(at))
                colour = mix(colours[k], colours[k + 1], at - k)
            top = y0 + (y1 - y0) * i / count
            bottom = y1 if i == count - 1 else top + (y1 - y0) / count + 0.5
            self.parts.append(f'<path d="{rect(x0, top, x1, bottom)}" fill="{colour}"/>')

    # -- shapes -----------------------------------------------------------------------------
    def shape(
        self,
        d: str,
        fill: str,
        *,
        role: str = "land",
        opacity: float = 1.0,
        points: list[Point] | None = None,
        stroke_role: int = 0,
    ) -> None:
        """One filled shape; ``points`` (its outline) lets watercolour wash its edge."""
        if self.strict:
            opacity = 1.0
            if fill.startswith("url("):
                fill = self.c("far")
        line_width = self.fine(max(1.2, self.unit * 0.32))
        if self.treatment == "line":
            if role in SOLID:
                self.parts.append(
                    f'<path d="{d}" fill="{self.c("paper")}" stroke="{self.c("ink")}" '
                    f'stroke-width="{fmt(line_width)}" stroke-linejoin="round"/>'
                )
            else:
                self.parts.append(
                    f'<path d="{d}" fill="none" stroke="{self.c("ink")}" stroke-width="{fmt(line_width * 0.8)}"/>'
                )
            return
        alpha = f' fill-opacity="{opacity:.2f}"' if opacity < 1 else ""
        if self.treatment == "neon" and role in SOLID:
            strokes = (self.c("sun"), self.c("light"), self.c("shine")) if self.strict else _NEON_STROKES
            neon = strokes[stroke_role % len(strokes)]
            stroke = (
                f'<path d="{d}" fill="none" stroke="{neon}" stroke-width="{fmt(line_width)}" stroke-linejoin="round"/>'
            )
            self.parts.append(f'<path d="{d}" fill="{fill}"{alpha}/>' + stroke)
            if not self.strict:
                self.glow.append(stroke)
            return
        if self.treatment == "watercolour" and points and not self.strict:
            for _ in range(2):
                jitter = [
                    (x + self.rng.gauss(0, self.unit * 0.5), y + self.rng.gauss(0, self.unit * 0.6)) for x, y in points
                ]
                self.parts.append(f'<path d="{poly(jitter)}" fill="{fill}" fill-opacity="{0.28 * opacity:.2f}"/>')
            self.parts.append(f'<path d="{d}" fill="{fill}" fill-opacity="{0.72 * opacity:.2f}"/>')
            return
        self.parts.append(f'<path d="{d}" fill="{fill}"{alpha}/>')

    def light(self, d: str, fill: str, *, opacity: float = 1.0, glow: bool = True) -> None:
        """A light source (sun, moon, lit windows, a beam): it glows in neon."""
        if self.strict:
            opacity = 1.0
        alpha = f' fill-opacity="{opacity:.2f}"' if opacity < 1 else ""
        if self.treatment == "line":
            self.parts.append(
                f'<path d="{d}" fill="none" stroke="{self.c("ink")}" stroke-width="{fmt(max(1.0, self.unit * 0.25))}"/>'
            )
            return
        element = f'<path d="{d}" fill="{fill}"{alpha}/>'
        self.parts.append(element)
        if self.treatment == "neon" and glow and not self.strict:
            self.glow.append(element)

    def strokes(self, d: str, colour: str, width: float, *, opacity: float = 1.0, cap: str = "round") -> None:
        if self.strict:
            opacity = 1.0
        if self.treatment == "line":
            colour = self.c("ink")
        width = self.fine(width)
        alpha = f' stroke-opacity="{opacity:.2f}"' if opacity < 1 else ""
        self.parts.append(
            f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{fmt(width)}" stroke-linecap="{cap}"{alpha}/>'
        )

    # -- the finished group ----------------------------------------------------------------------
    def svg(self) -> str:
        extra: list[str] = []
        if self.glow:
            # a glow as wide translucent strokes (a blur filter costs ten times the drawing)
            for grow, alpha in ((5.0, 0.1), (2.6, 0.18)):
                extra.append(f'<g opacity="{alpha}">{"".join(_widened(g, grow, self.unit) for g in self.glow)}</g>')
        if self.treatment == "watercolour" and not self.strict:
            extra.append(self._paper_grain())
        # nothing leaves the scene's box (a safe zone stays clear of strokes and trees)
        clip = self._id()
        box = f'<rect x="{fmt(self.x0)}" y="{fmt(self.y0)}" width="{fmt(self.width)}" height="{fmt(self.height)}"/>'
        self.defs.append(f'<clipPath id="{clip}">{box}</clipPath>')
        defs = f"<defs>{''.join(self.defs)}</defs>"
        return f'<g clip-path="url(#{clip})">{defs}{"".join(self.parts)}{"".join(extra)}</g>'

    def _paper_grain(self) -> str:
        """Watercolour paper: a tile of faint flecks repeated over the drawing (a noise filter
        would cost more than the whole scene)."""
        gid = self._id()
        tile = self.unit * 9
        flecks = "".join(
            circle(self.rng.random() * tile, self.rng.random() * tile, self.unit * self.rng.uniform(0.05, 0.22))
            for _ in range(36)
        )
        self.defs.append(
            f'<pattern id="{gid}" patternUnits="userSpaceOnUse" width="{fmt(tile)}" height="{fmt(tile)}">'
            f'<path d="{flecks}" fill="#5A4A3A" fill-opacity="0.16"/></pattern>'
        )
        return (
            f'<rect x="{fmt(self.x0)}" y="{fmt(self.y0)}" width="{fmt(self.width)}" height="{fmt(self.height)}" '
            f'fill="url(#{gid})"/>'
        )


_WIDTH = re.compile(r'stroke-width="([0-9.]+)"')


def _widened(element: str, grow: float, unit: float) -> str:
    """A glow copy of a neon element: its stroke (or, for a filled light, an outline) widened."""
    if "stroke-width" in element:
        return _WIDTH.sub(lambda m: f'stroke-width="{fmt(float(m.group(1)) * grow)}"', element)
    return element.replace("/>", f' stroke="currentColor" stroke-width="{fmt(unit * 0.4 * grow)}"/>').replace(
        "currentColor", _fill_of(element)
    )


def _fill_of(element: str) -> str:
    match = re.search(r'fill="(#[0-9A-Fa-f]{6})"', element)
    return match.group(1) if match else "#FFFFFF"
