"""Regenerates the example designs shown in the README: ``python docs/examples/render_examples.py``."""

from __future__ import annotations

from pathlib import Path

from atelier import design

EXAMPLES = {
    "blue-fern-logo": ("minimalist logo for 'Blue Fern' coffee shop, green and cream", 512, 512),
    "jazz-poster": ("vibrant poster for a jazz festival, 'Blue Notes Night', June 21", 512, 724),
    "law-banner": ("corporate banner 1500x500 for a law firm 'Hart & Vale'", 1500, 500),
    "fitness-icon": ("modern app icon for a fitness tracker", 512, 512),
    "wedding-card": ("elegant wedding invitation card", 700, 500),
}


def main() -> None:
    here = Path(__file__).parent
    for name, (prompt, width, height) in EXAMPLES.items():
        rendered = design.render(prompt, width=width, height=height, seed=1)
        (here / f"{name}.png").write_bytes(rendered.data)
        print(name, rendered.spec["design_type"], rendered.spec["layout"], rendered.spec["motif"])


if __name__ == "__main__":
    main()
