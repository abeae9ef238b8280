"""The built-in design engine's speed, as ratios against baselines measured in the same run
(the machine may be shared and busy: absolute times vary, ratios much less).

1. Render + encode per size and format, beside Pillow encoding the same pixels alone (the
   floor any engine pays).
2. The targets of the second edition:
   - a 1024² PNG logo renders and encodes in ≤ 1.5 × the time Pillow takes to encode the
     same pixels (Pillow at its fastest PNG setting, ``compress_level=1``);
   - a scene renders in ≤ 150 ms at 1024² (printed with its ratio to Pillow's encode too).

Run: ``PYTHONPATH=src:. python bench/bench_design.py`` (``--quick`` for the targets only)."""

from __future__ import annotations

import io
import statistics
import sys
import time
from collections.abc import Callable

from PIL import Image

from atelier import design

SIZES = (512, 1024, 2048)
FORMATS = ("png", "jpeg", "webp")
RUNS = 7
PROMPT = "vibrant poster for a jazz festival, 'Blue Notes Night', June 21"
LOGO = "minimal logo for 'Blue Fern' studio"
SCENES = (
    "A beautiful sunset over mountains",
    "a city skyline at night",
    "a lighthouse on the coast on a stormy night, rain",
    "a tropical beach at sunrise with palm trees",
    "a snowy pine forest with a village in winter, snowfall",
    "neon city skyline",
    "watercolour hills at dawn with fog",
)
PIL_FORMATS = {
    "png": ("PNG", {"compress_level": 1}),
    "jpeg": ("JPEG", {"quality": 92}),
    "webp": ("WEBP", {"quality": 90, "method": 0}),
}
LOGO_TARGET = 1.5
SCENE_TARGET_MS = 150.0


def median_ms(fn: Callable[[], object], runs: int = RUNS) -> float:
    fn()  # warm caches (fonts, codecs)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def pillow_only(prompt: str, side: int, fmt: str) -> Callable[[], object]:
    """Pillow encoding the very pixels the engine drew for ``prompt``."""
    image = design.render(prompt, width=side, height=side, fmt="png", seed=1)
    decoded = Image.open(io.BytesIO(image.data)).convert("RGB")
    name, options = PIL_FORMATS[fmt]

    def encode() -> object:
        out = io.BytesIO()
        decoded.save(out, name, **options)
        return out

    return encode


def paired(engine: Callable[[], object], baseline: Callable[[], object], rounds: int = 5) -> tuple[float, float]:
    """Engine and baseline timed in alternation, so a burst of load hits both alike."""
    engine_ms, base_ms = [], []
    for _ in range(rounds):
        engine_ms.append(median_ms(engine, 3))
        base_ms.append(median_ms(baseline, 3))
    return statistics.median(engine_ms), statistics.median(base_ms)


def targets() -> None:
    print("\ntargets (1024², PNG)")
    print(f"{'what':<58} {'ms':>8} {'pillow ms':>10} {'ratio':>6} {'target':>8}")
    logo, base = paired(
        lambda: design.render(LOGO, width=1024, height=1024, fmt="png", seed=1), pillow_only(LOGO, 1024, "png")
    )
    verdict = "met" if logo / base <= LOGO_TARGET else "MISSED"
    print(f"{'logo render+encode':<58} {logo:>8.1f} {base:>10.1f} {logo / base:>6.2f} ≤{LOGO_TARGET:.1f}× {verdict}")
    for prompt in SCENES:
        scene, base = paired(
            lambda p=prompt: design.render(p, width=1024, height=1024, fmt="png", seed=1),  # type: ignore[misc]
            pillow_only(prompt, 1024, "png"),
            rounds=3,
        )
        verdict = "met" if scene <= SCENE_TARGET_MS else "MISSED"
        name = f"scene: {prompt}"[:58]
        print(f"{name:<58} {scene:>8.1f} {base:>10.1f} {scene / base:>6.2f} ≤{SCENE_TARGET_MS:.0f}ms {verdict}")


def table() -> None:
    print(f"{'size':>6} {'format':>6} {'render+encode ms':>17} {'pillow encode ms':>17} {'ratio':>6}")
    for side in SIZES:
        for fmt in FORMATS:
            engine = median_ms(lambda s=side, f=fmt: design.render(PROMPT, width=s, height=s, fmt=f, seed=1))  # type: ignore[misc]
            baseline = median_ms(pillow_only(PROMPT, side, fmt))
            print(f"{side:>5}² {fmt:>6} {engine:>17.1f} {baseline:>17.1f} {engine / baseline:>6.2f}")


def main() -> None:
    if "--quick" not in sys.argv:
        table()
    targets()


if __name__ == "__main__":
    main()
