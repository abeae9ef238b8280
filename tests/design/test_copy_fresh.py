"""Copy coverage on a fresh set of 34 briefs: at least 95% of the pieces a designer would set
are on the design, and every extracted item is set or named in the notes."""

from __future__ import annotations

from atelier import design
from tests.design.fresh_briefs import FRESH


def test_fresh_briefs_reach_95_percent_copy_coverage_and_name_the_rest() -> None:
    total = placed = 0
    for index, (prompt, width, height, expected) in enumerate(FRESH):
        rendered = design.render(prompt, width=width // 2, height=height // 2, seed=index)
        texts = " | ".join(layer["text"] for layer in rendered.spec["layers"] if layer["type"] == "text").lower()
        total += len(expected)
        placed += sum(text.lower() in texts for text in expected)
        for item in rendered.spec["copy"]:
            assert item["set"] or any(repr(item["text"][:60]) in note for note in rendered.notes), (prompt, item)
    assert len(FRESH) >= 30 and total >= 100
    assert placed / total >= 0.95, (placed, total)
