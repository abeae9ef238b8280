"""Open-licensed font families shipped by PyPI packages (OFL / Apache-2.0), chosen by style,
and the brand's requested families resolved to the closest one shipped."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Family:
    name: str
    package: str
    kind: str
    #: weight → file name inside the package's ``files`` folder
    files: dict[str, str]
    license: str

    def file_for(self, weight: str) -> str:
        return (
            self.files.get(weight)
            or self.files.get("bold" if weight == "semibold" else "regular")
            or next(iter(self.files.values()))
        )


FAMILIES: dict[str, Family] = {
    f.name: f
    for f in (
        Family(
            "Manrope",
            "font_manrope",
            "geometric sans",
            {
                "regular": "Manrope-Regular.ttf",
                "light": "Manrope-Light.ttf",
                "semibold": "Manrope-SemiBold.ttf",
                "bold": "Manrope-Bold.ttf",
            },
            "OFL-1.1",
        ),
        Family(
            "Roboto",
            "font_roboto",
            "grotesque sans",
            {
                "regular": "Roboto-Regular.ttf",
                "light": "Roboto-Light.ttf",
                "semibold": "Roboto-Medium.ttf",
                "bold": "Roboto-Bold.ttf",
                "black": "Roboto-Black.ttf",
            },
            "Apache-2.0",
        ),
        Family(
            "Source Sans Pro",
            "font_source_sans_pro",
            "humanist sans",
            {
                "regular": "SourceSansPro-Regular.ttf",
                "light": "SourceSansPro-Light.ttf",
                "semibold": "SourceSansPro-Semibold.ttf",
                "bold": "SourceSansPro-Bold.ttf",
            },
            "OFL-1.1",
        ),
        Family(
            "Caladea",
            "font_caladea",
            "serif",
            {"regular": "Caladea-Regular.ttf", "bold": "Caladea-Bold.ttf", "italic": "Caladea-Italic.ttf"},
            "Apache-2.0",
        ),
        Family("Fredoka One", "font_fredoka_one", "display rounded", {"regular": "FredokaOne-Regular.ttf"}, "OFL-1.1"),
        Family("Fjalla One", "font_fjallaone", "display condensed", {"regular": "FjallaOne-Regular.ttf"}, "OFL-1.1"),
        Family(
            "Amatic SC",
            "font_amatic_sc",
            "script",
            {"regular": "AmaticSC-Regular.ttf", "bold": "AmaticSC-Bold.ttf"},
            "OFL-1.1",
        ),
    )
}


@dataclass(frozen=True)
class Pairing:
    """A headline family and weight, and the family and weight of secondary lines."""

    head: str
    head_weight: str
    body: str
    body_weight: str
    tracking: float = 0.0  # extra letter spacing of secondary lines, in em
    upper_body: bool = False

    def to_spec(self) -> dict[str, str]:
        """The ``fonts`` of a design spec."""
        return {"head": self.head, "head_weight": self.head_weight, "body": self.body, "body_weight": self.body_weight}


STYLE_PAIRINGS: dict[str, tuple[Pairing, ...]] = {
    "modern": (Pairing("Manrope", "bold", "Manrope", "regular"), Pairing("Roboto", "bold", "Roboto", "regular")),
    "corporate": (
        Pairing("Source Sans Pro", "bold", "Source Sans Pro", "semibold", 0.12, True),
        Pairing("Caladea", "bold", "Source Sans Pro", "regular", 0.1, True),
    ),
    "creative": (
        Pairing("Fredoka One", "regular", "Manrope", "semibold"),
        Pairing("Amatic SC", "bold", "Manrope", "bold", 0.05),
    ),
    "minimalist": (
        Pairing("Manrope", "semibold", "Manrope", "regular", 0.2, True),
        Pairing("Roboto", "light", "Roboto", "regular", 0.2, True),
    ),
    "vibrant": (
        Pairing("Fjalla One", "regular", "Manrope", "bold", 0.06, True),
        Pairing("Fredoka One", "regular", "Roboto", "bold"),
    ),
    "elegant": (
        Pairing("Caladea", "regular", "Caladea", "italic"),
        Pairing("Caladea", "bold", "Source Sans Pro", "light", 0.22, True),
    ),
}

#: Words in a requested family name that tell its kind, for the closest shipped substitute.
_KIND_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("script", ("script", "brush", "pacifico", "dancing", "lobster", "hand", "cursive", "vibes", "satisfy")),
    ("display condensed", ("condensed", "oswald", "bebas", "impact", "anton", "league gothic", "fjalla")),
    ("display rounded", ("rounded", "fredoka", "nunito", "comic", "baloo", "quicksand", "varela")),
    (
        "serif",
        ("serif", "times", "georgia", "garamond", "playfair", "merriweather", "baskerville", "didot", "bodoni", "lora"),
    ),
    ("humanist sans", ("source sans", "open sans", "lato", "segoe", "verdana", "frutiger", "myriad", "fira", "noto")),
    ("grotesque sans", ("helvetica", "arial", "roboto", "inter", "sf pro", "san francisco", "grotesk", "neue")),
    ("geometric sans", ("futura", "montserrat", "poppins", "avenir", "gotham", "manrope", "century", "product")),
)


def _key(name: str) -> str:
    return "".join(name.lower().split())


def family_path(family: str, weight: str) -> Path:
    fam = FAMILIES[family]
    spec = importlib.util.find_spec(fam.package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"font package {fam.package} is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "files" / fam.file_for(weight)


@lru_cache(maxsize=1)
def available() -> tuple[str, ...]:
    """The families whose package is installed (all of them in a normal install)."""
    return tuple(name for name, fam in FAMILIES.items() if importlib.util.find_spec(fam.package) is not None)


def pairing_for(style: str, variation: int) -> Pairing:
    options = STYLE_PAIRINGS.get(style, STYLE_PAIRINGS["modern"])
    return options[variation % len(options)]


def closest(requested: str) -> str:
    wanted = requested.lower()
    kind = next((k for k, hints in _KIND_HINTS if any(h in wanted for h in hints)), "geometric sans")
    if kind == "script":
        # the only shipped script face is a casual hand; an elegant request reads better in serif
        kind = "script" if any(w in wanted for w in ("hand", "casual", "marker")) else "serif"
    return next((f for f in available() if FAMILIES[f].kind == kind), available()[0])


def resolve(requested: tuple[str, ...] | list[str], pairing: Pairing) -> tuple[Pairing, list[str]]:
    """The pairing with the brand's families put in, and notes for each one that was substituted."""
    if not requested:
        return pairing, []
    notes: list[str] = []
    chosen: list[str] = []
    shipped = {_key(f): f for f in available()}
    for name in requested[:2]:
        if _key(name) in shipped:
            chosen.append(shipped[_key(name)])
        else:
            substitute = closest(name)
            chosen.append(substitute)
            notes.append(f"font '{name}' is not available; used the closest shipped family '{substitute}'")
    head = chosen[0]
    body = chosen[1] if len(chosen) > 1 else head
    return (
        Pairing(head, pairing.head_weight, body, pairing.body_weight, pairing.tracking, pairing.upper_body),
        notes,
    )
