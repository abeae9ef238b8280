"""A rubric review of the built-in design engine: a fixed set of 32 briefs (graphics with
copy, drawn scenes, staged objects) rendered into one contact sheet, with the copy coverage
counted two ways: against copy labelled by hand for each brief (what a designer would set:
names, dates, times, offers, codes, contacts, venues, sign-offs; found in the design's text
layers, ignoring case and punctuation), and from each design's own copy report (every item the
engine extracted, and whether it was set). Three rubric checks per brief:

- copy: every hand-labelled item is on the design, and every extracted item is set (or named
  in the notes);
- scene: a brief that describes a scene is drawn as a scene (a ``scene`` layer), not a mark;
- caption: a scene brief without copy carries no text at all.

Run: ``PYTHONPATH=src:. python bench/review_designs.py`` → ``docs/examples/contact_sheet.png``."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from atelier import design

SHEET = Path(__file__).resolve().parent.parent / "docs" / "examples" / "contact_sheet.png"
THUMB = 240
COLUMNS = 8
#: (brief, width, height, is it a scene, the copy a designer would set, labelled by hand)
BRIEFS: tuple[tuple[str, int, int, bool, tuple[str, ...]], ...] = (
    ("minimalist logo for 'Blue Fern' coffee shop, green and cream", 512, 512, False, ("Blue Fern",)),
    (
        "vibrant poster for a jazz festival, 'Blue Notes Night', June 21",
        512,
        724,
        False,
        ("Blue Notes Night", "June 21"),
    ),
    ("corporate banner for a law firm 'Hart & Vale'", 1500, 500, False, ("Hart & Vale",)),
    ("modern app icon for a fitness tracker", 512, 512, False, ()),
    (
        "elegant wedding invitation card for 'Ana & Luis', September 14, 4pm",
        700,
        500,
        False,
        ("Ana & Luis", "September 14", "4pm"),
    ),
    (
        "poster for 'Black Friday' sale, 40% off everything, code FRIDAY40",
        512,
        724,
        False,
        ("Black Friday", "40% off everything", "FRIDAY40"),
    ),
    (
        "business card for 'Dr Mira Patel', dentist, 555-0199, mirapatel.com",
        700,
        400,
        False,
        ("Dr Mira Patel", "dentist", "555-0199", "mirapatel.com"),
    ),
    (
        "social post for 'Sunday Brunch' at Café Lume, 10am-2pm",
        512,
        512,
        False,
        ("Sunday Brunch", "Café Lume", "10am-2pm"),
    ),
    ("badge for 'Trail Runners Club' est. 2019", 512, 512, False, ("Trail Runners Club", "est. 2019")),
    ("banner for 'Bloom' florist, spring sale 20% off", 1500, 500, False, ("Bloom", "spring sale", "20% off")),
    (
        "poster for 'Grandpa Joe turning 90', Saturday May 3, 6pm",
        512,
        724,
        False,
        ("Grandpa Joe turning 90", "Saturday", "May 3", "6pm"),
    ),
    ("logo for 'Summit' mountain guides", 512, 512, False, ("Summit",)),
    ("card: 'Thank You' from the Lopez family", 700, 500, False, ("Thank You", "the Lopez family")),
    (
        "flyer for 'Open Mic Night' every Thursday 8pm at The Attic",
        512,
        724,
        False,
        ("Open Mic Night", "Thursday", "8pm", "The Attic"),
    ),
    ("A beautiful sunset over mountains", 512, 512, True, ()),
    ("a city skyline at night", 512, 512, True, ()),
    ("a lighthouse on the coast on a stormy night, rain", 512, 512, True, ()),
    ("a tropical beach at sunrise with palm trees", 512, 512, True, ()),
    ("a snowy pine forest with a village in winter, snowfall", 512, 512, True, ()),
    ("retro sunset over the ocean", 512, 512, True, ()),
    ("neon city skyline", 512, 512, True, ()),
    ("line art mountains and a lake", 512, 512, True, ()),
    ("watercolour hills at dawn with fog", 512, 512, True, ()),
    ("misty forest by a lake at dusk", 512, 512, True, ()),
    ("rolling hills with a farmhouse on a sunny day", 512, 512, True, ()),
    ("flat illustration of a harbour town at sunset", 512, 512, True, ()),
    (
        "poster for a beach party 'Summer Splash' with a sunset over the sea, June 21",
        512,
        724,
        True,
        ("Summer Splash", "June 21"),
    ),
    (
        "banner for 'Alpine Outfitters' with snowy mountains, winter sale 30% off",
        1500,
        500,
        True,
        ("Alpine Outfitters", "winter sale", "30% off"),
    ),
    (
        "social post for 'Night Market' with the city skyline at night, Friday 7pm",
        512,
        512,
        True,
        ("Night Market", "Friday", "7pm"),
    ),
    ("product photo of a red sneaker", 512, 512, False, ()),
    ("a cat wearing a hat", 512, 512, False, ()),
    ("a robot holding a balloon", 512, 512, False, ()),
)


def coverage_of(spec: dict[str, Any]) -> tuple[int, int]:
    """(items set, items extracted) from the design's own copy report."""
    copy = spec.get("copy") or []
    return sum(1 for item in copy if item.get("set")), len(copy)


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w&%$€£]+", " ", text.lower()).split())


