"""Render+encode time of the built-in design engine per size and format, beside Pillow
encoding an image of the same size alone (the floor any engine pays), in the same run."""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable

from PIL import Image

from atelier import design

SIZES = (512, 1024, 2048)
FORMATS = ("png", "jpeg", "webp")
RUNS = 7
PROMPT = "vibrant poster for a jazz festival, 'Blue Notes Night', June 21"
PIL_FORMATS = {"png": ("PNG", {"compress_level": 1}), "jpeg": ("JPEG", {"quality": 92}),
               "webp": ("WEBP", {"quality": 90, "method": 0})}


def median_ms(fn: Callable[[], object]) -> float:
    fn()  # warm caches (fonts, codecs)
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def pillow_only(side: int, fmt: str) -> Callable[[], object]:
    image = design.render(PROMPT, width=side, height=side, fmt="png")
    decoded = Image.open(io.BytesIO(image.data)).convert("RGB")
    name, options = PIL_FORMATS[fmt]

    def encode() -> object:
        out = io.BytesIO()
        decoded.save(out, name, **options)
        return out

    return encode


def main() -> None:
    print(f"{'size':>6} {'format':>6} {'render+encode ms':>17} {'pillow encode ms':>17} {'ratio':>6}")
    for side in SIZES:
        for fmt in FORMATS:
            engine = median_ms(lambda s=side, f=fmt: design.render(PROMPT, width=s, height=s, fmt=f, seed=1))
            baseline = median_ms(pillow_only(side, fmt))
            print(f"{side:>5}² {fmt:>6} {engine:>17.1f} {baseline:>17.1f} {engine / baseline:>6.2f}")


if __name__ == "__main__":
    main()
