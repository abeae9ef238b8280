"""From a design spec to SVG, and from SVG to a raster through Skia's SVG renderer.

Text is set by :mod:`atelier.design.typeset` and written as outline paths, so the SVG looks the
same in every viewer and the raster is exactly what the SVG says. Rendering is synchronous
and CPU-bound: callers on an event loop run it in a thread (the design engine does)."""

from __future__ import annotations

import io
import re
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import skia
from PIL import Image

from atelier.design import scenes, typeset
from atelier.design.colors import is_hex
from atelier.design.composer import placed_text
from atelier.design.fonts import FAMILIES
from atelier.design.png import encode_png

FORMATS = ("png", "jpeg", "webp")
#: Encoder settings: fast PNG (designs are flat colour, they compress well anyway), high-quality
#: lossy JPEG and WebP.
PIL_SAVE: dict[str, tuple[str, dict[str, Any]]] = {
    "png": ("PNG", {"compress_level": 1}),
    "jpeg": ("JPEG", {"quality": 92}),
    "webp": ("WEBP", {"quality": 92, "method": 0}),
}


_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _attr(text: str) -> str:
    """``text`` as a quoted XML attribute, without the characters XML cannot hold."""
    return quoteattr(_NOT_XML.sub(" ", text))


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
            f"data-icon={_attr(str(layer['slug']))}>{paths}</g>"
        )
    if kind == "scene":
        return scenes.scene_svg(layer)
    if kind == "text":
        _, elements, _ = text_placement(layer)
        return f"<g data-text={_attr(str(layer['text']))}>{''.join(elements)}</g>" if elements else ""
    raise ValueError(f"unknown layer type {kind!r}")


def to_svg(spec: dict[str, Any]) -> str:
    """The spec as a standalone SVG document in canvas pixels."""
    canvas = spec["canvas"]
    width, height = int(canvas["width"]), int(canvas["height"])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{escape(_NOT_XML.sub(' ', str(spec.get('design_type', 'design'))))}</title>",
    ]
    if canvas.get("background"):
        parts.append(f'<rect width="{width}" height="{height}" fill="{canvas["background"]}"/>')
    parts.extend(_layer_svg(layer) for layer in spec["layers"])
    parts.append("</svg>")
    return "".join(p for p in parts if p)


def rasterize(svg: str, *, source_width: int, source_height: int, width: int, height: int) -> np.ndarray:
    """RGBA pixels (unpremultiplied) of ``svg`` drawn at ``width`` × ``height``."""
    # the stream copies the bytes: a borrowed buffer may be freed before Skia reads it
    data = svg.encode()
    dom = skia.SVGDOM.MakeFromStream(skia.MemoryStream(data, True))
    if dom is None:
        raise ValueError("the design's SVG could not be parsed")
    surface = skia.Surface(width, height)
    with surface as canvas:
        canvas.clear(skia.ColorTRANSPARENT)
        canvas.scale(width / source_width, height / source_height)
        dom.render(canvas)
    pixels = np.empty((height, width, 4), dtype=np.uint8)
    info = skia.ImageInfo.Make(width, height, skia.kRGBA_8888_ColorType, skia.kUnpremul_AlphaType)
    if not surface.makeImageSnapshot().readPixels(info, pixels, width * 4, 0, 0):
        raise ValueError("the design could not be read back from the renderer")
    return pixels


