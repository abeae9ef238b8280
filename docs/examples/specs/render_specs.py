"""Regenerates the spec previews shown in the README: ``python docs/examples/specs/render_specs.py``."""

from __future__ import annotations

from pathlib import Path

from atelier.specs.planner import plan
from atelier.specs.preview import render_preview

BRIEFS = {
    "house": "two-storey family house with a garage",
    "bus": "city bus 12 m long with 40 seats and 3 doors",
    "cargo-ebike": "cargo e-bike for two kids",
    "keyboard": "75% mechanical keyboard",
    "standing-desk": "standing desk 160x80 cm",
    "bookshelf": "bookshelf with 6 shelves",
}


def main() -> None:
    here = Path(__file__).parent
    for name, brief in BRIEFS.items():
        spec = plan(brief)
        (here / f"{name}.png").write_bytes(render_preview(spec, 512, 384))
        print(name, spec["metadata"]["original_spec"]["category"], len(spec["objects"]), spec["scene"]["bounding_box"])


if __name__ == "__main__":
    main()
