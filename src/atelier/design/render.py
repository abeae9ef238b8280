"""From a design spec to SVG, and from SVG to a raster through Skia's SVG renderer.

Text is set by :mod:`atelier.design.typeset` and written as outline paths, so the SVG looks the
same in every viewer and the raster is exactly what the SVG says. Rendering is synchronous
and CPU-bound: callers on an event loop run it in a thread (the design engine does)."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import skia
from PIL import Image

from atelier.design import typeset
from atelier.design.compose import placed_text

FORMATS = ("png", "jpeg", "webp")
#: Encoder settings: fast PNG (designs are flat colour, they compress well anyway), high-quality
#: lossy JPEG and WebP.
PIL_SAVE: dict[str, tuple[str, dict[str, Any]]] = {
    "png": ("PNG", {"compress_level": 1}),
    "jpeg": ("JPEG", {"quality": 92}),
    "webp": ("WEBP", {"quality": 92, "method": 0}),
}


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def text_placement(
    layer: dict[str, Any], sx: float = 1.0, sy: float = 1.0
) -> tuple[typeset.Fitted | None, list[str], tuple[float, float, float, float]]:
    """Where a text layer's lines go at scale (``sx``, ``sy``): the fit, one SVG path element
    per line, and the ink box in canvas pixels. An empty fit has an empty ink box."""
    x0, y0, x1, y1 = (float(v) for v in layer["box"])
    box = (x0 * sx, y0 * sy, x1 * sx, y1 * sy)
    family, weight = str(layer["font"]), str(layer["weight"])
    tracking = float(layer.get("tracking") or 0.0)
    max_size = layer.get("max_size")
    fitted = typeset.fit(
        placed_text(layer),
        family,
        weight,
        box,
        max_lines=int(layer.get("max_lines") or 1),
        tracking=tracking,
        align=str(layer.get("align") or "center"),
        max_size=float(max_size) * min(sx, sy) if max_size else None,
    )
    if fitted is None:
        return None, [], (box[0], box[1], box[0], box[1])
    elements = []
    for line, (ox, oy) in zip(fitted.lines, fitted.origins, strict=True):
        shaped = typeset.shape_line(line, family, weight, tracking)
        if not shaped.path:
            continue
        elements.append(
            f'<path transform="translate({_n(ox)} {_n(oy)}) scale({fitted.scale:.6f} {-fitted.scale:.6f})" '
            f'd="{shaped.path}" fill="{layer["fill"]}"/>'
        )
    return fitted, elements, fitted.ink


def _layer_svg(layer: dict[str, Any]) -> str:
    kind = layer["type"]
    x0, y0, x1, y1 = (float(v) for v in layer["box"])
    w, h = x1 - x0, y1 - y0
    if kind == "rect":
        radius = float(layer.get("radius") or 0.0)
        rounded = f' rx="{_n(radius)}" ry="{_n(radius)}"' if radius else ""
        return f'<rect x="{_n(x0)}" y="{_n(y0)}" width="{_n(w)}" height="{_n(h)}"{rounded} fill="{layer["fill"]}"/>'
    if kind == "ellipse":
        return (
            f'<ellipse cx="{_n(x0 + w / 2)}" cy="{_n(y0 + h / 2)}" rx="{_n(w / 2)}" ry="{_n(h / 2)}" '
            f'fill="{layer["fill"]}"/>'
        )
    if kind == "ring":
        sw = float(layer["width"])
        # the stroke is centred on the outline: inset by half of it so it stays inside the box
        ix0, iy0, iw, ih = x0 + sw / 2, y0 + sw / 2, w - sw, h - sw
        paint = f'fill="none" stroke="{layer["stroke"]}" stroke-width="{_n(sw)}"'
        if layer.get("shape") == "rect":
            radius = float(layer.get("radius") or 0.0)
            rounded = f' rx="{_n(radius)}" ry="{_n(radius)}"' if radius else ""
            return f'<rect x="{_n(ix0)}" y="{_n(iy0)}" width="{_n(iw)}" height="{_n(ih)}"{rounded} {paint}/>'
        return f'<ellipse cx="{_n(ix0 + iw / 2)}" cy="{_n(iy0 + ih / 2)}" rx="{_n(iw / 2)}" ry="{_n(ih / 2)}" {paint}/>'
    if kind == "icon":
        vx, vy, vw, vh = (float(v) for v in layer["view"])
        scale = min(w / vw, h / vh)
        ox = x0 + (w - vw * scale) / 2 - vx * scale
        oy = y0 + (h - vh * scale) / 2 - vy * scale
        paths = "".join(f'<path d="{d}"/>' for d in layer["paths"])
        return (
            f'<g transform="translate({_n(ox)} {_n(oy)}) scale({scale:.6f})" fill="{layer["fill"]}" '
            f"data-icon={quoteattr(str(layer['slug']))}>{paths}</g>"
        )
    if kind == "text":
        _, elements, _ = text_placement(layer)
        return f"<g data-text={quoteattr(str(layer['text']))}>{''.join(elements)}</g>" if elements else ""
    raise ValueError(f"unknown layer type {kind!r}")


def to_svg(spec: dict[str, Any]) -> str:
    """The spec as a standalone SVG document in canvas pixels."""
    canvas = spec["canvas"]
    width, height = int(canvas["width"]), int(canvas["height"])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{escape(str(spec.get('design_type', 'design')))}</title>",
    ]
    if canvas.get("background"):
        parts.append(f'<rect width="{width}" height="{height}" fill="{canvas["background"]}"/>')
    parts.extend(_layer_svg(layer) for layer in spec["layers"])
    parts.append("</svg>")
    return "".join(p for p in parts if p)


def rasterize(svg: str, *, source_width: int, source_height: int, width: int, height: int) -> np.ndarray:
    """RGBA pixels (unpremultiplied) of ``svg`` drawn at ``width`` × ``height``."""
    dom = skia.SVGDOM.MakeFromStream(skia.MemoryStream(svg.encode()))
    if dom is None:
        raise ValueError("the design's SVG could not be parsed")
    surface = skia.Surface(width, height)
    with surface as canvas:
        canvas.clear(skia.ColorTRANSPARENT)
        canvas.scale(width / source_width, height / source_height)
        dom.render(canvas)
    image = surface.makeImageSnapshot()
    pixels: np.ndarray = image.toarray(colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kUnpremul_AlphaType)
    return pixels


def encode(pixels: np.ndarray, fmt: str, *, alpha: bool, matte: str | None) -> bytes:
    """PNG, JPEG or WebP bytes. With ``alpha`` the transparency is kept (PNG, WebP); JPEG has
    none, so it is laid on ``matte`` (white when none)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    image = Image.fromarray(pixels, "RGBA")
    if not alpha or fmt == "jpeg":
        ground = Image.new("RGBA", image.size, matte or "#FFFFFF")
        image = Image.alpha_composite(ground, image).convert("RGB")
    name, options = PIL_SAVE[fmt]
    out = io.BytesIO()
    image.save(out, name, **options)
    return out.getvalue()