def labelled_on(spec: dict[str, Any], labels: tuple[str, ...]) -> list[str]:
    """The hand-labelled items found in the design's text layers."""
    set_text = " | ".join(_plain(str(layer.get("text", ""))) for layer in spec["layers"] if layer["type"] == "text")
    return [label for label in labels if _plain(label) in set_text]


def review(
    brief: str, width: int, height: int, scene: bool, labels: tuple[str, ...]
) -> tuple[Image.Image, dict[str, Any]]:
    rendered = design.render(brief, width=width, height=height, seed=7)
    spec = rendered.spec
    placed, asked = coverage_of(spec)
    found = labelled_on(spec, labels)
    types = [layer["type"] for layer in spec["layers"]]
    has_scene = "scene" in types
    checks = {
        "copy": placed == asked and len(found) == len(labels),
        "scene": has_scene if scene else True,
        "caption": ("text" not in types) if (scene and asked == 0) else True,
    }
    image = Image.open(io.BytesIO(rendered.data)).convert("RGB")
    missing = [label for label in labels if label not in found]
    row = {"brief": brief, "placed": placed, "asked": asked, "checks": checks, "type": spec["design_type"]}
    return image, {**row, "labelled": len(labels), "found": len(found), "missing": missing}


def thumb(image: Image.Image, label: str, ok: bool) -> Image.Image:
    tile = Image.new("RGB", (THUMB, THUMB + 34), "#FFFFFF")
    image.thumbnail((THUMB, THUMB))
    tile.paste(image, ((THUMB - image.width) // 2, (THUMB - image.height) // 2))
    draw = ImageDraw.Draw(tile)
    font = ImageFont.load_default()
    draw.text((4, THUMB + 3), label[:40], fill="#222222", font=font)
    draw.text((4, THUMB + 17), label[40:80], fill="#222222", font=font)
    draw.rectangle((THUMB - 14, THUMB + 4, THUMB - 4, THUMB + 14), fill="#2E9E5B" if ok else "#D1495B")
    return tile


def main() -> None:
    tiles, rows = [], []
    for brief, width, height, scene, labels in BRIEFS:
        image, row = review(brief, width, height, scene, labels)
        ok = all(row["checks"].values())
        tiles.append(thumb(image, brief, ok))
        rows.append(row)
        failed = ", ".join(k for k, v in row["checks"].items() if not v) or "-"
        missing = f"  missing: {row['missing']}" if row["missing"] else ""
        print(f"{row['found']:>2}/{row['labelled']:<2} {row['type']:<13} failed: {failed:<8} {brief}{missing}")
    placed = sum(r["placed"] for r in rows)
    asked = sum(r["asked"] for r in rows)
    found = sum(r["found"] for r in rows)
    labelled = sum(r["labelled"] for r in rows)
    passing = sum(all(r["checks"].values()) for r in rows)
    height = (len(tiles) + COLUMNS - 1) // COLUMNS
    sheet = Image.new("RGB", (COLUMNS * THUMB, height * (THUMB + 34)), "#FFFFFF")
    for index, tile in enumerate(tiles):
        sheet.paste(tile, ((index % COLUMNS) * THUMB, (index // COLUMNS) * (THUMB + 34)))
    sheet.save(SHEET, optimize=True)
    print(
        f"\ncopy coverage (hand labels): {found}/{labelled} = {100 * found / max(1, labelled):.1f}% set on the design"
    )
    print(
        f"copy coverage (engine's report): {placed}/{asked} = {100 * placed / max(1, asked):.1f}% of what it extracted"
    )
    print(f"rubric: {passing}/{len(rows)} briefs pass every check; contact sheet: {SHEET}")


if __name__ == "__main__":
    main()
