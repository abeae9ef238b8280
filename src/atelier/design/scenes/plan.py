"""Reading a brief as a scene: which sky, which land, which weather, which treatment, and
whether it is a staged object (a product on a seamless background, a character with its
accessory). The plan is plain JSON, stored on the scene layer, so a spec re-renders it."""

from __future__ import annotations

import random
import re
from functools import lru_cache
from typing import Any

import numpy as np
import skia

from atelier.design import motifs
from atelier.design.colors import from_hls, to_hls
from atelier.design.scenes import words as w
from atelier.design.scenes.colours import from_palette, scheme

#: "a cat wearing a hat", "a robot holding a balloon": subject, relation, accessory
_ACCESSORY = re.compile(r"\b([a-z]+)\s+(wearing|in|with|holding|carrying)\s+(?:a|an|the|his|her|its)?\s*([a-z]+)")
#: where an accessory sits on its subject: (x centre, y centre, size) as fractions of the subject's box
PLACES: dict[str, tuple[float, float, float]] = {
    "top": (0.5, 0.08, 0.55),
    "face": (0.5, 0.36, 0.5),
    "neck": (0.5, 0.72, 0.42),
    "hand": (0.92, 0.5, 0.5),
}
_PLACE_OF = {
    "hat": "top", "cap": "top", "crown": "top", "beanie": "top", "wizard": "top", "party": "top",
    "glasses": "face", "sunglasses": "face", "mask": "face", "monocle": "face",
    "scarf": "neck", "tie": "neck", "bowtie": "neck", "bow": "neck", "necklace": "neck", "collar": "neck",
}  # fmt: skip
_ACCESSORY_ICONS = {
    "hat": ("hat-fedora", "party-popper"), "cap": ("hat-fedora",), "crown": ("crown",), "beanie": ("hat-fedora",),
    "glasses": ("glasses",), "sunglasses": ("sunglasses", "glasses"), "tie": ("tie",), "bowtie": ("tie",),
    "scarf": ("tie",), "necklace": ("necklace",), "umbrella": ("umbrella",), "balloon": ("balloon",),
}  # fmt: skip
PRODUCT_WORDS = ("product", "packshot", "studio shot", "e-commerce", "ecommerce", "catalog", "catalogue")


def _icon(slug: str) -> dict[str, Any] | None:
    motif = motifs.load(slug)
    if motif is None:
        return None
    return {"slug": motif.slug, "paths": list(motif.paths), "view": list(motif.view), "ink": list(ink_box(motif.slug))}


@lru_cache(maxsize=256)
def ink_box(slug: str) -> tuple[float, float, float, float]:
    """Where an icon's ink lies in its view box, as fractions (icons leave a margin, and a
    staged product must stand on the floor, not float above it)."""
    motif = motifs.load(slug)
    if motif is None:
        return (0.0, 0.0, 1.0, 1.0)
    side = 96
    vx, vy, vw, vh = motif.view
    paths = "".join(f'<path d="{d}"/>' for d in motif.paths)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{side}" height="{side}" viewBox="{vx} {vy} {vw} {vh}">'
        f"{paths}</svg>"
    ).encode()
    dom = skia.SVGDOM.MakeFromStream(skia.MemoryStream(svg, True))
    surface = skia.Surface(side, side)
    with surface as canvas:
        canvas.clear(skia.ColorTRANSPARENT)
        dom.setContainerSize(skia.Size(side, side))
        dom.render(canvas)
    alpha = surface.makeImageSnapshot().toarray()[:, :, 3]
    rows, cols = np.nonzero(alpha > 16)
    if not len(rows):
        return (0.0, 0.0, 1.0, 1.0)
    return (cols.min() / side, rows.min() / side, (cols.max() + 1) / side, (rows.max() + 1) / side)


def _subject_icon(words: list[str]) -> dict[str, Any] | None:
    motif = motifs.choose(words)
    if motif is not None:
        return _icon(motif.slug)
    names = motifs.slugs()
    for word in words:
        # "sneaker" is the icon set's "shoe-sneaker": a name ending in the word
        found = sorted((n for n in names if n.endswith(f"-{word}") and "outline" not in n), key=len)
        if len(word) > 3 and found and (icon := _icon(found[0])) is not None:
            return icon
    return None


def _stage(low: str, subject_words: tuple[str, ...], colors: tuple[str, ...]) -> dict[str, Any] | None:
    """The staged object of a product or character brief, or None when the icon set has none."""
    match = _ACCESSORY.search(low)
    accessory: dict[str, Any] | None = None
    subject_words_list = [x for x in subject_words if x not in ("product", "photo", "shot", "studio")]
    if match:
        subject, _, thing = match.groups()
        slugs = _ACCESSORY_ICONS.get(thing, (thing,))
        icon = next((i for s in slugs if (i := _icon(s)) is not None), None)
        if icon is not None:
            accessory = {**icon, "place": _PLACE_OF.get(thing, "hand"), "word": thing}
            subject_words_list = [subject, *[x for x in subject_words_list if x not in (subject, thing)]]
    main = _subject_icon(subject_words_list)
    if main is None:
        return None
    product = any(w.has(low, p) for p in PRODUCT_WORDS) or w.asks_for_photo(low)
    return {"object": main, "accessory": accessory, "fill": colors[0] if colors else None, "product": product}