def encode(pixels: np.ndarray, fmt: str, *, alpha: bool, matte: str | None) -> bytes:
    """PNG, JPEG or WebP bytes. With ``alpha`` the transparency is kept (PNG, WebP); JPEG has
    none, so it is laid on ``matte`` (white when none). Without ``alpha`` the pixels must be
    opaque (the spec has a background)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "png":
        # always RGBA (an opaque design's alpha is 255): dropping the channel costs more than coding it
        return encode_png(pixels)
    if not alpha:
        # an opaque design (its background covers the canvas): the colour channels are the image
        image = Image.fromarray(np.ascontiguousarray(pixels[:, :, :3]), "RGB")
    else:
        image = Image.fromarray(pixels, "RGBA")
        if fmt == "jpeg":
            ground = Image.new("RGBA", image.size, matte or "#FFFFFF")
            image = Image.alpha_composite(ground, image).convert("RGB")
    name, options = PIL_SAVE[fmt]
    out = io.BytesIO()
    image.save(out, name, **options)
    return out.getvalue()


_LAYER_FIELDS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "rect": {"box": list, "fill": str},
    "ellipse": {"box": list, "fill": str},
    "ring": {"box": list, "stroke": str, "width": (int, float)},
    "icon": {"box": list, "fill": str, "paths": list, "view": list, "slug": str},
    "text": {"box": list, "fill": str, "text": str, "font": str, "weight": str},
    "scene": {"box": list, "fill": str, "scene": dict},
}
_PATH_DATA = re.compile(r"^[MmLlHhVvCcSsQqTtAaZz0-9eE.,+\-\s]*$")
MAX_LAYERS = 200


def check_spec(spec: Any) -> None:
    """ValueError naming the first problem of a (possibly hand-edited) spec, so a bad edit is
    a clear client error and never reaches the renderer."""
    if not isinstance(spec, dict):
        raise ValueError("spec must be an object")
    canvas = spec.get("canvas")
    if not isinstance(canvas, dict):
        raise ValueError("spec.canvas must be an object")
    for name in ("width", "height"):
        value = canvas.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not 16 <= value <= 2048:
            raise ValueError(f"spec.canvas.{name} must be an integer between 16 and 2048")
    background = canvas.get("background")
    if background is not None and not (isinstance(background, str) and is_hex(background)):
        raise ValueError("spec.canvas.background must be a #RRGGBB colour or null")
    palette = spec.get("palette")
    if not isinstance(palette, dict) or not (
        isinstance(palette.get("background"), str) and is_hex(palette["background"])
    ):
        raise ValueError("spec.palette.background must be a #RRGGBB colour")
    layers = spec.get("layers")
    if not isinstance(layers, list) or len(layers) > MAX_LAYERS:
        raise ValueError(f"spec.layers must be a list of at most {MAX_LAYERS} layers")
    for index, layer in enumerate(layers):
        where = f"spec.layers[{index}]"
        if not isinstance(layer, dict) or layer.get("type") not in _LAYER_FIELDS:
            raise ValueError(f"{where}.type must be one of {', '.join(_LAYER_FIELDS)}")
        for name, kind in _LAYER_FIELDS[layer["type"]].items():
            if not isinstance(layer.get(name), kind) or isinstance(layer.get(name), bool):
                raise ValueError(f"{where}.{name} is missing or has the wrong type")
        box = layer["box"]
        if len(box) != 4 or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in box):
            raise ValueError(f"{where}.box must be four numbers [x0, y0, x1, y1]")
        colour = layer.get("stroke") if layer["type"] == "ring" else layer.get("fill")
        if not isinstance(colour, str) or not is_hex(colour) or len(colour) != 7:
            raise ValueError(f"{where} colour must be a #RRGGBB colour")
        if layer["type"] == "text":
            if layer["font"] not in FAMILIES:
                raise ValueError(f"{where}.font must be one of {', '.join(FAMILIES)}")
            if len(layer["text"]) > 200:
                raise ValueError(f"{where}.text is longer than 200 characters")
            lines = layer.get("max_lines", 1)
            if not isinstance(lines, int) or isinstance(lines, bool) or not 1 <= lines <= 6:
                raise ValueError(f"{where}.max_lines must be an integer from 1 to 6")
            if layer.get("align", "center") not in ("left", "center", "right"):
                raise ValueError(f"{where}.align must be left, center or right")
        for name, low, high in (("tracking", -0.2, 1.0), ("max_size", 1.0, 4096.0), ("radius", 0.0, 4096.0)):
            value = layer.get(name)
            if value is not None and (
                not isinstance(value, int | float) or isinstance(value, bool) or not low <= value <= high
            ):
                raise ValueError(f"{where}.{name} must be a number from {low} to {high}")
        if layer["type"] == "scene":
            scenes.check_scene(layer["scene"], f"{where}.scene")
        if layer["type"] == "icon":
            view = layer["view"]
            if len(view) != 4 or not all(isinstance(v, int | float) for v in view) or view[2] <= 0 or view[3] <= 0:
                raise ValueError(f"{where}.view must be four numbers with a positive width and height")
            if not all(isinstance(d, str) and _PATH_DATA.match(d) for d in layer["paths"]):
                raise ValueError(f"{where}.paths must be SVG path data")
