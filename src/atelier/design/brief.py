"""Reading a prompt: design type, the text to set, subject, colours, style and mood.

Plain rules over words, no model: a prompt like "vibrant poster for a jazz festival, 'Blue Notes
Night', June 21" yields a poster, headline "Blue Notes Night", date line "June 21", subject
"jazz festival", style vibrant."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from atelier.design.colors import NAMED, named_color
from atelier.design.copy import CopyItem, extract, lines_of
from atelier.design.vocab import DESIGN_TYPES as DESIGN_TYPES
from atelier.design.vocab import MOODS, STOP, STYLE_WORDS, STYLES, TYPE_WORDS, VOCAB
from atelier.design.vocab import TYPE_ALIASES as TYPE_ALIASES

#: A size in the prompt ("banner 1500x500") is not a word of the subject. The canvas size is the
#: request's: the jobs layer fixes it (and prices and routes by it) before any engine runs.
_SIZE = re.compile(r"\b(\d{2,4})\s*[x×]\s*(\d{2,4})\b")


@dataclass(frozen=True)
class Brief:
    """What the prompt asks for, in the terms the composer needs."""

    prompt: str
    design_type: str
    headline: str | None
    subline: str | None
    subject: str
    subject_words: tuple[str, ...]
    colors: tuple[str, ...] = ()
    color_words: tuple[str, ...] = ()
    style: str = "modern"
    mood: str = "neutral"
    #: Whether the headline came from the prompt (quoted or a proper name) or was inferred.
    text_from_prompt: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: Every piece of copy the prompt asks for, each to be set or named in the notes.
    copy: tuple[CopyItem, ...] = ()
    #: The text lines beyond headline and subline, (role, text) in reading order.
    lines: tuple[tuple[str, str], ...] = ()


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-zà-ÿ][a-zà-ÿ0-9&-]*(?:'[a-z]+)?", text.lower())


def normalize_design_type(value: str) -> str:
    """A known design type for ``value`` (aliases such as Pixova's ``flyer`` included)."""
    key = value.strip().lower()
    if key in DESIGN_TYPES:
        return key
    if key in TYPE_ALIASES:
        return TYPE_ALIASES[key]
    raise ValueError(f"unknown design_type {value!r}; use one of {', '.join(DESIGN_TYPES)} (or flyer, social post)")


def detect_type(prompt: str, width: int, height: int) -> str:
    low = prompt.lower()
    found: list[tuple[int, str]] = []
    for design_type, phrases in TYPE_WORDS.items():
        for phrase in phrases:
            match = re.search(rf"\b{re.escape(phrase)}\b", low)
            if match:
                found.append((match.start(), design_type))
    if found:
        # "logo for an app" is a logo; "app icon" is an icon: the earliest mention wins,
        # and the more specific phrase when two start at the same place.
        return min(found)[1]
    ratio = width / max(1, height)
    if ratio >= 2.2:
        return "banner"
    if ratio <= 0.8:
        return "poster"
    return "logo"


def detect_style(words: list[str], explicit: str | None) -> str:
    if explicit:
        key = explicit.strip().lower()
        if key in STYLES:
            return key
    scores = {s: sum(2 if w == s else 1 for w in words if w in kws) for s, kws in STYLE_WORDS.items()}
    best = max(STYLES, key=lambda s: scores[s])
    return best if scores[best] else "modern"


def _subject(prompt_wo_quotes: str) -> list[str]:
    low = prompt_wo_quotes.lower()
    match = re.search(r"\bfor\s+(?:(?:a|an|the|my|our)\s+)?([^,.;:!?()]+)", low)
    if match:
        phrase = re.split(r"\b(?:with|in|using|featuring|that|which|on)\b", match.group(1))[0]
        words = [w for w in words_of(phrase) if w not in STOP and w not in VOCAB and w not in NAMED]
        if words:
            return words[:4]
    return []


def understand(
    prompt: str,
    width: int = 1024,
    height: int = 1024,
    *,
    design_type: str | None = None,
    style: str | None = None,
) -> Brief:
    """Reads ``prompt`` for a canvas of ``width`` × ``height``; ``design_type`` and ``style``
    override what the words say (ValueError for an unknown design type)."""
    prompt = prompt.strip()
    copy = extract(prompt)
    kind = normalize_design_type(design_type) if design_type else detect_type(copy.remainder, width, height)
    lines = lines_of(copy.items)
    headline = lines.get("headline")
    from_prompt = headline is not None
    subline = lines.get("subline")
    plain = _SIZE.sub(" ", copy.remainder)
    all_words = words_of(plain)
    headline_words = set(words_of(headline or ""))
    content = [
        w
        for w in all_words
        if w not in STOP and w not in VOCAB and w not in NAMED and w not in headline_words and not w.isdigit()
    ]
    subject_list = _subject(plain) or content[:3]
    subject = " ".join(subject_list)
    if headline is None and kind != "icon":
        if kind == "card" and any(w in all_words for w in ("invitation", "invite", "wedding")):
            headline = "You're Invited"
            occasion = next((w for w in content if w not in {"invitation", "invite", "card"}), None)
            subline = subline or (f"to celebrate our {occasion}" if occasion else "to celebrate with us")
        elif subject:
            headline = subject.title()
    colors: list[str] = []
    color_words: list[str] = []
    for index, word in enumerate(all_words):
        hex_value = named_color(all_words, index)
        if hex_value and word not in headline_words and hex_value not in colors:
            colors.append(hex_value)
            color_words.append(word)
    mood = next((m for m, kws in MOODS.items() if any(k in all_words for k in kws)), "neutral")
    ordered_subject = list(dict.fromkeys([*subject_list, *content, *sorted(headline_words)]))
    return Brief(
        prompt=prompt,
        copy=copy.items,
        lines=tuple((role, text) for role, text in lines.items() if role not in ("headline", "subline")),
        design_type=kind,
        headline=headline,
        subline=subline,
        subject=subject,
        subject_words=tuple(ordered_subject),
        colors=tuple(colors),
        color_words=tuple(color_words),
        style=detect_style(all_words, style),
        mood=mood,
        text_from_prompt=from_prompt,
    )