def read(
    prompt: str,
    *,
    explicit_type: str | None,
    subject_words: tuple[str, ...],
    colors: tuple[str, ...],
) -> tuple[dict[str, Any] | None, list[str]]:
    """The scene a brief describes (without colours yet) and the notes on what it cannot draw.
    ``explicit_type`` is the design type the prompt or request names (None: none named)."""
    low = prompt.lower()
    notes: list[str] = []
    if w.asks_for_mark(low) or explicit_type in ("logo", "icon", "badge", "monogram", "app_icon"):
        return None, notes
    time = w.first_of(low, w.TIMES)
    elements = w.all_of(low, w.ELEMENTS)
    weather = w.all_of(low, w.WEATHER)
    treatment = w.first_of(low, w.TREATMENTS) or "soft"
    scene_word = any(w.has(low, s) for s in w.SCENE_WORDS) or w.has(low, "background")
    photo = w.asks_for_photo(low)
    likeness = w.likeness_of(prompt)
    stage = None
    if not elements and (
        photo or likeness is not None or _ACCESSORY.search(low) or any(w.has(low, p) for p in PRODUCT_WORDS)
    ):
        stage = _stage(low, subject_words, colors)
    is_scene = bool(elements) or (explicit_type is None and (time is not None or scene_word) and stage is None)
    if explicit_type is not None and not (elements or scene_word):
        is_scene = False
    if not is_scene and stage is None:
        return None, notes
    if photo:
        notes.append(
            "a photograph cannot be made by the built-in design engine: it drew an illustration instead; photographic "
            "models are gpt-image-1 and dall-e-3 (OPENAI_API_KEY), imagen-4 and gemini-2.5-flash-image "
            "(GEMINI_API_KEY) and fal-ai/flux/dev (FAL_KEY), once their provider's key is set (see /v1/models)"
        )
    if likeness is not None:
        who = f" of {likeness}" if likeness else ""
        notes.append(
            f"a likeness{who} cannot be drawn by the built-in design engine (it draws no real person's face); "
            "an image model such as gpt-image-1 or imagen-4 can, with its provider's key set (see /v1/models)"
        )
    if (
        "forest" in elements
        and any(w.has(low, p) for p in ("palm", "palms", "palm trees"))
        and not any(w.has(low, f) for f in ("forest", "woods", "pine", "pines", "jungle"))
    ):
        elements.remove("forest")  # "palm trees" are the beach's palms, not a forest
    if "snowfall" in weather and "snow" not in elements:
        elements.append("snow")
    if not elements and stage is None:
        elements = ["hills"]
    if time is None:
        time = "night" if treatment == "neon" or ("lighthouse" in elements and "rain" in weather) else "day"
    details = [d for d in ("palm", "palms", "tropical", "island") if w.has(low, d)]
    return {
        "time": time,
        "elements": elements,
        "weather": weather,
        "treatment": treatment,
        "palms": bool(details) or ("beach" in elements and time in ("day", "sunset")),
        "stage": stage,
    }, notes


#: a staged object's colour per variation when the brief names none
STAGE_FILLS = ("#D2553F", "#2F6DB5", "#E2A72E", "#3C8D5A", "#7B4FB8")
#: how far (of the colour wheel) each variation turns a studio backdrop
BACKDROP_TURN = 0.31


def coloured(
    plan: dict[str, Any], seed: int, palette_hex: list[str] | None, *, variation: int = 0, mirror: bool = False
) -> dict[str, Any]:
    """The plan with its seed and colours: the brand's only (strict) or the time of day's.
    Each ``variation`` is another picture, not the same one jittered: ``mirror`` draws the
    scene the other way round, and a staged object without a brand palette gets another
    backdrop and, unless the brief names its colour, another colour."""
    rng = random.Random(seed)
    if palette_hex:
        colours = from_palette(palette_hex, plan["time"])
    else:
        colours = scheme(plan["time"], plan["treatment"], plan["weather"], rng)
    stage = plan.get("stage")
    if stage is not None and not palette_hex:
        stage = {**stage, "fill": stage.get("fill") or STAGE_FILLS[variation % len(STAGE_FILLS)]}
        if variation:
            h, lightness, s = to_hls(colours["sky2"])
            colours["sky2"] = from_hls(h + BACKDROP_TURN * variation, lightness, max(s, 0.35))
    return {**plan, "stage": stage, "seed": seed, "strict": bool(palette_hex), "colours": colours, "mirror": mirror}
