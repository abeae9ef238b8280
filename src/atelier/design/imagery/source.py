"""An input image as the design engine sees it: decoded to RGBA at the canvas size, told
apart as a logo (transparency or few flat colours) or a photo, with its dominant colours
for a palette that belongs with it."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image

from atelier.design.colors import rgb_to_hex


@dataclass(frozen=True)
class Source:
    pixels: np.ndarray  # RGBA, uint8
    kind: str  # "logo" or "photo"
    colours: tuple[str, ...]
    resized: bool

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.convert("RGBA")


def classify(rgba: np.ndarray) -> str:
    """A logo has real transparency or a handful of flat colours; anything else is a photo."""
    alpha = rgba[:, :, 3]
    if (alpha < 250).mean() > 0.05:
        return "logo"
    small = np.asarray(Image.fromarray(rgba).convert("RGB").resize((64, 64), Image.Resampling.NEAREST))
    quantised = (small // 16).reshape(-1, 3).astype(np.int64)
    _, counts = np.unique(quantised[:, 0] * 256 + quantised[:, 1] * 16 + quantised[:, 2], return_counts=True)
    top = np.sort(counts)[::-1][:6].sum() / counts.sum()
    return "logo" if top > 0.9 else "photo"


def dominant(rgba: np.ndarray, count: int = 3) -> tuple[str, ...]:
    """The image's main colours (opaque pixels, quantised), most frequent first."""
    small = np.asarray(Image.fromarray(rgba).resize((48, 48), Image.Resampling.BILINEAR))
    opaque = small[small[:, :, 3] > 200][:, :3].astype(np.int64)
    if not len(opaque):
        return ()
    bins = opaque // 32
    keys = bins[:, 0] * 64 + bins[:, 1] * 8 + bins[:, 2]
    values, counts = np.unique(keys, return_counts=True)
    out = []
    for key in values[np.argsort(counts)[::-1]][:count]:
        mean = opaque[keys == key].mean(axis=0).round().astype(int)
        out.append(rgb_to_hex((int(mean[0]), int(mean[1]), int(mean[2]))))
    return tuple(out)


def load(data: bytes, width: int, height: int) -> Source:
    image = decode(data)
    resized = image.size != (width, height)
    rgba = np.asarray(image)
    return Source(rgba, classify(rgba), dominant(rgba), resized)


def fitted(rgba: np.ndarray, width: int, height: int, *, cover: bool) -> np.ndarray:
    """``rgba`` scaled to ``width`` × ``height``: cropped to fill (``cover``) or letterboxed
    with transparency (contain)."""
    image = Image.fromarray(rgba)
    scale = (max if cover else min)(width / image.width, height / image.height)
    w, h = max(1, round(image.width * scale)), max(1, round(image.height * scale))
    scaled = image.resize((w, h), Image.Resampling.LANCZOS)
    out = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    out.paste(scaled, ((width - w) // 2, (height - h) // 2))
    return np.asarray(out)
