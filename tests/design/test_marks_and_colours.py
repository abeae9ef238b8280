"""Meaning in marks and colours: icons by concept and never a third party's logo, the colours a
brief gives its subject, the brand's first colour leading, and no hue taking over by default."""

from __future__ import annotations

import io
from collections import Counter

import numpy as np
import pytest
from PIL import Image

from atelier import design
from atelier.design import motifs
from atelier.design import palette as palettes
from atelier.design.brief import understand
from atelier.design.colors import NAMED, contrast, hex_to_rgb, to_hls

#: (hue family, upper bound in degrees); hues wrap at 360 into the first family.
FAMILIES = [("red", 15), ("orange", 45), ("yellow", 70), ("green", 160), ("teal", 195), ("blue", 245)]
FAMILIES += [("violet", 290), ("pink", 345), ("red", 361)]


def family(hex_color: str) -> str:
    h, lightness, s = to_hls(hex_color)
    if s < 0.15 or lightness < 0.08 or lightness > 0.95:
        return "neutral"
    degrees = h * 360
    return next(name for name, bound in FAMILIES if degrees < bound)


SUBJECTS = [
    "a bookshop", "a law firm", "a coffee roaster", "a dental clinic", "a yoga studio", "a bike repair shop",
    "a jazz night", "a bakery", "a fintech startup", "a dog groomer", "a florist", "a surf school",
    "an architecture studio", "a toy store", "a wine bar", "a tech conference", "a hiking club", "a barber",
    "a science museum", "a charity run",
]  # fmt: skip
STYLES = ["modern", "minimalist", "vibrant"]


def test_no_hue_family_dominates_unconstrained_designs() -> None:
    """60 briefs naming no colour: no hue family takes more than a quarter of them (violet
    took 28% when each style had a handful of hues)."""
    counts: Counter[str] = Counter()
    for subject in SUBJECTS:
        for style in STYLES:
            spec = design.render(f"{style} logo for {subject}", width=128, height=128).spec
            counts[family(spec["palette"]["primary"])] += 1
    total = sum(counts.values())
    assert total == 60
    assert max(counts.values()) / total <= 0.25, counts
    assert len([f for f in counts if f != "neutral"]) >= 6, counts


def test_the_subject_suggests_the_hue() -> None:
    assert (
        family(design.render("logo for a garden centre", width=128, height=128, seed=1).spec["palette"]["primary"])
        == "green"
    )
    coffee = design.render("logo for a coffee roaster", width=128, height=128, seed=2).spec["palette"]["primary"]
    assert family(coffee) in ("orange", "red")


@pytest.mark.parametrize("word", ["apple", "twitter", "youtube", "android", "spotify", "github", "facebook", "google"])
def test_a_brand_word_never_draws_a_third_partys_logo(word: str) -> None:
    motif = motifs.choose([word])
    assert motif is None or motif.slug not in motifs.brand_slugs(), motif
    spec = design.render(f"poster for {word.title()} Lovers Club™, June 21", width=300, height=400, seed=1).spec
    assert spec["motif"] not in motifs.brand_slugs()


def test_a_trademark_sign_stays_in_the_name_and_apple_is_a_fruit() -> None:
    spec = design.render("poster for Big Apple Bakery™ grand opening", width=400, height=560, seed=3).spec
    assert "Big Apple Bakery™" in [layer["text"] for layer in spec["layers"] if layer["type"] == "text"]
    assert spec["motif"] in ("baguette", "food-croissant", "cupcake", "bread-slice", "food-apple")
    assert motifs.choose(["apple"]) is not None and motifs.choose(["apple"]).slug == "food-apple"  # type: ignore[union-attr]


def test_icons_are_matched_by_concept() -> None:
    cases = {
        "app icon for a weather app": "weather-partly-cloudy",
        "logo for Ironclad Roofing": "home-roof",
        "red sneaker ad for Kicks Co": "shoe-sneaker",
        "podcast cover art for 'Night Shift Stories'": "microphone",
    }
    for prompt, slug in cases.items():
        assert design.render(prompt, width=256, height=256, seed=0).spec["motif"] == slug, prompt


def test_a_subject_colour_leads_the_palette() -> None:
    spec = design.render("red sneaker ad for Kicks Co", width=256, height=256, seed=0).spec
    assert spec["palette"]["primary"] == NAMED["red"]


def test_gold_on_black_puts_gold_on_a_black_ground() -> None:
    for variation in range(3):
        pal = design.render("gold on black logo for Aurum Jewels", width=256, height=256, variation=variation).spec[
            "palette"
        ]
        assert pal["background"] == NAMED["black"]
        assert family(pal["primary"]) in ("orange", "yellow") and contrast(pal["primary"], pal["background"]) >= 3
        assert contrast(pal["text"], pal["background"]) >= 4.5


def test_the_headline_gives_mood_and_a_colour_hint_without_losing_its_words() -> None:
    brief = understand("poster for 'Serene Spa Retreat'")
    assert brief.mood == "calm" and brief.headline == "Serene Spa Retreat"
    red = understand("logo for the Red Lion pub")
    assert red.headline == "Red Lion" and red.colors == () and red.hint_colors == (NAMED["red"],)
    spec = design.render("logo for the Red Lion pub", width=256, height=256, seed=4).spec
    assert family(spec["palette"]["primary"]) == "red"
    assert "Red Lion" in [layer["text"] for layer in spec["layers"] if layer["type"] == "text"]


@pytest.mark.parametrize(
    "brand",
    [
        ["#E11D48", "#FFFFFF", "#111111"],
        ["#0F766E", "#F8FAFC", "#F59E0B"],
        ["#1D4ED8", "#FDE68A"],
        ["#FDE68A", "#1D4ED8"],
    ],
)
def test_the_first_brand_colour_is_the_primary_or_the_ground(brand: list[str]) -> None:
    for variation in range(4):
        pal = palettes.from_constraint(brand, variation)
        assert brand[0] in (pal.primary, pal.background), (variation, pal)
    assert (
        palettes.from_constraint(brand, 1).background == brand[0]
        or palettes.from_constraint(brand, 0).primary == brand[0]
    )


def _shares(data: bytes, colours: list[str]) -> dict[str, float]:
    pixels = np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).reshape(-1, 3).astype(int)
    out = {}
    for colour in colours:
        distance = np.abs(pixels - np.array(hex_to_rgb(colour))).sum(axis=1)
        out[colour] = float((distance < 24).mean())
    return out


@pytest.mark.parametrize("kind", ["logo", "business_card", "social"])
def test_the_first_brand_colour_covers_more_than_any_other_but_the_ground(kind: str) -> None:
    """Ranked by lightness, a first brand colour once covered 0% of the design."""
    brand = ["#0F766E", "#F8FAFC", "#F59E0B", "#111827"]
    for variation in range(2):
        rendered = design.render(
            f"{kind} for 'Harbor Lights' summer festival, June 21",
            width=480,
            height=360,
            design_type=kind,
            palette_hex=brand,
            variation=variation,
            seed=2,
        )
        shares = _shares(rendered.data, brand)
        ground = rendered.spec["palette"]["background"]
        others = [shares[c] for c in brand[1:] if c != ground]
        assert shares[brand[0]] >= 0.04 and shares[brand[0]] >= max(others) * 0.95, (variation, shares, ground)
