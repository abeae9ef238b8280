"""Every piece of copy a brief asks for is on the design, or named in the notes with why."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atelier import design
from atelier.design.brief import understand
from atelier.design.coverage import is_set
from atelier.design.render import text_placement
from atelier.engines.base import CancelToken, GenerationRequest
from atelier.engines.design_engine import DesignEngine

#: Briefs of the kinds a designer gets, each with several pieces of copy, and a canvas.
BRIEFS = [
    ("instagram post for Lumen Books: summer sale, 20% off all hardbacks with code READ20, shop now", 1080, 1080),
    ("poster for Riverside Jazz Night at The Blue Room, Saturday 7–11 pm, tickets from $25, book now", 800, 1100),
    ("business card for Dr. Maria Lopez, pediatric dentist, phone +1 555 014 2200, www.lopezsmiles.com", 1050, 600),
    ("Black Friday sale poster for Nova Electronics, 30% off everything, Nov 28", 800, 1100),
    ("banner for Alpine Ski Shop holiday sale Dec 24 - Jan 2, up to 40% off, shop now at alpineski.com", 1500, 500),
    ("birthday invitation for Grandma Rose turning 90, Saturday June 6, 3pm at The Orchard Tea Room, RSVP", 1050, 750),
    ("poster for 'We didn't start the fire' tribute night, March 3–5, 8pm, at The Apollo", 800, 1100),
    ("elegant wedding invitation card for 'Anna & Ben', Sept 12, 2026, RSVP by May 1, hello@annaandben.com", 750, 1050),
    (
        "social post for Green Leaf Yoga, 'breathe in, slow down', every Tuesday 6:30 pm, first class free, join us",
        1080,
        1080,
    ),
    ("flyer for Harbour Street Market, 12 Harbour Street, Bristol, Sundays 9am-2pm, free entry", 800, 1100),
    ("logo for 'Blue Fern' coffee shop, tagline: roasted daily, est. 1987", 800, 800),
    ("banner for Pixel Pals game studio, new release May 15, pre-order from $19.99, www.pixelpals.io", 1500, 500),
    ("business card for Tom Reyes, wedding photographer, tom@reyes.photo, 020 7946 0958", 1050, 600),
    ("poster for the Maple Street Bake Sale at St Mary's Hall, Oct 4, 10am–1pm, all proceeds to charity", 800, 1100),
    ("social post for Vela Spa, 25% off massages this week with code RELAX25, book online", 1080, 1080),
]


def texts_of(spec: dict[str, Any]) -> list[str]:
    return [layer["text"] for layer in spec["layers"] if layer["type"] == "text"]


def named_in_notes(text: str, notes: list[str]) -> bool:
    return any(note.startswith("not set:") and repr(text[:60]) in note for note in notes)


def test_at_least_95_percent_of_the_copy_lands_on_the_design_and_the_rest_is_named() -> None:
    total = placed = 0
    for index, (prompt, width, height) in enumerate(BRIEFS):
        rendered = design.render(prompt, width=width, height=height, seed=index)
        brief = understand(prompt, width, height)
        assert len(brief.copy) >= 2, (prompt, brief.copy)
        for item in brief.copy:
            total += 1
            if is_set(item.text, item.role, rendered.spec["layers"]):
                placed += 1
            else:
                assert named_in_notes(item.text, rendered.notes), (prompt, item, rendered.notes)
        assert [c["text"] for c in rendered.spec["copy"]] == [i.text for i in brief.copy]
    assert total >= 60
    assert placed / total >= 0.95, (placed, total)


@pytest.mark.parametrize(("prompt", "width", "height"), BRIEFS)
def test_text_boxes_never_overlap(prompt: str, width: int, height: int) -> None:
    for variation in range(3):
        spec = design.render(prompt, width=width, height=height, seed=7, variation=variation).spec
        boxes = [(layer["role"], layer["box"]) for layer in spec["layers"] if layer["type"] == "text"]
        for (role_a, a), (role_b, b) in combinations(boxes, 2):
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, (spec["layout"], role_a, a, role_b, b)
        for _, (x0, y0, x1, y1) in boxes:
            assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height


def test_a_quoted_tagline_after_an_unquoted_name_stays_a_tagline() -> None:
    brief = understand("social post for Green Leaf Yoga, 'breathe in, slow down', every Tuesday")
    assert brief.headline == "Green Leaf Yoga" and brief.subline == "breathe in, slow down"


def test_an_icon_names_every_piece_of_copy_it_cannot_carry() -> None:
    rendered = design.render("app icon for Lumen Books, 20% off, book now", width=64, height=64)
    assert not texts_of(rendered.spec)
    for text in ("Lumen Books", "20% off", "Book now"):
        assert any(repr(text) in note and "icon carries no text" in note for note in rendered.notes), rendered.notes


def test_a_layout_without_a_place_for_a_line_says_so() -> None:
    rendered = design.render("badge for Acme Labs, call 020 7946 0958", width=512, height=512, seed=0)
    assert "Acme Labs" in texts_of(rendered.spec)
    note = next(n for n in rendered.notes if "020 7946 0958" in n)
    assert note.startswith("not set:") and "layout has no place" in note


def test_a_line_too_small_to_read_is_named_not_shrunk_to_dust() -> None:
    prompt = "banner for Alpine Ski Shop, 40% off, Dec 24 - Jan 2, 7pm, book now, www.alpineski.com, 020 7946 0958"
    rendered = design.render(prompt, width=200, height=64, seed=2)
    unset = [c for c in rendered.spec["copy"] if not c["set"]]
    assert unset
    for item in unset:
        assert named_in_notes(item["text"], rendered.notes)
    legible = max(8.0, 0.64 * 1.6)
    for layer in rendered.spec["layers"]:
        if layer["type"] == "text" and layer["role"] not in ("headline", "subline", "monogram"):
            fitted, _, _ = text_placement(layer)
            assert fitted is not None and fitted.size >= legible, (layer["role"], fitted)


async def test_unset_copy_reaches_the_job_notes() -> None:
    request = GenerationRequest(prompt="app icon for Lumen Books, code READ20", width=64, height=64)

    async def progress(fraction: float, stage: str | None) -> None:
        return None

    result = await DesignEngine().generate(request, progress, CancelToken())
    assert any("Code READ20" in note and note.startswith("not set:") for note in result.notes), result.notes


#: Pieces of copy as a prompt writes them, with their kind and the text the design sets.
PIECES = {
    "offer": [("20% off", "20% off"), ("from $899", "From $899"), ("buy one get one free", "Buy one get one free")],
    "code": [("code SAVE20", "Code SAVE20"), ("promo code BF-2026", "Code BF-2026")],
    "date": [("March 3–5", "March 3–5"), ("Dec 24 - Jan 2", "Dec 24 - Jan 2"), ("June 21", "June 21")],
    "time": [("7pm", "7pm"), ("7–11 pm", "7–11 pm"), ("10:30 am", "10:30 am")],
    "venue": [("at The Blue Room", "The Blue Room"), ("at Riverside Hall", "Riverside Hall")],
    "phone": [("call +44 20 7946 0958", "+44 20 7946 0958"), ("phone 555-014-2200", "555-014-2200")],
    "email": [("hello@fern.co", "hello@fern.co")],
    "web": [("www.fern.co", "www.fern.co"), ("pixelpals.io", "pixelpals.io")],
    "cta": [("book now", "Book now"), ("RSVP", "RSVP"), ("shop online", "Shop online")],
    "count": [("turning 90", "Turning 90"), ("25th anniversary", "25th anniversary")],
}
NAMES = ["'Blue Fern'", "Harbour Lights", "'We didn't stop'", "Nova Electronics", '"Kite & Co"']
TYPES = ["logo", "app icon", "badge", "banner", "instagram post", "poster", "business card"]


@st.composite
def briefs(draw: st.DrawFn) -> tuple[str, list[str], int, int, int]:
    kinds = draw(st.lists(st.sampled_from(sorted(PIECES)), unique=True, min_size=1, max_size=5))
    pieces = [draw(st.sampled_from(PIECES[kind])) for kind in kinds]
    order = draw(st.permutations(pieces))
    name = draw(st.sampled_from(NAMES))
    prompt = f"{draw(st.sampled_from(TYPES))} for {name}, " + ", ".join(written for written, _ in order)
    width = draw(st.integers(64, 1400))
    height = draw(st.integers(max(64, width // 4), min(2048, width * 4)))
    return prompt, [name.strip("'\"")] + [text for _, text in order], width, height, draw(st.integers(0, 2**16))


@settings(derandomize=True, database=None, deadline=None, max_examples=50)
@given(brief=briefs())
def test_any_copy_in_a_brief_is_on_the_design_or_in_the_notes(brief: tuple[str, list[str], int, int, int]) -> None:
    prompt, expected, width, height, seed = brief
    rendered = design.render(prompt, width=width, height=height, seed=seed)
    extracted = [c["text"] for c in rendered.spec["copy"]]
    texts = texts_of(rendered.spec)
    for text in expected:
        assert text in extracted, (prompt, text, extracted)
        assert any(text in t for t in texts) or named_in_notes(text, rendered.notes), (prompt, text, rendered.notes)
