"""Setting text with real font metrics: HarfBuzz shapes (kerning, ligatures), fontTools gives
outlines and their bounds, and the fit is exact: the ink of every line lies inside the box.

Text becomes outline paths in the SVG, so every viewer and the rasteriser draw the same
glyphs, and the ink box computed here is the one that gets drawn."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations, pairwise

import uharfbuzz as hb
from fontTools.pens.boundsPen import ControlBoundsPen  # type: ignore[import-untyped]
from fontTools.pens.svgPathPen import SVGPathPen  # type: ignore[import-untyped]
from fontTools.pens.transformPen import TransformPen  # type: ignore[import-untyped]
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from atelier.design.fonts import available, family_path

LINE_STEP = 1.18  # baseline to baseline, in em
MAX_WORDS_FOR_BALANCE = 18
#: fontTools loads glyphs lazily and is not thread-safe; renders run in worker threads.
_FONT_LOCK = threading.RLock()


@dataclass(frozen=True)
class ShapedLine:
    text: str
    path: str  # SVG path data in font units, y up, origin at the baseline start
    ink: tuple[float, float, float, float]  # xmin, ymin, xmax, ymax in font units (y up)
    upem: int


@dataclass(frozen=True)
class Fitted:
    size: float
    lines: tuple[str, ...]
    #: per line: (x of the baseline origin, y of the baseline), canvas pixels
    origins: tuple[tuple[float, float], ...]
    ink: tuple[float, float, float, float]  # canvas pixels, y down
    scale: float  # canvas pixels per font unit


class _Font:
    def __init__(self, path: str) -> None:
        self.tt = TTFont(path, lazy=True)
        self.glyphs = self.tt.getGlyphSet()
        self.upem: int = self.tt["head"].unitsPerEm
        self.cmap: dict[int, str] = self.tt.getBestCmap() or {}
        self.hb_font = hb.Font(hb.Face(hb.Blob.from_file_path(path)))


@lru_cache(maxsize=32)
def _font(family: str, weight: str) -> _Font:
    with _FONT_LOCK:
        return _Font(str(family_path(family, weight)))


def supported(text: str, family: str, weight: str) -> str:
    """``text`` without the characters the font has no glyph for (whitespace collapsed)."""
    with _FONT_LOCK:
        cmap = _font(family, weight).cmap
    kept = "".join(ch if (ord(ch) in cmap or ch == " ") else " " for ch in text.replace("\n", " "))
    return " ".join(kept.split())


def missing(text: str, family: str, weight: str) -> str:
    """The characters of ``text`` the font has no glyph for, each once, in order."""
    with _FONT_LOCK:
        cmap = _font(family, weight).cmap
    return "".join(dict.fromkeys(ch for ch in text if not ch.isspace() and ord(ch) not in cmap))


def in_some_shipped_font(ch: str) -> bool:
    with _FONT_LOCK:
        return any(ord(ch) in _font(family, "regular").cmap for family in available())


@lru_cache(maxsize=4096)
def shape_line(text: str, family: str, weight: str, tracking: float = 0.0) -> ShapedLine:
    with _FONT_LOCK:
        return _shape_line(text, family, weight, tracking)


def _shape_line(text: str, family: str, weight: str, tracking: float) -> ShapedLine:
    font = _font(family, weight)
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(font.hb_font, buf, {"kern": True, "liga": True})
    pen = SVGPathPen(font.glyphs)
    bounds = ControlBoundsPen(font.glyphs)
    x = 0.0
    extra = tracking * font.upem
    order = font.tt.getGlyphOrder()
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        name = order[info.codepoint] if info.codepoint < len(order) else ".notdef"
        if info.codepoint != 0 and name in font.glyphs:
            offset = (1, 0, 0, 1, x + pos.x_offset, pos.y_offset)
            font.glyphs[name].draw(TransformPen(pen, offset))
            font.glyphs[name].draw(TransformPen(bounds, offset))
        x += pos.x_advance + extra
    ink = (0.0, 0.0, 0.0, 0.0) if bounds.bounds is None else tuple(float(v) for v in bounds.bounds)
    return ShapedLine(text, pen.getCommands(), ink, font.upem)  # type: ignore[arg-type]


def _splits(words: list[str], lines: int) -> list[list[str]]:
    """Every way of breaking ``words`` into ``lines`` lines, in order."""
    if lines == 1:
        return [[" ".join(words)]]
    result = []
    for cuts in combinations(range(1, len(words)), lines - 1):
        bounds = (0, *cuts, len(words))
        result.append([" ".join(words[a:b]) for a, b in pairwise(bounds)])
    return result


#: Marks that bind the words either side: no line starts or ends with one ("Anna &" / "& Ben").
_BINDERS = ("&", "·", "+", "–", "—", "-", "|", "/")


def breaks_well(lines: list[str] | tuple[str, ...]) -> bool:
    """Whether no line of a break starts or ends with a binding mark such as "&"."""
    return not any(line.startswith(_BINDERS) or line.endswith(_BINDERS) for line in lines)


def _block(lines: list[ShapedLine]) -> tuple[float, float, float, float]:
    """Ink box of stacked lines in font units, y down, first baseline at 0. Every line is
    placed by its own ink (flush or centred), so the block is as wide as its widest line."""
    upem = lines[0].upem
    widest = max(line.ink[2] - line.ink[0] for line in lines)
    top = min(i * LINE_STEP * upem - line.ink[3] for i, line in enumerate(lines))
    bottom = max(i * LINE_STEP * upem - line.ink[1] for i, line in enumerate(lines))
    return 0.0, top, widest, bottom


def fit(
    text: str,
    family: str,
    weight: str,
    box: tuple[float, float, float, float],
    *,
    max_lines: int = 1,
    tracking: float = 0.0,
    align: str = "center",
    max_size: float | None = None,
) -> Fitted | None:
    """The largest size at which ``text`` fits ``box`` on at most ``max_lines`` balanced lines,
    placed by its ink (not by its em box) so it sits optically centred or flush. ``None`` when
    there is nothing to draw."""
    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0
    words = text.split()
    if not words or width <= 1 or height <= 1:
        return None
    best: tuple[float, list[ShapedLine]] | None = None
    upper = min(max_lines, len(words)) if len(words) <= MAX_WORDS_FOR_BALANCE else 1
    for count in range(1, upper + 1):
        for split in _splits(words, count):
            if count > 1 and not breaks_well(split):
                continue
            shaped = [shape_line(line, family, weight, tracking) for line in split]
            left, top, right, bottom = _block(shaped)
            if right - left <= 0 or bottom - top <= 0:
                continue
            scale = min(width / (right - left), height / (bottom - top))
            # another line must earn its place: a clearly bigger size, not a marginal one
            if best is None or scale > best[0] * (1.0 if count == len(best[1]) else 1.25):
                best = (scale, shaped)
    if best is None:
        return None
    scale, shaped = best
    upem = shaped[0].upem
    if max_size is not None:
        scale = min(scale, max_size / upem)
    # a hair inside the box so anti-aliasing of the outermost ink stays within it too
    scale *= 0.995
    _, top, _, bottom = _block(shaped)
    ink_h = (bottom - top) * scale
    oy = y0 + (height - ink_h) / 2 - top * scale
    origins = []
    for i, line in enumerate(shaped):
        line_w = (line.ink[2] - line.ink[0]) * scale
        if align == "left":
            ox = x0 - line.ink[0] * scale
        elif align == "right":
            ox = x1 - line_w - line.ink[0] * scale
        else:
            ox = x0 + (width - line_w) / 2 - line.ink[0] * scale
        origins.append((ox, oy + i * LINE_STEP * upem * scale))
    ink_left = min(o[0] + line.ink[0] * scale for o, line in zip(origins, shaped, strict=True))
    ink_right = max(o[0] + line.ink[2] * scale for o, line in zip(origins, shaped, strict=True))
    ink_top = oy + top * scale
    return Fitted(
        size=scale * upem,
        lines=tuple(line.text for line in shaped),
        origins=tuple(origins),
        ink=(ink_left, ink_top, ink_right, ink_top + ink_h),
        scale=scale,
    )
