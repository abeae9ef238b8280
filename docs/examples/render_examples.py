"""Regenerates the example designs shown in the README: ``PYTHONPATH=src python docs/examples/render_examples.py``.

Designs across types, drawn scenes, a staged product, and two edits (a photo laid out as a
poster's hero, and a masked edit that draws only in the mask's transparent band)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

from atelier import design
from atelier.design import imagery

EXAMPLES = {
    "blue-fern-logo": ("minimalist logo for 'Blue Fern' coffee shop, green and cream", 512, 512),
    "jazz-poster": ("vibrant poster for a jazz festival, 'Blue Notes Night', June 21", 512, 724),
    "law-banner": ("corporate banner 1500x500 for a law firm 'Hart & Vale'", 1500, 500),
    "fitness-icon": ("modern app icon for a fitness tracker", 512, 512),
    "wedding-card": ("elegant wedding invitation card", 700, 500),
    "sunset-mountains": ("A beautiful sunset over mountains", 512, 512),
    "city-night": ("a city skyline at night", 512, 512),
    "lighthouse-storm": ("a lighthouse on the coast on a stormy night, rain", 512, 512),
    "retro-ocean": ("retro sunset over the ocean", 512, 512),
    "neon-city": ("neon city skyline", 512, 512),
    "snow-village": ("a snowy pine forest with a village in winter, snowfall", 512, 512),
    "beach-poster": ("poster for a beach party 'Summer Splash' with a sunset over the sea, June 21", 512, 724),
    "sneaker-product": ("product photo of a red sneaker", 512, 512),
}


def photo(side: int) -> bytes:
    """A stand-in photograph (a drawn dusk lake), so the examples need no file from outside."""
    return design.render("watercolour mountains and a lake at dusk", width=side, height=side, seed=3).data


def main() -> None:
    here = Path(__file__).parent
    for name, (prompt, width, height) in EXAMPLES.items():
        rendered = design.render(prompt, width=width, height=height, seed=1)
        (here / f"{name}.png").write_bytes(rendered.data)
        print(name, rendered.spec["design_type"], rendered.spec["layout"], rendered.spec["motif"])
    hero = imagery.edit(
        "poster for 'Lakeside Sessions' concert, Saturday 8pm", photo(512), None, width=512, height=724, seed=2
    )
    (here / "edit-hero-poster.png").write_bytes(hero.data)
    mask = np.full((512, 512, 4), 255, dtype=np.uint8)
    mask[360:480, 40:472, 3] = 0  # draw only in this band
    out = io.BytesIO()
    Image.fromarray(mask).save(out, "PNG")
    masked = imagery.edit(
        "a label that says 'Quiet Hours', 10pm", photo(512), out.getvalue(), width=512, height=512, seed=2
    )
    (here / "edit-masked.png").write_bytes(masked.data)
    print("edits", hero.spec["layout"], masked.spec.get("edit"))


if __name__ == "__main__":
    main()
