"""The formats people order: detected from the brief, all their copy set, no overlapping text,
the type scale held, the same bytes for the same seed."""

from __future__ import annotations

from itertools import combinations

import pytest

from atelier import design
from atelier.design.brief import understand
from atelier.design.render import text_placement

FORMATS = {
    "business_card": ("business card for Dr Amir Patel, surgeon, +44 161 496 0123, www.patel.co.uk", 525, 300),
    "ticket": ("ticket for Midnight Cinema Club, Thursday Oct 30, 11pm, admit one, $8", 500, 200),
    "invitation": ("wedding invitation for 'Lucy & Tom', Saturday 5 September 2026, 3pm, Hartwell House", 375, 525),
    "certificate": ("certificate of achievement for Priya Nair, Advanced Pottery Course, March 2026", 700, 500),
    "menu": ("menu card for Casa Verde Taqueria, Taco Tuesday, 2 tacos for $5, 5pm–10pm", 400, 550),
    "email_header": ("email header for Brightside Books newsletter, 20% off for members", 600, 200),
    "thumbnail": ("youtube thumbnail: '5 Mistakes Every New Runner Makes'", 640, 360),
    "cover": ("podcast cover art for 'The Slow Kitchen', hosted by Mara Lind", 500, 500),
    "app_icon": ("app icon for Tidewater weather app", 256, 256),
    "monogram": ("monogram for Eleanor Grace Whitfield", 400, 400),
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(FORMATS))
def test_a_format_is_detected_sets_its_copy_and_keeps_its_hierarchy(kind: str) -> None:
    prompt, width, height = FORMATS[kind]
    assert understand(prompt, width, height).design_type == kind
    for variation in range(3):
        rendered = design.render(prompt, width=width, height=height, seed=5, variation=variation)
        spec = rendered.spec
        assert spec["design_type"] == kind
        if kind != "app_icon":
            assert all(item["set"] for item in spec["copy"]), (spec["layout"], spec["copy"], rendered.notes)
        texts = [layer for layer in spec["layers"] if layer["type"] == "text"]
        for a, b in combinations([layer["box"] for layer in texts], 2):
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (spec["layout"], a, b)
        sizes = {}
        for layer in texts:
            fitted, _, _ = text_placement(layer)
            assert fitted is not None
            assert not any(line.startswith("&") for line in fitted.lines), fitted.lines
            sizes.setdefault(layer["role"], []).append(fitted.size)
        if "headline" in sizes:
            others = [
                s for role, values in sizes.items() if role not in ("headline", "initial", "monogram") for s in values
            ]
            assert all(sizes["headline"][0] >= 1.5 * s * 0.99 for s in others), (spec["layout"], sizes)
    again = design.render(prompt, width=width, height=height, seed=5)
    assert again.data == design.render(prompt, width=width, height=height, seed=5).data
