"""The block lists: shipped term files (``safety/blocklists``), an operator's extra files and
an organization's own terms, matched as whole words after one normalisation."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from importlib import resources
from pathlib import Path

from atelier.settings import PolicyCategory

#: Look-alike characters folded to the letter they stand for (``p0rn``, ``$ex``).
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_NON_WORD = re.compile(r"[^0-9a-z@$]+")
#: An age under 18 ("12 year old", "15yo", "16-year-old").
_MINOR_AGE = re.compile(r"\b(?:[1-9]|1[0-7]) ?(?:yo|y o|years? old)\b")
#: Hostile words that make a following group name (hate_targets.txt) ``hate``.
_HOSTILE = frozenset(
    {"kill", "kill all", "gas", "gas all", "gas the", "exterminate", "exterminate all", "death to", "lynch"}
    | {"hang all", "hate", "hate all", "wipe out", "wipe out all", "eradicate", "eradicate all", "burn all"}
)


def normalise(text: str) -> str:
    """Casefolded, accents and width variants folded, every run of other characters one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", plain).split())


def variants(text: str) -> tuple[str, ...]:
    """The normalised text, and (when it differs) the same with look-alike digits folded."""
    base = normalise(text)
    folded = " ".join(re.sub(r"[^a-z0-9]+", " ", base.translate(_LEET)).split())
    plain = " ".join(re.sub(r"[^a-z0-9]+", " ", base).split())
    return (plain,) if folded == plain else (plain, folded)


def read_terms(lines: Iterable[str]) -> frozenset[str]:
    terms = (" ".join(re.sub(r"[^a-z0-9]+", " ", normalise(line.split("#", 1)[0])).split()) for line in lines)
    return frozenset(term for term in terms if term)


@cache
def shipped(name: str) -> frozenset[str]:
    text = resources.files("atelier.safety").joinpath("blocklists", f"{name}.txt").read_text("utf-8")
    return read_terms(text.splitlines())


@lru_cache(maxsize=512)
def _longest(terms: frozenset[str]) -> int:
    """The most words in one of ``terms`` (a policy's term sets are built once and kept)."""
    return max((term.count(" ") + 1 for term in terms), default=0)


def matches(texts: tuple[str, ...], terms: Iterable[str]) -> list[str]:
    """The terms that are a run of whole words of a text (texts and terms are normalised:
    words joined by one space), sorted: each text's runs of up to the longest term's length
    looked up in the set, instead of every term scanned over every text."""
    wanted = terms if isinstance(terms, frozenset) else frozenset(terms)
    longest = _longest(wanted)
    found: set[str] = set()
    for text in texts:
        words = text.split(" ") if text else []
        for start in range(len(words)):
            for end in range(start + 1, min(start + longest, len(words)) + 1):
                run = " ".join(words[start:end])
                if run in wanted:
                    found.add(run)
    return sorted(found)


@lru_cache(maxsize=64)
def _phrases(verbs: frozenset[str], targets: frozenset[str]) -> frozenset[str]:
    """Every hostile verb followed by every group name, built once per pair of lists."""
    return frozenset(f"{verb} {target}" for verb in verbs for target in targets)


@dataclass(frozen=True)
class Lexicon:
    """Every term list the text check reads, per category, extras included."""

    blocked: Mapping[PolicyCategory, frozenset[str]]
    sexual_cues: frozenset[str]
    minors: frozenset[str]
    hate_targets: frozenset[str]
    hostile: frozenset[str] = _HOSTILE

    @classmethod
    def build(cls, files: Mapping[PolicyCategory, Path], extra: Mapping[PolicyCategory, Iterable[str]]) -> Lexicon:
        """The shipped lists, plus each category's operator file (``content_policy.blocklists``)
        and an organization's own terms."""
        blocked: dict[PolicyCategory, frozenset[str]] = {}
        for category in PolicyCategory:
            terms = set(shipped(category.value)) if category != PolicyCategory.PROFANITY else set()
            if category in files:
                terms |= read_terms(files[category].read_text("utf-8").splitlines())
            terms |= read_terms(extra.get(category, ()))
            blocked[category] = frozenset(terms)
        return cls(blocked, shipped("sexual_cues"), shipped("minors"), shipped("hate_targets"))

    @cached_property
    def sexual_terms(self) -> frozenset[str]:
        """The sexual block list and the sexual cues together (the minors rule reads both)."""
        return self.blocked[PolicyCategory.SEXUAL] | self.sexual_cues

    def minor_named(self, texts: tuple[str, ...]) -> list[str]:
        found = matches(texts, self.minors)
        return found + [m.group(0) for text in texts[:1] if (m := _MINOR_AGE.search(text))]

    def hostile_to_target(self, texts: tuple[str, ...]) -> list[str]:
        return matches(texts, _phrases(self.hostile, self.hate_targets))
