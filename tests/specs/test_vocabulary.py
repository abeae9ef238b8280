"""Every word of the vocabulary finds its own kind, alone, in the plural and inside a brief;
compounds and synonyms match whole; and the brief's numbers are read with their units."""

from __future__ import annotations

import pytest

from atelier.specs.quantities import Brief
from atelier.specs.vocabulary import GENERIC, TYPES, detect, plurals

ENTRIES = [(t, kind, word) for t, kinds in TYPES.items() for kind, words in kinds.items() for word in words]


def plural(word: str) -> str:
    *head, last = word.split(" ")
    return " ".join([*head, next(f for f in plurals(last) if f != last)])


@pytest.mark.parametrize(("design_type", "kind", "word"), ENTRIES, ids=[w for _, _, w in ENTRIES])
def test_every_word_names_its_kind(design_type: str, kind: str, word: str) -> None:
    for text in (f"a {word}", f"two {plural(word)}", f"a modern {word} with a matte finish, for a client"):
        found = detect(text)
        assert (found.design_type, found.category) == (design_type, kind), text
        assert found.recognised and found.generic == (word in GENERIC)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("bookshelf", "storage"),
        ("bookshelves for a study", "storage"),
        ("shelves", "storage"),
        ("wall shelf", "storage"),
        ("cargo e-bike", "bicycle"),
        ("cargo ebike for two kids", "bicycle"),
        ("e bike", "bicycle"),
        ("electric bicycle", "bicycle"),
        ("motorbike", "motorcycle"),
        ("buses for the city", "bus"),
        ("smart watches", "watch"),
        ("smartwatch", "watch"),
        ("mechanical keyboard", "keyboard"),
        ("office chair", "chair"),
        ("chair for an office", "chair"),
        ("house with a garage for two cars", "residential"),
        ("coffee table", "table"),
        ("coffee maker", "kitchen"),
        ("desk lamp", "decorative"),
        ("computer desk", "desk"),
        ("standing desk", "desk"),
        ("desktop pc", "computer"),
        ("kitchen cabinet", "storage"),
        ("smart home sensor", "iot"),
        ("chest of drawers", "storage"),
        ("queen bed", "bed"),
        ("a design for a bookcase", "storage"),
    ],
)
def test_compounds_and_the_head_noun(text: str, kind: str) -> None:
    assert detect(text).category == kind


def test_a_word_inside_another_word_is_not_matched() -> None:
    assert detect("a cupboardish motorcyclist in a bookstore").word != "board"
    assert detect("workbench").recognised is False
    assert detect("carpet").recognised is False


@pytest.mark.parametrize(
    ("text", "metres", "axis"),
    [
        ("12 m long", 12.0, "length"),
        ("44 mm case", 0.044, None),
        ("6 ft tall", 1.8288, "height"),
        ("24 inches wide", 0.6096, "width"),
        ('a 27" screen', 0.6858, None),
        ("80 cm deep", 0.8, "depth"),
        ("2.5 metres high", 2.5, "height"),
    ],
)
def test_lengths_with_their_units(text: str, metres: float, axis: str | None) -> None:
    [found] = Brief(text).lengths()
    assert found.metres == pytest.approx(metres) and found.axis == axis


def test_sizes_counts_and_layout_words() -> None:
    assert Brief("desk 160x80 cm").pair() == pytest.approx((1.6, 0.8))
    assert Brief("table 2 x 1 x 0.75 m").pair() == pytest.approx((2.0, 1.0, 0.75))
    unitless = Brief("a 160x80 desk")
    assert unitless.pair() == pytest.approx((1.6, 0.8)) and "read as cm" in unitless.notes[0]
    assert Brief("two kids").count("kid") == 2 and Brief("three-storey house").count("storey") == 3
    assert Brief("2 stories").count("story") == 2 and Brief("seats 8").count("seat") == 8
    assert Brief("300 litres").count("litre") == 300 and Brief("75% layout").percent() == 75
    assert Brief("1,000,000 people").count("person") == 1000000
    assert not Brief("5 motors").lengths() and not Brief("fits in a van").lengths()
