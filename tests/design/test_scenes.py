"""Scenes, drawn: each family at its sizes, without a caption when the brief has no copy,
within the brand palette when one is given, the same bytes for the same seed and another
scene for another seed."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from atelier import design
from atelier.design.fidelity import score
from atelier.design.render import check_spec

FAMILIES = {
    "mountains": "A beautiful sunset over mountains",
    "city": "a city skyline at night",
    "beach": "a tropical beach at sunrise with palm trees",
    "forest": "a snowy pine forest with a village in winter, snowfall",
    "lighthouse": "a lighthouse on the coast on a stormy night, rain",
    "water": "retro sunset over the ocean",
    "neon": "neon city skyline",
    "line": "line art mountains and a lake",
    "watercolour": "watercolour hills at dawn with fog",
}
BRAND = ["#0B2545", "#13315C", "#8DA9C4", "#EEF4ED", "#E07A5F"]


def _layer_types(spec: dict[str, object]) -> list[str]:
    return [str(layer["type"]) for layer in spec["layers"]]  # type: ignore[index, union-attr]


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_a_scene_brief_is_drawn_as_a_scene_without_a_caption(family: str) -> None:
    rendered = design.render(FAMILIES[family], width=320, height=240, seed=11)
    image = Image.open(io.BytesIO(rendered.data))
    assert image.size == (320, 240)
    spec = rendered.spec
    assert spec["design_type"] == "scene" and spec["mark"] == "scene"
    assert _layer_types(spec) == ["scene"]  # no caption, no pictogram
    check_spec(spec)
    pixels = np.asarray(image.convert("RGB")).reshape(-1, 3)
    assert len(np.unique(pixels // 8, axis=0)) > 12  # a drawing, not a flat card


@pytest.mark.parametrize("family", ["mountains", "city", "beach", "lighthouse", "neon", "line"])
def test_the_same_seed_gives_the_same_bytes_and_another_seed_another_scene(family: str) -> None:
    first = design.render(FAMILIES[family], width=256, height=256, seed=5)
    again = design.render(FAMILIES[family], width=256, height=256, seed=5)
    other = design.render(FAMILIES[family], width=256, height=256, seed=6)
    assert first.data == again.data
    a, b = (np.asarray(Image.open(io.BytesIO(r.data)).convert("RGB")).astype(int) for r in (first, other))
    assert (np.abs(a - b).sum(axis=2) > 30).mean() > 0.05


@pytest.mark.parametrize("family", ["mountains", "city", "beach", "forest", "lighthouse", "watercolour", "neon"])
def test_a_brand_palette_holds_in_a_scene(family: str) -> None:
    rendered = design.render(FAMILIES[family], width=384, height=384, seed=3, palette_hex=BRAND)
    report = score(rendered.data, width=384, height=384, fmt="png", palette_hex=BRAND)
    assert report.palette_adherence is not None and report.palette_adherence >= 0.99, report
    scene = rendered.spec["layers"][0]["scene"]
    assert set(scene["colours"].values()) <= set(BRAND)


def test_wide_and_tall_canvases_keep_the_scene_whole() -> None:
    for width, height in ((1024, 320), (320, 1024)):
        rendered = design.render(FAMILIES["mountains"], width=width, height=height, seed=2)
        assert Image.open(io.BytesIO(rendered.data)).size == (width, height)
        assert rendered.spec["layers"][0]["box"] == [0, 0, width, height]


def test_a_scene_with_copy_sets_it_over_the_sky() -> None:
    rendered = design.render(
        "poster for a beach party 'Summer Splash' with a sunset over the sea, June 21", width=512, height=768, seed=4
    )
    spec = rendered.spec
    assert spec["design_type"] == "poster" and _layer_types(spec)[0] == "scene"
    texts = {layer["role"]: layer["text"] for layer in spec["layers"] if layer["type"] == "text"}
    assert texts["headline"] == "Summer Splash" and "June 21" in " ".join(texts.values())
    assert all(item["set"] for item in spec["copy"])
    # the copy sits in the top part of the canvas, where the sky is
    assert all(layer["box"][3] <= 768 * 0.5 for layer in spec["layers"] if layer["type"] == "text")


def test_a_scene_in_a_safe_zone_leaves_the_margin_clear() -> None:
    rendered = design.render(FAMILIES["city"], width=400, height=400, seed=1, palette_hex=BRAND, safe_zone_pct=10)
    report = score(
        rendered.data,
        width=400,
        height=400,
        fmt="png",
        palette_hex=BRAND,
        safe_zone_pct=10,
        background_hex=rendered.spec["canvas"]["background"],
    )
    assert report.safe_zone_violations == 0


def test_a_product_brief_is_staged_and_says_a_photo_needs_a_photo_model() -> None:
    rendered = design.render("product photo of a red sneaker", width=384, height=384, seed=8)
    spec = rendered.spec
    assert spec["mark"] == "staged" and spec["motif"] == "shoe-sneaker"
    stage = spec["layers"][0]["scene"]["stage"]
    assert stage["fill"] == "#D7263D" and stage["product"] is True  # the subject's colour word
    assert any("photograph" in note and "gpt-image-1" in note for note in rendered.notes)
    assert _layer_types(spec) == ["scene"]


def test_an_accessory_is_placed_on_its_subject() -> None:
    rendered = design.render("a cat wearing a hat", width=384, height=384, seed=8)
    stage = rendered.spec["layers"][0]["scene"]["stage"]
    assert stage["object"]["slug"] == "cat" and stage["accessory"]["place"] == "top"
    assert _layer_types(rendered.spec) == ["scene"]  # the brief has no copy: no caption


def test_a_likeness_is_named_in_the_notes() -> None:
    rendered = design.render("portrait of Ada Lovelace by the sea at sunset", width=256, height=256, seed=1)
    assert any("likeness of Ada Lovelace" in note for note in rendered.notes)


def test_a_mark_stays_a_mark_even_with_a_landscape_subject() -> None:
    rendered = design.render("logo for 'Summit' mountain guides", width=256, height=256, seed=1)
    assert "scene" not in _layer_types(rendered.spec)


def test_a_hand_edited_scene_is_checked() -> None:
    rendered = design.render(FAMILIES["city"], width=256, height=256, seed=1)
    spec = rendered.spec
    spec["layers"][0]["scene"]["time"] = "teatime"
    with pytest.raises(ValueError, match="time"):
        check_spec(spec)
    spec["layers"][0]["scene"]["time"] = "dusk"
    assert design.rerender(spec, width=256, height=256) != rendered.data  # the edit is drawn


VISIBLE = 8.0  # mean absolute difference per channel, 0-255: two variations a person tells apart
VARIED = {
    **{family: FAMILIES[family] for family in ("mountains", "beach", "lighthouse", "watercolour", "city")},
    "poster": "flyer for 'Harbor Lights' summer festival",
    "product": "product photo of a red sneaker",
    "character": "a cat wearing a hat",
}


@pytest.mark.parametrize("family", sorted(VARIED))
def test_every_variation_of_a_scene_is_visibly_another_picture(family: str) -> None:
    """Variation 1 of the same prompt and seed is not the same picture jittered: for every
    seed of a range (the engine draws one when a request gives none) it differs visibly."""

    def pixels(variation: int, seed: int) -> np.ndarray:
        data = design.render(VARIED[family], width=288, height=384, seed=seed, variation=variation).data
        return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)

    differences = {seed: float(np.abs(pixels(0, seed) - pixels(1, seed)).mean()) for seed in range(32)}
    assert min(differences.values()) >= VISIBLE, sorted(differences.items(), key=lambda kv: kv[1])[:3]
